// SPDX-License-Identifier: Apache-2.0
// LorawanCapture: real frames for the fleet's frame sites (see lorawancapture.h).
#include "sim/lorawan/lorawancapture.h"

#include "core/lorawan/clocksync.h"
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fragsessioncommands.h"
#include "core/lorawan/multicastsetup.h"
#include "sim/lorawan/lorawandatablock.h"
#include "sim/lorawan/lorawanfleet.h"

#include <QDir>
#include <QFile>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace lw = core::lorawan;

namespace {

lw::AesKey derivedKey(const lw::AesKey& root, std::uint8_t tag, std::uint32_t address)
{
    lw::AesBlock block{};
    block[0] = tag;
    for (int i = 0; i < 4; ++i)
        block[std::size_t(1 + i)] = std::uint8_t(address >> (8 * i));
    return lw::aes128Encrypt(root, block);
}

// DevAddr as Wireshark's key table wants it: hex of the wire (little-endian) bytes.
QString wireHex(std::uint32_t address)
{
    QByteArray bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = char(address >> (8 * i));
    return QString::fromLatin1(bytes.toHex().toUpper());
}

QString uatLine(std::uint32_t devAddr, const lw::SessionKeys& keys)
{
    return QStringLiteral("\"%1\",\"%2\",\"%3\",\"0000000000000000\"\n").arg(wireHex(devAddr), lw::formatKey(keys.nwkSKey), lw::formatKey(keys.appSKey));
}

lw::fragmentation::Version fragVersion(int fecVersion)
{
    return fecVersion == 1 ? lw::fragmentation::Version::V1 : lw::fragmentation::Version::V2;
}

// Descriptor of the fragmentation session (application-defined, u32 LE): the image
// version "a.b.c" as bytes a, b, c and the image format (0 raw, 1 signed, 2 delta, 3 signed delta).
std::uint32_t descriptorOf(const LorawanImageConfig& image)
{
    const QStringList parts = image.version.split(QLatin1Char('.'));
    std::uint32_t d = 0;
    for (int i = 0; i < 3; ++i)
        d |= std::uint32_t(std::uint8_t(i < parts.size() ? parts[i].toUInt() : 0u)) << (8 * i);
    return d | (std::uint32_t(image.format) << 24);
}

} // namespace

LorawanCaptureKeys LorawanCaptureKeys::derive(const lw::AesKey& root, std::uint32_t firstNode)
{
    LorawanCaptureKeys k;
    k.root = root;
    k.mcAddr = 0x26FFFFFEu - firstNode;
    k.mcKey = derivedKey(root, 0x10, k.mcAddr);
    k.multicast = lw::multicastsetup::multicastSessionKeys(k.mcKey, k.mcAddr);
    return k;
}

lw::SessionKeys LorawanCaptureKeys::unicast(std::uint32_t devAddr) const
{
    return {derivedKey(root, 0x01, devAddr), derivedKey(root, 0x02, devAddr)};
}

lw::AesKey LorawanCaptureKeys::genAppKey(std::uint32_t devAddr) const
{
    return derivedKey(root, 0x03, devAddr);
}

QByteArray LorawanCapture::dataBlockOf(const LorawanFleet& fleet)
{
    const LorawanDataBlock& data = fleet.dataBlock();
    QByteArray block = data.block + QByteArray(data.signatureReserve, '\0');
    block.resize(qsizetype(fleet.plan().imageBytes), '\0');
    return block;
}

LorawanCapture::LorawanCapture(const LorawanFleet& fleet) : m_fleet(fleet) {}

LorawanCapture::~LorawanCapture()
{
    finish();
}

