// SPDX-License-Identifier: Apache-2.0
// JobsFleet: cloud-connected devices (ESP32 on Wi-Fi, nRF9160 on LTE-M / NB-IoT) running
// the FreeRTOS OTA agent against an AWS IoT Jobs + MQTT streams service, behind the
// neutral Fleet contract (seed 003, issue 13).
#pragma once

#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "core/awsota/otaagent.h"
#include "sim/jobs/jobsagenthost.h"
#include "sim/jobs/jobsdevice.h"
#include "sim/jobs/jobsfleetconfig.h"
#include "sim/jobs/jobslink.h"
#include "sim/jobs/jobspreset.h"
#include "sim/kernel/eventhandler.h"

#include <QByteArray>

#include <memory>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

struct JobsFaultState;

// The events of device i's current job execution and power-on carry this (arg0): an event
// of an earlier execution or of before a power cut is stale.
inline std::uint64_t jobsEpoch(const JobsDevice& d) { return std::uint64_t(d.execution) | (std::uint64_t(d.powerCycles) << 8); }

// One resolved device group: its preset, power saving and idle current.
struct JobsGroup {
    QString name;
    JobsDevicePreset preset;
    JobsPowerSaving power;
    double idleA = 0;            // mean current between jobs (sleep floor + paging)
    std::uint32_t first = 0;     // first device index
    std::uint32_t count = 0;
};

// The cloud side's counters (a sim model of the jobs + streams service; see README.md).
struct JobsServiceCounters {
    std::uint64_t notifies = 0;          // notify-next publishes (job executions notified)
    std::uint64_t getStreams = 0;        // GetStream requests that reached the service
    std::uint64_t blocksSent = 0;        // data blocks published
    std::uint64_t blocksLost = 0;        // of those, lost on the way to the device
    std::uint64_t requestsLost = 0;      // GetStream requests lost on the way to the service
    std::uint64_t requestsRetried = 0;   // GetStream requests sent after the agent's request timer fired
    std::uint64_t updates = 0;           // job execution updates (IN_PROGRESS, self-test, SUCCEEDED / FAILED)
    std::uint64_t messages = 0;          // every MQTT PUBLISH through the broker, both ways
    std::uint64_t bytesDown = 0;         // MQTT bytes towards devices
    std::uint64_t bytesUp = 0;           // MQTT bytes from devices
    std::uint64_t ignoredRequests = 0;   // requests for a stopped execution
    double brokerBusyS = 0;              // time the fan-out queue was busy
    double streamBusyS = 0;              // time the stream service was busy
    double maxQueueDelayS = 0;           // longest a block waited for the stream service + fan-out
};

// Nodes: device i is ctx.firstNode + i ("thing-00001" …, role "thing"), then the cloud
// ("AWS IoT", role "broker": broker + jobs + streams). Devices hang from the cloud.
//
// Event flow (kinds in jobsfleetrun.cpp): the service publishes notify-next for a device
// (broker fan-out queue; a device not connected hears it at its next paging occasion / DTIM
// beacon, or at its next periodic TAU in PSM: the broker holds the QoS 1 message for the
// persistent session); the agent erases its receive file, then asks GetStream for
// blocksPerRequest blocks of its bitmap; each request reaches the service (stream service
// queue, fan-out queue, per-connection throughput) which schedules the data blocks'
// arrival; a missing answer costs the request timer; when the bitmap is full the agent
// closes the file (SHA-256 + signature), reboots, reconnects, self-tests and reports.
//
// Randomness: per device RandomStream(seed, node, purpose): 'LINK' (its latency, rates,
// wake phase), 'JOBS' (losses, disconnects); the bad-image / bad-signature devices are a
// seeded shuffle of the fleet ('BADI').
class JobsFleet final : public Fleet, private EventHandler {
public:
    ~JobsFleet() override;

