// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fuotaserverframes.h"

#include "core/lorawan/fuotadeviceintegrity.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace otalab::core::lorawan {

namespace fr = fragmentation;
namespace mc = multicastsetup;

Result<FuotaServerFrames> FuotaServerFrames::create(FuotaCampaignFramesConfig config, std::vector<FuotaEndDeviceKeys> devices)
{
    if (devices.empty())
        return fail(Error::at(-1, QStringLiteral("devices"), QStringLiteral("a campaign needs at least one device")));
    QSet<std::uint32_t> seen;
    for (const auto& d : devices) {
        if (seen.contains(d.devAddr))
            return fail(Error::at(-1, QStringLiteral("devices.devAddr"), QStringLiteral("DevAddr %1 appears twice").arg(formatDevAddr(d.devAddr))));
        if (d.devAddr == config.mcAddr)
            return fail(Error::at(-1, QStringLiteral("mcAddr"), QStringLiteral("McAddr %1 is also a device's DevAddr").arg(formatDevAddr(d.devAddr))));
        seen.insert(d.devAddr);
    }
    auto encoder = FragEncoder::create(config.dataBlock, config.fragmentSize,
                                       config.version == fr::Version::V2 ? FecVersion::V2 : FecVersion::V1);
    if (!encoder)
        return fail(encoder.error());
    const std::uint64_t frames = std::uint64_t(encoder->fragmentCount()) + config.parityFrames;
    if (frames > kMaxFragmentCounter)
        return fail(Error::at(-1, QStringLiteral("parityFrames"), QStringLiteral("%1 fragments + %2 parity frames exceed the 14-bit counter (16383)")
                                                                      .arg(encoder->fragmentCount()).arg(config.parityFrames)));
    const std::uint64_t defaultMax = std::uint64_t(config.minMcFCnt) + frames + 255;
    const std::uint64_t maxMc = config.maxMcFCnt ? *config.maxMcFCnt : std::min<std::uint64_t>(defaultMax, 0xffffffffu);
    if (maxMc < std::uint64_t(config.minMcFCnt) + frames - 1)
        return fail(Error::at(-1, QStringLiteral("maxMcFCnt"), QStringLiteral("the McFCnt window [%1, %2] cannot carry %3 frames")
                                                                   .arg(config.minMcFCnt).arg(maxMc).arg(frames)));
    return FuotaServerFrames(std::move(config), std::move(devices), std::move(*encoder), std::uint32_t(maxMc));
}

FuotaServerFrames::FuotaServerFrames(FuotaCampaignFramesConfig config, std::vector<FuotaEndDeviceKeys> devices,
                                     FragEncoder encoder, std::uint32_t maxMcFCnt)
    : m_config(std::move(config)), m_devices(std::move(devices)), m_progress(m_devices.size()), m_pending(m_devices.size()),
      m_encoder(std::move(encoder)), m_mcKeys(mc::multicastSessionKeys(m_config.mcKey, m_config.mcAddr)),
      m_maxMcFCnt(maxMcFCnt), m_nextMcFCnt(m_config.minMcFCnt)
{
    for (std::size_t i = 0; i < m_devices.size(); ++i)
        m_progress[i].nextFCntDown = m_devices[i].firstFCntDown;
}

std::optional<std::size_t> FuotaServerFrames::deviceIndex(std::uint32_t devAddr) const
{
    for (std::size_t i = 0; i < m_devices.size(); ++i)
        if (m_devices[i].devAddr == devAddr)
            return i;
    return std::nullopt;
}

// --- The commands ------------------------------------------------------------------

mc::McGroupSetupReq FuotaServerFrames::groupSetupFor(std::size_t index) const
{
    mc::McGroupSetupReq req;
    req.mcGroupId = m_config.mcGroupId;
    req.mcAddr = m_config.mcAddr;
    req.mcKeyEncrypted = mc::encryptMcKey(mc::mcKEKey(mc::mcRootKeyFromGenAppKey(m_devices[index].genAppKey)), m_config.mcKey);
    req.minMcFCnt = m_config.minMcFCnt;
    req.maxMcFCnt = m_maxMcFCnt;
    return req;
}

DataBlockMic FuotaServerFrames::dataBlockMicFor(std::size_t index) const
{
    return fuotaExpectedMic(fragSetupFor(index), m_config.version);
}

fr::FragSessionSetupReq FuotaServerFrames::fragSetupFor(std::size_t index) const
{
    fr::FragSessionSetupReq req;
    req.fragIndex = m_config.fragIndex;
    req.mcGroupBitMask = std::uint8_t(1u << m_config.mcGroupId);
    req.nbFrag = std::uint16_t(m_encoder.fragmentCount());
    req.fragSize = std::uint8_t(m_encoder.fragmentSize());
    req.padding = std::uint8_t(m_encoder.padding());
    req.blockAckDelay = m_config.blockAckDelay;
    const AesKey& root = m_devices[index].genAppKey;
    if (m_config.version == fr::Version::V2) {
        req.ackReception = true;
        req.descriptor = m_config.descriptor;
        req.sessionCnt = m_config.sessionCnt;
        req.mic = serverDataBlockMic(root, DataBlockSession{req.sessionCnt, req.fragIndex, req.descriptor}, m_config.dataBlock);
    } else {
        req.descriptor = fuotaV1MicDescriptor(root, req.fragIndex, m_config.dataBlock);
    }
    return req;
}

