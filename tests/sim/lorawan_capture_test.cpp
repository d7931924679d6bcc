// SPDX-License-Identifier: Apache-2.0
// The LoRaWAN capture of a small FUOTA run: every frame opens with the keys the run lists
// (our own parser, then Debian's tshark with the written key table), the three package
// ports and the sensor port are there, every package command parses, the multicast
// DataFragments carry the FragEncoder's frames, and a capture does not change the run.
#include "lorawan_fleet_test_support.h"
#include "tshark_support.h"

#include "core/lorawan/clocksync.h"
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fuotadevice.h"
#include "core/lorawan/fuotadeviceintegrity.h"
#include "core/lorawan/fuotaimage.h"
#include "core/lorawan/packagecommands.h"
#include "sim/lorawan/lorawancapture.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <cmath>
#include <map>
#include <set>

namespace {

using namespace otalab::sim;
using namespace otalab::test::lorawanfleet;
namespace lw = otalab::core::lorawan;

// 227-byte fragments: the largest whose frames Wireshark's dissector can check (it
// passes B0 | msg to its CMAC with an 8-bit length, so msg must stay ≤ 239 bytes). Some
// extra loss so devices miss fragments and the repair round (FragSessionStatus) runs.
LorawanFleetConfig captureFleet()
{
    LorawanFleetConfig c = smallFleet();
    c.devices.count = 12;
    c.campaign.fragmentSize = 227;
    c.radio.extraLossPercent = 12;
    c.campaign.redundancyPercent = 5;
    return c;
}

struct CapturedFrame {
    double timeS = 0;
    std::uint32_t frequencyHz = 0;
    int spreadingFactor = 0;
    QByteArray phy;
};

// Records of a LoRaTap pcap (link type 270): timestamp, radio fields, PHYPayload.
std::vector<CapturedFrame> readLoraTap(const QString& path)
{
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
    const QByteArray all = file.readAll();
    const auto u32le = [&](qsizetype at) {
        return std::uint32_t(std::uint8_t(all[at])) | std::uint32_t(std::uint8_t(all[at + 1])) << 8 |
               std::uint32_t(std::uint8_t(all[at + 2])) << 16 | std::uint32_t(std::uint8_t(all[at + 3])) << 24;
    };
    std::vector<CapturedFrame> out;
    EXPECT_GE(all.size(), 24);
    if (all.size() < 24)
        return out;
    EXPECT_EQ(u32le(20), 270u);
    for (qsizetype at = 24; at + 16 <= all.size();) {
        const std::uint32_t length = u32le(at + 8);
        const qsizetype body = at + 16;
        EXPECT_LE(body + qsizetype(length), all.size());
        EXPECT_GT(length, 15u);
        CapturedFrame f;
        f.timeS = double(u32le(at)) + double(u32le(at + 4)) * 1e-6;
        f.frequencyHz = std::uint32_t(std::uint8_t(all[body + 4])) << 24 | std::uint32_t(std::uint8_t(all[body + 5])) << 16 |
                        std::uint32_t(std::uint8_t(all[body + 6])) << 8 | std::uint32_t(std::uint8_t(all[body + 7]));
        f.spreadingFactor = std::uint8_t(all[body + 9]);
        f.phy = all.mid(body + 15, qsizetype(length) - 15);
        out.push_back(std::move(f));
        at = body + qsizetype(length);
    }
    return out;
}

class CaptureRun {
public:
    explicit CaptureRun(const LorawanFleetConfig& config) : m_run(config)
    {
        EXPECT_TRUE(m_dir.isValid());
        auto files = m_run.fleetRun().fleets().front()->startCapture(m_dir.path());
        EXPECT_TRUE(files.has_value()) << (files ? std::string() : files.error().message.toStdString());
        if (files)
            m_files = *files;
        EXPECT_TRUE(m_run.run());
        m_run.fleetRun().fleets().front()->finishCapture();
    }
    LorawanRun& run() { return m_run; }
    QString path(const char* name) const { return QDir(m_dir.path()).filePath(QString::fromLatin1(name)); }
    const QStringList& files() const { return m_files; }

private:
    QTemporaryDir m_dir;
    LorawanRun m_run;
    QStringList m_files;
};

// The keys of the written table: DevAddr (wire hex) → keys.
std::map<std::uint32_t, lw::SessionKeys> readKeyTable(const QString& path)
{
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    std::map<std::uint32_t, lw::SessionKeys> keys;
    while (!file.atEnd()) {
        const QString line = QString::fromLatin1(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        QStringList f = line.split(QLatin1Char(','));
        EXPECT_EQ(f.size(), 4) << line.toStdString();
        if (f.size() != 4)
            continue;
        for (QString& s : f)
            s.remove(QLatin1Char('"'));
        const QByteArray wire = QByteArray::fromHex(f[0].toLatin1());
        EXPECT_EQ(wire.size(), 4);
        std::uint32_t addr = 0;
        for (int i = 0; i < 4; ++i)
            addr |= std::uint32_t(std::uint8_t(wire[i])) << (8 * i);
        keys[addr] = {*lw::parseKey(f[1]), *lw::parseKey(f[2])};
    }
    return keys;
}

TEST(LorawanCapture, SameFingerprintWithAndWithoutCapture)
{
    LorawanRun plain(captureFleet());
    ASSERT_TRUE(plain.run());
    CaptureRun captured(captureFleet());
    EXPECT_EQ(captured.run().fingerprint(), plain.fingerprint());
    EXPECT_EQ(captured.run().result().devices.size(), plain.result().devices.size());
    EXPECT_EQ(captured.files(), (QStringList{captured.path(LorawanCapture::kPcapName), captured.path(LorawanCapture::kKeysName)}));
}

struct CaptureCounts {
    int forgedFrames = 0;   // multicast frames carrying the complement of the real fragment
    int micErrors = 0;      // FragDataBlockReceivedReq with MicError
};

// Opens every captured frame with the table's keys and checks what it carries.
CaptureCounts checkEveryFrame(const LorawanFleetConfig& config)
{
    CaptureCounts counts;
    CaptureRun c(config);
    const LorawanFleet& fleet = c.run().fleet();
    const bool classB = config.campaign.sessionClass == LorawanCampaignConfig::SessionClass::B;
    const auto planVersion = config.campaign.fecVersion == 1 ? lw::fragmentation::Version::V1 : lw::fragmentation::Version::V2;
    const auto frames = readLoraTap(c.path(LorawanCapture::kPcapName));
    const auto keys = readKeyTable(c.path(LorawanCapture::kKeysName));
    EXPECT_EQ(keys.size(), fleet.deviceCount() + 1);   // every device and the multicast group
    EXPECT_FALSE(frames.empty());

    const LorawanCaptureKeys derived = LorawanCaptureKeys::derive(*lw::parseKey(QString::fromLatin1(kLorawanCaptureRootKeyHex)),
                                                                  fleet.deviceNode(0));
    const FuotaPlan& plan = fleet.plan();
    const lw::FragEncoder encoder(LorawanCapture::dataBlockOf(fleet), plan.fragmentSize,
                                  plan.fecVersion == 1 ? lw::FecVersion::V1 : lw::FecVersion::V2);
    std::set<int> ports;
    std::map<std::string, int> commands;
    std::map<std::pair<std::uint32_t, int>, std::uint32_t> lastFCnt;   // (DevAddr, dir) → last counter
    std::uint64_t multicast = 0, uplinks = 0, downlinks = 0;
    double lastTime = 0;
    std::int64_t sessionTime = 0;   // GPS seconds of the last McClassC/BSessionReq seen
    for (const CapturedFrame& f : frames) {
        EXPECT_GE(f.timeS, lastTime) << "records in time order";
        lastTime = f.timeS;
        auto parsed = lw::parseDataFrame(f.phy);
        EXPECT_TRUE(parsed.has_value()) << parsed.error().toString().toStdString();
        if (!parsed)
            return counts;
        const auto key = keys.find(parsed->devAddr);
        EXPECT_NE(key, keys.end()) << std::hex << parsed->devAddr;
        if (key == keys.end())
            return counts;
        const int dir = int(parsed->direction());
        const auto last = lastFCnt.find({parsed->devAddr, dir});
        // The multicast group's frames repeat per gateway (same counter): open those afresh.
        const bool isMulticast = parsed->devAddr == derived.mcAddr;
        std::optional<std::uint32_t> previous;
        if (last != lastFCnt.end() && !isMulticast)
            previous = last->second;
        auto opened = lw::openDataFrame(f.phy, key->second, previous, parsed->devAddr);
        EXPECT_TRUE(opened.has_value()) << opened.error().toString().toStdString();
        if (!opened || !opened->fPort)
            return counts;
        lastFCnt[{parsed->devAddr, dir}] = opened->fCnt;
        ports.insert(*opened->fPort);
        // The model's frame size is the real one.
        EXPECT_EQ(f.phy.size(), kLorawanFrameOverhead + opened->frmPayload.size());
        if (isMulticast) {
            ++multicast;
            EXPECT_EQ(f.phy.size(), plan.framePhyBytes);
            // Record time (Unix) and the session's GPS time agree: no fragment before the session.
            EXPECT_GE(std::int64_t(f.timeS) - kUnixSecondsAtZero + kGpsSecondsAtZero, sessionTime);
            EXPECT_EQ(opened->mtype, lw::MType::UnconfirmedDataDown);
            EXPECT_EQ(f.frequencyHz, plan.frequencyHz);
            EXPECT_EQ(f.spreadingFactor, plan.spreadingFactor);
            QByteArray expected("\x08", 1);
            expected.append(char(opened->fCnt & 0xff));
            expected.append(char((opened->fCnt >> 8) & 0x3f));
            QByteArray forged = expected;
            expected += encoder.frame(opened->fCnt);
            for (const char b : encoder.frame(opened->fCnt))
                forged.append(char(~b));
            if (opened->frmPayload == forged)
                ++counts.forgedFrames;
            else
                EXPECT_EQ(opened->frmPayload, expected) << "multicast frame " << opened->fCnt;
            continue;
        }
        (parsed->direction() == lw::Direction::Uplink ? uplinks : downlinks) += 1;
        if (*opened->fPort == kSensorPort) {
            EXPECT_EQ(opened->frmPayload.size(), fleet.config().devices.appPayloadBytes);
            continue;
        }
        // As FuotaDevice reads them (v1 sessions: the CID 0x04 pair with v2's layout).
        auto cmds = lw::parseFuotaPayload(*opened->fPort, parsed->direction(), opened->frmPayload, planVersion);
        EXPECT_TRUE(cmds.has_value()) << "port " << int(*opened->fPort) << ": " << cmds.error().toString().toStdString();
        if (!cmds || cmds->size() != 1u)
            return counts;
        if (auto* c = lw::commandAs<lw::multicastsetup::McClassCSessionReq>(cmds->front()))
            sessionTime = std::max<std::int64_t>(sessionTime, c->sessionTime);
        if (auto* b = lw::commandAs<lw::multicastsetup::McClassBSessionReq>(cmds->front()))
            sessionTime = std::max<std::int64_t>(sessionTime, b->sessionTime);
        if (auto* report = lw::commandAs<lw::fragmentation::FragDataBlockReceivedReq>(cmds->front()))
            counts.micErrors += report->micError ? 1 : 0;
        commands[lw::commandName(cmds->front()).toStdString()] += 1;
        if (auto* setup = lw::commandAs<lw::multicastsetup::McGroupSetupReq>(cmds->front())) {
            // The device recovers McKey with its own McKEKey, and from it the group's keys.
            namespace mc = lw::multicastsetup;
            const std::uint32_t node = parsed->devAddr - 0x26000001u;
            const lw::AesKey kek = mc::mcKEKey(mc::mcRootKeyFromGenAppKey(derived.genAppKey(derived.devAddr(node))));
            const lw::AesKey mcKey = mc::decryptMcKey(kek, setup->mcKeyEncrypted);
            EXPECT_EQ(setup->mcAddr, derived.mcAddr);
            EXPECT_EQ(mc::multicastSessionKeys(mcKey, setup->mcAddr).nwkSKey, keys.at(derived.mcAddr).nwkSKey);
            EXPECT_EQ(mc::multicastSessionKeys(mcKey, setup->mcAddr).appSKey, keys.at(derived.mcAddr).appSKey);
        }
        if (auto* frag = lw::commandAs<lw::fragmentation::FragSessionSetupReq>(cmds->front())) {
            EXPECT_EQ(frag->nbFrag, plan.fragments);
            EXPECT_EQ(frag->fragSize, plan.fragmentSize);
            EXPECT_EQ(frag->padding, plan.paddingBytes);
            const std::uint32_t node = parsed->devAddr - 0x26000001u;
            const lw::DataBlockSession session{frag->sessionCnt, frag->fragIndex, frag->descriptor};
            const lw::AesKey genAppKey = derived.genAppKey(derived.devAddr(node));
            if (plan.fecVersion == 2)
                EXPECT_EQ(frag->mic, lw::serverDataBlockMic(genAppKey, session, LorawanCapture::dataBlockOf(fleet)));
            else   // v1: the MIC in the Descriptor, as FuotaServerFrames / FuotaDevice expect it
                EXPECT_EQ(frag->descriptor, lw::fuotaV1MicDescriptor(genAppKey, 0, LorawanCapture::dataBlockOf(fleet)));
        }
    }
    EXPECT_TRUE(ports.count(kSensorPort));
    EXPECT_TRUE(ports.count(200));
    EXPECT_TRUE(ports.count(201));
    EXPECT_TRUE(ports.count(202));
    std::uint64_t framesSent = 0;
    for (const LorawanGateway& g : fleet.gateways())
        framesSent += g.framesSent;
    EXPECT_EQ(multicast - std::uint64_t(counts.forgedFrames), framesSent);
    EXPECT_GT(uplinks, 0u);
    EXPECT_GT(downlinks, 0u);
    for (const char* name : {"McGroupSetupReq", "McGroupSetupAns", "FragSessionSetupReq", "FragSessionSetupAns",
                             classB ? "McClassBSessionReq" : "McClassCSessionReq", classB ? "McClassBSessionAns" : "McClassCSessionAns",
                             "AppTimeReq", "AppTimeAns", "FragSessionStatusReq",
                             "FragSessionStatusAns", "FragDataBlockReceivedReq", "FragDataBlockReceivedAns"})
        EXPECT_GT(commands[name], 0) << name;
    return counts;
}

TEST(LorawanCapture, EveryFrameOpensWithTheListedKeysAndEveryCommandParses)
{
    const CaptureCounts counts = checkEveryFrame(captureFleet());
    EXPECT_EQ(counts.forgedFrames, 0);
    EXPECT_EQ(counts.micErrors, 0);
}

// An attacker holding the multicast key: its frames carry a valid multicast MIC (they open
// with the group's keys) and wrong data; devices that kept one report MicError.
TEST(LorawanCapture, ForgedFragmentsOpenWithTheGroupKeysAndDevicesReportMicError)
{
    LorawanFleetConfig c = captureFleet();
    c.faults.forgedFragments = LorawanForgedFragments{2, 3};
    const CaptureCounts counts = checkEveryFrame(c);
    EXPECT_EQ(counts.forgedFrames, 2);
    EXPECT_GT(counts.micErrors, 0);
}

// A scenario that names an image file: the fragments carry that file's bytes.
TEST(LorawanCapture, AnImageFileIsWhatTheFragmentsCarry)
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("app.bin"));
    QByteArray image(5000, '\0');
    for (qsizetype i = 0; i < image.size(); ++i)
        image[i] = char(i * 31 + 7);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(image);
    file.close();
    LorawanFleetConfig c = captureFleet();
    c.image.path = path;
    LorawanRun run(c);
    EXPECT_EQ(LorawanCapture::dataBlockOf(run.fleet()), image);
    checkEveryFrame(c);   // fragments compared with dataBlockOf(): the file
}

