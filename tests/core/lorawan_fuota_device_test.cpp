// SPDX-License-Identifier: Apache-2.0
// FuotaDevice at byte level: the setup answers and the clock, then issue 12's bad input
// — a fragment for an unknown session index, unicast and multicast counter replays, a
// forged fragment with a valid multicast MIC, every single-byte corruption and truncation
// of FragSessionSetupReq, an image larger than the flash, a wrong MIC, another DevAddr —
// each refused in words, the running image untouched and nothing wrong ever committed.
#include "core/lorawan/fuotadevice.h"
#include "core/lorawan/fuotadeviceintegrity.h"
#include "core/lorawan/fuotaserverframes.h"

#include <gtest/gtest.h>

#include <iostream>
#include <random>

namespace otalab::core::lorawan {
namespace {

using fragmentation::Version;
using State = FuotaDevice::State;

constexpr std::int64_t kNowS = 1'400'000'000;  // GPS seconds at the start of each test
constexpr std::uint32_t kDevAddr = 0x26011bda;
constexpr std::uint32_t kOtherDevAddr = 0x26011bdb;
constexpr std::uint32_t kMcAddr = 0x26ffff01;

AesKey keyOf(std::uint8_t seed)
{
    AesKey k{};
    for (int i = 0; i < 16; ++i)
        k[size_t(i)] = std::uint8_t(seed * 17 + i * 29);
    return k;
}

QByteArray bytesOf(int size, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    QByteArray b(size, '\0');
    for (auto& c : b)
        c = char(rng());
    return b;
}

struct Options {
    Version version = Version::V2;
    qint64 flash = 64 * 1024;
    int imageSize = 2000;
    int fragmentSize = 40;
    std::uint32_t parity = 20;
};

// One device and a server that knows it (and a second device, for foreign frames).
// The device's clock is exact (no clock sync needed); "now" moves by hand.
struct Rig {
    explicit Rig(Options o = {}) : options(o), image(bytesOf(o.imageSize, 7)), running(bytesOf(int(std::min<qint64>(1500, o.flash / 2)), 8))
    {
        FuotaCampaignFramesConfig c;
        c.dataBlock = image;
        c.version = o.version;
        c.fragmentSize = o.fragmentSize;
        c.parityFrames = o.parity;
        c.sessionCnt = 5;
        c.descriptor = 0x01020304;
        c.mcAddr = kMcAddr;
        c.mcKey = keyOf(9);
        c.minMcFCnt = 100;
        c.sessionTimeGps = std::uint32_t(kNowS + 100);
        c.sessionTimeOut = 10;
        std::vector<FuotaEndDeviceKeys> keys{{kDevAddr, {keyOf(1), keyOf(2)}, keyOf(3), 0},
                                             {kOtherDevAddr, {keyOf(4), keyOf(5)}, keyOf(6), 0}};
        server.emplace(*FuotaServerFrames::create(c, keys));
        FuotaDeviceConfig d;
        d.devAddr = kDevAddr;
        d.session = keys[0].session;
        d.genAppKey = keys[0].genAppKey;
        d.fragVersion = o.version;
        d.flashCapacity = o.flash;
        d.runningImage = running;
        d.syncClockAtStart = false;
        auto created = FuotaDevice::create(d);
        EXPECT_TRUE(created.has_value());
        if (created)
            device.emplace(std::move(*created));
    }