    QString family() const override { return QStringLiteral("jobs"); }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_devices.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_firstNode + NodeId(device); }
    FleetPhase phase(std::size_t device) const override { return jobsStepPhase(m_devices[device].step); }
    DeviceStatus status(std::size_t device) const override;
    DeviceFigures figures(std::size_t device) const override;
    std::vector<MachineDescription> machines() const override;
    std::optional<DeviceStatus> nodeStatus(NodeId node) const override;
    FleetFacts facts() const override;
    void start() override;
    void appendResults(std::vector<DeviceResult>& out) const override;
    std::vector<NamedValue> fleetFigures() const override;

    RolloutSupport rolloutSupport() const override;
    void holdForRollout() override;
    void releaseDevices(const std::vector<std::size_t>& devices) override;
    void stopDevices(const std::vector<std::size_t>& devices) override;

    // Scenario faults and attacks (jobsfleetfaults.cpp; what each does: jobsfleetfaults.h).
    FaultSupport faultSupport() const override;
    Result<void> armFault(const faults::FaultOrder& order) override;
    Result<void> armAttack(const faults::AttackOrder& order) override;
    void injectFault(const faults::FaultOrder& order) override;
    void injectAttack(const faults::AttackOrder& order) override;

    const JobsFleetConfig& config() const { return m_config; }
    const JobsDevice& device(std::size_t i) const { return m_devices[i]; }
    const JobsGroup& groupOf(std::size_t i) const { return m_groups[m_devices[i].group]; }
    const std::vector<JobsGroup>& groups() const { return m_groups; }
    const JobsServiceCounters& service() const { return m_service; }
    std::uint32_t blockCount() const { return m_blocks; }
    NodeId cloudNode() const { return m_cloudNode; }
    // Energy of device i since t = 0 and since its download started (J).
    std::pair<double, double> energy(std::size_t device) const;
    // The device's agent while it works on a job (null otherwise).
    const core::awsota::OtaAgent* agentOf(std::size_t device) const;
    const core::awsota::OtaJobDocument& document() const { return m_document; }
    QString failureReason(std::size_t device) const;
    // Wire sizes (bytes of one MQTT PUBLISH incl. topic, before TLS/TCP) of the messages.
    int dataMessageBytes(std::uint32_t block) const;
    int getStreamMessageBytes() const { return m_getStreamBytes; }

