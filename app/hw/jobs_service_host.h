// SPDX-License-Identifier: Apache-2.0
// JobsServiceHost: the AWS IoT Jobs + MQTT file delivery service in real time — the core
// JobsStreamService (core/awsota/jobsservice.h) on an MqttLink, one RolloutEngine
// (sim/fleet/rollout) per job deciding when each target is notified, the lab's control
// protocol (app/hw/jobs_control_protocol.h) for create / list / describe / cancel, and a
// JobsStore so a restart keeps the jobs. `otalab-cli jobs serve` and the Bench run it.
//
// Topics: it subscribes to $aws/things/+/jobs/$next/get, $aws/things/+/jobs/+/update and
// $aws/things/+/streams/+/get/cbor (a filter that starts with "$aws" matches "$" topics;
// only a leading wildcard does not) and to otalab/jobs/api/+. It publishes with the exact
// AWS names (notify-next, update/accepted|rejected, streams/<s>/data/cbor) and one JSON
// event per execution change and progress step on otalab/jobs/events.
//
// Time: the engines are fed seconds since their job's creation from the injected JobsClock
// (SystemJobsClock in the CLI; tests drive a ManualJobsClock). One wake-up at the earliest
// nextWakeS of all jobs.
//
// (Re)connect: every thing with a live execution is told its next job on notify-next (a
// $next/get sent while the service was away went unanswered).
//
// Restart: each job's inputs (notifications, accepted updates, ends, cancels) are kept in
// its file; start() replays them into a fresh service and engine, then catches up to now.
//
// Threading: the link's thread.
#pragma once

#include "app/hw/jobs_clock.h"
#include "app/hw/jobs_control_protocol.h"
#include "app/hw/jobs_store.h"
#include "core/awsota/jobsservice.h"
#include "core/transport/mqtt_link.h"
#include "sim/fleet/rollout/rolloutengine.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

namespace otalab::hw::jobs {

class JobsServiceHost final : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString stateDir;                       // empty: jobs live in memory only
        core::awsota::ServiceConfig service;
        std::uint64_t seed = 1;                 // the engines' seed (order "random")
        int reconnectDelayMs = 1000;
        int progressLines = 10;                 // progress lines per device and download
    };

    // link and clock are not owned and must outlive the host.
    JobsServiceHost(core::transport::MqttLink* link, JobsClock* clock, Options options, QObject* parent = nullptr);
    ~JobsServiceHost() override;

    // Loads --state (replaying each job), then connects. Errors: an unreadable state folder.
    Result<void> start();
    void stop();

    // The control operations, also callable in-process (the Bench).
    ControlResponse handle(const ControlRequest& request);

    const core::awsota::JobsStreamService& service() const { return m_service; }
    QStringList jobIds() const;
    std::optional<JobSummary> summary(const QString& jobId, bool withExecutions = true) const;
    const sim::rollout::RolloutEngine* engine(const QString& jobId) const;
    bool isConnected() const { return m_connected; }
    // Data blocks published for (job, thing): every block id in order, repeats included.
    QList<std::uint32_t> blocksSent(const QString& jobId, const QString& thing) const;

Q_SIGNALS:
    void log(const QString& line);
    void ready();                               // connected and subscribed (again)
    void executionChanged(const QString& jobId, const QString& thing, const QString& from, const QString& to,
                          const QJsonObject& statusDetails);
    void progress(const QString& jobId, const QString& thing, int blocksReceived, int blocksTotal);
    void jobChanged(const QString& jobId, const QString& status);

private:
    struct DeviceBlocks {
        QSet<std::uint32_t> distinct;
        QList<std::uint32_t> sent;
        int total = 0;
    };
    struct HostJob {
        StoredJob stored;
        std::unique_ptr<sim::rollout::RolloutEngine> engine;
        QString engineStatus;
        QHash<QString, DeviceBlocks> blocks;
        QHash<QString, int> progressLinesPrinted;
        bool serviceCanceled = false;
    };

    void onLinkState(core::transport::MqttLink::State state);
    void onMessage(const QString& topic, const QByteArray& payload);
    void onWake();
    void announcePending();
    void handleControl(ControlOp op, const QByteArray& payload);

    Result<void> createJob(const ControlRequest& request, qint64 nowMs);
    Result<void> restoreJob(StoredJob stored);
    Result<std::unique_ptr<sim::rollout::RolloutEngine>> makeEngine(const StoredJob& stored) const;
    HostJob* find(const QString& jobId);
    const HostJob* find(const QString& jobId) const;
    HostJob* jobOfStream(const QString& stream);
    double ageS(const HostJob& job, qint64 nowMs) const { return double(nowMs - job.stored.createdAtMs) / 1000.0; }

    // Runs the service's actions: publish, record executions, feed the engine.
    void applyService(core::awsota::ServiceActions& actions, qint64 nowMs, bool fromThing);
    void applyEngine(HostJob& job, const std::vector<sim::rollout::RolloutAction>& actions, qint64 nowMs);
    void checkEngineStatus(HostJob& job, qint64 nowMs);
    void record(HostJob& job, JobEvent event);
    void save(HostJob& job, bool withImage = false);
    void armWake();
    void publishEvent(const QJsonObject& event);
    void refreshExecution(HostJob& job, const QString& thing);

    QPointer<core::transport::MqttLink> m_link;
    QPointer<JobsClock> m_clock;
    Options m_options;
    JobsStore m_store;
    core::awsota::JobsStreamService m_service;
    std::vector<std::unique_ptr<HostJob>> m_jobs;
    QTimer m_reconnect;
    bool m_started = false;
    bool m_connected = false;
    bool m_stopping = false;
    bool m_replaying = false;
};

} // namespace otalab::hw::jobs