// --- Unicast -------------------------------------------------------------------------

Result<QByteArray> FuotaServerFrames::unicast(std::size_t index, std::uint8_t port, const std::vector<PackageCommand>& commands)
{
    if (index >= m_devices.size())
        return fail(Error::at(-1, QStringLiteral("device"), QStringLiteral("index %1 out of %2 devices").arg(index).arg(m_devices.size())));
    auto payload = encodeFuotaPayload(port, commands, m_config.version);
    if (!payload)
        return fail(payload.error());
    DataFrame frame;
    frame.mtype = MType::UnconfirmedDataDown;
    frame.devAddr = m_devices[index].devAddr;
    frame.fCnt = m_progress[index].nextFCntDown;
    frame.fPort = port;
    frame.frmPayload = *payload;
    auto bytes = encodeDataFrame(frame, m_devices[index].session);
    if (bytes)
        ++m_progress[index].nextFCntDown;
    return bytes;
}

Result<QByteArray> FuotaServerFrames::mcGroupSetupReq(std::size_t index)
{
    return unicast(index, mc::kPort, {mc::Command{groupSetupFor(index)}});
}

Result<QByteArray> FuotaServerFrames::fragSessionSetupReq(std::size_t index)
{
    return unicast(index, fr::kPort, {fr::Command{fragSetupFor(index)}});
}

Result<QByteArray> FuotaServerFrames::mcSessionReq(std::size_t index)
{
    if (m_config.classB) {
        mc::McClassBSessionReq req;
        req.mcGroupId = m_config.mcGroupId;
        req.sessionTime = m_config.sessionTimeGps;
        req.timeOut = m_config.sessionTimeOut;
        req.periodicity = m_config.pingSlotPeriodicity;
        req.dlFrequencyHz = m_config.dlFrequencyHz;
        req.dataRate = m_config.dataRate;
        return unicast(index, mc::kPort, {mc::Command{req}});
    }
    mc::McClassCSessionReq req;
    req.mcGroupId = m_config.mcGroupId;
    req.sessionTime = m_config.sessionTimeGps;
    req.sessionTimeOut = m_config.sessionTimeOut;
    req.dlFrequencyHz = m_config.dlFrequencyHz;
    req.dataRate = m_config.dataRate;
    return unicast(index, mc::kPort, {mc::Command{req}});
}

Result<QByteArray> FuotaServerFrames::fragSessionStatusReq(std::size_t index, bool allParticipants)
{
    return unicast(index, fr::kPort, {fr::Command{fr::FragSessionStatusReq{m_config.fragIndex, allParticipants}}});
}

Result<QByteArray> FuotaServerFrames::fragDataBlockReceivedAns(std::size_t index)
{
    return unicast(index, fr::kPort, {fr::Command{fr::FragDataBlockReceivedAns{m_config.fragIndex}}});
}

Result<QByteArray> FuotaServerFrames::mcGroupDeleteReq(std::size_t index)
{
    return unicast(index, mc::kPort, {mc::Command{mc::McGroupDeleteReq{m_config.mcGroupId}}});
}

Result<QByteArray> FuotaServerFrames::fragSessionDeleteReq(std::size_t index)
{
    return unicast(index, fr::kPort, {fr::Command{fr::FragSessionDeleteReq{m_config.fragIndex}}});
}

// --- Multicast -----------------------------------------------------------------------

Result<QByteArray> FuotaServerFrames::multicast(std::uint8_t port, const std::vector<PackageCommand>& commands)
{
    if (m_nextMcFCnt > m_maxMcFCnt || m_nextMcFCnt == std::numeric_limits<std::uint32_t>::max())
        return fail(Error::at(-1, QStringLiteral("McFCnt"), QStringLiteral("the group's McFCnt window [%1, %2] is used up")
                                                                .arg(m_config.minMcFCnt).arg(m_maxMcFCnt)));
    auto payload = encodeFuotaPayload(port, commands, m_config.version);
    if (!payload)
        return fail(payload.error());
    DataFrame frame;
    frame.mtype = MType::UnconfirmedDataDown;
    frame.devAddr = m_config.mcAddr;
    frame.fCnt = m_nextMcFCnt;
    frame.fPort = port;
    frame.frmPayload = *payload;
    auto bytes = encodeDataFrame(frame, m_mcKeys);
    if (bytes)
        ++m_nextMcFCnt;
    return bytes;
}