    qint64 nowMs = kNowS * 1000;
    Result<void> down(const Result<QByteArray>& frame) { return frame ? device->onDownlink(*frame, nowMs) : fail(frame.error()); }
    // The device's next uplink into the server; returns what the server read.
    FuotaServerFrames::Uplink up()
    {
        auto read = server->onUplink(device->nextUplink(nowMs), nowMs / 1000);
        EXPECT_TRUE(read.has_value()) << read.error().toString().toStdString();
        return read ? *read : FuotaServerFrames::Uplink{};
    }
    void setUpAll()
    {
        ASSERT_TRUE(down(server->mcGroupSetupReq(0)));
        ASSERT_TRUE(down(server->fragSessionSetupReq(0)));
        ASSERT_TRUE(down(server->mcSessionReq(0)));
        while (device->hasPendingUplink())
            up();
        ASSERT_TRUE(server->progress(0).setUp());
        ASSERT_EQ(device->state(), State::InSession);
    }
    void openWindow() { nowMs = (kNowS + 101) * 1000; device->advanceTo(nowMs); }
    // Every multicast frame 1..M+R into the device (frames the device refuses are fine).
    void streamAll()
    {
        for (std::uint32_t n = 1; n <= server->frameCount(); ++n)
            (void)down(server->dataFragmentFrame(n));
    }
    // Report and answer: the full verification exchange.
    void verify()
    {
        for (int i = 0; i < 3 && device->hasPendingUplink(); ++i) {
            up();
            if (auto answer = server->nextDownlink(0))
                (void)device->onDownlink(*answer, nowMs);
        }
    }
    // A unicast frame with any FRMPayload, MIC valid for this device.
    QByteArray rawUnicast(std::uint8_t port, const QByteArray& payload, std::uint32_t fCnt)
    {
        DataFrame f;
        f.mtype = MType::UnconfirmedDataDown;
        f.devAddr = kDevAddr;
        f.fCnt = fCnt;
        f.fPort = port;
        f.frmPayload = payload;
        return *encodeDataFrame(f, server->device(0).session);
    }
    // A multicast frame built by someone holding McKey (McNwkSKey / McAppSKey).
    QByteArray rawMulticast(std::uint8_t port, const QByteArray& payload, std::uint32_t mcFCnt)
    {
        DataFrame f;
        f.mtype = MType::UnconfirmedDataDown;
        f.devAddr = kMcAddr;
        f.fCnt = mcFCnt;
        f.fPort = port;
        f.frmPayload = payload;
        return *encodeDataFrame(f, multicastsetup::multicastSessionKeys(keyOf(9), kMcAddr));
    }
    bool refused(const QString& words) const
    {
        for (const auto& e : device->events())
            if (e.kind == FuotaDevice::Event::Kind::Refusal && e.text.contains(words))
                return true;
        return false;
    }
    void expectNothingCommitted() const
    {
        EXPECT_NE(device->state(), State::Committed);
        EXPECT_TRUE(device->committedImage().isEmpty());
        EXPECT_EQ(device->runningImage(), running);
    }

