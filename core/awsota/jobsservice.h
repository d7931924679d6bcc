// SPDX-License-Identifier: Apache-2.0
// JobsStreamService: the cloud side of AWS IoT OTA as a sans-IO machine — the Jobs
// service (job executions per thing, $next/get, UpdateJobExecution) and MQTT-based file
// delivery (GetStream → data blocks), with the exact AWS topic names, so a real FreeRTOS
// OTA agent on a plain broker (otalab-cli jobs serve), the emulated agent (otaagent.h) or
// the simulator's 100,000 agents (sim/jobs, typed layer, no CBOR per block) upgrade from it.
//
// Who decides WHEN a thing learns of its job: the rollout policy (sim/fleet/rollout, in the
// app or simulator) calls notifyThing() — that creates the thing's execution (QUEUED) and
// publishes it on .../jobs/notify-next. A plain broker does not route
// .../jobs/$next/get/accepted to a client that did not subscribe to it (the FreeRTOS agent
// does not), so $next/get is answered on notify-next too (ServiceConfig::answerOnNotifyNext).
// Executions a thing was not notified of do not exist for it yet ($next/get answers none).
//
// The job document a thing receives echoes its execution's last statusDetails — that is
// how an agent learns after its reboot that it is in self-test.
//
// Execution states are core's JobExecutionStatus (jobexecution.h; the same 8 names as
// sim/fleet/rollout's ExecutionState). Every change is reported as ExecutionChanged so the
// host can feed the rollout engine.
//
// Inputs carry nowMs (host clock, non-decreasing) and append ServiceActions to `out`.
// Refused requests (unknown stream or file, a thing without a live execution, updates on a
// terminal execution, malformed payloads) change nothing, are counted and answered with
// ServiceRefusal (and an update/rejected message where AWS sends one).
// Memory: the image is held once per job (shared_ptr) and never copied per thing or per
// block: StreamBlock keeps a reference and a range.
// Not thread-safe: one thread drives it.
#pragma once

#include "core/awsota/jobdocument.h"
#include "core/awsota/jobexecution.h"
#include "core/awsota/otaagent.h"
#include "core/awsota/streammessages.h"
#include "core/common/error.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::awsota {

struct ServiceConfig {
    // Answer $next/get on .../jobs/notify-next (a plain broker) instead of
    // .../jobs/$next/get/accepted (AWS IoT).
    bool answerOnNotifyNext = true;
    // Publish .../jobs/<jobId>/update/accepted|rejected (AWS does; the FreeRTOS agent does
    // not listen; a simulator may switch them off to save the cost).
    bool publishUpdateResponses = true;
    // At most this many blocks answer one GetStream (its n is honoured up to this).
    std::uint32_t maxBlocksPerRequest = 32;
    // GetStream l accepted (bytes).
    std::uint32_t minBlockSize = 256;
    std::uint32_t maxBlockSize = 131072;
};

// ---- messages the service publishes (typed, renderable) ----

// .../jobs/notify-next (or $next/get/accepted): the thing's next pending execution,
// with its echoed statusDetails; nullopt document: no pending execution ({"timestamp":..}).
struct JobNotification {
    QString thingName;
    std::optional<OtaJobDocument> document;
    std::int64_t timestampS = 0;
    int executionNumber = 0;
    bool onNextGetAccepted = false;  // topic $next/get/accepted instead of notify-next
    QString topic() const;
    QByteArray payload() const;
};

// .../streams/<stream>/data/cbor: one data block, a range of the job's shared image.
struct StreamBlock {
    QString thingName;
    QString streamName;
    std::uint32_t fileId = 0;
    std::uint32_t blockId = 0;
    std::uint32_t blockSize = 0;  // the request's l
    std::shared_ptr<const QByteArray> image;
    // The block's bytes (a view into image; empty past the end).
    QByteArrayView data() const;
    QString topic() const;
    QByteArray payload() const;      // CBOR f, i, l, p
    qsizetype encodedSize() const;   // == payload().size(), without encoding
};

// .../jobs/<jobId>/update/accepted | rejected
struct UpdateResponse {
    QString thingName;
    QString jobId;
    bool accepted = true;
    QString clientToken;   // echoed when the request had one
    QString errorCode;     // rejected: "InvalidStateTransition", "ResourceNotFound", "InvalidRequest"
    QString message;       // rejected: words
    std::int64_t timestampS = 0;
    QString topic() const;
    QByteArray payload() const;
};

using ServiceMessage = std::variant<JobNotification, StreamBlock, UpdateResponse>;

struct ServicePublish {
    ServiceMessage message;
    int qos = 1;
    QString topic() const;
    QByteArray payload() const;
};
// An execution changed (status or statusDetails). from == to: a statusDetails update.
struct ExecutionChanged {
    qint64 atMs = 0;
    QString thingName;
    QString jobId;
    JobExecutionStatus from = JobExecutionStatus::Queued;
    JobExecutionStatus to = JobExecutionStatus::Queued;
    QJsonObject statusDetails;
};
struct ServiceRefusal {
    qint64 atMs = 0;
    QString thingName;  // "" when the topic named none
    QString reason;
};

using ServiceAction = std::variant<ServicePublish, ExecutionChanged, ServiceRefusal>;
using ServiceActions = std::vector<ServiceAction>;

// One thing's execution of one job (DescribeJobExecution).
struct ExecutionInfo {
    QString thingName;
    QString jobId;
    JobExecutionStatus status = JobExecutionStatus::Queued;
    int executionNumber = 0;     // 1, then +1 per retry
    int versionNumber = 0;       // +1 per accepted update
    QJsonObject statusDetails;
    qint64 queuedAtMs = 0;
    qint64 startedAtMs = -1;     // first IN_PROGRESS (-1: not yet)
    qint64 lastUpdatedAtMs = 0;
    std::uint64_t getStreamRequests = 0;
    std::uint64_t blocksServed = 0;
    std::uint64_t bytesServed = 0;   // payload bytes
};

