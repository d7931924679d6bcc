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

void OtaServerHost::onOwnEvent(const Event& event)
{
    if (event.data.kind == NotifyDue) {
        const NotifyRequest& n = m_notifies[event.data.arg0];
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
    m_server.handle(nowMs(), source, frame, m_actions);
    dispatch(m_actions);
}

void OtaServerHost::onOtaTimer(OtaTimerId id)
{
    m_server.onTimer(nowMs(), id, m_actions);
    dispatch(m_actions);
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