    Options options;
    QByteArray image;
    QByteArray running;
    std::optional<FuotaServerFrames> server;
    std::optional<FuotaDevice> device;
};

// --- The good path, piece by piece ---------------------------------------------------

TEST(FuotaDevice, SetupDerivesTheGroupKeysAndAnswersEveryStep)
{
    Rig rig;
    rig.setUpAll();
    const auto group = rig.device->group(0);
    ASSERT_TRUE(group.has_value());
    const SessionKeys expected = multicastsetup::multicastSessionKeys(keyOf(9), kMcAddr);
    EXPECT_EQ(group->keys.nwkSKey, expected.nwkSKey);
    EXPECT_EQ(group->keys.appSKey, expected.appSKey);
    const FuotaDeviceProgress& p = rig.server->progress(0);
    EXPECT_TRUE(p.fragSetup->ok());
    EXPECT_EQ(p.session->timeToStart, 100u);
    EXPECT_EQ(rig.device->nextTimerMs(), (kNowS + 100) * 1000);
    EXPECT_EQ(rig.device->lastFCntDown(), 2u);
}

TEST(FuotaDevice, MulticastIsHeardOnlyInsideTheSessionWindowOfTheDeviceClock)
{
    Rig rig;
    rig.setUpAll();
    EXPECT_FALSE(rig.device->classCWindowOpen());
    auto early = rig.down(rig.server->dataFragmentFrame(1));
    ASSERT_FALSE(early.has_value());
    EXPECT_TRUE(early.error().message.contains(QStringLiteral("the radio is not listening"))) << early.error().message.toStdString();
    rig.openWindow();
    EXPECT_TRUE(rig.device->classCWindowOpen());
    EXPECT_TRUE(rig.down(rig.server->dataFragmentFrame(2)).has_value());
    rig.device->advanceTo((kNowS + 100 + 1024) * 1000);  // 2^10 s later
    EXPECT_FALSE(rig.device->classCWindowOpen());
    EXPECT_FALSE(rig.down(rig.server->dataFragmentFrame(3)).has_value());
    bool closedWithMissing = false;
    for (const auto& e : rig.device->events())
        closedWithMissing |= e.text.contains(QStringLiteral("window closed")) && e.text.contains(QStringLiteral("still misses"));
    EXPECT_TRUE(closedWithMissing);
}

TEST(FuotaDevice, ClassCSessionRequestsAreCheckedLikeLoRaMacNode)
{
    Rig rig;
    namespace mc = multicastsetup;
    auto answerTo = [&](const mc::McClassCSessionReq& req) {
        EXPECT_TRUE(rig.down(rig.server->unicast(0, mc::kPort, {mc::Command{req}})));
        rig.up();
        return *rig.server->progress(0).session;
    };
    const mc::McClassCSessionReq good{0, std::uint32_t(kNowS + 50), 8, 869'525'000, 0};
    auto undefined = answerTo(good);  // no group yet
    EXPECT_TRUE(undefined.mcGroupUndefined);
    EXPECT_FALSE(undefined.timeToStart.has_value());
    EXPECT_TRUE(rig.refused(QStringLiteral("McClassCSessionReq refused: group 0 is not set up")));
    ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
    rig.up();
    mc::McClassCSessionReq wrong = good;
    wrong.dataRate = 9;
    wrong.dlFrequencyHz = 915'000'000;
    auto both = answerTo(wrong);
    EXPECT_TRUE(both.drError && both.freqError);
    EXPECT_TRUE(rig.refused(QStringLiteral("DR9 is above DR7, 915000000 Hz is outside 863000000..870000000 Hz")));
    mc::McClassCSessionReq past = good;
    past.sessionTime = std::uint32_t(kNowS);
    EXPECT_TRUE(answerTo(past).mcGroupUndefined);
    EXPECT_TRUE(rig.refused(QStringLiteral("is not after the device's time")));
    EXPECT_EQ(rig.device->state(), State::GroupSetUp);
    auto ok = answerTo(good);
    EXPECT_FALSE(ok.hasError());
    EXPECT_EQ(ok.timeToStart, 50u);
    EXPECT_EQ(rig.device->state(), State::InSession);
}

TEST(FuotaDevice, AppTimeAnsCorrectsTheClockAndAWrongTokenIsRefused)
{
    Rig rig;
    FuotaDeviceConfig c = rig.device->config();
    c.syncClockAtStart = true;
    rig.device.emplace(*FuotaDevice::create(c));
    const qint64 deviceClock = rig.nowMs - 20'000;  // 20 s behind
    auto read = rig.server->onUplink(rig.device->nextUplink(deviceClock), rig.nowMs / 1000);
    ASSERT_TRUE(read.has_value());
    ASSERT_EQ(rig.server->progress(0).lastTimeCorrection, 20);
    // A forged-token answer first: refused.
    ASSERT_TRUE(rig.down(rig.server->unicast(0, clocksync::kPort, {clocksync::Command{clocksync::AppTimeAns{999, 7}}})));
    EXPECT_TRUE(rig.refused(QStringLiteral("AppTimeAns token 7 does not answer AppTimeReq token 0")));
    EXPECT_EQ(rig.device->clockCorrectionMs(), 0);
    ASSERT_TRUE(rig.device->onDownlink(*rig.server->nextDownlink(0), deviceClock).has_value());
    EXPECT_EQ(rig.device->clockCorrectionMs(), 20'000);
    EXPECT_EQ(rig.device->networkTimeS(deviceClock), kNowS);
}

TEST(FuotaDevice, StatusAnswerCountsReceivedAndMissingFragments)
{
    Rig rig;
    rig.setUpAll();
    rig.openWindow();
    for (std::uint32_t n : {1u, 2u, 5u})
        ASSERT_TRUE(rig.down(rig.server->dataFragmentFrame(n)));
    ASSERT_TRUE(rig.down(rig.server->multicastStatusReq(true)));
    rig.up();
    const auto& status = rig.server->progress(0).status;
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->nbFragReceived, 3);
    EXPECT_EQ(status->missingFrag, rig.server->fragmentCount() - 3);
    EXPECT_FALSE(status->micError);
}

// --- Bad input (issue 12) ------------------------------------------------------------

TEST(FuotaDeviceBadInput, FragmentForASessionIndexThatIsNotSetUp)
{
    Rig rig;
    rig.setUpAll();
    rig.openWindow();
    const DataFragment stray{2, 1, QByteArray(40, 'x')};
    ASSERT_TRUE(rig.down(rig.server->multicast(fragmentation::kPort, {fragmentation::Command{stray}})));
    EXPECT_TRUE(rig.refused(QStringLiteral("fragment 1 for session index 2, but session 2 is not set up")));
    EXPECT_EQ(rig.device->state(), State::InSession);
    EXPECT_EQ(rig.device->sessionStatus(0)->received, 0u);
    rig.streamAll();
    rig.verify();
    EXPECT_EQ(rig.device->committedImage(), rig.image);  // the real session was not disturbed
}

TEST(FuotaDeviceBadInput, UnicastCounterReplayIsRefused)
{
    Rig rig;
    auto setup = rig.server->mcGroupSetupReq(0);
    ASSERT_TRUE(rig.down(setup));
    auto again = rig.down(setup);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().message, QStringLiteral("counter replay: got 0, last 0"));
    EXPECT_TRUE(rig.refused(QStringLiteral("counter replay: got 0, last 0")));
    ASSERT_TRUE(rig.down(rig.server->fragSessionSetupReq(0)));
    auto old = rig.down(setup);  // older than the last one
    ASSERT_FALSE(old.has_value());
    EXPECT_EQ(old.error().message, QStringLiteral("counter replay: got 0, last 1"));
    rig.expectNothingCommitted();
}

TEST(FuotaDeviceBadInput, MulticastCounterReplayIsRefused)
{
    Rig rig;
    rig.setUpAll();
    rig.openWindow();
    auto first = rig.server->dataFragmentFrame(1);
    ASSERT_TRUE(rig.down(first));
    auto replay = rig.down(first);
    ASSERT_FALSE(replay.has_value());
    EXPECT_TRUE(replay.error().message.contains(QStringLiteral("multicast group 0 (McAddr 26ffff01): counter replay: got 100, last 100")))
        << replay.error().message.toStdString();
    EXPECT_EQ(rig.device->sessionStatus(0)->received, 1u);
    rig.expectNothingCommitted();
}

TEST(FuotaDeviceBadInput, ForgedFragmentWithAValidMulticastMicIsCaughtByTheImageMic)
{
    for (Version version : {Version::V1, Version::V2}) {
        Options o;
        o.version = version;
        Rig rig(o);
        rig.setUpAll();
        rig.openWindow();
        // The attacker knows McKey: fragment 3 replaced by its own bytes, MIC valid.
        for (std::uint32_t n = 1; n <= rig.server->frameCount(); ++n) {
            auto real = rig.server->dataFragmentFrame(n);
            ASSERT_TRUE(real.has_value());
            if (n == 3) {
                const DataFragment forged{0, 3, QByteArray(o.fragmentSize, char(0xA5))};
                const QByteArray payload = *encodeDataFragment(forged);
                ASSERT_TRUE(rig.device->onDownlink(rig.rawMulticast(201, payload, rig.server->nextMcFCnt() - 1), rig.nowMs));
            } else {
                ASSERT_TRUE(rig.down(real));
            }
        }
        EXPECT_NE(rig.device->reassembledBlock(), rig.image);
        EXPECT_EQ(rig.device->state(), State::Rejected);
        EXPECT_TRUE(rig.refused(QStringLiteral("image MIC mismatch: the reassembled image is not what the server sent — not committed")));
        // The report goes out with MicError: the server does not acknowledge.
        rig.verify();
        ASSERT_TRUE(rig.server->progress(0).dataBlock.has_value());
        EXPECT_TRUE(rig.server->progress(0).dataBlock->micError);
        EXPECT_FALSE(rig.server->progress(0).dataBlockAcknowledged);
        // Nor can the attacker acknowledge over multicast, or force it over unicast later.
        const QByteArray ans = *encodeFuotaPayload(201, {fragmentation::Command{fragmentation::FragDataBlockReceivedAns{0}}}, version);
        ASSERT_TRUE(rig.device->onDownlink(rig.rawMulticast(201, ans, rig.server->nextMcFCnt() + 1), rig.nowMs));
        EXPECT_TRUE(rig.refused(QStringLiteral("FragDataBlockReceivedAns over multicast group 0 refused")));
        ASSERT_TRUE(rig.down(rig.server->fragDataBlockReceivedAns(0)));
        EXPECT_TRUE(rig.refused(QStringLiteral("the image MIC did not match — not committed")));
        rig.expectNothingCommitted();
    }
}

TEST(FuotaDeviceBadInput, SetupCommandsOverMulticastAreRefused)
{
    Rig rig;
    rig.setUpAll();
    rig.openWindow();
    multicastsetup::McGroupSetupReq hijack = rig.server->groupSetupFor(0);
    hijack.mcAddr = 0x26ffff99;
    const QByteArray payload = *encodeFuotaPayload(200, {multicastsetup::Command{hijack}}, Version::V2);
    ASSERT_TRUE(rig.device->onDownlink(rig.rawMulticast(200, payload, 200), rig.nowMs));
    EXPECT_TRUE(rig.refused(QStringLiteral("McGroupSetupReq over multicast group 0 refused")));
    EXPECT_EQ(rig.device->group(0)->setup.mcAddr, kMcAddr);
}

TEST(FuotaDeviceBadInput, ImageThatDoesNotFitTheFlash)
{
    Options o;
    o.flash = 1024;
    Rig rig(o);
    ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
    ASSERT_TRUE(rig.down(rig.server->fragSessionSetupReq(0)));
    rig.up();
    rig.up();
    const auto& ans = rig.server->progress(0).fragSetup;
    ASSERT_TRUE(ans.has_value());
    EXPECT_TRUE(ans->notEnoughMemory);
    EXPECT_FALSE(ans->ok());
    EXPECT_TRUE(rig.refused(QStringLiteral("FragSessionSetupReq refused: the image (2000 B) does not fit the flash (1024 B)")));
    EXPECT_EQ(rig.device->state(), State::GroupSetUp);
    EXPECT_FALSE(rig.device->sessionStatus(0).has_value());
    rig.expectNothingCommitted();
}

TEST(FuotaDeviceBadInput, FrameWithAWrongMicLeavesTheCounterAlone)
{
    Rig rig;
    auto frame = rig.server->mcGroupSetupReq(0);
    ASSERT_TRUE(frame.has_value());
    QByteArray bad = *frame;
    bad[bad.size() - 1] = char(bad[bad.size() - 1] ^ 0x01);
    auto refused = rig.device->onDownlink(bad, rig.nowMs);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.startsWith(QStringLiteral("MIC mismatch: frame has"))) << refused.error().message.toStdString();
    EXPECT_FALSE(rig.device->lastFCntDown().has_value());
    EXPECT_FALSE(rig.device->group(0).has_value());
    ASSERT_TRUE(rig.down(frame));  // the genuine frame with the same counter still opens
    EXPECT_TRUE(rig.device->group(0).has_value());
}

