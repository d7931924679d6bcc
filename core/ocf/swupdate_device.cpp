// SPDX-License-Identifier: Apache-2.0
// SwUpdateDevice: power-on, message dispatch (dedup, RST, responses to the download),
// timers, state changes and Observe notifications. The resources are in
// swupdate_device_server.cpp, the steps in swupdate_device_steps.cpp.
#include "core/ocf/swupdate_device.h"

#include "core/ocf/swupdate_device_impl.h"

#include <QCryptographicHash>

namespace otalab::core::ocf {

QByteArray SwUpdateDevice::Impl::takeToken()
{
    const std::uint32_t t = ++nextToken;
    QByteArray token(4, Qt::Uninitialized);
    token[0] = char(0xd0 ^ (t >> 24));
    token[1] = char(t >> 16);
    token[2] = char(t >> 8);
    token[3] = char(t);
    return token;
}

double SwUpdateDevice::Impl::jitter()
{
    // splitmix64: deterministic per device (seeded from its id), no clock.
    std::uint64_t z = (jitterState += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return double(z >> 11) / double(1ull << 53);
}

SwUpdateDevice::SwUpdateDevice(SwUpdateDeviceConfig config, SwUpdatePlatform& platform)
    : m_config(std::move(config)), m_platform(platform), m_impl(std::make_shared<Impl>())
{
    const QByteArray seed = QCryptographicHash::hash(m_config.deviceId.toUtf8(), QCryptographicHash::Sha256);
    for (int i = 0; i < 8; ++i)
        m_impl->jitterState = (m_impl->jitterState << 8) | std::uint8_t(seed[i]);
    m_impl->nextMessageId = std::uint16_t((std::uint8_t(seed[8]) << 8) | std::uint8_t(seed[9]));
}

void SwUpdateDevice::boot(qint64 nowMsUtc, const std::optional<SwUpdatePersisted>& kept, DeviceActions& out)
{
    Impl fresh;
    fresh.jitterState = m_impl->jitterState;
    fresh.nextMessageId = std::uint16_t(m_impl->nextMessageId + 0x100);   // not the ids used before the reset
    fresh.nextToken = m_impl->nextToken + 0x100;
    *m_impl = std::move(fresh);
    m_impl->lastNowMs = nowMsUtc;
    m_pstat = Pstat{};
    m_resource = SwUpdateResource{};
    out.push_back(DeviceCancelTimer{SwUpdateTimer::Request});
    out.push_back(DeviceCancelTimer{SwUpdateTimer::Apply});
    if (!kept)
        return;
    m_resource = kept->resource;
    // The platform's flash is the truth about what was written (persist() runs at state
    // changes, not at every block).
    m_impl->bytesStored = kept->etag.isEmpty() ? 0 : m_platform.storedBytes();
    m_impl->imageBytes = kept->imageBytes;
    m_impl->etag = kept->etag;
    m_impl->validated = kept->validated && m_impl->imageBytes && m_impl->bytesStored == *m_impl->imageBytes;
    m_impl->downloadPurl = kept->resource.purl;
    if (m_impl->validated)
        m_pstat.cm = pstat_bits::Nsa | pstat_bits::Svv;
    else if (m_resource.state == SwUpdateState::Nsa && !m_resource.nv.isEmpty())
        m_pstat.cm = pstat_bits::Nsa;

    if (m_resource.state == SwUpdateState::Upgrading) {
        // oc_swupdate_notify_done: the bootloader decided which image runs.
        const QString running = m_platform.runningVersion();
        m_resource.action = SwUpdateAction::Idle;
        m_impl->validated = false;
        m_impl->bytesStored = 0;
        m_impl->imageBytes.reset();
        m_impl->etag.clear();
        m_pstat.cm = 0;
        if (!m_resource.nv.isEmpty() && running == m_resource.nv) {
            m_resource.lastUpdate = rfc3339(nowMsUtc);
            m_resource.nv.clear();
            setState(SwUpdateState::Idle, SwUpdateResult::Success,
                     QStringLiteral("version %1 runs after the reboot").arg(running), out);
        } else {
            const QString wanted = m_resource.nv;
            m_resource.nv.clear();
            setState(SwUpdateState::Idle, SwUpdateResult::UpgradeFail,
                     QStringLiteral("version %1 runs after the reboot, not %2 (the bootloader reverted or refused it)")
                         .arg(running, wanted),
                     out);
        }
        return;
    }
    const bool inProgress = m_resource.action != SwUpdateAction::Idle
        && (m_resource.state == SwUpdateState::Svv
            || (m_resource.state == SwUpdateState::Nsa && m_resource.nv.isEmpty()));
    if (inProgress) {
        performAction(nowMsUtc, m_resource.action, out);   // a download resumes at the stored offset
        return;
    }
    // oc_swupdate_load → swupdate_execute_action: a scheduled action is armed again.
    scheduleAction(nowMsUtc, out);
}

void SwUpdateDevice::onDatagram(qint64 nowMsUtc, const CoapPeer& from, QByteArrayView datagram, DeviceActions& out)
{
    auto message = decode(datagram);
    if (message) {
        onMessage(nowMsUtc, from, *message, out);
        return;
    }
    // RFC 7252 §4.2: a CON that cannot be processed is answered with RST (§4.3: a NON is ignored).
    if (datagram.size() >= 4 && ((std::uint8_t(datagram[0]) >> 4) & 3) == 0 && (std::uint8_t(datagram[0]) >> 6) == 1) {
        const auto mid = std::uint16_t((std::uint8_t(datagram[2]) << 8) | std::uint8_t(datagram[3]));
        send(from, makeReset(mid), out);
        out.push_back(DeviceRefused{from, QStringLiteral("malformed CoAP message (RST sent): %1")
                                              .arg(message.error().toString())});
    }
}

void SwUpdateDevice::onMessage(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& message, DeviceActions& out)
{
    if (m_impl->halted)
        return;
    m_impl->lastNowMs = nowMsUtc;
    if (message.isResponse() || message.type == CoapType::Acknowledgement || message.type == CoapType::Reset) {
        if (message.type == CoapType::Acknowledgement || message.type == CoapType::Reset) {
            const QString prefix = Impl::peerKey(from) + QLatin1Char('|');
            std::erase_if(m_impl->unackedNotifications, [&](const auto& entry) {
                return entry.first.startsWith(prefix) && entry.second.first == message.messageId;
            });
        }
        if (message.type == CoapType::Reset) {
            // RFC 7641 §3.6: an RST to a notification cancels that observation.
            m_impl->observers.onReset(Impl::peerKey(from), message.messageId);
        }
        if (m_impl->download && from.host == m_impl->server.host && from.port == m_impl->server.port)
            onDownloadResponse(nowMsUtc, message, out);
        return;
    }
    if (message.isEmpty()) {
        if (message.type == CoapType::Confirmable)   // CoAP ping (RFC 7252 §4.3)
            send(from, makeReset(message.messageId), out);
        return;
    }
    if (!message.isRequest())
        return;
    const bool confirmable = message.type == CoapType::Confirmable;
    if (confirmable) {
        for (const SwUpdateAnswered& a : m_impl->answered) {
            if (a.messageId == message.messageId && a.peer.host == from.host && a.peer.port == from.port) {
                if (a.response)   // RFC 7252 §4.5: the same response again, nothing re-executed
                    send(from, *a.response, out);
                return;
            }
        }
    }
    const auto mark = std::ptrdiff_t(out.size());
    std::optional<CoapMessage> response = answerRequest(nowMsUtc, from, message, out);
    if (confirmable) {
        m_impl->answered.push_back(SwUpdateAnswered{from, message.messageId, response});
        if (m_impl->answered.size() > Impl::kDedupWindow)
            m_impl->answered.pop_front();
    }
    if (response)
        out.insert(out.begin() + mark, DeviceSend{from, *response});   // the answer goes before any step's output
}

void SwUpdateDevice::onTimer(qint64 nowMsUtc, SwUpdateTimer timer, DeviceActions& out)
{
    if (m_impl->halted)
        return;
    m_impl->lastNowMs = nowMsUtc;
    if (timer == SwUpdateTimer::Request) {
        if (m_impl->download)
            onDownloadStep(nowMsUtc, m_impl->download->onTimeout(), out);
        return;
    }
    if (!m_impl->applyArmed)
        return;
    m_impl->applyArmed = false;
    if (m_resource.action == SwUpdateAction::Idle || m_resource.updateTime.kind != UpdateTime::Kind::At)
        return;
    if (m_resource.updateTime.atMsUtc > nowMsUtc) {   // the clock moved back: wait again
        scheduleAction(nowMsUtc, out);
        return;
    }
    performAction(nowMsUtc, m_resource.action, out);
}

void SwUpdateDevice::onClockSet(qint64 nowMsUtc, DeviceActions& out)
{
    if (m_impl->applyArmed)
        scheduleAction(nowMsUtc, out);
}

void SwUpdateDevice::scheduleAction(qint64 nowMsUtc, DeviceActions& out)
{
    // IoTivity-Lite swupdate_execute_action / oc_swupdate_action_schedule: the action runs at
    // updatetime (a time in the past: at once); idle or updatetime "none": nothing.
    if (m_impl->applyArmed) {
        out.push_back(DeviceCancelTimer{SwUpdateTimer::Apply});
        m_impl->applyArmed = false;
    }
    if (m_resource.action == SwUpdateAction::Idle || m_resource.updateTime.kind != UpdateTime::Kind::At)
        return;
    const qint64 delay = std::max<qint64>(0, m_resource.updateTime.atMsUtc - nowMsUtc);
    if (delay == 0) {
        performAction(nowMsUtc, m_resource.action, out);
        return;
    }
    m_impl->applyArmed = true;
    out.push_back(DeviceArmTimer{SwUpdateTimer::Apply, std::uint64_t(delay)});
}

void SwUpdateDevice::setState(SwUpdateState state, SwUpdateResult result, const QString& why, DeviceActions& out)
{
    const SwUpdateState from = m_resource.state;
    m_resource.state = state;
    m_resource.result = result;
    persist();
    out.push_back(DeviceStateChanged{from, state, result, why});
    notifyObservers(out);
}

void SwUpdateDevice::notifyObservers(DeviceActions& out)
{
    // RFC 7641 §4.2: the same token, a rising sequence; §4.5: CON now and then so that a
    // vanished client is noticed (its RST or no ACK ends the observation).
    if (m_impl->observers.isEmpty())
        return;
    const QByteArray payload = QCborValue(toCborRw(m_resource)).toCbor();
    const std::uint32_t sequence = m_impl->observers.nextSequence();
    for (const Observer& o : std::vector<Observer>(m_impl->observers.observers())) {
        const QString unackedKey = o.peer + QLatin1Char('|') + QString::fromLatin1(o.token.toHex());
        if (const auto it = m_impl->unackedNotifications.find(unackedKey); it != m_impl->unackedNotifications.end()) {
            if (m_impl->lastNowMs - it->second.second > Impl::kMaxTransmitWaitMs) {
                m_impl->unackedNotifications.erase(it);
                m_impl->observers.remove(o.peer, o.token);   // §4.5: the client is gone
                continue;
            }
        }
        ++m_impl->notificationsSent;
        const bool con = m_config.observeConfirmableEvery > 0
            && m_impl->notificationsSent % m_config.observeConfirmableEvery == 0;
        CoapMessage n;
        n.type = con ? CoapType::Confirmable : CoapType::NonConfirmable;
        n.code = coap_code::Content;
        n.messageId = m_impl->takeMessageId();
        n.token = o.token;
        n.setObserve(sequence);
        n.setContentFormat(content_format::VndOcfCbor);
        n.payload = payload;
        m_impl->observers.recordNotification(o.peer, o.token, n.messageId);
        if (con && !m_impl->unackedNotifications.contains(unackedKey))
            m_impl->unackedNotifications[unackedKey] = {n.messageId, m_impl->lastNowMs};
        out.push_back(DeviceSend{m_impl->observerPeers[o.peer], std::move(n)});
    }
}

void SwUpdateDevice::persist()
{
    m_platform.persist(persisted());
}

void SwUpdateDevice::send(const CoapPeer& to, CoapMessage message, DeviceActions& out)
{
    out.push_back(DeviceSend{to, std::move(message)});
}

SwUpdatePersisted SwUpdateDevice::persisted() const
{
    SwUpdatePersisted p;
    p.resource = m_resource;
    p.bytesStored = m_impl->bytesStored;
    p.imageBytes = m_impl->imageBytes;
    p.etag = m_impl->etag;
    p.validated = m_impl->validated;
    return p;
}

int SwUpdateDevice::observerCount() const
{
    return int(m_impl->observers.size());
}

} // namespace otalab::core::ocf
