// SPDX-License-Identifier: Apache-2.0
// Rollout: builds a Zigbee OTA campaign from a RolloutConfig and runs it (whole, or in slices).
#pragma once

#include "core/common/error.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simobserver.h"
#include "sim/zigbee/otadevice.h"
#include "sim/zigbee/rolloutconfig.h"
#include "sim/report/runresult.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace otalab::sim {

class OtaServerHost;
class RadioChannel;
class Simulator;
class TraceWriter;
class ZigbeeNetwork;

// Cheap, immutable view of a running rollout for a GUI (copy it to another thread).
struct RolloutSnapshot {
    double timeS = 0;             // virtual time
    int clients = 0;              // devices running an OTA client
    int upgraded = 0;
    int downloading = 0;
    int failed = 0;
    int refused = 0;
    std::uint64_t eventsExecuted = 0;
    bool finished = false;        // stop condition met; runUntil() does nothing more
    QString stopReason;
};

// One campaign: a coordinator hosting the OTA server (short 0x0000, endpoint 1,
// cluster 0x0019) and an OtaDevice on every router / ZED (ClientConfig::includeRouters,
// clientOverrides[].enabled). The Simulator is seeded with config.seed; each client's
// first query comes at a uniform offset in [0, firstQueryJitterMs) from the node's
// stream (seed, node, 'OTAJ'). A fingerprint-only TraceWriter is always attached.
//
// Threading: build() and everything else on one thread (the worker); requestStop()
// from any thread. GUI use: call runUntil() in bounded slices on the worker and
// publish snapshot() after each slice.
class Rollout final : private SimObserver, private EventHandler, private OtaDeviceListener {
public:
    // Validates and builds everything; nothing runs. Errors name the config field path
    // ("topology.nodes[3].parent", "images[0].path", "server.devicePolicies[1].device").
    // Relative image paths resolve against baseDir.
    static Result<std::unique_ptr<Rollout>> build(const RolloutConfig& config, const QString& baseDir = {});
    ~Rollout() override;
    Rollout(const Rollout&) = delete;
    Rollout& operator=(const Rollout&) = delete;

    // Extra observers (trace writer with output, pcap writer, GUI feed). Before the first run.
    void addObserver(SimObserver* observer);
    // Called with every FleetSample as it is taken (simulation thread).
    void setProgressCallback(std::function<void(const FleetSample&)> callback) { m_progressCallback = std::move(callback); }

    // Runs up to virtual time `timeS` (clamped to stop.until) or until the stop
    // condition. Returns finished(). Not re-entrant.
    bool runUntil(double timeS);
    // Runs to the stop condition.
    bool run() { return runUntil(m_config.stop.untilS); }
    // Any thread: the current runUntil() returns soon (not finished; call again to continue).
    void requestStop();

    bool finished() const { return m_finished; }
    RolloutSnapshot snapshot() const;
    // Per-device outcomes and the samples so far (can be called mid-run; then
    // unfinished devices are Unfinished / NotStarted).
    RunResult result();

    const RolloutConfig& config() const { return m_config; }
    Simulator& simulator() { return *m_sim; }
    ZigbeeNetwork& network() { return *m_network; }
    OtaServerHost& serverHost() { return *m_server; }
    const std::vector<std::unique_ptr<OtaDevice>>& devices() const { return m_devices; }
    std::uint64_t traceFingerprint() const;

private:
    explicit Rollout(const RolloutConfig& config);
    Result<void> construct(const QString& baseDir);

    // SimObserver (channel utilisation)
    void onFrame(const FrameRecord& frame) override;
    // EventHandler (fleet samples)
    void handleEvent(Simulator& sim, const Event& event) override;
    // OtaDeviceListener
    void onDevicePhase(OtaDevice& device) override;

    FleetSample takeSample();
    void finish(QString reason);

    RolloutConfig m_config;
    std::vector<std::shared_ptr<const QByteArray>> m_images;
    std::unique_ptr<RadioChannel> m_channel;
    std::unique_ptr<ZigbeeNetwork> m_network;
    std::unique_ptr<OtaServerHost> m_server;
    std::vector<std::unique_ptr<OtaDevice>> m_devices;
    std::unique_ptr<TraceWriter> m_trace;
    DevicePreset m_preset;
    QString m_batteryName;
    double m_batteryJoules = 0;
    std::vector<FleetSample> m_samples;
    std::function<void(const FleetSample&)> m_progressCallback;
    std::int64_t m_airtimeNs = 0;     // frames transmitted since the last sample
    SimTime m_lastSample;
    int m_finishedDevices = 0;
    bool m_finished = false;
    bool m_allDone = false;
    QString m_stopReason;
    double m_wallSeconds = 0;
    std::unique_ptr<Simulator> m_sim;  // last: destroyed first (events reference the rest)
};

// Convenience: build, attach `extraObserver` (may be null), run to the stop
// condition, return the result (wallSeconds included).
Result<RunResult> runRollout(const RolloutConfig& config, SimObserver* extraObserver = nullptr,
                             std::function<void(const FleetSample&)> progress = {}, const QString& baseDir = {});

} // namespace otalab::sim
