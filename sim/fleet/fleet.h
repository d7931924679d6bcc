// SPDX-License-Identifier: Apache-2.0
// Fleet: the one contract every OTA family implements for the rest of the lab.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/devicestatus.h"
#include "sim/fleet/faults/faultlog.h"
#include "sim/fleet/machinedescription.h"
#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim {

class Fleet;

// Told when a campaign device changes phase (FleetRun keeps counters and the stop
// condition from it). Simulation thread, from inside an event handler.
class FleetListener {
public:
    virtual void onDevicePhase(Fleet& fleet, std::size_t device, FleetPhase from, FleetPhase to) = 0;

protected:
    ~FleetListener() = default;
};

// Figures of the fleet as a whole, for the report head.
struct FleetFacts {
    std::uint64_t imageBytes = 0;    // size of the image rolled out (the first, if several)
    QString batteryName;             // "CR2032 (225 mAh)"; empty when mains powered
    double batteryCapacityMah = 0;   // 0 when mains powered
    double batteryVoltageV = 0;
    QString linkDescription;         // "IEEE 802.15.4 channel 15", "BLE gateway, 6 connections"
};

// A fleet: devices of one family on that family's network model, built on the scenario's
// Simulator by the family's builder (sim/fleet/families.cpp lists them). Devices are
// numbered 0..deviceCount()-1 within the fleet; nodes() lists every node the fleet
// placed on the kernel (servers, gateways, routers without a client too).
//
// Contract:
//  - start() arms the devices' first events; called once, after every fleet is built.
//  - phase() is cheap (a field read) and is what counters and samples use; status() is
//    built on demand for views and may cost a few allocations.
//  - Every phase change is reported to the FleetListener given to the builder, in the
//    event that caused it. A device leaves a final phase only when a rollout retries it
//    (releaseDevices after Failed / RolledBack); FleetRun then counts it out of the
//    finished devices until it reaches a final phase again.
//  - appendResults() may be called mid-run (unfinished devices say so) and must not
//    change the run (no events, no observer records).
// Simulation thread only.
class Fleet {
public:
    virtual ~Fleet() = default;

    virtual QString family() const = 0;       // "zigbee", "smp"
    const QString& name() const { return m_name; }
    void setName(QString name) { m_name = std::move(name); }

    virtual const std::vector<FleetNodeInfo>& nodes() const = 0;
    virtual std::size_t deviceCount() const = 0;
    virtual NodeId deviceNode(std::size_t device) const = 0;
    virtual FleetPhase phase(std::size_t device) const = 0;
    virtual DeviceStatus status(std::size_t device) const = 0;
    // The numbers of status(), cheaply (no strings); the default builds status().
    virtual DeviceFigures figures(std::size_t device) const;
    virtual std::vector<MachineDescription> machines() const = 0;
    // Status of a node that is no campaign device (a FUOTA/network server, a gateway), for
    // the inspector: only machineStates (of machines() it runs) and attributes are read;
    // phase, bytes and energy are ignored. nullopt (the default): the family tells nothing.
    // Built on demand, like status().
    virtual std::optional<DeviceStatus> nodeStatus(NodeId node) const
    {
        (void)node;
        return std::nullopt;
    }
    virtual FleetFacts facts() const = 0;

    virtual void start() = 0;
    // Appends one DeviceResult per campaign device (fleet and family filled in).
    virtual void appendResults(std::vector<DeviceResult>& out) const = 0;
    // Figures of the fleet as a whole for the report (none by default); same rules as appendResults().
    virtual std::vector<NamedValue> fleetFigures() const { return {}; }
    // The campaign on a timeline and the transmit budgets, for the report's charts (none
    // by default: the report draws neither); same rules as appendResults().
    virtual std::vector<TimelineSpan> fleetTimeline() const { return {}; }
    virtual std::vector<BudgetBar> fleetBudgets() const { return {}; }

    // Capture files of the family's own (otalab-cli run --pcap): frames the kernel's
    // FrameRecord cannot describe (real bytes of another link type, key tables). Called
    // at most once, after build and before the first event; writes into `dir` (which
    // exists) and returns the paths it writes (none by default). A capture must not change
    // the run: no events, no observer records, same fingerprint. finishCapture() writes
    // what is buffered and closes the files (the destructor does too).
    virtual Result<QStringList> startCapture(const QString& dir)
    {
        (void)dir;
        return QStringList{};
    }
    virtual void finishCapture() {}