Result<QByteArray> FuotaServerFrames::dataFragmentFrame(std::uint32_t n)
{
    if (n < 1 || n > kMaxFragmentCounter)
        return fail(Error::at(-1, QStringLiteral("DataFragment.N"), QStringLiteral("frame %1 is outside 1..16383").arg(n)));
    DataFragment fragment{m_config.fragIndex, std::uint16_t(n), m_encoder.frame(n)};
    return multicast(fr::kPort, {fr::Command{fragment}});
}

Result<QByteArray> FuotaServerFrames::multicastStatusReq(bool allParticipants)
{
    return multicast(fr::kPort, {fr::Command{fr::FragSessionStatusReq{m_config.fragIndex, allParticipants}}});
}

// --- Uplinks -------------------------------------------------------------------------

Result<FuotaServerFrames::Uplink> FuotaServerFrames::onUplink(QByteArrayView phyPayload, std::int64_t serverGpsS)
{
    auto parsed = parseDataFrame(phyPayload);
    if (!parsed)
        return fail(parsed.error());
    if (parsed->direction() != Direction::Uplink)
        return fail(Error::at(0, QStringLiteral("MHDR.MType"), QStringLiteral("%1 is not an uplink").arg(mtypeName(parsed->mtype))));
    const auto index = deviceIndex(parsed->devAddr);
    if (!index)
        return fail(Error::at(1, QStringLiteral("FHDR.DevAddr"),
                              QStringLiteral("uplink from DevAddr %1, which is not in this campaign").arg(formatDevAddr(parsed->devAddr))));
    FuotaDeviceProgress& p = m_progress[*index];
    auto frame = openDataFrame(phyPayload, m_devices[*index].session, p.lastFCntUp, m_devices[*index].devAddr);
    if (!frame) {
        ++p.refusedUplinks;
        return fail(frame.error());
    }
    p.lastFCntUp = frame->fCnt;
    Uplink up{*index, frame->fCnt, frame->fPort, {}};
    if (!frame->fPort || (*frame->fPort != 200 && *frame->fPort != 201 && *frame->fPort != 202)) {
        ++p.uplinks;
        return up;  // an application uplink: it opened the class A windows, nothing for FUOTA
    }
    auto commands = parseFuotaPayload(*frame->fPort, Direction::Uplink, frame->frmPayload, m_config.version);
    if (!commands) {
        ++p.refusedUplinks;
        return fail(commands.error());
    }
    ++p.uplinks;
    for (const PackageCommand& c : *commands) {
        if (auto* a = commandAs<mc::McGroupSetupAns>(c))
            p.groupSetup = *a;
        else if (auto* a = commandAs<fr::FragSessionSetupAns>(c))
            p.fragSetup = *a;
        else if (auto* a = commandAs<mc::McClassCSessionAns>(c))
            p.session = *a;
        else if (auto* a = commandAs<mc::McClassBSessionAns>(c))
            p.session = *a;
        else if (auto* a = commandAs<fr::FragSessionStatusAns>(c))
            p.status = *a;
        else if (auto* a = commandAs<mc::McGroupDeleteAns>(c))
            p.groupDelete = *a;
        else if (auto* a = commandAs<fr::FragSessionDeleteAns>(c))
            p.fragDelete = *a;
        else if (auto* a = commandAs<fr::FragDataBlockReceivedReq>(c)) {
            p.dataBlock = *a;
            if (!a->micError && a->fragIndex == m_config.fragIndex) {
                m_pending[*index].push_back(fr::Command{fr::FragDataBlockReceivedAns{a->fragIndex}});
                p.dataBlockAcknowledged = true;
            }
        } else if (auto* a = commandAs<clocksync::AppTimeReq>(c)) {
            const std::int64_t correction = serverGpsS - std::int64_t(a->deviceTime);
            const auto clamped = std::int32_t(std::clamp<std::int64_t>(correction, std::numeric_limits<std::int32_t>::min(),
                                                                        std::numeric_limits<std::int32_t>::max()));
            if (a->ansRequired || clamped != 0) {
                m_pending[*index].push_back(clocksync::Command{clocksync::AppTimeAns{clamped, a->tokenReq}});
                p.lastTimeCorrection = clamped;
            }
        }
        up.commands.push_back(c);
    }
    return up;
}

std::optional<QByteArray> FuotaServerFrames::nextDownlink(std::size_t index)
{
    auto& queue = m_pending[index];
    if (queue.empty())
        return std::nullopt;
    const std::uint8_t port = portOf(queue.front());
    std::vector<PackageCommand> commands{queue.front()};
    queue.pop_front();
    // FragDataBlockReceivedAns travels alone (v1 rule); otherwise answers of a port share a frame.
    const bool alone = commandAs<fr::FragDataBlockReceivedAns>(commands.front()) != nullptr;
    while (!alone && !queue.empty() && portOf(queue.front()) == port && !commandAs<fr::FragDataBlockReceivedAns>(queue.front())) {
        commands.push_back(queue.front());
        queue.pop_front();
    }
    auto bytes = unicast(index, port, commands);
    if (!bytes)
        return std::nullopt;
    return *bytes;
}

} // namespace otalab::core::lorawan
