// SPDX-License-Identifier: Apache-2.0
// SmpFleet: N simulated MCUboot boards pushed by one host (seed 002 "distributed push").
#pragma once

#include "sim/energy/devicepreset.h"
#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "sim/smp/smpfleetboard.h"
#include "sim/smp/smpfleetconfig.h"
#include "sim/smp/smpfleethost.h"
#include "sim/smp/smpfleetimages.h"

#include <memory>
#include <vector>

namespace otalab::sim {

class SmpFleetFaults;

// The SMP family behind the neutral Fleet contract. Nodes: board i is ctx.firstNode + i
// ("board-0001" …, role "board", campaign devices), then one node for the host
// (ctx.firstNode + count: "gateway" over BLE, "host" over UDP; not a campaign device),
// which every board hangs from in the drawing; boards sit on a square grid
// (boards.spacingM) below the host. Per-board plans (unhealthy image, power cut point)
// come from RandomStream(ctx.seed, board node, purpose).
//
// Neutral phases follow the push machine (smpfleetmachine.h, machine kSmpPushMachine):
// queued / connecting / reading state / waiting to retry → Waiting; uploading →
// Downloading; marking test → Verifying; reset request → WaitingToApply; waiting for the
// board, checking which image runs, confirming → Applying; then Upgraded, Failed,
// Refused or RolledBack with a reason in words.
class SmpFleet final : public Fleet, private SmpFleetHostListener {
public:
    ~SmpFleet() override;

    QString family() const override { return QStringLiteral("smp"); }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_boards.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_boards[device].node; }
    FleetPhase phase(std::size_t device) const override { return m_phase[device]; }
    DeviceStatus status(std::size_t device) const override;
    std::vector<MachineDescription> machines() const override;
    FleetFacts facts() const override;
    void start() override;
    void appendResults(std::vector<DeviceResult>& out) const override;

    // Rollout policy: the host's push queue takes only released boards, in release order;
    // a stopped board is never taken up, or is abandoned mid-push (Failed). No retry: the
    // host's uploadAttempts already retry a board within its execution, and a Failed
    // board's flash model is released once it settles (a new push would need a new board).
    RolloutSupport rolloutSupport() const override;
    void holdForRollout() override { m_host->holdForRollout(); }
    void releaseDevices(const std::vector<std::size_t>& devices) override;
    void stopDevices(const std::vector<std::size_t>& devices) override;

    // Faults and attacks: sim/smp/smpfleetfaults.h says what each one does.
    FaultSupport faultSupport() const override;
    Result<void> armFault(const faults::FaultOrder& order) override;
    Result<void> armAttack(const faults::AttackOrder& order) override;
    void injectFault(const faults::FaultOrder& order) override;
    void injectAttack(const faults::AttackOrder& order) override;

    const SmpFleetConfig& config() const { return m_config; }
    const SmpFleetImages& images() const { return m_images; }
    const SmpFleetHost& host() const { return *m_host; }
    const SmpFleetBoard& board(std::size_t device) const { return m_boards[device]; }
    NodeId hostNode() const { return m_hostNode; }
    // Energy of board `device` since t = 0 (J) and since its push began (J).
    std::pair<double, double> energy(std::size_t device) const;

private:
    friend Result<std::unique_ptr<Fleet>> buildSmpFleet(const SmpFleetConfig&, const FleetBuildContext&);
    SmpFleet(Simulator& sim, const SmpFleetConfig& config, FleetListener* listener);
    Result<void> construct(const FleetBuildContext& ctx);

    void onBoardState(std::size_t board, SmpPushState from, SmpPushState to) override;
    void onBoardProgress(std::size_t board, qint64 bytes) override;
    void onBoardMaterialized(std::size_t board) override;
    QString linkText() const;
    std::vector<NamedValue> attributes(const SmpFleetBoard& board) const;

    Simulator& m_sim;
    SmpFleetConfig m_config;
    FleetListener* m_listener;
    SmpFleetImages m_images;
    core::mcuboot::FlashGeometry m_geometry;
    std::vector<SmpFleetBoard> m_boards;
    std::vector<FleetPhase> m_phase;
    std::vector<FleetNodeInfo> m_nodes;
    NodeId m_hostNode = kNoNode;
    QString m_hostName;
    DevicePreset m_preset;
    QString m_batteryName;
    double m_batteryJoules = 0;
    double m_batteryMah = 0;
    double m_batteryVolts = 0;
    std::unique_ptr<SmpFleetHost> m_host;
    std::unique_ptr<SmpFleetFaults> m_faults;
};

// The SMP family's builder (called from sim/fleet/families.cpp). Builds the images, the
// per-board plans and the host; boards get their simulation objects only when the host
// takes them up. Errors name the field below ctx.field ("$.fleets[1].boards.preset").
Result<std::unique_ptr<Fleet>> buildSmpFleet(const SmpFleetConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