// One job (DescribeJob / ListJobs).
struct JobInfo {
    QString jobId;
    QString status;              // "IN_PROGRESS" | "CANCELED" | "COMPLETED"
    OtaJobDocument document;
    qint64 imageSize = 0;
    QStringList targets;         // in creation order
    int notified = 0;            // things with an execution
    std::array<int, kJobExecutionStatusCount> counts{};  // executions per status
    bool forceCanceled = false;
    qint64 createdAtMs = 0;
};

class JobsStreamService {
public:
    explicit JobsStreamService(ServiceConfig config = {});
    ~JobsStreamService();
    JobsStreamService(JobsStreamService&&) noexcept;
    JobsStreamService& operator=(JobsStreamService&&) noexcept;

    // ---- control (the CLI, the app, the rollout policy) ----
    // Registers a thing (createJob registers its targets too). Fails for an empty name or
    // one with MQTT wildcard / '/' characters.
    Result<void> addThing(const QString& thingName);
    QStringList things() const;
    // A job for `targets` with `document` (afr_ota; files[0] is `image`, its stream
    // document.streamName). Fails for a duplicate job id, a stream already used by another
    // live job, a files[0].fileSize different from image->size(), no targets.
    Result<void> createJob(qint64 nowMs, const OtaJobDocument& document, std::shared_ptr<const QByteArray> image,
                           const QStringList& targets);
    // The rollout lets `thing` start: creates its execution (QUEUED; a FAILED / TIMED_OUT
    // one is retried under the next execution number) and publishes its next pending
    // execution on notify-next. Fails for a thing not targeted, a canceled job, or an
    // execution that is live or SUCCEEDED already.
    Result<void> notifyThing(qint64 nowMs, const QString& jobId, const QString& thingName, ServiceActions& out);
    // The service (the rollout's timeout, a removal) ends an execution: TIMED_OUT, REMOVED
    // or CANCELED. The thing is told its next pending execution on notify-next.
    Result<void> endExecution(qint64 nowMs, const QString& jobId, const QString& thingName, JobExecutionStatus status,
                              ServiceActions& out);
    // CancelJob: QUEUED executions → CANCELED; with force IN_PROGRESS ones too (without,
    // they may still finish). Things whose pending execution changed are notified.
    Result<void> cancel(qint64 nowMs, const QString& jobId, bool force, ServiceActions& out);

    // ---- bytes layer: one MQTT message published by a thing ----
    // .../jobs/$next/get, .../jobs/<jobId>/update, .../streams/<s>/get/cbor (and /json
    // refused). Returns the refusal (also appended as ServiceRefusal).
    Result<void> onMessage(qint64 nowMs, const QString& topic, QByteArrayView payload, ServiceActions& out);

    // ---- typed layer (the simulator: no JSON / CBOR per block) ----
    Result<void> onNextJobRequest(qint64 nowMs, const QString& thingName, const QString& clientToken,
                                  ServiceActions& out);
    Result<void> onJobUpdate(qint64 nowMs, const QString& thingName, const QString& jobId, JobExecutionStatus status,
                             const QJsonObject& statusDetails, const QString& clientToken, ServiceActions& out);
    Result<void> onGetStream(qint64 nowMs, const QString& thingName, const QString& streamName,
                             const GetStreamRequest& request, ServiceActions& out);
    // An agent's publish, typed (dispatches to the three above).
    Result<void> onAgentMessage(qint64 nowMs, const AgentMessage& message, ServiceActions& out);

    // ---- queries (jobs list / describe) ----
    std::vector<JobInfo> jobs() const;
    std::optional<JobInfo> job(const QString& jobId) const;
    std::vector<ExecutionInfo> executions(const QString& jobId) const;   // notified things, target order
    std::optional<ExecutionInfo> execution(const QString& jobId, const QString& thingName) const;
    std::vector<ExecutionInfo> executionsForThing(const QString& thingName) const;
    std::uint64_t refusedRequests() const { return m_refused; }
    const QString& lastRefusal() const { return m_lastRefusal; }
    const ServiceConfig& config() const { return m_config; }

private:
    struct Job;
    struct Execution;
    Job* findJob(const QString& jobId);
    const Job* findJob(const QString& jobId) const;
    Job* jobOfStream(const QString& streamName);
    Execution* findExecution(Job& job, const QString& thingName);
    // The thing's next pending execution: IN_PROGRESS first, then QUEUED, oldest first.
    std::pair<Job*, Execution*> nextPending(const QString& thingName);
    void publishNext(qint64 nowMs, const QString& thingName, bool onNextGetAccepted, ServiceActions& out);
    void setStatus(qint64 nowMs, Job& job, Execution& e, JobExecutionStatus to, ServiceActions& out);
    Result<void> refuse(qint64 nowMs, const QString& thingName, QString reason, ServiceActions& out);
    void respond(qint64 nowMs, const QString& thingName, const QString& jobId, const QString& clientToken,
                 const QString& errorCode, const QString& message, ServiceActions& out);
    ExecutionInfo describe(const Job& job, const Execution& e) const;

    ServiceConfig m_config;
    std::vector<std::unique_ptr<Job>> m_jobs;  // creation order
    QHash<QString, int> m_jobIndex;            // job id → index in m_jobs
    QStringList m_things;
    QHash<QString, int> m_thingIndex;
    std::uint64_t m_refused = 0;
    QString m_lastRefusal;
};

} // namespace otalab::core::awsota
