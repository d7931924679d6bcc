// SPDX-License-Identifier: Apache-2.0
// FUOTA end to end with real frames: FuotaServerFrames sets up 20 FuotaDevices over their
// unicast sessions (clock sync, multicast group, fragmentation session, class C session,
// with random downlink loss and retries), multicasts the fragments with random loss,
// and every device reassembles, proves its data-block MIC over unicast and commits the
// exact image — on TS004 v1 and v2, raw, signed and delta images; a device on the wrong
// delta base refuses and keeps its image. Deterministic (seeded), no clock.
#include "core/lorawan/fuotadevice.h"
#include "core/lorawan/fuotaimage.h"
#include "core/lorawan/fuotaserverframes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>

namespace otalab::core::lorawan {
namespace {

using fragmentation::Version;

AesKey randomKey(std::mt19937& rng)
{
    AesKey k{};
    for (auto& b : k)
        b = std::uint8_t(rng());
    return k;
}

QByteArray randomBytes(std::mt19937& rng, int size)
{
    QByteArray b(size, '\0');
    for (auto& c : b)
        c = char(rng());
    return b;
}

struct FleetOptions {
    Version version = Version::V2;
    int devices = 20;
    double unicastLoss = 0.15;    // each unicast downlink
    double uplinkLoss = 0.10;     // each uplink (the server hears nothing, so it answers nothing)
    double multicastLoss = 0.10;  // each multicast frame, per device
    double redundancyPercent = 30;
    int fragmentSize = 48;
    std::uint32_t seed = 4;
    QByteArray dataBlock;                 // what the server multicasts
    std::vector<QByteArray> runningImages; // per device (empty: a random 1 KiB image)
    crypto::PKey trustedKey;
};

// The fleet and the server, driven step by step as a class A network would: one
// downlink per uplink, answers first, then the next unanswered setup step (a retry).
class Fleet {
public:
    explicit Fleet(FleetOptions options) : m_options(std::move(options)), m_rng(m_options.seed)
    {
        FuotaCampaignFramesConfig config;
        config.dataBlock = m_options.dataBlock;
        config.version = m_options.version;
        config.fragmentSize = m_options.fragmentSize;
        const std::uint32_t m = std::uint32_t((m_options.dataBlock.size() + m_options.fragmentSize - 1) / m_options.fragmentSize);
        config.parityFrames = redundancyFrames(m, m_options.redundancyPercent);
        config.sessionCnt = 3;
        config.descriptor = 0x00020001;
        config.mcAddr = 0x26ffff01;
        config.mcKey = randomKey(m_rng);
        config.minMcFCnt = 10;
        config.sessionTimeGps = std::uint32_t(kStartGpsS + 600);
        config.sessionTimeOut = 11;  // 2048 s
        std::vector<FuotaEndDeviceKeys> keys;
        for (int i = 0; i < m_options.devices; ++i) {
            FuotaEndDeviceKeys k;
            k.devAddr = 0x26011000u + std::uint32_t(i);
            k.session = SessionKeys{randomKey(m_rng), randomKey(m_rng)};
            k.genAppKey = randomKey(m_rng);
            keys.push_back(k);
            FuotaDeviceConfig d;
            d.devAddr = k.devAddr;
            d.session = k.session;
            d.genAppKey = k.genAppKey;
            d.fragVersion = m_options.version;
            d.flashCapacity = 256 * 1024;
            d.runningImage = std::size_t(i) < m_options.runningImages.size() ? m_options.runningImages[size_t(i)] : randomBytes(m_rng, 1024);
            d.trustedKey = m_options.trustedKey;
            auto device = FuotaDevice::create(d);
            EXPECT_TRUE(device.has_value());
            m_devices.push_back(std::move(*device));
            m_clockErrorMs.push_back(qint64(m_rng() % 60'000) - 30'000);  // ±30 s
        }
        auto server = FuotaServerFrames::create(config, keys);
        EXPECT_TRUE(server.has_value()) << (server ? "" : server.error().toString().toStdString());
        m_server.emplace(std::move(*server));
    }

    FuotaServerFrames& server() { return *m_server; }
    FuotaDevice& device(std::size_t i) { return m_devices[i]; }
    std::size_t size() const { return m_devices.size(); }
    qint64 deviceNow(std::size_t i) const { return m_gpsMs + m_clockErrorMs[i]; }
    bool lost(double p) { return std::uniform_real_distribution<double>(0, 1)(m_rng) < p; }

    // One class A exchange: the device's uplink, then at most one downlink.
    void exchange(std::size_t i, bool setup, bool lossless = false)
    {
        const QByteArray up = m_devices[i].nextUplink(deviceNow(i));
        m_gpsMs += 1000;
        if (!lossless && lost(m_options.uplinkLoss)) {
            ++m_lostUplinks;
            return;
        }
        auto read = m_server->onUplink(up, m_gpsMs / 1000);
        ASSERT_TRUE(read.has_value()) << read.error().toString().toStdString();
        std::optional<QByteArray> down = m_server->nextDownlink(i);
        const FuotaDeviceProgress& p = m_server->progress(i);
        if (!down && setup) {
            Result<QByteArray> step = QByteArray();
            if (!p.groupSetup)
                step = m_server->mcGroupSetupReq(i);
            else if (!p.fragSetup)
                step = m_server->fragSessionSetupReq(i);
            else if (!p.session)
                step = m_server->mcSessionReq(i);
            ASSERT_TRUE(step.has_value());
            if (!step->isEmpty())
                down = *step;
        }
        if (down && (lossless || !lost(m_options.unicastLoss))) {
            auto ok = m_devices[i].onDownlink(*down, deviceNow(i));
            ASSERT_TRUE(ok.has_value()) << ok.error().toString().toStdString();
        } else if (down) {
            ++m_lostDownlinks;
        }
    }

    // Unicast setup of every device; returns the exchanges it took.
    int setUp()
    {
        int exchanges = 0;
        for (int round = 0; round < 40; ++round) {
            bool allDone = true;
            for (std::size_t i = 0; i < size(); ++i) {
                const FuotaDeviceProgress& p = m_server->progress(i);
                const bool done = p.groupSetup && p.fragSetup && p.session && p.lastTimeCorrection
                                  && m_devices[i].clockCorrectionMs() != 0 && !m_devices[i].hasPendingUplink()
                                  && !m_server->hasPendingDownlink(i);
                if (done)
                    continue;
                allDone = false;
                exchange(i, true);
                ++exchanges;
            }
            if (allDone)
                break;
        }
        return exchanges;
    }

    // The class C session: every frame multicast once, each device losing some.
    void multicastSession()
    {
        m_gpsMs = (qint64(m_server->config().sessionTimeGps) + 2) * 1000;
        for (std::uint32_t n = 1; n <= m_server->frameCount(); ++n) {
            auto frame = m_server->dataFragmentFrame(n);
            ASSERT_TRUE(frame.has_value());
            for (std::size_t i = 0; i < size(); ++i) {
                if (lost(m_options.multicastLoss)) {
                    ++m_lostFrames;
                    continue;
                }
                auto ok = m_devices[i].onDownlink(*frame, deviceNow(i));
                ASSERT_TRUE(ok.has_value()) << "device " << i << " frame " << n << ": " << ok.error().toString().toStdString();
            }
            m_gpsMs += 2000;
        }
    }

    // Each device reports its data block (again when the answer does not come); the server
    // answers those whose MIC matched. A device keeps uplinking as a sensor does.
    void verify()
    {
        for (std::size_t i = 0; i < size(); ++i)
            for (int k = 0; k < 30; ++k) {
                const auto state = m_devices[i].state();
                if (state != FuotaDevice::State::Reassembled && state != FuotaDevice::State::Verifying
                    && !m_devices[i].hasPendingUplink())
                    break;
                exchange(i, false);
            }
    }

    int lostFrames() const { return m_lostFrames; }
    int lostUplinks() const { return m_lostUplinks; }
    int lostDownlinks() const { return m_lostDownlinks; }

    static constexpr qint64 kStartGpsS = 1'400'000'000;

private:
    FleetOptions m_options;
    std::mt19937 m_rng;
    std::vector<FuotaDevice> m_devices;
    std::optional<FuotaServerFrames> m_server;
    std::vector<qint64> m_clockErrorMs;
    qint64 m_gpsMs = kStartGpsS * 1000;
    int m_lostFrames = 0;
    int m_lostUplinks = 0;
    int m_lostDownlinks = 0;
};

class FuotaEndToEnd : public ::testing::TestWithParam<Version> {};

TEST_P(FuotaEndToEnd, TwentyDevicesWithLossEachCommitTheExactImage)
{
    std::mt19937 rng(40);
    const QByteArray image = randomBytes(rng, 10 * 1024 + 17);
    FleetOptions options;
    options.version = GetParam();
    options.dataBlock = image;
    Fleet fleet(options);
    const int exchanges = fleet.setUp();
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        const FuotaDeviceProgress& p = fleet.server().progress(i);
        ASSERT_TRUE(p.setUp()) << "device " << i;
        EXPECT_EQ(fleet.device(i).state(), FuotaDevice::State::InSession);
        EXPECT_GT(p.session->timeToStart.value_or(0), 400u);  // the session starts ~600 s after setup began
        EXPECT_LE(std::abs(fleet.device(i).clockCorrectionMs()), 31'000);
    }
    fleet.multicastSession();
    for (std::size_t i = 0; i < fleet.size(); ++i)
        ASSERT_EQ(fleet.device(i).state(), FuotaDevice::State::Reassembled) << "device " << i << ": " << fleet.device(i).lastRefusal().toStdString();
    fleet.verify();
    int committed = 0;
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        EXPECT_EQ(fleet.device(i).state(), FuotaDevice::State::Committed) << "device " << i;
        EXPECT_EQ(fleet.device(i).committedImage(), image) << "device " << i;
        EXPECT_TRUE(fleet.server().progress(i).verified());
        EXPECT_TRUE(fleet.server().progress(i).dataBlockAcknowledged);
        committed += fleet.device(i).state() == FuotaDevice::State::Committed;
    }
    EXPECT_EQ(committed, 20);
    // Group deletion after the session: answered by every device.
    for (std::size_t i = 0; i < fleet.size(); ++i) {
        auto del = fleet.server().mcGroupDeleteReq(i);
        ASSERT_TRUE(del.has_value());
        ASSERT_TRUE(fleet.device(i).onDownlink(*del, fleet.deviceNow(i)).has_value());
        fleet.exchange(i, false, true);
        ASSERT_TRUE(fleet.server().progress(i).groupDelete.has_value());
        EXPECT_FALSE(fleet.server().progress(i).groupDelete->mcGroupUndefined);
        EXPECT_FALSE(fleet.device(i).group(0).has_value());
    }
    std::cout << "[ figures  ] TS004 v" << int(GetParam()) << ": " << fleet.server().fragmentCount() << " fragments + "
              << fleet.server().frameCount() - fleet.server().fragmentCount() << " parity, " << fleet.lostFrames()
              << " multicast receptions lost over 20 devices, " << exchanges << " unicast setup exchanges (3 steps + clock sync each), "
              << fleet.lostUplinks() << " uplinks and " << fleet.lostDownlinks() << " unicast downlinks lost\n";
}

INSTANTIATE_TEST_SUITE_P(Ts004, FuotaEndToEnd, ::testing::Values(Version::V1, Version::V2),
                         [](const auto& info) { return info.param == Version::V1 ? "V1" : "V2"; });

TEST(FuotaEndToEndDelta, AppliedOnTheRightBaseRefusedOnTheWrongOne)
{
    std::mt19937 rng(41);
    const QByteArray base = randomBytes(rng, 16 * 1024);
    QByteArray target = base;
    for (int i = 0; i < 200; ++i)
        target[int(rng() % target.size())] = char(rng());
    target += randomBytes(rng, 700);
    auto key = crypto::PKey::generate(crypto::KeyType::EcdsaP256);
    ASSERT_TRUE(key.has_value());
    FuotaPackOptions pack;
    pack.kind = FuotaImageKind::SignedDelta;
    pack.signingKey = &*key;
    pack.base = base;
    auto block = packFuotaImage(target, pack);
    ASSERT_TRUE(block.has_value()) << block.error().toString().toStdString();
    EXPECT_LT(block->size(), target.size() / 4);  // a patch, not the image

    FleetOptions options;
    options.dataBlock = *block;
    options.devices = 6;
    options.redundancyPercent = 80;  // a 28-fragment block: the annex's M + 7 rule needs far more than 30 %
    options.runningImages = std::vector<QByteArray>(5, base);
    options.runningImages.push_back(randomBytes(rng, 16 * 1024));  // device 5 runs another image
    options.trustedKey = *key;
    Fleet fleet(options);
    fleet.setUp();
    fleet.multicastSession();
    fleet.verify();
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(fleet.device(i).state(), FuotaDevice::State::Committed)
            << fleet.device(i).lastRefusal().toStdString() << " block " << block->size() << " B, missing "
            << fleet.device(i).sessionStatus(0).value_or(FragDecoder::Status{}).missing;
        EXPECT_EQ(fleet.device(i).committedImage(), target);
        EXPECT_EQ(fleet.device(i).runningImage(), base);
    }
    FuotaDevice& other = fleet.device(5);
    EXPECT_EQ(other.state(), FuotaDevice::State::Rejected);
    EXPECT_TRUE(other.committedImage().isEmpty());
    EXPECT_NE(other.runningImage(), base);
    EXPECT_TRUE(other.lastRefusal().contains(QStringLiteral("delta is for base"))) << other.lastRefusal().toStdString();
    EXPECT_TRUE(other.lastRefusal().contains(QStringLiteral("not committed")));
    // The MIC matched (the bytes are what the server sent): the refusal is the container's.
    EXPECT_TRUE(fleet.server().progress(5).verified());
}

TEST(FuotaEndToEndSigned, ASignedImageCommitsOnlyWithTheTrustedKey)
{
    std::mt19937 rng(42);
    const QByteArray image = randomBytes(rng, 3000);
    auto key = crypto::PKey::generate(crypto::KeyType::EcdsaP256);
    auto otherKey = crypto::PKey::generate(crypto::KeyType::EcdsaP256);
    ASSERT_TRUE(key && otherKey);
    FuotaPackOptions pack;
    pack.kind = FuotaImageKind::Signed;
    pack.signingKey = &*key;
    auto block = packFuotaImage(image, pack);
    ASSERT_TRUE(block.has_value());
    for (bool trusted : {true, false}) {
        FleetOptions options;
        options.version = Version::V1;
        options.dataBlock = *block;
        options.devices = 3;
        options.redundancyPercent = 60;
        options.trustedKey = trusted ? *key : *otherKey;
        Fleet fleet(options);
        fleet.setUp();
        fleet.multicastSession();
        fleet.verify();
        for (std::size_t i = 0; i < fleet.size(); ++i) {
            if (trusted) {
                EXPECT_EQ(fleet.device(i).committedImage(), image);
            } else {
                EXPECT_EQ(fleet.device(i).state(), FuotaDevice::State::Rejected);
                EXPECT_TRUE(fleet.device(i).committedImage().isEmpty());
                EXPECT_TRUE(fleet.device(i).lastRefusal().contains(QStringLiteral("signature"))) << fleet.device(i).lastRefusal().toStdString();
            }
        }
    }
}

} // namespace
} // namespace otalab::core::lorawan