// A signed delta: the fragments carry core/lorawan's container around the zstd patch,
// then the signature's reserved bytes.
TEST(LorawanCapture, ASignedDeltaCarriesTheContainer)
{
    LorawanFleetConfig c = captureFleet();
    c.image.format = LorawanImageConfig::Format::SignedDelta;
    LorawanRun run(c);
    const QByteArray block = LorawanCapture::dataBlockOf(run.fleet());
    ASSERT_EQ(block.size(), qsizetype(run.fleet().plan().imageBytes));
    EXPECT_TRUE(lw::looksLikeFuotaContainer(block));
    EXPECT_TRUE(lw::parseFuotaContainer(run.fleet().dataBlock().block).has_value());
    checkEveryFrame(c);
}

// Class B, TS004 v1, three gateways (each sends every multicast frame: same bytes, same counter).
TEST(LorawanCapture, ClassBFecV1ThreeGatewaysOpenToo)
{
    LorawanFleetConfig c = captureFleet();
    c.campaign.sessionClass = LorawanCampaignConfig::SessionClass::B;
    c.campaign.fecVersion = 1;
    c.gateways.count = 3;
    c.devices.count = 24;
    checkEveryFrame(c);
}

// The captured frames drive core/lorawan's FuotaDevice (the real device machine): every
// unicast downlink to one upgraded device and every multicast frame, in capture order, at
// network time (its AppTimeAns left out: the replayed clock is already exact). It sets up
// group, session and class C window, decodes, proves its MIC and commits the image.
TEST(LorawanCapture, ARealFuotaDeviceCommitsFromTheCapturedFrames)
{
    LorawanFleetConfig config = captureFleet();
    config.radio.extraLossPercent = 0;
    CaptureRun c(config);
    const LorawanFleet& fleet = c.run().fleet();
    std::size_t device = fleet.deviceCount();
    for (std::size_t i = 0; i < fleet.deviceCount() && device == fleet.deviceCount(); ++i)
        if (fleet.device(i).state == LorawanDeviceState::Upgraded)
            device = i;
    ASSERT_LT(device, fleet.deviceCount());
    const LorawanCaptureKeys keys = LorawanCaptureKeys::derive(*lw::parseKey(QString::fromLatin1(kLorawanCaptureRootKeyHex)),
                                                               fleet.deviceNode(0));
    const std::uint32_t addr = keys.devAddr(fleet.deviceNode(device));
    lw::FuotaDeviceConfig dc;
    dc.devAddr = addr;
    dc.session = keys.unicast(addr);
    dc.genAppKey = keys.genAppKey(addr);
    dc.flashCapacity = 1 << 20;
    dc.syncClockAtStart = false;
    auto real = lw::FuotaDevice::create(dc);
    ASSERT_TRUE(real.has_value()) << real.error().toString().toStdString();
    int fed = 0;
    for (const CapturedFrame& f : readLoraTap(c.path(LorawanCapture::kPcapName))) {
        auto parsed = lw::parseDataFrame(f.phy);
        ASSERT_TRUE(parsed.has_value());
        if (parsed->direction() != lw::Direction::Downlink || (parsed->devAddr != addr && parsed->devAddr != keys.mcAddr))
            continue;
        if (parsed->fPort == 202)
            continue;   // AppTimeAns
        const double gpsS = f.timeS - double(kUnixSecondsAtZero) + double(kGpsSecondsAtZero);
        const qint64 nowMs = qint64(std::llround(gpsS * 1000.0));
        if (auto ok = real->onDownlink(f.phy, nowMs); !ok && parsed->devAddr == addr)
            ADD_FAILURE() << "unicast downlink refused: " << ok.error().toString().toStdString();
        ++fed;
        while (real->hasPendingUplink())
            real->nextUplink(nowMs);   // its answers go out on the next uplinks
    }
    EXPECT_GT(fed, fleet.plan().fragments);
    EXPECT_EQ(real->state(), lw::FuotaDevice::State::Committed) << real->lastRefusal().toStdString();
    EXPECT_EQ(real->committedImage(), fleet.dataBlock().firmware);
}