private:
    friend Result<std::unique_ptr<Fleet>> buildJobsFleet(const JobsFleetConfig&, const FleetBuildContext&);
    JobsFleet(Simulator& sim, const JobsFleetConfig& config, FleetListener* listener);
    Result<void> construct(const FleetBuildContext& ctx);

    void handleEvent(Simulator& sim, const Event& event) override;
    // Service side.
    void notify(std::size_t i);
    void requestAtService(std::size_t i, std::uint32_t generation, std::uint32_t firstBlock);
    SimTime brokerSlot(SimTime ready);
    SimTime downlink(std::size_t i, SimTime sentAt, int bytes, bool paged);
    SimTime uplink(std::size_t i, SimTime at, int bytes);
    // Device side: inputs to the device's OtaAgent (jobsfleetagent.cpp).
    void notifyArrived(std::size_t i, std::uint32_t execution);
    void jobDocumentArrived(std::size_t i, std::uint32_t execution);
    void blockArrived(std::size_t i, std::uint32_t block, std::uint32_t generation);
    void agentTimer(std::size_t i, std::uint32_t timer);
    void verified(std::size_t i, std::uint32_t execution);
    void rebooted(std::size_t i, std::uint32_t execution);
    void selfTestDone(std::size_t i, std::uint32_t execution);
    void rolledBack(std::size_t i, std::uint32_t execution);
    void disconnect(std::size_t i, std::uint32_t generation);
    void reconnect(std::size_t i, std::uint32_t generation);
    void stopArrived(std::size_t i, std::uint32_t execution);
    JobsAgentSlot* slot(std::size_t i, std::uint32_t execution);
    // Carries out m_actions, the agent's answer to one input (timerBatch: to its request timer).
    void applyActions(std::size_t i, bool timerBatch = false);
    void freeSlot(std::size_t i);
    std::uint32_t requestsOf(std::size_t i) const;
    void scheduleDisconnect(std::size_t i);
    void setStep(std::size_t i, JobsStep next);
    void touch(JobsDevice& d, SimTime t);
    void closeSession(JobsDevice& d, SimTime now) const;
    void resetForExecution(JobsDevice& d);
    EventData data(std::size_t i, std::uint32_t kind, std::uint64_t arg0 = 0, std::uint64_t arg1 = 0) const;
    // The connection drops now (a disconnect, a broker crash, a link outage): OTA_Suspend,
    // then OTA_Resume at reconnectAt.
    void dropConnection(std::size_t i, SimTime reconnectAt);

    // Faults (jobsfleetfaults.cpp); called only when m_faults is set.
    JobsFaultState& faultState();
    bool deferForFault(const Event& event);             // true: the event was moved or dropped
    void faultNotified(std::size_t i);                   // its agent slot was just made
    void faultBooted(std::size_t i, JobsAgentSlot& s);   // after the PAL's restart, before the agent boots
    void faultBlockStored(std::size_t i);                // a block was written (atFlashWrite / atProgress)
    void faultFinal(std::size_t i);                      // it entered a final step
    void noteFaultReboot(std::size_t i, core::awsota::RebootReason reason);   // a reset without a job status
    void powerOff(std::size_t i, int logId, double forS, const QString& when);
    void powerOn(std::size_t i, int logId);
    void brokerCrash(int logId, double forS);
    void linkOutage(std::size_t i, int logId, double forS);
    void forgeBlock(std::size_t i, int logId);
    core::awsota::AppVersion32 bootVersion(std::size_t i, const JobsAgentSlot& s) const;

    Simulator& m_sim;
    JobsFleetConfig m_config;
    FleetListener* m_listener;
    NodeId m_firstNode = 0;
    NodeId m_cloudNode = kNoNode;
    std::vector<JobsGroup> m_groups;
    std::vector<JobsDevice> m_devices;
    std::vector<FleetNodeInfo> m_nodes;
    JobsServiceCounters m_service;
    std::uint32_t m_blocks = 0;
    std::uint32_t m_lastBlockBytes = 0;
    int m_getStreamBytes = 0;
    int m_notifyBytes = 0;
    int m_updateTopicBytes = 0;
    core::awsota::AgentConfig m_agentConfig;        // thingName set per device
    core::awsota::AppVersion32 m_runningVersion;
    core::awsota::AppVersion32 m_newVersion;
    core::awsota::OtaJobDocument m_document;        // the job's afr_ota document (shared)
    JobsSignatureVerdicts m_verdicts;
    QByteArray m_image;                             // the file's bytes, one copy for every device
    std::vector<std::unique_ptr<JobsAgentSlot>> m_slots;  // per device; set while it works on a job
    std::unordered_map<std::uint32_t, QString> m_reasons; // the agent's words for devices that failed
    core::awsota::AgentActions m_actions;           // reused for every agent input
    SimTime m_brokerBusy;                // fan-out queue: next free slot
    SimTime m_streamBusy;                // stream service: next free slot
    SimTime m_brokerSlot;                // 1 / fanoutPerS
    SimTime m_streamSlot;                // 1 / streamBlocksPerS
    std::unique_ptr<JobsFaultState> m_faults;  // null unless the scenario arms a fault or attack
    bool m_hold = false;                 // a rollout policy releases the devices
    bool m_started = false;
};

// The jobs family's builder (called from sim/fleet/families.cpp). Errors name the field
// below ctx.field ("fleets[0].devices[1].preset").
Result<std::unique_ptr<Fleet>> buildJobsFleet(const JobsFleetConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
