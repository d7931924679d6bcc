// SPDX-License-Identifier: Apache-2.0
// LorawanFleet: a LoRaWAN network of class A sensors and gateways, and one FUOTA campaign
// (seed 004) behind the neutral Fleet contract.
#pragma once

#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "sim/kernel/eventhandler.h"
#include "sim/lorawan/fuotaserver.h"
#include "sim/lorawan/lorawandatablock.h"
#include "sim/lorawan/lorawandevice.h"
#include "sim/lorawan/lorawanenergy.h"
#include "sim/lorawan/lorawanfleetconfig.h"
#include "sim/lorawan/lorawanfleetgateway.h"
#include "sim/lorawan/lorawanfleetphy.h"

#include <memory>
#include <vector>

namespace otalab::sim {

class LorawanCapture;
struct LorawanFaultState;

// Nodes: device i is ctx.firstNode + i ("dev-00001" …, role "device", campaign devices
// placed uniformly in a disc), then the gateways ("gw-1" …, role "gateway"), then the
// network + FUOTA server ("network server", role "server"). Each device hangs from its
// best gateway, the gateways from the server.
//
// Event flow (kinds in lorawanfleet.cpp): each device's class A uplinks (start + end
// events: collisions per gateway on the same channel and SF with 6 dB capture, 8
// demodulators, half-duplex), RX1/RX2 downlinks decided at the uplink's end (the
// gateway's duty cycle per sub-band honoured); the server's jobs (FuotaServer); ONE
// event per multicast frame per gateway, which decides reception for every device the
// gateway serves from that device's precomputed PER, the extra loss and its session
// window, and feeds the frame to its FEC tracker.
//
// Randomness: per device RandomStream(seed, node, purpose) — placement and shadowing at
// build, uplink timing/channels/losses in the run — so results depend on the order of
// events only through the kernel's (time, sequence) order.
class LorawanFleet final : public Fleet, private EventHandler, private FuotaServerHost {
public:
    ~LorawanFleet() override;

    QString family() const override { return QStringLiteral("lorawan"); }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_devices.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_firstNode + NodeId(device); }
    FleetPhase phase(std::size_t device) const override { return lorawanDevicePhase(m_devices[device].state); }
    DeviceStatus status(std::size_t device) const override;
    DeviceFigures figures(std::size_t device) const override;
    std::vector<MachineDescription> machines() const override;
    // The network server (FUOTA server machine + campaign rows) and each gateway (airtime rows).
    std::optional<DeviceStatus> nodeStatus(NodeId node) const override;
    FleetFacts facts() const override;
    void start() override;
    void appendResults(std::vector<DeviceResult>& out) const override;

    // Campaign-level figures for the report (phase times, airtime, duty-cycle budget,
    // lower bound vs actual session duration), as name/value rows.
    std::vector<NamedValue> fleetFigures() const override;
    // The campaign on lanes (server steps, multicast group, fragments per gateway, the
    // duty-cycle lower bound) and each gateway's airtime per sub-band as shares of its
    // duty-cycle budget since the campaign began (lorawanfleetcharts.cpp).
    std::vector<TimelineSpan> fleetTimeline() const override;
    std::vector<BudgetBar> fleetBudgets() const override;
    // Rollout policy: the FUOTA server forms one multicast group per wave — at the first
    // release, then each time the running wave completes, of the devices released and not
    // yet served (FuotaServer::release/stop). A stopped device leaves the unicast setup and
    // never joins a session; one in a session goes on. No retry (a device that missed
    // fragments would need a new fragmentation session of its own).
    RolloutSupport rolloutSupport() const override;
    void holdForRollout() override;
    void releaseDevices(const std::vector<std::size_t>& devices) override;
    void stopDevices(const std::vector<std::size_t>& devices) override;

    // Scenario faults and attacks (lorawanfleetfaults.cpp; what each does: lorawanfleetfaults.h).
    FaultSupport faultSupport() const override;
    Result<void> armFault(const faults::FaultOrder& order) override;
    Result<void> armAttack(const faults::AttackOrder& order) override;
    void injectFault(const faults::FaultOrder& order) override;
    void injectAttack(const faults::AttackOrder& order) override;

    // DIR/capture-lorawan.pcap (LoRaTap, real frames) and DIR/lorawan-keys.uat (lorawancapture.h).
    Result<QStringList> startCapture(const QString& dir) override;
    void finishCapture() override;

    const LorawanFleetConfig& config() const { return m_config; }
    const FuotaServer& server() const { return *m_server; }
    const FuotaPlan& plan() const { return m_plan; }
    const LorawanDataBlock& dataBlock() const { return m_dataBlock; }
    const LorawanDevice& device(std::size_t i) const { return m_devices[i]; }
    const std::vector<LorawanGateway>& gateways() const { return m_gateways; }
    NodeId serverNode() const { return m_serverNode; }
    // Energy of device i since t = 0 and since the campaign reached it (J).
    std::pair<double, double> energy(std::size_t device) const;
    QString failureReason(std::size_t device) const;

private:
    friend Result<std::unique_ptr<Fleet>> buildLorawanFleet(const LorawanFleetConfig&, const FleetBuildContext&);
    LorawanFleet(Simulator& sim, const LorawanFleetConfig& config, FleetListener* listener);
    Result<void> construct(const FleetBuildContext& ctx);
    Result<void> plan(const QString& field);
    void placeGateways();
    void placeDevices(std::uint64_t seed);