Result<std::unique_ptr<LorawanCapture>> LorawanCapture::open(const LorawanFleet& fleet, const QString& dir)
{
    std::unique_ptr<LorawanCapture> c(new LorawanCapture(fleet));
    const FuotaPlan& plan = fleet.plan();
    c->m_keys = LorawanCaptureKeys::derive(*lw::parseKey(QString::fromLatin1(kLorawanCaptureRootKeyHex)), fleet.deviceNode(0));

    c->m_dataBlock = dataBlockOf(fleet);
    auto encoder = lw::FragEncoder::create(c->m_dataBlock, plan.fragmentSize,
                                           plan.fecVersion == 1 ? lw::FecVersion::V1 : lw::FecVersion::V2);
    if (!encoder)
        return fail(encoder.error());
    c->m_encoder.emplace(std::move(*encoder));

    const std::size_t n = fleet.deviceCount();
    c->m_fCntDown.assign(n, 0);
    c->m_mic.resize(n);
    // Multicast records: the mean downlink SNR of the devices each gateway serves (as the
    // fleet computes a device's multicast link: uplink SNR + power difference − bandwidth).
    const LorawanFleetConfig& config = fleet.config();
    const double boost = config.gateways.txPowerDbm - config.devices.txPowerDbm -
                         (plan.bandwidthHz > 125'000 ? 10.0 * std::log10(double(plan.bandwidthHz) / 125'000.0) : 0.0);
    for (const LorawanGateway& g : fleet.gateways()) {
        double sum = 0;
        for (const std::uint32_t i : g.served)
            sum += double(fleet.device(i).uplinkSnrDb[0]) + boost;
        c->m_gatewaySnr.push_back(g.served.empty() ? 0.0 : sum / double(g.served.size()));
    }

    const QDir out(dir);
    c->m_pcapPath = out.absoluteFilePath(QString::fromLatin1(kPcapName));
    c->m_keysPath = out.absoluteFilePath(QString::fromLatin1(kKeysName));
    QFile keys(c->m_keysPath);
    if (!keys.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return fail(QStringLiteral("cannot write %1: %2").arg(c->m_keysPath, keys.errorString()));
    // Wireshark's UAT file: one record per line, quoted fields dev_addr, nwkskey, appskey,
    // appeui (unused for ABP sessions; Wireshark 4.0 requires the field).
    QByteArray text = "# Wireshark encryption_keys_lorawan (LoRaWAN session keys) of a simulated OTA Lab run.\n"
                      "# TEST-ONLY keys derived from a fixed demo root key: never use them on a real network.\n"
                      "# Device address (hex, wire byte order), NwkSKey, AppSKey, AppEUI. The multicast group first.\n";
    text += uatLine(c->m_keys.mcAddr, c->m_keys.multicast).toLatin1();
    c->m_unicast.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t addr = c->m_keys.devAddr(fleet.deviceNode(i));
        c->m_unicast.push_back(c->m_keys.unicast(addr));
        text += uatLine(addr, c->m_unicast.back()).toLatin1();
    }
    if (keys.write(text) != text.size() || !keys.flush())
        return fail(QStringLiteral("cannot write %1: %2").arg(c->m_keysPath, keys.errorString()));

    c->m_stream.open(c->m_pcapPath.toStdString(), std::ios::binary | std::ios::trunc);
    if (!c->m_stream)
        return fail(QStringLiteral("cannot write %1").arg(c->m_pcapPath));
    c->m_writer = std::make_unique<lorawan::LoraTapWriter>(c->m_stream);
    return c;
}

double LorawanCapture::gatewaySnrDb(std::size_t gateway) const
{
    return gateway < m_gatewaySnr.size() ? m_gatewaySnr[gateway] : 0.0;
}