TEST(FuotaDeviceBadInput, FrameForAnotherDevAddr)
{
    Rig rig;
    auto other = rig.server->mcGroupSetupReq(1);
    auto refused = rig.down(other);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().message,
              QStringLiteral("frame for DevAddr 26011bdb: neither this device (26011bda) nor a multicast group it is in"));
    EXPECT_EQ(rig.device->state(), State::Idle);
    rig.expectNothingCommitted();
}

TEST(FuotaDeviceBadInput, SessionCntReplayIsRefusedOnV2)
{
    Rig rig;
    rig.setUpAll();
    fragmentation::FragSessionSetupReq replay = rig.server->fragSetupFor(0);
    replay.nbFrag = 7;  // another session, same SessionCnt
    ASSERT_TRUE(rig.down(rig.server->unicast(0, 201, {fragmentation::Command{replay}})));
    rig.up();
    EXPECT_TRUE(rig.server->progress(0).fragSetup->sessionCntReplay);
    EXPECT_TRUE(rig.refused(QStringLiteral("SessionCnt 5 is a replay (last accepted 5)")));
    EXPECT_EQ(rig.device->sessionStatus(0)->missing, rig.server->fragmentCount());  // the session in force stays
}

// Every single-byte corruption (all 255 other values at each position) and every
// truncation of the FragSessionSetupReq payload, each into a fresh device that then
// receives the whole genuine stream and verifies: the device either refuses in words or
// sets up another session, never crashes, and commits only the server's exact image.
TEST(FuotaDeviceBadInput, EveryCorruptionAndTruncationOfFragSessionSetupReq)
{
    for (Version version : {Version::V1, Version::V2}) {
        Options o;
        o.version = version;
        o.imageSize = 600;
        o.fragmentSize = 48;
        o.parity = 10;
        Rig pristine(o);
        const QByteArray genuine = *encodeFuotaPayload(201, {fragmentation::Command{pristine.server->fragSetupFor(0)}}, version);
        ASSERT_EQ(genuine.size(), version == Version::V2 ? 17 : 11);
        std::vector<QByteArray> variants;
        for (int i = 0; i < genuine.size(); ++i)
            for (int v = 0; v < 256; ++v)
                if (char(v) != genuine[i]) {
                    QByteArray c = genuine;
                    c[i] = char(v);
                    variants.push_back(c);
                }
        for (int len = 0; len < genuine.size(); ++len)
            variants.push_back(genuine.first(len));
        int parseRefusals = 0, answerRefusals = 0, otherSessions = 0, committedSame = 0;
        for (const QByteArray& payload : variants) {
            Rig rig(o);
            ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
            ASSERT_TRUE(rig.down(rig.server->mcSessionReq(0)));
            // FCnt 2: the server's counter is not used for this raw frame.
            (void)rig.device->onDownlink(rig.rawUnicast(201, payload, 2), rig.nowMs);
            const bool corrupted = rig.refused(QStringLiteral("corrupted "));
            const bool refusedSetup = rig.refused(QStringLiteral("FragSessionSetupReq refused"));
            auto session = rig.device->sessionStatus(0);
            rig.openWindow();
            rig.server->fragSessionSetupReq(0);  // keep the server's FCntDown past 2
            rig.streamAll();
            rig.verify();
            if (rig.device->state() == State::Committed) {
                ASSERT_EQ(rig.device->committedImage(), rig.image) << "payload " << payload.toHex().toStdString();
                ++committedSame;
            } else {
                EXPECT_TRUE(rig.device->committedImage().isEmpty());
                ASSERT_TRUE(corrupted || refusedSetup || !rig.device->lastRefusal().isEmpty() || session)
                    << "silent outcome for payload " << payload.toHex().toStdString();
            }
            EXPECT_EQ(rig.device->runningImage(), rig.running);
            parseRefusals += corrupted;
            answerRefusals += refusedSetup;
            otherSessions += !corrupted && !refusedSetup && rig.device->state() != State::Committed;
        }
        std::cout << "[ figures  ] FragSessionSetupReq v" << int(version) << ": " << variants.size() << " variants: " << parseRefusals
                  << " refused as corrupted, " << answerRefusals << " refused in the answer, " << otherSessions
                  << " other sessions (not committed), " << committedSame << " committed the exact image (bits the session ignores)\n";
    }
}

