// SPDX-License-Identifier: Apache-2.0
// LorawanDevice: one class A sensor of a LoRaWAN fleet, as a small struct (no QObject).
#pragma once

#include "sim/fleet/fleetphase.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simtime.h"
#include "sim/lorawan/lorawanenergy.h"
#include "sim/lorawan/lorawanfleetfec.h"

#include <array>
#include <cstdint>

namespace otalab::sim {

// The device's FUOTA state (machine kLorawanDeviceMachine). Values are the StateChange
// numbers observers see; keep the order.
enum class LorawanDeviceState : std::uint8_t {
    ClassA,             // normal operation; the campaign has not reached it yet
    GroupSetup,         // McGroupSetupReq queued for it (TS005)
    FragSetup,          // FragSessionSetupReq queued (TS004)
    SessionSetup,       // McClassCSessionReq / McClassBSessionReq queued (TS005)
    WaitingForSession,  // set up; the multicast session has not opened (its clock)
    Receiving,          // class C / class B session open, fragments arriving
    WaitingForRepair,   // session over with fragments missing; status and repair round
    Reassembled,        // image rebuilt; its data-block MIC goes to the server over unicast
    Verified,           // the server confirmed the MIC; commit scheduled
    Applying,           // copying the image and rebooting
    Upgraded,           // runs the new image
    Missed,             // not enough fragments after the session (and repair)
    Rejected,           // the server answered that the image MIC does not match: image dropped
    Unreachable,        // did not answer a unicast setup step within the retries
    NoSpace,            // refused the fragmentation session: flash cannot hold twice the image
    RolledBack,         // the new image failed its self-test / did not boot: the bootloader reverted (scenario badImage)
    ImageRefused,       // the device's own image check (signature, version) refused the data block (scenario attacks)
};
inline constexpr int kLorawanDeviceStateCount = 17;
inline constexpr std::uint16_t kLorawanDeviceMachine = 41;

// Unicast commands and answers the fleet models (their size on the air in lorawanfleet.cpp).
enum class LorawanCommand : std::uint8_t {
    None,
    McGroupSetup,     // TS005 McGroupSetupReq / Ans
    FragSessionSetup, // TS004 FragSessionSetupReq / Ans
    McSession,        // TS005 McClassCSessionReq / McClassBSessionReq / Ans
    FragStatus,       // TS004 FragSessionStatusReq / Ans
};

inline constexpr int kLorawanMaxGateways = 4;  // gateways in range kept per device (best first)

// One device. Per-device cost: ~250 bytes + its tracker (a bitmap of M bits, and one row
// of l bits per useful parity frame for l missing fragments). The image is shared.
struct LorawanDevice {
    explicit LorawanDevice(const RandomStream& stream) : rng(stream) {}

    RandomStream rng;                     // (seed, node, 'LORA'): uplink timing, channels, losses
    LorawanFecTracker fec;                // created when the fragmentation session is set up
    float xM = 0, yM = 0;
    std::array<std::uint16_t, kLorawanMaxGateways> gateway{};  // in range, best uplink SNR first
    std::array<float, kLorawanMaxGateways> uplinkSnrDb{};
    std::array<std::int32_t, kLorawanMaxGateways> receptionId{};  // the uplink in flight at gateway[k]; −1: none
    std::uint8_t gatewayCount = 0;
    std::uint8_t dataRate = 0;            // uplink DR (auto: by link budget)
    float rssiDbm = 0;                    // uplink RSSI at the best gateway
    float multicastLoss = 0;              // probability a multicast frame from its gateway is lost (PER)
    float clockErrorS = 0;                // local clock − network time at t = 0 (s)
    float driftPpm = 0;                   // its clock's drift
    LorawanDeviceState state = LorawanDeviceState::ClassA;
    LorawanCommand queued = LorawanCommand::None;   // server side: command waiting for its next uplink
    LorawanCommand answer = LorawanCommand::None;   // device side: answer to send on its next uplink
    bool needsTime = false;               // AppTimeReq to send (TS003)
    bool timeSynced = false;
    bool timeAnswerDue = false;           // server side: AppTimeAns to send
    bool micAnswerDue = false;            // server side: answer to the device's MIC to send
    bool corrupted = false;               // accepted a forged fragment
    bool burstLoss = false;               // Gilbert–Elliott state of the extra loss
    bool statusKnown = false;             // answered FragSessionStatusReq in this round
    bool inSession = false;               // its radio listens to the multicast session
    bool repairJoined = false;            // answered the repair round's session request
    bool micToSend = false;               // device side: its image MIC goes on the next uplink
    LorawanCommand failedStep = LorawanCommand::None;  // the unicast step it never answered
    std::uint8_t attempts = 0;            // of the current unicast step
    std::uint16_t forgedAccepted = 0;
    std::uint32_t uplinks = 0;
    std::uint32_t uplinksLost = 0;        // not received by any gateway
    std::uint32_t downlinks = 0;          // unicast downlinks it received
    std::uint32_t framesReceived = 0;     // multicast frames it took (uncoded + parity)
    std::uint32_t framesLost = 0;         // multicast frames sent while it listened that it lost
    std::uint32_t framesMissedClosed = 0; // frames sent while its session window was closed
    SimTime nextUplink;
    SimTime syncedAt;
    SimTime sessionOpen;                  // its local clock's session window, in network time
    SimTime sessionClose;
    SimTime listenFrom;                   // when its radio began listening in this window
    SimTime stateSince;
    SimTime campaignStart = SimTime::max();   // first unicast command queued
    SimTime finishedAt = SimTime::max();      // entered a final state
    LorawanEnergyTimes energy;
    LorawanEnergyTimes energyAtStart;     // energy times when the campaign reached it
    std::array<float, 5> phaseSeconds{};  // Waiting, Downloading, Verifying, WaitingToApply, Applying
    // Scenario faults and attacks (lorawanfleetfaults.h); all zero without them.
    bool faultWatch = false;              // an armed fault / attack names this device
    std::uint8_t variant = 0;             // LorawanImageVariant of the data block it gets (0: the campaign's own)
    std::uint8_t powerCuts = 0;
    SimTime offUntil = SimTime::min();       // powered off until
    SimTime linkDownUntil = SimTime::min();  // its radio link carries nothing until
};

QString lorawanDeviceStateName(LorawanDeviceState state);
FleetPhase lorawanDevicePhase(LorawanDeviceState state);
constexpr bool isFinalLorawanState(LorawanDeviceState s)
{
    return s == LorawanDeviceState::Upgraded || s == LorawanDeviceState::Missed || s == LorawanDeviceState::Rejected ||
           s == LorawanDeviceState::Unreachable || s == LorawanDeviceState::NoSpace || s == LorawanDeviceState::RolledBack ||
           s == LorawanDeviceState::ImageRefused;
}
QString lorawanCommandName(LorawanCommand command, bool classB);

} // namespace otalab::sim
