// SPDX-License-Identifier: Apache-2.0
// JobsFleet: building the fleet (groups, links, faults, nodes) and the message sizes.
#include "sim/jobs/jobsfleet.h"
#include "sim/jobs/jobsfleetfaults.h"

#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/streammessages.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kPurposeLink = 0x4c494e4bu;   // 'LINK': latency, rates, wake phase
constexpr std::uint32_t kPurposeJobs = 0x4a4f4253u;   // 'JOBS': losses, disconnects
constexpr std::uint32_t kPurposeBad = 0x42414449u;    // 'BADI': which devices get a bad image / signature

// Names the topics carry (their lengths are what the wire sizes need): thing names
// "thing-00001", the stream "AFR_OTA-" + a UUID as the OTA Update Manager names it.
constexpr int kThingNameBytes = 11;
constexpr int kStreamNameBytes = 44;
const QString kJobId = QStringLiteral("AFR_OTA-lab-job-0001");  // without a rollout section (its jobId otherwise)
const QString kStreamName = QStringLiteral("AFR_OTA-3f1c2a7e-5b8d-4e0f-9a61-0c2d4b6e8f10");  // 44 characters

// "a.b.c" → AppVersion32 (major, minor < 256, build < 65536).
std::optional<core::awsota::AppVersion32> parseVersion(const QString& text)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 3)
        return std::nullopt;
    bool ok[3] = {};
    const uint major = parts[0].toUInt(&ok[0]), minor = parts[1].toUInt(&ok[1]), build = parts[2].toUInt(&ok[2]);
    if (!ok[0] || !ok[1] || !ok[2] || major > 255 || minor > 255 || build > 65535)
        return std::nullopt;
    return core::awsota::AppVersion32{std::uint8_t(major), std::uint8_t(minor), std::uint16_t(build)};
}

// The image's bytes follow from its version and size (not the run's seed), so a sweep over
// seeds sends the same file.
QByteArray generateImage(std::uint32_t size, const QString& version)
{
    std::uint64_t x = 0xcbf29ce484222325ull;   // FNV-1a of the version text
    for (const QChar ch : version)
        x = (x ^ ch.unicode()) * 0x100000001b3ull;
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        bytes[i] = char(x >> 56);
    }
    return bytes;
}

QString fieldOf(const QString& base, const QString& key)
{
    return base.isEmpty() ? key : base + QLatin1Char('.') + key;
}

// MQTT v3.1.1 PUBLISH (§3.3): fixed header, remaining length, topic, packet id (QoS 1), payload.
int mqttPublishBytes(int topicBytes, int payloadBytes, bool qos1)
{
    const int remaining = 2 + topicBytes + (qos1 ? 2 : 0) + payloadBytes;
    const int lengthBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
    return 1 + lengthBytes + remaining;
}

} // namespace

JobsFleet::JobsFleet(Simulator& sim, const JobsFleetConfig& config, FleetListener* listener)
    : m_sim(sim), m_config(config), m_listener(listener)
{
}

JobsFleet::~JobsFleet() = default;

int JobsFleet::dataMessageBytes(std::uint32_t block) const
{
    const std::uint32_t payload = block + 1 == m_blocks ? m_lastBlockBytes : std::uint32_t(m_config.image.blockSize);
    // "$aws/things/<thing>/streams/<stream>/data/cbor"
    const int topic = 12 + kThingNameBytes + 9 + kStreamNameBytes + 10;
    return mqttPublishBytes(topic, int(core::awsota::encodedDataBlockSize(0, block, payload)), false);
}

