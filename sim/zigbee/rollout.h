// SPDX-License-Identifier: Apache-2.0
// Rollout: a one-Zigbee-fleet scenario run with its Zigbee objects at hand.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simobserver.h"
#include "sim/zigbee/otadevice.h"
#include "sim/zigbee/rolloutconfig.h"
#include "sim/zigbee/zigbeefleet.h"
#include "sim/report/runresult.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace otalab::sim {

class OtaServerHost;
class Simulator;
class ZigbeeNetwork;

// Cheap, immutable view of a running rollout for a GUI (copy it to another thread).
struct RolloutSnapshot {
    double timeS = 0;             // virtual time
    int clients = 0;              // devices running an OTA client
    int upgraded = 0;
    int downloading = 0;          // moving bytes now (WAIT_FOR_DATA-parked devices count as waiting)
    int failed = 0;
    int refused = 0;
    std::uint64_t eventsExecuted = 0;
    bool finished = false;        // stop condition met; runUntil() does nothing more
    QString stopReason;
};

// A scenario of exactly one Zigbee fleet, with the Zigbee objects at hand (tests,
// benchmarks, the pcap exporter). A thin facade over FleetRun + ZigbeeFleet: the same
// run, the same trace and fingerprint as FleetRun::build(ScenarioConfig::fromRollout(c)).
// Threading as FleetRun.
class Rollout final {
public:
    // Validates and builds everything; nothing runs. Errors name the config field path
    // ("topology.nodes[3].parent", "images[0].path", "server.devicePolicies[1].device").
    static Result<std::unique_ptr<Rollout>> build(const RolloutConfig& config, const QString& baseDir = {});
    ~Rollout();
    Rollout(const Rollout&) = delete;
    Rollout& operator=(const Rollout&) = delete;

    void addObserver(SimObserver* observer) { m_run->addObserver(observer); }
    void setProgressCallback(std::function<void(const FleetSample&)> callback) { m_run->setProgressCallback(std::move(callback)); }
    bool runUntil(double timeS) { return m_run->runUntil(timeS); }
    bool run() { return m_run->run(); }
    void requestStop() { m_run->requestStop(); }
    bool finished() const { return m_run->finished(); }
    RolloutSnapshot snapshot() const;
    RunResult result() { return m_run->result(); }

    const RolloutConfig& config() const { return m_fleet->config(); }
    Simulator& simulator() { return m_run->simulator(); }
    ZigbeeNetwork& network() { return m_fleet->network(); }
    OtaServerHost& serverHost() { return m_fleet->serverHost(); }
    const std::vector<std::unique_ptr<OtaDevice>>& devices() const { return m_fleet->devices(); }
    std::uint64_t traceFingerprint() const { return m_run->traceFingerprint(); }
    std::uint64_t modelFingerprint() const { return m_run->modelFingerprint(); }
    FleetRun& fleetRun() { return *m_run; }
    ZigbeeFleet& fleet() { return *m_fleet; }

private:
    Rollout() = default;
    std::unique_ptr<FleetRun> m_run;
    ZigbeeFleet* m_fleet = nullptr;
};

// Convenience: build, attach `extraObserver` (may be null), run to the stop
// condition, return the result (wallSeconds included).
Result<RunResult> runRollout(const RolloutConfig& config, SimObserver* extraObserver = nullptr,
                             std::function<void(const FleetSample&)> progress = {}, const QString& baseDir = {});

} // namespace otalab::sim
