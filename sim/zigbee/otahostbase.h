// SPDX-License-Identifier: Apache-2.0
// OtaHostBase: runs a sans-IO OTA machine's actions on the kernel (frames over APS, timers as events).
#pragma once

#include "core/common/error.h"
#include "core/zigbee/ota_cluster_actions.h"
#include "sim/kernel/deadlinetimer.h"
#include "sim/kernel/eventhandler.h"
#include "sim/zigbee/apsupper.h"

#include <QByteArray>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

class Simulator;
class ZigbeeNode;

// The OTA cluster travels as APS payload (the ZCL frame) on endpoint 1 at both ends,
// cluster 0x0019, Home Automation profile (the network's NwkConfig::profileId).
inline constexpr std::uint8_t kOtaEndpoint = 1;
inline constexpr std::uint16_t kOtaClusterId = 0x0019;

// StateChange::machine of the OTA client's ImageUpgradeStatus (from/to = the
// attribute values, ZCL §11.10); >= 16 as energycomponent.h asks.
inline constexpr std::uint16_t kOtaStatusMachine = 16;
// StateChange::machine of the campaign phase (from/to = OtaDeviceProgress::Phase:
// 0 Idle, 1 Downloading, 2 Upgraded, 3 Failed, 4 Refused).
inline constexpr std::uint16_t kOtaPhaseMachine = 17;

// Maps OtaActions to the kernel:
//   SendFrame   → sendAps() now if `at` <= now (ms), else an event at `at` that sends it;
//   ArmTimer    → one kernel Timer per OtaTimerId (re-arming moves it), firing onOtaTimer();
//   CancelTimer → cancels that Timer;
//   the rest    → onOtherAction() (Reboot, StateChanged, OtaEvent: the subclass's business).
// Machine time is the kernel's virtual time in whole milliseconds (floor). Event
// payloads are values (timer id, pending-frame slot), never addresses.
class OtaHostBase : public EventHandler, public ApsUpper {
public:
    OtaHostBase(Simulator& sim, ZigbeeNode& node);
    OtaHostBase(const OtaHostBase&) = delete;
    OtaHostBase& operator=(const OtaHostBase&) = delete;

    ZigbeeNode& node() const { return m_node; }
    std::int64_t nowMs() const;

    void handleEvent(Simulator& sim, const Event& event) override;
    void onApsSendComplete(Simulator& sim, const ApsSendResult& result) override;
    void onApsReceive(Simulator& sim, const ApsIndication& indication) override;

protected:
    ~OtaHostBase() = default;

    // Executes and clears `actions`.
    void dispatch(core::zigbee::OtaActions& actions);
    void cancelAllTimers();

    virtual void onOtaFrame(std::uint16_t source, QByteArrayView frame) = 0;
    virtual void onOtaTimer(core::zigbee::OtaTimerId id) = 0;
    virtual void onOtherAction(const core::zigbee::OtaAction& action) = 0;
    // sendAps() refused the frame synchronously (oversize payload, queue full, no route).
    virtual void onSendRefused(std::uint16_t destination, std::uint8_t commandId, const Error& error) = 0;
    // A frame the node accepted reached (or not) its first hop.
    virtual void onSendDone(const ApsSendResult& result) { static_cast<void>(result); }
    // Called for every SendFrame before it is scheduled or sent (metrics).
    virtual void onSendAction(const core::zigbee::SendFrame& send) { static_cast<void>(send); }
    // The subclass's own events (kind >= kFirstSubclassKind).
    virtual void onOwnEvent(const Event& event) { static_cast<void>(event); }

    static constexpr std::uint32_t kFirstSubclassKind = 16;
    Simulator& m_sim;
    ZigbeeNode& m_node;
    core::zigbee::OtaActions m_actions;  // scratch buffer reused for every machine call

private:
    enum Kind : std::uint32_t { TimerFired = 1, SendDue = 2 };
    struct Pending {
        QByteArray frame;
        std::uint16_t destination = 0;
        std::uint8_t commandId = 0;
    };
    void sendNow(std::uint16_t destination, std::uint8_t commandId, const QByteArray& frame);

    // Machine timers: the per-block request timeout is moved on by every block, which a
    // DeadlineTimer absorbs without a kernel event per block.
    std::unordered_map<core::zigbee::OtaTimerId, DeadlineTimer> m_timers;
    std::vector<Pending> m_pending;
    std::vector<std::uint32_t> m_freePending;
};

} // namespace otalab::sim