    // --- Rollout policy (sim/fleet/rollout; one engine for every family) ---------------
    // When the scenario has a "rollout" section, FleetRun owns a RolloutEngine over the
    // campaign devices of the fleets it targets and drives the fleet through the calls
    // below; without one none of them is called and the family runs as it always did.
    // Device numbers are this fleet's (0..deviceCount()-1). All calls: simulation thread,
    // inside an event (or, for holdForRollout, after build and before start()).
    //
    // What the family can do under a policy; a scenario asking for more is refused with
    // the reason before anything runs ("rollout.retries: the zigbee family cannot retry a
    // device"). Default: nothing — a rollout section naming this fleet is an error.
    struct RolloutSupport {
        bool gate = false;   // holds devices until released (required for any rollout)
        bool stop = false;   // can stop serving a device (timeout, cancel with force)
        bool retry = false;  // can start a device again after Failed (a new execution)
        QString how;         // one line for the report: "OTA server offers the image only to released devices"
    };
    virtual RolloutSupport rolloutSupport() const { return {}; }
    // From now on no device starts its download until releaseDevices() names it (a
    // queued execution). Called once, before start().
    virtual void holdForRollout() {}
    // The policy notified these devices (job executions now notified, still QUEUED until
    // the device starts): each may start when the family's protocol lets it (a sleepy
    // device at its next poll, a board when a push slot frees, a LoRaWAN wave when its
    // multicast group forms). Also a retry of a Failed device (rolloutSupport().retry),
    // whose phase then leaves Failed (FleetRun adjusts its counters).
    virtual void releaseDevices(const std::vector<std::size_t>& devices) { (void)devices; }
    // The policy ended these devices' executions (timed out, canceled, removed): the
    // family stops serving them where its protocol can (a queued device never starts; a
    // downloading one is dropped by its server). Their phase is the family's to report.
    virtual void stopDevices(const std::vector<std::size_t>& devices) { (void)devices; }

    // --- Faults and attacks (sim/fleet/faults; the scenario's "faults" / "attacks") -----
    // What the family can do; FleetRun refuses a scenario asking for more, naming the
    // fault and the reason, before anything runs. Default: nothing.
    struct FaultSupport {
        std::vector<faults::FaultKind> kinds;        // fault kinds it implements
        bool atFlashWrite = false;                   // device faults may fire at the k-th flash write
        bool atProgress = false;                     // ... or at a share of the image stored
        std::vector<faults::AttackKind> attacks;     // attacks it can stage
        QString survives;                            // one line for the report: what a power cut keeps
                                                     // ("the flash written so far and MCUboot's swap status")
        // Why a kind is not in `kinds` / `attacks`, in words the refusal quotes ("the client has no
        // clock of its own: it counts down the server's upgradeTime − currentTime"); optional.
        std::vector<std::pair<faults::FaultKind, QString>> whyNot;
        std::vector<std::pair<faults::AttackKind, QString>> whyNotAttack;
    };
    virtual FaultSupport faultSupport() const { return {}; }
    // Where the family writes what its faults and attacks did (set once, before arm*/start;
    // null when the scenario has neither). The log outlives the fleet's events.
    void setFaultLog(faults::FaultLog* log) { m_faultLog = log; }
    faults::FaultLog* faultLog() const { return m_faultLog; }
    // Before start(), once per order: keep what the family must watch itself (a condition,
    // the bad image variant, an attack without atS). Errors refuse the scenario.
    virtual Result<void> armFault(const faults::FaultOrder& order) { (void)order; return {}; }
    virtual Result<void> armAttack(const faults::AttackOrder& order) { (void)order; return {}; }
    // At order.atS (FleetRun's event): do it now, and write the log.
    virtual void injectFault(const faults::FaultOrder& order) { (void)order; }
    virtual void injectAttack(const faults::AttackOrder& order) { (void)order; }

private:
    QString m_name;
    faults::FaultLog* m_faultLog = nullptr;
};

} // namespace otalab::sim