// The fleet models unicast messages by size (lorawanfleet.h): each size is the length of
// the real encoding, for every command and answer, TS004 v1 and v2, class C and class B.
TEST(LorawanCapture, ModelSizesEqualTheRealEncodings)
{
    using C = LorawanCommand;
    for (const int fec : {1, 2}) {
        for (const auto sessionClass : {LorawanCampaignConfig::SessionClass::C, LorawanCampaignConfig::SessionClass::B}) {
            LorawanFleetConfig config = smallFleet();
            config.devices.count = 2;
            config.campaign.fecVersion = fec;
            config.campaign.sessionClass = sessionClass;
            LorawanRun run(config);   // built, not run
            QTemporaryDir dir;
            auto capture = LorawanCapture::open(run.fleet(), dir.path());
            ASSERT_TRUE(capture.has_value()) << capture.error().message.toStdString();
            const bool classB = sessionClass == LorawanCampaignConfig::SessionClass::B;
            for (const C command : {C::McGroupSetup, C::FragSessionSetup, C::McSession, C::FragStatus}) {
                const std::string name = lorawanCommandName(command, classB).toStdString();
                EXPECT_EQ((*capture)->commandPayload(0, command).size(), lorawanCommandBytes(command, fec)) << name << " v" << fec;
                EXPECT_EQ((*capture)->answerPayload(0, command, SimTime()).size(), lorawanAnswerBytes(command)) << name << " v" << fec;
            }
        }
    }
    namespace cs = lw::clocksync;
    namespace fr = lw::fragmentation;
    EXPECT_EQ(cs::encodeCommand(cs::AppTimeReq{})->size(), kLorawanAppTimeReqBytes);
    EXPECT_EQ(cs::encodeCommand(cs::AppTimeAns{})->size(), kLorawanAppTimeAnsBytes);
    EXPECT_EQ(fr::encodeCommand(fr::FragDataBlockReceivedReq{}, fr::Version::V2)->size(), kLorawanDataBlockReceivedReqBytes);
    EXPECT_EQ(fr::encodeCommand(fr::FragDataBlockReceivedAns{}, fr::Version::V2)->size(), kLorawanDataBlockReceivedAnsBytes);
    // MHDR + FHDR without FOpts + FPort + MIC, and the DataFragment header.
    lw::DataFrame frame;
    frame.fPort = 201;
    frame.frmPayload = QByteArray(10, 'x');
    EXPECT_EQ(lw::encodeDataFrame(frame, {})->size(), kLorawanFrameOverhead + 10);
    EXPECT_EQ(lw::encodeDataFragment({0, 1, QByteArray(10, 'x')})->size(), kDataFragmentHeader + 10);
}

