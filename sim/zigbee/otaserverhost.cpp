// SPDX-License-Identifier: Apache-2.0
// OtaServerHost: OtaServer on the coordinator.
#include "sim/zigbee/otaserverhost.h"

#include "sim/kernel/simulator.h"
#include "sim/zigbee/zigbeenode.h"

namespace otalab::sim {

using namespace core::zigbee;

OtaServerHost::OtaServerHost(Simulator& sim, ZigbeeNode& node, OtaServerConfig config)
    : OtaHostBase(sim, node)
    , m_server(std::move(config))
{
}

void OtaServerHost::scheduleNotify(SimTime at, std::uint16_t destination, int imageId, std::uint8_t payloadType,
                                   std::uint8_t jitter)
{
    m_notifies.push_back(NotifyRequest{destination, imageId, payloadType, jitter});
    m_sim.schedule(at, *this, EventData{m_node.node(), NotifyDue, m_notifies.size() - 1, destination});
}

void OtaServerHost::scheduleRelease(SimTime at, std::uint16_t device)
{
    m_sim.schedule(at, *this, EventData{m_node.node(), ReleaseDue, device, 0});
}

void OtaServerHost::crash(SimTime downFor, std::function<void(int lostDownloads)> onRestart)
{
    if (m_down) {
        return;
    }
    m_down = true;
    m_lostDownloads = m_server.activeDownloads();
    m_onRestart = std::move(onRestart);
    cancelAllTimers();
    m_sim.schedule(m_sim.now() + downFor, *this, EventData{m_node.node(), RestartDue, 0, 0});
}

void OtaServerHost::onOwnEvent(const Event& event)
{
    if (event.data.kind == RestartDue) {
        m_down = false;
        m_server.restart();
        if (m_onRestart) {
            m_onRestart(m_lostDownloads);
        }
        return;
    }
    if (m_down) {
        return;  // a notify or release due while the server process is down never happens
    }
    if (event.data.kind == NotifyDue) {
        const NotifyRequest& n = m_notifies[event.data.arg0];
        if (m_gated && gate(n.destination) != Gate::Open) {
            return;  // the rollout has not notified this device (or ended its execution)
        }
        auto payload = m_server.notifyPayloadFor(n.imageId, n.payloadType, n.jitter);
        if (payload) {
            m_server.notify(nowMs(), n.destination, *payload, m_actions);
        }
    } else if (event.data.kind == ReleaseDue) {
        static_cast<void>(m_server.releaseUpgrade(nowMs(), static_cast<std::uint16_t>(event.data.arg0), 0, m_actions));
    }
    dispatch(m_actions);
}

void OtaServerHost::onOtaFrame(std::uint16_t source, QByteArrayView frame)
{
    if (m_down) {
        return;  // the stack acknowledges the frame; no OTA server answers it
    }
    if (!m_forged.empty()) {
        const auto it = m_forged.find(source);
        const auto decoded = decodeZclFrame(frame);
        if (it != m_forged.end() && decoded && decoded->header.commandId == otacmd::QueryNextImageRequest
            && decoded->header.direction == ZclDirection::ClientToServer) {
            ZclHeader h;
            h.frameType = ZclFrameType::ClusterSpecific;
            h.direction = ZclDirection::ServerToClient;
            h.disableDefaultResponse = true;
            h.transactionSequence = decoded->header.transactionSequence;
            h.commandId = otacmd::QueryNextImageResponse;
            m_actions.push_back(SendFrame{source, nowMs() + m_server.config().controlResponseDelayMs, otacmd::QueryNextImageResponse,
                                          encodeZclFrame(h, encodePayload(it->second))});
            m_forged.erase(it);
            dispatch(m_actions);
            return;
        }
    }
    if (m_gated && answerGated(source, frame)) {
        dispatch(m_actions);
        return;
    }
    m_server.handle(nowMs(), source, frame, m_actions);
    dispatch(m_actions);
}

void OtaServerHost::onOtaTimer(OtaTimerId id)
{
    if (m_down) {
        return;
    }
    if (m_gated && id == OtaServer::pageTimerId(static_cast<std::uint16_t>(id & 0xFFFF))
        && gate(static_cast<std::uint16_t>(id & 0xFFFF)) == Gate::Stopped) {
        return;  // no more page responses to a device the rollout stopped
    }
    m_server.onTimer(nowMs(), id, m_actions);
    dispatch(m_actions);
}

void OtaServerHost::setGate(std::uint16_t device, Gate gate)
{
    m_gated = true;
    if (gate == Gate::Open) {
        m_gates.erase(device);
    } else {
        m_gates[device] = gate;
    }
}

OtaServerHost::Gate OtaServerHost::gate(std::uint16_t device) const
{
    const auto it = m_gates.find(device);
    return it == m_gates.end() ? Gate::Open : it->second;
}

void OtaServerHost::notifyNow(std::uint16_t destination, int imageId, std::uint8_t payloadType, std::uint8_t jitter)
{
    if (auto payload = m_server.notifyPayloadFor(imageId, payloadType, jitter)) {
        m_server.notify(nowMs(), destination, *payload, m_actions);
        dispatch(m_actions);
    }
}

bool OtaServerHost::answerGated(std::uint16_t source, QByteArrayView frame)
{
    if (gate(source) == Gate::Open) {
        return false;
    }
    const auto decoded = decodeZclFrame(frame);
    if (!decoded || decoded->header.frameType != ZclFrameType::ClusterSpecific
        || decoded->header.direction != ZclDirection::ClientToServer) {
        return false;  // the server answers malformed and global frames as it always does
    }
    std::uint8_t responseId = 0;
    QByteArray payload;
    switch (decoded->header.commandId) {
    case otacmd::QueryNextImageRequest:
    case otacmd::QueryDeviceSpecificFileRequest: {
        QueryImageResponse rsp;
        rsp.status = ZclStatus::NoImageAvailable;
        responseId = decoded->header.commandId == otacmd::QueryNextImageRequest ? otacmd::QueryNextImageResponse
                                                                                  : otacmd::QueryDeviceSpecificFileResponse;
        payload = encodePayload(rsp);
        break;
    }
    case otacmd::ImageBlockRequest:
    case otacmd::ImagePageRequest: {
        ImageBlockResponse rsp;
        rsp.status = ZclStatus::Abort;
        responseId = otacmd::ImageBlockResponse;
        payload = encodePayload(rsp);
        break;
    }
    default:
        return false;  // Upgrade End Request: the image is on the device already
    }
    ZclHeader h;
    h.frameType = ZclFrameType::ClusterSpecific;
    h.direction = ZclDirection::ServerToClient;
    h.disableDefaultResponse = true;
    h.transactionSequence = decoded->header.transactionSequence;
    h.commandId = responseId;
    ++m_gatedAnswers;
    if (m_onGated) {
        m_onGated(source);
    }
    m_actions.push_back(SendFrame{source, nowMs() + m_server.config().controlResponseDelayMs, responseId, encodeZclFrame(h, payload)});
    return true;
}

void OtaServerHost::onOtherAction(const OtaAction& action)
{
    static_cast<void>(action);  // server events: metrics could go here
}

void OtaServerHost::onSendRefused(std::uint16_t destination, std::uint8_t commandId, const Error& error)
{
    ++m_refused;
    if (m_onRefused) {
        m_onRefused(destination, QStringLiteral("server could not send %1: %2").arg(otaCommandName(commandId), error.toString()));
    }
}

} // namespace otalab::sim
