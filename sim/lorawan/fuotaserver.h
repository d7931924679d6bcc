// SPDX-License-Identifier: Apache-2.0
// FuotaServer: the FUOTA application server's campaign, step by step as ChirpStack v4's
// applayer/fuota flow runs it, driven by the LoRaWAN fleet (no I/O, no clock).
#pragma once

#include "sim/fleet/machinedescription.h"
#include "sim/kernel/simtime.h"
#include "sim/lorawan/lorawandevice.h"
#include "sim/lorawan/lorawanfleetconfig.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace otalab::sim {

// The server's campaign steps (machine kFuotaServerMachine). ChirpStack's jobs:
// McGroupSetup → FragSessionSetup → McSession → Enqueue → FragStatus → DeleteMcGroup →
// Complete; a repair round (McSession again for the devices still missing fragments,
// then more parity frames) sits between FragStatus and the end.
enum class FuotaServerState : std::uint8_t {
    Idle,
    McGroupSetup,
    FragSessionSetup,
    McSessionSetup,
    WaitingForSession,
    SendingFragments,
    FragStatus,
    RepairSetup,
    SendingRepair,
    Complete,
};
inline constexpr int kFuotaServerStateCount = 10;
inline constexpr std::uint16_t kFuotaServerMachine = 40;

QString fuotaServerStateName(FuotaServerState state);
MachineDescription fuotaServerMachine();
MachineDescription lorawanDeviceMachine();

// What the campaign sends, fixed before it starts.
struct FuotaPlan {
    std::uint32_t imageBytes = 0;     // the data block (image as sent, with signature/delta container)
    int fragmentSize = 0;             // bytes of data per DataFragment
    int fragments = 0;                // M
    int redundancy = 0;               // R parity frames in the session
    int paddingBytes = 0;             // of the last fragment
    int fecVersion = 2;
    int multicastDataRate = 5;
    int spreadingFactor = 7;
    int bandwidthHz = 125'000;
    std::uint32_t frequencyHz = 0;
    double dutyCycle = 0.01;          // of the multicast sub-band
    int framePhyBytes = 0;            // PHYPayload of one fragment frame
    SimTime frameAirtime;             // time on air of one fragment frame
    int timeoutExponent = 0;          // McClassC/BSessionReq TimeOut field
    SimTime sessionTimeout;           // class C: 2^i s; class B: 128·2^i s
    bool classB = false;
    SimTime pingPeriod;               // class B: 2^k·0.96 s
    int frames() const { return fragments + redundancy; }
    // Total multicast airtime of the session and the lower bound on its duration at the
    // sub-band's duty cycle (per gateway; gateways send in parallel).
    SimTime sessionAirtime() const { return frameAirtime * frames(); }
    SimTime lowerBound() const { return SimTime::fromSeconds(sessionAirtime().toSeconds() / dutyCycle); }
};

// What the server asks of the network (the fleet).
class FuotaServerHost {
public:
    virtual void scheduleServerJob(SimTime at) = 0;
    // Every gateway sends frames first..last (1-based counters) from `at` on, paced by
    // its duty cycle; the host calls FuotaServer::onFramesSent() when all are done.
    virtual void sendFrames(SimTime at, int first, int last) = 0;
    virtual void setDeviceState(std::size_t device, LorawanDeviceState state) = 0;
    virtual void openSession(SimTime start, SimTime end, bool repair) = 0;
    virtual void serverStateChanged(FuotaServerState from, FuotaServerState to) = 0;
    virtual void deleteGroup() = 0;

protected:
    ~FuotaServerHost() = default;
};

// The campaign. Each unicast job queues its command for every device that has not
// completed the step (delivered in RX1/RX2 after the device's next uplink) and runs again
// every retry interval, at most unicastRetries + 1 times; devices still silent then are
// dropped (Unreachable) and the flow moves on, as ChirpStack's unicast_max_retry_count.
class FuotaServer {
public:
    FuotaServer(const LorawanCampaignConfig& config, const FuotaPlan& plan, std::vector<LorawanDevice>& devices,
                FuotaServerHost& host, SimTime retryInterval);

    void start();                     // schedules the first job at campaign.startAtS
    void onJob(SimTime now);          // a scheduled job is due
    // A device's answer to a unicast step arrived in an uplink.
    void onAnswer(std::size_t device, LorawanCommand answer, SimTime now, bool accepted);
    void onFramesSent(SimTime now);   // every gateway sent the current batch
    void onSessionEnd(SimTime now);   // the (class C/B) session's timeout passed

    FuotaServerState state() const { return m_state; }
    const FuotaPlan& plan() const { return m_plan; }
    SimTime stepStarted(FuotaServerState s) const { return m_stepStart[std::size_t(s)]; }
    SimTime sessionStart() const { return m_sessionStart; }
    SimTime sessionEnd() const { return m_sessionEnd; }
    SimTime framesDoneAt() const { return m_framesDone; }
    SimTime completeAt() const { return m_stepStart[std::size_t(FuotaServerState::Complete)]; }
    int repairFrames() const { return m_repairFrames; }
    bool groupDeleted() const { return m_groupDeleted; }
    SimTime groupDeletedAt() const { return m_groupDeletedAt; }
    void markGroupDeleted(SimTime now);
    int attempts() const { return m_attempts; }

private:
    void enter(FuotaServerState next, SimTime now);
    // One run of a unicast job: true when it is over (everyone answered or retries spent).
    bool runUnicastJob(LorawanCommand command, LorawanDeviceState pending, SimTime now);
    bool pendingFor(const LorawanDevice& d, LorawanCommand command, LorawanDeviceState pending) const;
    void finishCampaign(SimTime now);

    LorawanCampaignConfig m_config;
    FuotaPlan m_plan;
    std::vector<LorawanDevice>& m_devices;
    FuotaServerHost& m_host;
    SimTime m_retryInterval;
    FuotaServerState m_state = FuotaServerState::Idle;
    SimTime m_stepStart[kFuotaServerStateCount];
    int m_attempts = 0;
    SimTime m_sessionStart = SimTime::max();
    SimTime m_sessionEnd = SimTime::max();
    SimTime m_framesDone = SimTime::max();
    SimTime m_groupDeletedAt = SimTime::max();
    bool m_groupDeleted = false;
    bool m_repairing = false;
    int m_repairFrames = 0;
};

} // namespace otalab::sim