std::uint32_t LorawanCapture::gpsSeconds(SimTime t) const
{
    return kGpsSecondsAtZero + std::uint32_t(std::max<std::int64_t>(0, t.nanos() / 1'000'000'000));
}

std::uint8_t LorawanCapture::portOf(LorawanCommand command)
{
    switch (command) {
    case LorawanCommand::McGroupSetup:
    case LorawanCommand::McSession: return lw::multicastsetup::kPort;
    case LorawanCommand::FragSessionSetup:
    case LorawanCommand::FragStatus: return lw::fragmentation::kPort;
    case LorawanCommand::None: break;
    }
    return 0;
}

const std::array<std::uint8_t, 4>& LorawanCapture::dataBlockMic(std::size_t device) const
{
    auto& mic = m_mic[device];
    if (!mic) {
        const std::uint32_t addr = m_keys.devAddr(m_fleet.deviceNode(device));
        // v2: bound to the session's Descriptor; v1 (OTA Lab's convention, fuotadeviceintegrity.h):
        // Descriptor 0 in B0, the MIC itself travels in the Descriptor.
        const bool v2 = m_fleet.plan().fecVersion == 2;
        const lw::DataBlockSession session{0, 0, v2 ? descriptorOf(m_fleet.config().image) : 0u};
        mic = lw::serverDataBlockMic(m_keys.genAppKey(addr), session, m_dataBlock);
    }
    return *mic;
}

QByteArray LorawanCapture::commandPayload(std::size_t device, LorawanCommand command) const
{
    const FuotaPlan& plan = m_fleet.plan();
    const std::uint32_t addr = m_keys.devAddr(m_fleet.deviceNode(device));
    Result<QByteArray> bytes = QByteArray();
    switch (command) {
    case LorawanCommand::McGroupSetup: {
        namespace mc = lw::multicastsetup;
        mc::McGroupSetupReq req;
        req.mcAddr = m_keys.mcAddr;
        req.mcKeyEncrypted = mc::encryptMcKey(mc::mcKEKey(mc::mcRootKeyFromGenAppKey(m_keys.genAppKey(addr))), m_keys.mcKey);
        req.minMcFCnt = 0;
        req.maxMcFCnt = lw::kMaxFragmentCounter;   // McFCnt = the TS004 frame counter
        bytes = mc::encodeCommand(req);
        break;
    }
    case LorawanCommand::FragSessionSetup: {
        lw::fragmentation::FragSessionSetupReq req;
        req.mcGroupBitMask = 1;
        req.nbFrag = std::uint16_t(plan.fragments);
        req.fragSize = std::uint8_t(plan.fragmentSize);
        req.padding = std::uint8_t(plan.paddingBytes);
        const auto& mic = dataBlockMic(device);
        if (plan.fecVersion == 2) {
            req.descriptor = descriptorOf(m_fleet.config().image);
            req.ackReception = true;
            req.mic = mic;
        } else {   // v1: the device's MIC in the Descriptor (u32 LE = the MIC bytes in order)
            req.descriptor = std::uint32_t(mic[0]) | std::uint32_t(mic[1]) << 8 | std::uint32_t(mic[2]) << 16 |
                             std::uint32_t(mic[3]) << 24;
        }
        bytes = lw::fragmentation::encodeCommand(req, fragVersion(plan.fecVersion));
        break;
    }
    case LorawanCommand::McSession: {
        namespace mc = lw::multicastsetup;
        const std::uint32_t start = gpsSeconds(m_fleet.server().sessionStart());
        if (plan.classB) {
            mc::McClassBSessionReq req;
            req.sessionTime = start / 128 * 128;
            req.timeOut = std::uint8_t(plan.timeoutExponent);
            req.periodicity = std::uint8_t(m_fleet.config().campaign.pingSlotPeriodicity);
            req.dlFrequencyHz = plan.frequencyHz;
            req.dataRate = std::uint8_t(plan.multicastDataRate);
            bytes = mc::encodeCommand(req);
        } else {
            mc::McClassCSessionReq req;
            req.sessionTime = start;
            req.sessionTimeOut = std::uint8_t(plan.timeoutExponent);
            req.dlFrequencyHz = plan.frequencyHz;
            req.dataRate = std::uint8_t(plan.multicastDataRate);
            bytes = mc::encodeCommand(req);
        }
        break;
    }
    case LorawanCommand::FragStatus:
        bytes = lw::fragmentation::encodeCommand(lw::fragmentation::FragSessionStatusReq{}, fragVersion(plan.fecVersion));
        break;
    case LorawanCommand::None: break;
    }
    return bytes ? *bytes : QByteArray();
}

QByteArray LorawanCapture::answerPayload(std::size_t device, LorawanCommand answer, SimTime at) const
{
    const FuotaPlan& plan = m_fleet.plan();
    const LorawanDevice& d = m_fleet.device(device);
    Result<QByteArray> bytes = QByteArray();
    switch (answer) {
    case LorawanCommand::McGroupSetup:
        bytes = lw::multicastsetup::encodeCommand(lw::multicastsetup::McGroupSetupAns{});
        break;
    case LorawanCommand::FragSessionSetup: {
        lw::fragmentation::FragSessionSetupAns ans;
        ans.notEnoughMemory = std::uint64_t(m_fleet.config().devices.flashBytes) < m_fleet.dataBlock().flashNeeded();
        bytes = lw::fragmentation::encodeCommand(ans, fragVersion(plan.fecVersion));
        break;
    }
    case LorawanCommand::McSession: {
        const SimTime start = m_fleet.server().sessionStart();
        lw::multicastsetup::McSessionAnsFields f;
        f.timeToStart = std::uint32_t(std::clamp<std::int64_t>(start > at ? (start - at).nanos() / 1'000'000'000 : 0, 0, 0xFFFFFF));
        if (plan.classB) {
            lw::multicastsetup::McClassBSessionAns ans;
            static_cast<lw::multicastsetup::McSessionAnsFields&>(ans) = f;
            bytes = lw::multicastsetup::encodeCommand(ans);
        } else {
            lw::multicastsetup::McClassCSessionAns ans;
            static_cast<lw::multicastsetup::McSessionAnsFields&>(ans) = f;
            bytes = lw::multicastsetup::encodeCommand(ans);
        }
        break;
    }
    case LorawanCommand::FragStatus: {
        lw::fragmentation::FragSessionStatusAns ans;
        ans.nbFragReceived = std::uint16_t(std::min<std::uint32_t>(d.framesReceived, 16383));
        ans.missingFrag = std::uint8_t(std::min(d.fec.missingCount(), 255));
        bytes = lw::fragmentation::encodeCommand(ans, fragVersion(plan.fecVersion));
        break;
    }
    case LorawanCommand::None: break;
    }
    return bytes ? *bytes : QByteArray();
}

void LorawanCapture::uplink(std::size_t device, LorawanUplinkKind kind, LorawanCommand answer, const LorawanCaptureRadio& radio,
                            double deviceClockErrorS)
{
    if (m_finished)
        return;
    const LorawanDevice& d = m_fleet.device(device);
    lw::DataFrame f;
    f.mtype = lw::MType::UnconfirmedDataUp;
    f.devAddr = m_keys.devAddr(m_fleet.deviceNode(device));
    f.fctrl.adr = !m_fleet.config().devices.dataRate;   // "auto" data rate: ADR on
    f.fCnt = d.uplinks > 0 ? d.uplinks - 1 : 0;
    switch (kind) {
    case LorawanUplinkKind::Sensor: {
        const int size = m_fleet.config().devices.appPayloadBytes;
        if (size > 0) {
            f.fPort = kSensorPort;
            f.frmPayload.resize(size);
            for (int k = 0; k < size; ++k)
                f.frmPayload[k] = char(std::uint8_t(f.fCnt * 7u + std::uint32_t(k) * 13u + std::uint32_t(device)));
        }
        break;
    }
    case LorawanUplinkKind::Answer:
        f.fPort = portOf(answer);
        f.frmPayload = answerPayload(device, answer, radio.at);
        break;
    case LorawanUplinkKind::AppTime: {
        lw::clocksync::AppTimeReq req;
        req.deviceTime = std::uint32_t(std::int64_t(gpsSeconds(radio.at)) + std::llround(deviceClockErrorS));
        req.ansRequired = true;
        f.fPort = lw::clocksync::kPort;
        f.frmPayload = *lw::clocksync::encodeCommand(req);
        break;
    }
    case LorawanUplinkKind::DataBlockReceived: {
        // TS004 v2's message; a v1 session sends the same (seed 004's check, v1 has none).
        lw::fragmentation::FragDataBlockReceivedReq req;
        req.micError = d.corrupted;
        f.fPort = lw::fragmentation::kPort;
        f.frmPayload = *lw::fragmentation::encodeCommand(req, lw::fragmentation::Version::V2);
        break;
    }
    }
    if (f.frmPayload.isEmpty() && kind != LorawanUplinkKind::Sensor)
        return;
    auto bytes = lw::encodeDataFrame(f, m_unicast[device]);
    if (bytes)
        record(radio, std::move(*bytes));
    flushBefore(radio.at);
}

void LorawanCapture::downlink(std::size_t device, LorawanDownlinkKind kind, LorawanCommand command,
                              const LorawanCaptureRadio& radio, double clockErrorS)
{
    if (m_finished)
        return;
    lw::DataFrame f;
    f.mtype = lw::MType::UnconfirmedDataDown;
    f.devAddr = m_keys.devAddr(m_fleet.deviceNode(device));
    f.fctrl.adr = !m_fleet.config().devices.dataRate;
    f.fCnt = m_fCntDown[device]++;
    switch (kind) {
    case LorawanDownlinkKind::Command:
        f.fPort = portOf(command);
        f.frmPayload = commandPayload(device, command);
        break;
    case LorawanDownlinkKind::AppTime: {
        lw::clocksync::AppTimeAns ans;
        ans.timeCorrection = std::int32_t(-std::llround(clockErrorS));
        f.fPort = lw::clocksync::kPort;
        f.frmPayload = *lw::clocksync::encodeCommand(ans);
        break;
    }
    case LorawanDownlinkKind::DataBlockReceived:
        f.fPort = lw::fragmentation::kPort;
        f.frmPayload = *lw::fragmentation::encodeCommand(lw::fragmentation::FragDataBlockReceivedAns{},
                                                         lw::fragmentation::Version::V2);
        break;
    }
    if (f.frmPayload.isEmpty())
        return;
    if (auto bytes = lw::encodeDataFrame(f, m_unicast[device]))
        record(radio, std::move(*bytes));
}

void LorawanCapture::multicast(std::size_t, int n, const LorawanCaptureRadio& radio)
{
    if (m_finished || n < 1 || n > int(lw::kMaxFragmentCounter))
        return;
    if (n != m_lastMulticastN) {
        lw::DataFrame f;
        f.mtype = lw::MType::UnconfirmedDataDown;
        f.devAddr = m_keys.mcAddr;
        f.fCnt = std::uint32_t(n);
        f.fPort = lw::fragmentation::kPort;
        auto fragment = lw::encodeDataFragment({0, std::uint16_t(n), m_encoder->frame(std::uint32_t(n))});
        if (!fragment)
            return;
        f.frmPayload = *fragment;
        auto bytes = lw::encodeDataFrame(f, m_keys.multicast);
        if (!bytes)
            return;
        m_lastMulticastN = n;
        m_lastMulticast = std::move(*bytes);
    }
    record(radio, m_lastMulticast);
    flushBefore(radio.at);
}

void LorawanCapture::forgedMulticast(std::size_t, int n, const LorawanCaptureRadio& radio)
{
    if (m_finished || n < 1 || n > int(lw::kMaxFragmentCounter))
        return;
    QByteArray wrong = m_encoder->frame(std::uint32_t(n));
    for (char& b : wrong)
        b = char(~b);
    lw::DataFrame f;
    f.mtype = lw::MType::UnconfirmedDataDown;
    f.devAddr = m_keys.mcAddr;
    f.fCnt = std::uint32_t(n);
    f.fPort = lw::fragmentation::kPort;
    auto fragment = lw::encodeDataFragment({0, std::uint16_t(n), wrong});
    if (!fragment)
        return;
    f.frmPayload = *fragment;
    if (auto bytes = lw::encodeDataFrame(f, m_keys.multicast))
        record(radio, std::move(*bytes));
}

namespace {
struct Later {
    template <class P>
    bool operator()(const P& a, const P& b) const
    {
        return a.radio.at != b.radio.at ? a.radio.at > b.radio.at : a.sequence > b.sequence;
    }
};
} // namespace

void LorawanCapture::record(const LorawanCaptureRadio& radio, QByteArray phyPayload)
{
    m_pending.push_back(Pending{radio, m_sequence++, std::move(phyPayload)});
    std::push_heap(m_pending.begin(), m_pending.end(), Later{});
}

void LorawanCapture::flushBefore(SimTime t)
{
    while (!m_pending.empty() && m_pending.front().radio.at <= t) {
        std::pop_heap(m_pending.begin(), m_pending.end(), Later{});
        const Pending& p = m_pending.back();
        lorawan::LoraTapInfo info;
        info.frequencyHz = p.radio.frequencyHz;
        info.bandwidthHz = p.radio.bandwidthHz;
        info.spreadingFactor = p.radio.spreadingFactor;
        info.rssiDbm = p.radio.snrDb + LorawanFleetPhy::noiseFloorDbm(p.radio.bandwidthHz, m_fleet.config().radio.noiseFigureDb);
        info.snrDb = p.radio.snrDb;
        m_writer->write(p.radio.at + SimTime::fromSeconds(double(kUnixSecondsAtZero)), info, p.bytes);
        ++m_written;
        m_pending.pop_back();
    }
}

void LorawanCapture::finish()
{
    if (m_finished || !m_writer)
        return;
    flushBefore(SimTime::max());
    m_finished = true;
    m_stream.flush();
    m_stream.close();
}

} // namespace otalab::sim
