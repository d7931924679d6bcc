// SPDX-License-Identifier: Apache-2.0
// FuotaServer: the FUOTA application server's campaign, step by step as ChirpStack v4's
// applayer/fuota flow runs it, driven by the LoRaWAN fleet (no I/O, no clock).
#pragma once

#include "sim/fleet/machinedescription.h"
#include "sim/kernel/simtime.h"
#include "sim/lorawan/lorawandevice.h"
#include "sim/lorawan/lorawanfleetconfig.h"

#include <QString>

#include <array>
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
    // Under a rollout: wave `wave` (1, 2, …) is about to form its multicast group, the
    // previous one (if any) complete. Never called without a rollout.
    virtual void waveStarting(int wave) { (void)wave; }

protected:
    ~FuotaServerHost() = default;
};

// One wave of a campaign under a rollout policy: a multicast group of the devices the
// policy released and no earlier wave served, set up and served by one run of the flow.
struct FuotaWaveRecord {
    int number = 0;                   // 1, 2, …
    int devices = 0;                  // devices in its group
    int groupId = 0;                  // McGroupIDHeader (0..3), cycling wave by wave
    std::array<SimTime, kFuotaServerStateCount> stepStart{};  // as FuotaServer::stepStarted (max: never)
    SimTime sessionStart = SimTime::max();   // the last session window (the repair's, with one)
    SimTime sessionEnd = SimTime::max();
    SimTime framesDone = SimTime::max();
    bool groupDeleted = false;
    SimTime groupDeletedAt = SimTime::max();
    int repairFrames = 0;
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

    // --- Rollout policy (LorawanFleet's hooks; none is called without a rollout) ---------
    // Held (before start()): start() schedules nothing; the flow runs once per wave. A wave
    // forms at the first release (at campaign.startAtS at the earliest) and again each time
    // the running wave completes while released devices wait: its group holds the devices
    // released and not yet served (ClassA), and the step times above describe the running
    // (or last) wave, waves() the completed ones.
    void holdForRollout();
    bool heldForRollout() const { return m_held; }
    // The device may join the next wave (a device released twice, stopped or no longer in
    // ClassA is ignored).
    void release(std::size_t device, SimTime now);
    // The policy ended the device's execution: one released but not in a wave never joins
    // one; one in the running wave's unicast setup (up to waiting for its session) leaves
    // it, back in ClassA, and never joins a session; one in a session or after goes on
    // (a multicast group cannot be withdrawn from a single device).
    void stop(std::size_t device, SimTime now);
    int wave() const { return m_wave; }                       // the running or last wave; 0: none yet
    int waveDevices() const { return m_waveDevices; }         // devices in that wave's group
    int waveGroupId() const { return m_wave > 0 ? (m_wave - 1) % 4 : 0; }
    const std::vector<FuotaWaveRecord>& waves() const { return m_waves; }   // completed waves
    FuotaWaveRecord currentWave() const;                      // the running (or last) wave so far
    int waitingForWave() const;                               // released, not yet in a wave
    // "queued until notified", "waiting for the next wave", … (held only; empty otherwise).
    QString rolloutText(std::size_t device) const;

private:
    void enter(FuotaServerState next, SimTime now);
    // One run of a unicast job: true when it is over (everyone answered or retries spent).
    bool runUnicastJob(LorawanCommand command, LorawanDeviceState pending, SimTime now);
    bool pendingFor(const LorawanDevice& d, LorawanCommand command, LorawanDeviceState pending) const;
    void finishCampaign(SimTime now);
    void scheduleWave(SimTime now);
    bool beginWave(SimTime now);   // false: nobody to serve (back to idle)

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
    // Rollout (m_held): per device kHeld / kReleased / kInWave / kStopped (fuotaserver.cpp).
    bool m_held = false;
    bool m_waveScheduled = false;
    std::vector<std::uint8_t> m_rollout;
    std::vector<std::uint16_t> m_deviceWave;   // the wave that served the device (0: none)
    int m_wave = 0;
    int m_waveDevices = 0;
    std::vector<FuotaWaveRecord> m_waves;
};

} // namespace otalab::sim