    void handleEvent(Simulator& sim, const Event& event) override;
    void uplinkStart(std::size_t i);
    void uplinkEnd(std::size_t i, std::uint64_t info);
    void scheduleNextUplink(std::size_t i, SimTime after);
    void downlink(std::size_t i, const int* heard, int heardCount, std::uint32_t frequencyHz, int channel, SimTime uplinkEnd);
    void deliver(std::size_t i, int kind, LorawanCommand command, SimTime at);
    void frame(std::size_t gateway, int n);
    void receiveFrame(std::size_t gateway, int n, SimTime at);
    bool multicastLost(LorawanDevice& d);
    SimTime nextPingSlot(SimTime t) const;
    void stopListening(LorawanDevice& d, SimTime at);
    void beacon(std::size_t gateway);
    double clockErrorAt(const LorawanDevice& d, SimTime t) const;

    // FuotaServerHost
    void scheduleServerJob(SimTime at) override;
    void sendFrames(SimTime at, int first, int last) override;
    void setDeviceState(std::size_t device, LorawanDeviceState state) override;
    void openSession(SimTime start, SimTime end, bool repair) override;
    void serverStateChanged(FuotaServerState from, FuotaServerState to) override;
    void deleteGroup() override;
    void waveStarting(int wave) override;

    // Faults (lorawanfleetfaults.cpp); called only when m_faults is set (or a device's faultWatch).
    LorawanFaultState& faultState();
    bool deferForFault(const Event& event);        // true: the event was moved or handled
    bool offAir(const LorawanDevice& d, SimTime t) const;   // off or its link down at t
    bool serverDown(SimTime t) const;
    bool wantsForgedFrame(std::size_t i);          // an armed forgedFragment hits this frame
    void faultFrameStored(std::size_t i);          // atFlashWrite / atProgress
    bool faultApplied(std::size_t i);              // true: a bad image rolled back instead
    bool faultImageCheck(std::size_t i);           // true: the device's own check refused the block
    void faultFinal(std::size_t i);
    QString faultReason(std::size_t i) const;
    void powerOff(std::size_t i, int logId, double forS, const QString& when);
    void powerOn(std::size_t i, int logId);
    void clockJump(std::size_t i, int logId, double jumpS);

    // Under a rollout: the campaign's first wave began (the report's elapsed time counts from it).
    SimTime campaignStartTime() const;
    std::vector<TimelineSpan> waveTimeline() const;
    void appendWaveFigures(std::vector<NamedValue>& rows) const;

    Simulator& m_sim;
    LorawanFleetConfig m_config;
    FleetListener* m_listener;
    LorawanFleetPhy m_phy;
    LorawanEnergyPreset m_preset;
    FuotaPlan m_plan;
    LorawanDataBlock m_dataBlock;   // what the campaign multicasts (shared by every device)
    NodeId m_firstNode = 0;
    NodeId m_serverNode = kNoNode;
    std::vector<LorawanDevice> m_devices;
    std::vector<LorawanGateway> m_gateways;
    std::vector<FleetNodeInfo> m_nodes;
    std::unique_ptr<FuotaServer> m_server;
    QString m_batteryName;
    double m_batteryMah = 0;
    double m_batteryVolts = 0;
    double m_volts = 3.3;
    bool m_flashFits = true;
    int m_rx2DataRate = 0;
    SimTime m_retryInterval;
    int m_gatewaysSending = 0;
    bool m_beaconing = false;       // class B: gateways send beacons
    std::uint32_t m_forgedSent = 0;
    double m_adaptiveLoss = 0;      // redundancy "adaptive": the 95th-percentile device loss it covers
    std::unique_ptr<LorawanCapture> m_capture;  // null unless a capture is on
    std::unique_ptr<LorawanFaultState> m_faults; // null unless the scenario arms a fault or attack
    // Rollout waves: each completed wave's gateways' multicast spans ([0..1] from, [2..3]
    // until, as LorawanGateway::multicastFrom/Until), per gateway; index = wave − 1.
    std::vector<std::vector<std::array<SimTime, 4>>> m_waveGatewaySpans;
};

// FRMPayload bytes of the unicast messages the fleet models: their real encodings as
// core/lorawan writes them (tests/sim/lorawan_capture_test.cpp holds them equal).
int lorawanCommandBytes(LorawanCommand command, int fecVersion);  // the server's request (downlink)
int lorawanAnswerBytes(LorawanCommand answer);                     // the device's answer (uplink)
inline constexpr int kLorawanAppTimeReqBytes = 6;            // TS003 AppTimeReq: CID, DeviceTime u32, Param
inline constexpr int kLorawanAppTimeAnsBytes = 6;            // TS003 AppTimeAns: CID, TimeCorrection i32, Param
inline constexpr int kLorawanDataBlockReceivedReqBytes = 2;  // TS004 v2 FragDataBlockReceivedReq: CID, MicError | FragIndex
inline constexpr int kLorawanDataBlockReceivedAnsBytes = 2;  // TS004 v2 FragDataBlockReceivedAns: CID, FragIndex

// The LoRaWAN family's builder (called from sim/fleet/families.cpp). Errors name the field
// below ctx.field ("fleets[0].campaign.multicastDataRate").
Result<std::unique_ptr<Fleet>> buildLorawanFleet(const LorawanFleetConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
