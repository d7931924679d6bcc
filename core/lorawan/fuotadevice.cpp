// SPDX-License-Identifier: Apache-2.0
// FuotaDevice: frames in and out, counters, keys, the clock and the state. The package
// commands themselves are executed in fuotadevicecommands.cpp.
#include "core/lorawan/fuotadevice.h"

#include "core/lorawan/fuotadevicesession.h"
#include "core/lorawan/fuotadeviceintegrity.h"

#include <QStringList>

#include <algorithm>

namespace otalab::core::lorawan {

QString FuotaDevice::stateName(State state)
{
    switch (state) {
    case State::Idle: return QStringLiteral("idle");
    case State::GroupSetUp: return QStringLiteral("group set up");
    case State::SessionSetUp: return QStringLiteral("session set up");
    case State::InSession: return QStringLiteral("in session");
    case State::Reassembled: return QStringLiteral("reassembled");
    case State::Verifying: return QStringLiteral("verifying");
    case State::Committed: return QStringLiteral("committed");
    case State::Rejected: return QStringLiteral("rejected");
    }
    return QStringLiteral("?");
}

Result<FuotaDevice> FuotaDevice::create(FuotaDeviceConfig config)
{
    if (config.flashCapacity <= 0)
        return fail(Error::at(-1, QStringLiteral("flashCapacity"), QStringLiteral("must be > 0 bytes, got %1").arg(config.flashCapacity)));
    if (config.runningImage.size() > config.flashCapacity)
        return fail(Error::at(-1, QStringLiteral("runningImage"), QStringLiteral("%1 bytes do not fit the flash (%2 bytes)")
                                                                    .arg(config.runningImage.size()).arg(config.flashCapacity)));
    if (config.maxUplinkPayload < 2 || config.maxUplinkPayload > 242)
        return fail(Error::at(-1, QStringLiteral("maxUplinkPayload"), QStringLiteral("must be 2..242 bytes, got %1").arg(config.maxUplinkPayload)));
    return FuotaDevice(std::move(config));
}

FuotaDevice::FuotaDevice(FuotaDeviceConfig config)
    : m_config(std::move(config)), m_fCntUp(m_config.firstFCntUp), m_lastFCntDown(m_config.lastFCntDown)
{
    if (m_config.syncClockAtStart)
        queue(clocksync::kPort, clocksync::Command{clocksync::AppTimeReq{}});
}

FuotaDevice::FuotaDevice(FuotaDevice&&) noexcept = default;
FuotaDevice& FuotaDevice::operator=(FuotaDevice&&) noexcept = default;
FuotaDevice::~FuotaDevice() = default;

std::int64_t FuotaDevice::networkTimeS(qint64 nowMs) const
{
    const qint64 ms = nowMs + m_correctionMs;
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void FuotaDevice::log(Event::Kind kind, QString text)
{
    if (m_config.maxEvents > 0 && m_events.size() >= m_config.maxEvents)
        m_events.erase(m_events.begin(), m_events.begin() + std::ptrdiff_t(m_events.size() / 2));
    m_events.push_back(Event{m_nowMs, kind, std::move(text)});
}

Error FuotaDevice::refuse(Error error)
{
    log(Event::Kind::Refusal, error.message);
    return error;
}

QString FuotaDevice::lastRefusal() const
{
    for (auto it = m_events.rbegin(); it != m_events.rend(); ++it)
        if (it->kind == Event::Kind::Refusal)
            return it->text;
    return {};
}

void FuotaDevice::setState(State state, qint64 atMs)
{
    if (state == m_state)
        return;
    const qint64 now = m_nowMs;
    m_nowMs = atMs;
    log(Event::Kind::StateChange, stateName(m_state) + QStringLiteral(" → ") + stateName(state));
    m_nowMs = now;
    m_state = state;
}

void FuotaDevice::queue(std::uint8_t port, PackageCommand command)
{
    m_uplinkQueue.push_back(Queued{port, std::move(command)});
}

std::optional<FuotaDevice::Group> FuotaDevice::group(std::uint8_t mcGroupId) const
{
    return mcGroupId < m_groups.size() ? m_groups[mcGroupId] : std::nullopt;
}

std::optional<FragDecoder::Status> FuotaDevice::sessionStatus(std::uint8_t fragIndex) const
{
    if (fragIndex >= m_sessions.size() || !m_sessions[fragIndex])
        return std::nullopt;
    return m_sessions[fragIndex]->decoder.status();
}

// --- The clock -------------------------------------------------------------------

bool FuotaDevice::classCWindowOpen() const { return m_windowOpen; }

void FuotaDevice::advanceTo(qint64 nowMs)
{
    m_nowMs = std::max(m_nowMs, nowMs);
    const std::int64_t t = networkTimeS(m_nowMs);
    bool open = false;
    for (const auto& g : m_groups)
        if (g && g->sessionStartS && t >= *g->sessionStartS && t < g->sessionEndS)
            open = true;
    if (open == m_windowOpen)
        return;
    m_windowOpen = open;
    QString text = open ? QStringLiteral("multicast session window opened (network time %1 s)").arg(t)
                        : QStringLiteral("multicast session window closed (network time %1 s)").arg(t);
    if (!open) {
        for (std::size_t i = 0; i < m_sessions.size(); ++i)
            if (m_sessions[i] && !m_sessions[i]->decoder.isComplete())
                text += QStringLiteral("; session %1 still misses %2 of %3 fragments")
                            .arg(i).arg(m_sessions[i]->decoder.missingCount()).arg(m_sessions[i]->setup.nbFrag);
    }
    log(Event::Kind::StateChange, text);
}

std::optional<qint64> FuotaDevice::nextTimerMs() const
{
    std::optional<qint64> next;
    auto consider = [&](std::int64_t gpsS) {
        const qint64 ms = qint64(gpsS) * 1000 - m_correctionMs;
        if (ms > m_nowMs && (!next || ms < *next))
            next = ms;
    };
    for (const auto& g : m_groups)
        if (g && g->sessionStartS) {
            consider(*g->sessionStartS);
            consider(g->sessionEndS);
        }
    return next;
}

// --- Downlinks -------------------------------------------------------------------

Result<void> FuotaDevice::openDownlink(QByteArrayView phyPayload, DataFrame& out, std::optional<std::uint8_t>& viaGroup)
{
    auto frame = parseDataFrame(phyPayload);
    if (!frame)
        return fail(Error::at(frame.error().offset, frame.error().field,
                              QStringLiteral("malformed frame: %1").arg(frame.error().message)));
    if (frame->direction() != Direction::Downlink)
        return fail(Error::at(0, QStringLiteral("MHDR.MType"),
                              QStringLiteral("%1 is not a downlink data frame").arg(mtypeName(frame->mtype))));
    if (frame->devAddr == m_config.devAddr) {
        auto opened = openDataFrame(phyPayload, m_config.session, m_lastFCntDown, m_config.devAddr);
        if (!opened)
            return fail(opened.error());
        m_lastFCntDown = opened->fCnt;
        out = std::move(*opened);
        viaGroup.reset();
        return {};
    }
    for (std::uint8_t id = 0; id < m_groups.size(); ++id) {
        auto& g = m_groups[id];
        if (!g || g->setup.mcAddr != frame->devAddr)
            continue;
        const QString prefix = QStringLiteral("multicast group %1 (McAddr %2): ").arg(id).arg(formatDevAddr(g->setup.mcAddr));
        auto withPrefix = [&](const Error& e) { return Error::at(e.offset, e.field, prefix + e.message); };
        if (frame->mtype != MType::UnconfirmedDataDown)
            return fail(withPrefix(Error::at(0, QStringLiteral("MHDR.MType"),
                                             QStringLiteral("%1: multicast frames are unconfirmed").arg(mtypeName(frame->mtype)))));
        if (!m_windowOpen || !g->sessionStartS) {
            return fail(withPrefix(Error::at(-1, QStringLiteral("session"),
                                             g->sessionStartS ? QStringLiteral("frame outside the multicast session window [%1, %2) s "
                                                                               "(device network time %3 s): the radio is not listening")
                                                                    .arg(*g->sessionStartS).arg(g->sessionEndS).arg(networkTimeS(m_nowMs))
                                                              : QStringLiteral("frame before any McClassCSessionReq: the radio is not listening"))));
        }
        auto fCnt = multicastsetup::reconstructMcFCnt(std::uint16_t(frame->fCnt), g->lastMcFCnt, g->setup);
        if (!fCnt)
            return fail(withPrefix(fCnt.error()));
        if (auto ok = verifyMic(phyPayload, *frame, g->keys.nwkSKey, *fCnt); !ok)
            return fail(withPrefix(ok.error()));
        frame->frmPayload = decryptPayload(*frame, g->keys, *fCnt);
        frame->fCnt = *fCnt;
        g->lastMcFCnt = *fCnt;
        out = std::move(*frame);
        viaGroup = id;
        return {};
    }
    return fail(Error::at(1, QStringLiteral("FHDR.DevAddr"),
                          QStringLiteral("frame for DevAddr %1: neither this device (%2) nor a multicast group it is in")
                              .arg(formatDevAddr(frame->devAddr), formatDevAddr(m_config.devAddr))));
}

namespace {

// What a multicast group may carry: the data and the status poll. Everything that sets
// up or tears down state (keys, sessions) must come over the device's own session, so
// an attacker holding only the multicast keys cannot reconfigure it.
bool allowedOverMulticast(const PackageCommand& c)
{
    return commandAs<DataFragment>(c) || commandAs<fragmentation::FragSessionStatusReq>(c);
}

} // namespace

Result<void> FuotaDevice::onDownlink(QByteArrayView phyPayload, qint64 nowMs)
{
    advanceTo(nowMs);
    DataFrame frame;
    std::optional<std::uint8_t> viaGroup;
    if (auto opened = openDownlink(phyPayload, frame, viaGroup); !opened)
        return fail(refuse(opened.error()));
    if (!frame.fPort)
        return {};  // an empty downlink (ACK / FPending / FOpts): nothing for the packages
    const std::uint8_t port = *frame.fPort;
    if (port != clocksync::kPort && port != multicastsetup::kPort && port != fragmentation::kPort)
        return fail(refuse(Error::at(8, QStringLiteral("FPort"),
                                     QStringLiteral("FPort %1 is no FUOTA package (200, 201, 202): payload ignored").arg(port))));
    auto commands = parseFuotaPayload(port, Direction::Downlink, frame.frmPayload, m_config.fragVersion);
    if (!commands) {
        const Error& e = commands.error();
        return fail(refuse(Error::at(e.offset, e.field, QStringLiteral("corrupted %1: %2 (FPort %3, whole frame ignored)")
                                                            .arg(fuotaCommandOfError(port, e), e.toString()).arg(port))));
    }
    for (const PackageCommand& c : *commands) {
        if (viaGroup && !allowedOverMulticast(c)) {
            refuse(Error::plain(QStringLiteral("%1 over multicast group %2 refused: only DataFragment and FragSessionStatusReq "
                                               "may come over a multicast group").arg(commandName(c)).arg(*viaGroup)));
            continue;
        }
        execute(c, viaGroup);
    }
    return {};
}

// --- Uplinks ---------------------------------------------------------------------

bool FuotaDevice::hasPendingUplink() const { return !m_uplinkQueue.empty(); }

namespace {

// Commands that travel alone in their uplink: AppTimeReq (its DeviceTime is the send
// time of that frame) and the data-block report (alone on v1, see fuotadeviceintegrity.h).
bool travelsAlone(const PackageCommand& c)
{
    return commandAs<clocksync::AppTimeReq>(c) || commandAs<fragmentation::FragDataBlockReceivedReq>(c);
}

} // namespace

QByteArray FuotaDevice::nextUplink(qint64 nowMs)
{
    advanceTo(nowMs);
    // TS003: an unanswered AppTimeReq is sent again (same token) after a few uplinks.
    if (m_appTimePending && m_config.appTimeRetryUplinks > 0 && ++m_uplinksSinceAppTimeReq > m_config.appTimeRetryUplinks
        && std::none_of(m_uplinkQueue.begin(), m_uplinkQueue.end(),
                        [](const Queued& q) { return commandAs<clocksync::AppTimeReq>(q.command) != nullptr; })) {
        log(Event::Kind::Command, QStringLiteral("no AppTimeAns after %1 uplinks: AppTimeReq again").arg(m_config.appTimeRetryUplinks));
        queue(clocksync::kPort, clocksync::Command{clocksync::AppTimeReq{}});
    }
    // The data-block report is sent again while its answer does not come (uplink or answer lost).
    if (m_state == State::Verifying && m_verifyingIndex && m_config.reportRetryUplinks > 0
        && ++m_uplinksSinceReport > m_config.reportRetryUplinks
        && std::none_of(m_uplinkQueue.begin(), m_uplinkQueue.end(), [](const Queued& q) {
               return commandAs<fragmentation::FragDataBlockReceivedReq>(q.command) != nullptr;
           })) {
        log(Event::Kind::Command, QStringLiteral("no FragDataBlockReceivedAns after %1 uplinks: data block reported again").arg(m_config.reportRetryUplinks));
        queue(fragmentation::kPort, fragmentation::Command{fragmentation::FragDataBlockReceivedReq{*m_verifyingIndex, false}});
    }
    DataFrame frame;
    frame.mtype = MType::UnconfirmedDataUp;
    frame.devAddr = m_config.devAddr;
    frame.fCnt = m_fCntUp++;
    std::vector<PackageCommand> sent;
    QByteArray payload;
    std::uint8_t port = 0;
    while (!m_uplinkQueue.empty()) {
        Queued& next = m_uplinkQueue.front();
        if (!sent.empty() && (next.port != port || travelsAlone(next.command) || travelsAlone(sent.front())))
            break;
        PackageCommand command = next.command;
        if (auto* req = commandAs<clocksync::AppTimeReq>(command)) {
            clocksync::AppTimeReq filled = *req;
            filled.deviceTime = std::uint32_t(networkTimeS(m_nowMs));
            filled.tokenReq = m_tokenReq;
            filled.ansRequired = true;
            command = clocksync::Command{filled};
            m_appTimePending = true;
            m_uplinksSinceAppTimeReq = 0;
        }
        auto bytes = encodeFuotaPayload(next.port, {command}, m_config.fragVersion);
        if (!bytes) {  // cannot happen for the answers this machine builds; dropped, logged
            log(Event::Kind::Refusal, QStringLiteral("answer %1 not sent: %2").arg(commandName(command), bytes.error().toString()));
            m_uplinkQueue.pop_front();
            continue;
        }
        if (!sent.empty() && payload.size() + bytes->size() > m_config.maxUplinkPayload)
            break;
        port = next.port;
        payload += *bytes;
        sent.push_back(command);
        m_uplinkQueue.pop_front();
    }
    if (!sent.empty()) {
        frame.fPort = port;
        frame.frmPayload = payload;
        QStringList names;
        for (const PackageCommand& c : sent)
            names << describeCommand(c);
        log(Event::Kind::Uplink, QStringLiteral("uplink FCnt %1 FPort %2: %3").arg(frame.fCnt).arg(port).arg(names.join(QStringLiteral("; "))));
        for (const PackageCommand& c : sent) {
            auto* report = commandAs<fragmentation::FragDataBlockReceivedReq>(c);
            if (!report)
                continue;
            m_uplinksSinceReport = 0;
            if (!report->micError && m_state == State::Reassembled && m_verifyingIndex == report->fragIndex)
                setState(State::Verifying, m_nowMs);
        }
    }
    auto bytes = encodeDataFrame(frame, m_config.session);
    return bytes ? *bytes : QByteArray();
}

} // namespace otalab::core::lorawan