TEST(LorawanCapture, TsharkChecksEveryMicAndDecryptsTheFragments)
{
    if (!otalab::sim::test::tsharkAvailable())
        GTEST_SKIP() << "tshark is not installed: Wireshark's independent check not run";
    CaptureRun c(captureFleet());
    const LorawanFleet& fleet = c.run().fleet();
    // Wireshark reads encryption_keys_lorawan from its personal configuration folder.
    QTemporaryDir config;
    ASSERT_TRUE(config.isValid());
    ASSERT_TRUE(QFile::copy(c.path(LorawanCapture::kKeysName), QDir(config.path()).filePath(QStringLiteral("encryption_keys_lorawan"))));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIRESHARK_CONFIG_DIR"), config.path());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("tshark"), {QStringLiteral("-r"), c.path(LorawanCapture::kPcapName), QStringLiteral("-T"), QStringLiteral("fields"),
                                       QStringLiteral("-e"), QStringLiteral("lorawan.fhdr.devaddr"), QStringLiteral("-e"), QStringLiteral("lorawan.fhdr.fcnt"),
                                       QStringLiteral("-e"), QStringLiteral("lorawan.fport"), QStringLiteral("-e"), QStringLiteral("lorawan.mic.status"),
                                       QStringLiteral("-e"), QStringLiteral("lorawan.frmpayload_decrypted")});
    ASSERT_TRUE(p.waitForFinished(120000));
    ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    const auto frames = readLoraTap(c.path(LorawanCapture::kPcapName));
    ASSERT_EQ(lines.size(), qsizetype(frames.size()));

    const FuotaPlan& plan = fleet.plan();
    const lw::FragEncoder encoder(LorawanCapture::dataBlockOf(fleet), plan.fragmentSize, lw::FecVersion::V2);
    const std::uint32_t mcAddr = LorawanCaptureKeys::derive(*lw::parseKey(QString::fromLatin1(kLorawanCaptureRootKeyHex)),
                                                            fleet.deviceNode(0)).mcAddr;
    std::set<int> ports;
    int fragments = 0, badMic = 0;
    for (const QByteArray& line : lines) {
        const QList<QByteArray> f = line.split('\t');
        ASSERT_EQ(f.size(), 5) << line.toStdString() << " (not dissected as LoRaWAN)";
        bool ok = false;
        const std::uint32_t addr = f[0].toUInt(&ok, 16);
        ASSERT_TRUE(ok) << line.toStdString();
        ports.insert(f[2].toInt(&ok, 16));
        if (f[3] != "1")
            ++badMic;
        if (addr == mcAddr) {
            const std::uint32_t n = f[1].toUInt();
            const QByteArray payload = QByteArray::fromHex(f[4]);
            ASSERT_GE(payload.size(), 3);
            EXPECT_EQ(payload.mid(3), encoder.frame(n)) << "fragment " << n;
            ++fragments;
        }
    }
    EXPECT_EQ(badMic, 0) << "Wireshark found frames whose MIC it does not accept";
    EXPECT_GT(fragments, plan.fragments);
    for (int port : {int(kSensorPort), 200, 201, 202})
        EXPECT_TRUE(ports.count(port)) << port;
}

} // namespace