TEST(FuotaDeviceBadInput, CorruptedPayloadIsNamedInTheRefusal)
{
    Rig rig;
    ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
    QByteArray truncated = *encodeFuotaPayload(201, {fragmentation::Command{rig.server->fragSetupFor(0)}}, Version::V2);
    truncated.chop(3);
    auto refused = rig.device->onDownlink(rig.rawUnicast(201, truncated, 1), rig.nowMs);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.startsWith(QStringLiteral("corrupted FragSessionSetupReq: FragSessionSetupReq.MIC")))
        << refused.error().message.toStdString();
    EXPECT_FALSE(rig.device->sessionStatus(0).has_value());
}

TEST(FuotaDeviceBadInput, ASetupOfTheOtherTs004VersionIsACleanRefusal)
{
    Options v1;
    v1.version = Version::V1;
    Rig rig(v1);
    FuotaDeviceConfig c = rig.device->config();
    c.fragVersion = Version::V2;  // the device speaks v2, the server v1
    rig.device.emplace(*FuotaDevice::create(c));
    ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
    auto refused = rig.down(rig.server->fragSessionSetupReq(0));
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.startsWith(QStringLiteral("corrupted FragSessionSetupReq: FragSessionSetupReq.SessionCnt")))
        << refused.error().message.toStdString();
    EXPECT_FALSE(rig.device->sessionStatus(0).has_value());
    EXPECT_EQ(rig.device->state(), State::GroupSetUp);
}