Result<void> JobsFleet::construct(const FleetBuildContext& ctx)
{
    const QString& field = ctx.field;
    m_firstNode = ctx.firstNode;
    const JobsFleetConfig& c = m_config;
    if (c.devices.empty())
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("devices")), QStringLiteral("a fleet needs at least one device group")));
    const std::uint32_t blockSize = std::uint32_t(c.image.blockSize);
    if (blockSize < core::awsota::kMinBlockSize || blockSize > core::awsota::kMaxBlockSize || (blockSize & (blockSize - 1)) != 0)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.blockSize")),
                              QStringLiteral("%1 bytes: the agent's block size is a power of two in 256..131072 (otaconfigLOG2_FILE_BLOCK_SIZE)").arg(blockSize)));
    if (c.image.sizeBytes < 1)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.sizeBytes")), QStringLiteral("an image needs at least one byte")));
    m_blocks = (c.image.sizeBytes + blockSize - 1) / blockSize;
    m_lastBlockBytes = c.image.sizeBytes - (m_blocks - 1) * blockSize;
    const auto running = parseVersion(c.image.runningVersion);
    const auto next = parseVersion(c.image.version);
    if (!running)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.runningVersion")),
                              QStringLiteral("\"%1\": expected major.minor.build (AppVersion32: 0..255.0..255.0..65535)").arg(c.image.runningVersion)));
    if (!next)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.version")),
                              QStringLiteral("\"%1\": expected major.minor.build (AppVersion32: 0..255.0..255.0..65535)").arg(c.image.version)));
    if (next->word() <= running->word())
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.version")),
                              QStringLiteral("%1 is not newer than the running %2: the agent refuses a downgrade after the self-test reboot")
                                  .arg(c.image.version, c.image.runningVersion)));
    m_runningVersion = *running;
    m_newVersion = *next;
    if (m_blocks > core::awsota::kMaxBitmapBytes * 8)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.sizeBytes")),
                              QStringLiteral("%1 bytes in %2-byte blocks make %3 blocks; the FreeRTOS agent's bitmap holds at most 1024 "
                                             "(OTA_MAX_BLOCK_BITMAP_SIZE 128 bytes): use larger blocks")
                                  .arg(c.image.sizeBytes).arg(blockSize).arg(m_blocks)));
    if (c.agent.blocksPerRequest < 1 || c.agent.blocksPerRequest > 128)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("agent.blocksPerRequest")), QStringLiteral("expected 1..128 blocks per GetStream request")));
    const double shares = c.faults.badImageShare + c.faults.badSignatureShare;
    if (c.faults.badImageShare < 0 || c.faults.badSignatureShare < 0 || shares > 1.0)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("faults.badImage.share")), QStringLiteral("shares must be in 0..1 and add up to at most 1")));

    // "$aws/things/<thing>/streams/<stream>/get/cbor", bitmap of the whole file.
    const std::size_t bitmapBytes = (m_blocks + 7) / 8;
    m_getStreamBytes = mqttPublishBytes(12 + kThingNameBytes + 9 + kStreamNameBytes + 9,
                                        int(core::awsota::encodedGetStreamSize(3, 0, blockSize, 0, bitmapBytes, std::uint32_t(c.agent.blocksPerRequest))),
                                        false);
    m_brokerSlot = SimTime::fromSeconds(1.0 / c.broker.fanoutPerS);
    m_streamSlot = SimTime::fromSeconds(1.0 / c.broker.streamBlocksPerS);

    // The job: one afr_ota document and one image shared by every device. Its signature
    // field is a fixed 72-byte DER-sized placeholder (ECDSA signatures are randomised: a
    // real one would make message sizes, hence the trace, differ between runs); the
    // verdicts the PAL returns come from core's real signing, once per fleet: the image
    // signed with a test identity verifies, the bad-signature variant (signed over other
    // bytes) does not.
    m_image = generateImage(c.image.sizeBytes, c.image.version);
    core::awsota::OtaFileInfo file;
    file.filePath = QStringLiteral("/ota/firmware.bin");
    file.fileSize = c.image.sizeBytes;
    file.fileId = 0;
    file.certFile = QStringLiteral("ota_signer.crt");
    file.signature = QByteArray(72, '\x30');
    m_document.jobId = ctx.jobId.isEmpty() ? kJobId : ctx.jobId;
    m_document.protocols = QStringList{QStringLiteral("MQTT")};
    m_document.streamName = kStreamName;
    m_document.files = {file};
    m_notifyBytes = mqttPublishBytes(12 + kThingNameBytes + 17, int(core::awsota::encodeJobNotification(m_document, 1'700'000'000, 1).size()), true);
    m_updateTopicBytes = 12 + kThingNameBytes + 6 + int(m_document.jobId.size()) + 7;
    {
        const auto identity = core::awsota::makeTestIdentity(QStringLiteral("OTA Lab simulated signer"));
        if (!identity)
            return fail(identity.error());
        const QByteArray head = m_image.left(4096);
        const auto good = core::awsota::signFile(head, identity->privateKeyPem);
        QByteArray other = head;
        other[0] = char(other[0] ^ 1);
        const auto bad = core::awsota::signFile(other, identity->privateKeyPem);
        if (!good || !bad)
            return fail(good ? bad.error() : good.error());
        m_verdicts.goodVerifies = bool(core::awsota::verifyFileSignature(head, *good, identity->certificatePem));
        const auto badVerdict = core::awsota::verifyFileSignature(head, *bad, identity->certificatePem);
        m_verdicts.badDetail = badVerdict ? QStringLiteral("a signature over other bytes verified (unexpected)") : badVerdict.error().message;
    }
    m_agentConfig.blockSize = blockSize;
    m_agentConfig.blocksPerRequest = std::uint32_t(c.agent.blocksPerRequest);
    m_agentConfig.requestTimeoutMs = std::uint32_t(std::lround(c.agent.requestTimeoutS * 1000.0));
    m_agentConfig.maxRequestMomentum = std::uint32_t(c.agent.maxRequestMomentum);
    m_agentConfig.appFirmwareVersion = m_runningVersion;
    m_agentConfig.thingName = QStringLiteral("thing-00001");
    if (auto ok = m_agentConfig.validate(); !ok)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("agent")), ok.error().toString()));

    std::uint32_t total = 0;
    for (std::size_t g = 0; g < c.devices.size(); ++g) {
        const JobsDeviceGroupConfig& gc = c.devices[g];
        const QString at = fieldOf(field, QStringLiteral("devices[%1]").arg(g));
        if (gc.count < 1)
            return fail(Error::at(-1, at + QStringLiteral(".count"), QStringLiteral("a group needs at least one device")));
        const auto preset = JobsDevicePreset::byName(gc.preset);
        if (!preset)
            return fail(Error::at(-1, at + QStringLiteral(".preset"), QStringLiteral("unknown preset \"%1\": expected %2").arg(gc.preset, JobsDevicePreset::names())));
        const bool cellular = isCellular(preset->link);
        if (!cellular && (gc.psm || gc.edrx || gc.rrcInactivityS))
            return fail(Error::at(-1, at + (gc.psm ? QStringLiteral(".psm") : gc.edrx ? QStringLiteral(".edrx") : QStringLiteral(".rrcInactivityS")),
                                  QStringLiteral("PSM, eDRX and the RRC timer are cellular: preset \"%1\" is on Wi-Fi").arg(gc.preset)));
        if (cellular && gc.dtimMs)
            return fail(Error::at(-1, at + QStringLiteral(".dtimMs"), QStringLiteral("a DTIM interval is a Wi-Fi setting: preset \"%1\" is cellular").arg(gc.preset)));
        JobsGroup group;
        group.name = gc.name.isEmpty() ? gc.preset : gc.name;
        group.preset = *preset;
        const JobsLinkDefaults defaults = jobsLinkDefaults(preset->link);
        JobsPowerSaving& ps = group.power;
        ps.kind = preset->link;
        if (cellular) {
            ps.rrcSetup = SimTime::fromSeconds(defaults.rrcSetupMs / 1000.0);
            ps.inactivity = SimTime::fromSeconds(gc.rrcInactivityS.value_or(defaults.rrcInactivityS));
            ps.pagingCycle = SimTime::fromSeconds(gc.edrx ? gc.edrx->cycleS : defaults.drxCycleS);
            if (gc.psm) {
                ps.psmTau = SimTime::fromSeconds(gc.psm->periodicTauS);
                ps.psmActive = SimTime::fromSeconds(gc.psm->activeTimeS);
            }
        } else {
            // Wi-Fi leaves active mode ≈ 200 ms after the last frame (ESP-IDF modem sleep).
            ps.inactivity = SimTime::fromMillis(200);
            ps.pagingCycle = SimTime::fromSeconds(gc.dtimMs.value_or(defaults.dtimMs) / 1000.0);
        }
        group.idleA = jobsIdleCurrentA(group.preset, ps);
        group.first = total;
        group.count = std::uint32_t(gc.count);
        total += group.count;
        m_groups.push_back(std::move(group));
    }
    if (total > 200'000)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("devices")), QStringLiteral("%1 devices: at most 200,000 per fleet").arg(total)));

    m_devices.reserve(total);
    m_slots.resize(total);
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const JobsDeviceGroupConfig& gc = c.devices[g];
        const JobsGroup& group = m_groups[g];
        const JobsLinkDefaults defaults = jobsLinkDefaults(group.preset.link);
        const double spread = gc.spreadPercent / 100.0;
        const double capBytes = c.broker.perConnectionKBps * 1024.0;
        const std::int64_t cycle = group.power.psmTau ? group.power.psmTau->nanos() : group.power.pagingCycle.nanos();
        for (std::uint32_t k = 0; k < group.count; ++k) {
            const NodeId node = m_firstNode + NodeId(m_devices.size());
            JobsDevice d(RandomStream(ctx.seed, node, kPurposeJobs));
            RandomStream r(ctx.seed, node, kPurposeLink);
            const auto vary = [&](double mean) { return mean * r.uniform(1.0 - spread, 1.0 + spread); };
            d.link.latencyNs = SimTime::fromSeconds(vary(gc.latencyMs.value_or(defaults.latencyMs)) / 1000.0).nanos();
            d.link.downBytesPerS = float(std::min(capBytes, vary(gc.downlinkKbps.value_or(defaults.downlinkKbps)) * 1000.0 / 8.0));
            d.link.upBytesPerS = float(std::min(capBytes, vary(gc.uplinkKbps.value_or(defaults.uplinkKbps)) * 1000.0 / 8.0));
            d.link.loss = float(gc.lossPercent.value_or(defaults.lossPercent) / 100.0);
            d.wakePhaseNs = cycle > 0 ? std::int64_t(r.uniformInt(std::uint64_t(cycle))) : 0;
            d.group = std::uint16_t(g);
            m_devices.push_back(std::move(d));
        }
    }

    // The faulty devices: a seeded shuffle of the fleet, the first round(share × N) get a
    // bad image, the next ones a bad signature (exact counts, so a story can quote them).
    const std::size_t n = m_devices.size();
    const std::size_t bad = std::size_t(std::llround(c.faults.badImageShare * double(n)));
    const std::size_t badSig = std::min(n - bad, std::size_t(std::llround(c.faults.badSignatureShare * double(n))));
    if (bad + badSig > 0) {
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        RandomStream shuffle(ctx.seed, m_firstNode, kPurposeBad);
        for (std::size_t i = 0; i < bad + badSig; ++i) {
            const std::size_t j = i + std::size_t(shuffle.uniformInt(n - i));
            std::swap(order[i], order[j]);
            (i < bad ? m_devices[order[i]].badImage : m_devices[order[i]].badSignature) = true;
        }
    }

    // Nodes: things on a grid, group after group; the cloud above them.
    m_cloudNode = m_firstNode + NodeId(n);
    m_nodes.reserve(n + 1);
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(n)))));
    for (std::size_t i = 0; i < n; ++i) {
        FleetNodeInfo info;
        info.node = m_firstNode + NodeId(i);
        info.name = QStringLiteral("thing-%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        info.role = QStringLiteral("thing");
        info.parent = m_cloudNode;
        info.xM = 10.0 * double(int(i) % columns);
        info.yM = 10.0 * double(int(i) / columns);
        info.participates = true;
        m_nodes.push_back(std::move(info));
    }
    FleetNodeInfo cloud;
    cloud.node = m_cloudNode;
    cloud.name = QStringLiteral("AWS IoT (broker, jobs, streams)");
    cloud.role = QStringLiteral("broker");
    cloud.xM = 5.0 * double(columns);
    cloud.yM = -50.0;
    m_nodes.push_back(std::move(cloud));
    return {};
}

Result<std::unique_ptr<Fleet>> buildJobsFleet(const JobsFleetConfig& config, const FleetBuildContext& ctx)
{
    std::unique_ptr<JobsFleet> fleet(new JobsFleet(ctx.sim, config, ctx.listener));
    if (auto built = fleet->construct(ctx); !built)
        return fail(built.error());
    return std::unique_ptr<Fleet>(std::move(fleet));
}

} // namespace otalab::sim
