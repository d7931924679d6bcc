// SPDX-License-Identifier: Apache-2.0
// OtaHostBase: OtaActions → kernel events and APS frames.
#include "sim/zigbee/otahostbase.h"

#include "sim/kernel/simulator.h"
#include "sim/zigbee/zigbeenode.h"

#include <type_traits>

namespace otalab::sim {

using namespace core::zigbee;

OtaHostBase::OtaHostBase(Simulator& sim, ZigbeeNode& node)
    : m_sim(sim)
    , m_node(node)
{
}

std::int64_t OtaHostBase::nowMs() const
{
    return m_sim.now().nanos() / 1'000'000;
}

void OtaHostBase::dispatch(OtaActions& actions)
{
    // Actions may append more actions only through later machine calls, never here.
    for (std::size_t i = 0; i < actions.size(); ++i) {
        OtaAction& action = actions[i];
        if (auto* send = std::get_if<SendFrame>(&action)) {
            onSendAction(*send);
            if (send->at <= nowMs()) {
                sendNow(send->destination, send->commandId, send->frame);
            } else {
                std::uint32_t slot;
                if (!m_freePending.empty()) {
                    slot = m_freePending.back();
                    m_freePending.pop_back();
                } else {
                    slot = static_cast<std::uint32_t>(m_pending.size());
                    m_pending.emplace_back();
                }
                m_pending[slot] = Pending{std::move(send->frame), send->destination, send->commandId};
                m_sim.schedule(SimTime::fromMillis(send->at), *this, EventData{m_node.node(), SendDue, slot, send->destination});
            }
        } else if (const auto* arm = std::get_if<ArmTimer>(&action)) {
            m_timers[arm->id].arm(m_sim, std::max(SimTime::fromMillis(arm->at), m_sim.now()), *this,
                                  EventData{m_node.node(), TimerFired, arm->id, 0});
        } else if (const auto* cancel = std::get_if<CancelTimer>(&action)) {
            if (auto it = m_timers.find(cancel->id); it != m_timers.end()) {
                it->second.cancel(m_sim);
            }
        } else {
            onOtherAction(action);
        }
    }
    actions.clear();
}

void OtaHostBase::cancelAllTimers()
{
    for (auto& [id, t] : m_timers) {
        t.cancel(m_sim);
    }
}

void OtaHostBase::sendNow(std::uint16_t destination, std::uint8_t commandId, const QByteArray& frame)
{
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(frame.constData()), static_cast<std::size_t>(frame.size()));
    auto handle = m_node.sendAps(destination, kOtaEndpoint, kOtaClusterId, bytes);
    if (!handle) {
        onSendRefused(destination, commandId, handle.error());
    }
}

void OtaHostBase::handleEvent(Simulator& sim, const Event& event)
{
    static_cast<void>(sim);
    switch (event.data.kind) {
    case TimerFired: {
        const auto id = static_cast<OtaTimerId>(event.data.arg0);
        auto it = m_timers.find(id);
        if (it == m_timers.end() || !it->second.isFiring(event)) {
            return;  // stale (cancelled and re-armed timers never fire, but be safe)
        }
        if (!it->second.fire(m_sim, *this, event.data)) {
            return;  // the deadline moved on: re-armed for it
        }
        onOtaTimer(id);
        break;
    }
    case SendDue: {
        const auto slot = static_cast<std::uint32_t>(event.data.arg0);
        Pending pending = std::move(m_pending[slot]);
        m_pending[slot] = Pending{};
        m_freePending.push_back(slot);
        sendNow(pending.destination, pending.commandId, pending.frame);
        break;
    }
    default:
        if (event.data.kind >= kFirstSubclassKind) {
            onOwnEvent(event);
        }
        break;
    }
}

void OtaHostBase::onApsSendComplete(Simulator& sim, const ApsSendResult& result)
{
    static_cast<void>(sim);
    onSendDone(result);
}

void OtaHostBase::onApsReceive(Simulator& sim, const ApsIndication& indication)
{
    static_cast<void>(sim);
    if (indication.clusterId != kOtaClusterId || indication.dstEndpoint != kOtaEndpoint) {
        return;
    }
    onOtaFrame(indication.srcShort,
               QByteArrayView(reinterpret_cast<const char*>(indication.payload.data()), static_cast<qsizetype>(indication.payload.size())));
}

} // namespace otalab::sim