TEST(FuotaServerFrames, UplinksAreOpenedAndCheckedLikeDownlinks)
{
    Rig rig;
    ASSERT_TRUE(rig.down(rig.server->mcGroupSetupReq(0)));
    const QByteArray up = rig.device->nextUplink(rig.nowMs);
    QByteArray bad = up;
    bad[bad.size() - 2] = char(bad[bad.size() - 2] ^ 0x40);
    auto refused = rig.server->onUplink(bad, kNowS);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.startsWith(QStringLiteral("MIC mismatch")));
    EXPECT_EQ(rig.server->progress(0).refusedUplinks, 1u);
    auto read = rig.server->onUplink(up, kNowS);
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->device, 0u);
    EXPECT_EQ(read->port, std::optional<std::uint8_t>(200));
    ASSERT_TRUE(rig.server->progress(0).groupSetup.has_value());
    EXPECT_FALSE(rig.server->progress(0).groupSetup->idError);
    auto replay = rig.server->onUplink(up, kNowS);
    ASSERT_FALSE(replay.has_value());
    EXPECT_EQ(replay.error().message, QStringLiteral("counter replay: got 0, last 0"));
    DataFrame stranger;
    stranger.mtype = MType::UnconfirmedDataUp;
    stranger.devAddr = 0x26000001;
    auto unknown = rig.server->onUplink(*encodeDataFrame(stranger, SessionKeys{}), kNowS);
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().message, QStringLiteral("uplink from DevAddr 26000001, which is not in this campaign"));
    // Per-device counters: device 1's first downlink is FCnt 0 whatever device 0 received.
    auto other = rig.server->mcGroupSetupReq(1);
    ASSERT_TRUE(other.has_value());
    EXPECT_EQ(parseDataFrame(*other)->fCnt, 0u);
    EXPECT_EQ(rig.server->progress(0).nextFCntDown, 1u);
}

} // namespace
} // namespace otalab::core::lorawan
