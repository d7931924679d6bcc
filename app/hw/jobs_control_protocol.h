// SPDX-License-Identifier: Apache-2.0
// The lab's control protocol for the real jobs service (`otalab-cli jobs serve`): how
// `otalab-cli jobs create|list|describe|cancel` (and the Bench) talk to a running service
// over the same MQTT broker the devices use. Not an AWS API: AWS's control plane is HTTPS;
// this is the smallest MQTT equivalent, with AWS's field names where they exist.
//
// Topics (JSON bodies, UTF-8, QoS 1):
//   request   otalab/jobs/api/<op>                  op = create | list | describe | cancel
//   response  otalab/jobs/api/response/<clientToken>   one per request, same clientToken
//   events    otalab/jobs/events                     one per execution change / progress step
// The requester subscribes to its response topic before it publishes the request; the
// service answers every well-formed request exactly once and ignores payloads it cannot
// read as a JSON object with a clientToken (it cannot answer them).
//
// Request bodies:
//   create   {"clientToken", "jobId", "targets": [thing...], "document": {"afr_ota": {...}},
//             "streamName", "fileId", "file": base64 image bytes,
//             "rollout": {the scenario "rollout" section: jobExecutionsRolloutConfig,
//                         abortConfig, timeoutConfig, ...}}
//   list     {"clientToken"}
//   describe {"clientToken", "jobId"}
//   cancel   {"clientToken", "jobId", "force": bool, "reason": text}
// Response body: {"clientToken", "ok": bool, "error": text, "field": text,
//                 "jobs": [JobSummary...]} (create/describe/cancel: the one job; list: all,
//                 without executions).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace otalab::hw::jobs {

enum class ControlOp { Create, List, Describe, Cancel };

QString controlOpName(ControlOp op);                          // "create", ...
std::optional<ControlOp> controlOpFromName(const QString& name);

QString controlRequestTopic(ControlOp op);                    // "otalab/jobs/api/create"
QString controlRequestFilter();                               // "otalab/jobs/api/+"
QString controlResponseTopic(const QString& clientToken);     // "otalab/jobs/api/response/<token>"
QString controlEventsTopic();                                 // "otalab/jobs/events"
// The op of a request topic; nullopt for any other topic.
std::optional<ControlOp> controlOpOfTopic(const QString& topic);
// A fresh client token: letters, digits and '-' only (valid in a topic level).
QString newClientToken();

struct ControlRequest {
    ControlOp op = ControlOp::List;
    QString clientToken;
    QString jobId;               // create, describe, cancel
    QStringList targets;         // create: thing names, in order (the engine's device numbers)
    QJsonObject document;        // create: the job document the devices get ({"afr_ota": {...}})
    QString streamName;          // create: the stream that serves `file`
    int fileId = 0;              // create: the stream's file id (afr_ota files[0].fileid)
    QByteArray file;             // create: the image bytes (base64 on the wire)
    QJsonObject rollout;         // create: the rollout section (may be empty: all at once)
    bool force = false;          // cancel: in-progress executions too
    QString reason;              // cancel: free text, kept in the job
};

// Errors name the field ("targets[1]: ..."). A missing clientToken is an error too.
Result<ControlRequest> parseControlRequest(ControlOp op, const QByteArray& payload);
QByteArray encodeControlRequest(const ControlRequest& request);

// One execution of a job as the service keeps it.
struct ExecutionSummary {
    QString thing;
    QString status = QStringLiteral("QUEUED");    // AWS JobExecutionStatus name
    int executionNumber = 0;                      // 0: not notified yet
    qint64 versionNumber = 0;                     // bumps on every accepted update
    QJsonObject statusDetails;                    // the device's last statusDetails
    int blocksReceived = 0;                       // distinct blocks sent to it so far
    int blocksTotal = 0;                          // the file's blocks
    int blocksSent = 0;                           // blocks sent, repeats included
    double lastUpdateS = 0;                       // seconds since the job was created
};

struct JobSummary {
    QString jobId;
    QString status;                               // "SCHEDULED" | "IN_PROGRESS" | "CANCELED" | "COMPLETED" | "PAUSED"
    QStringList targets;
    QString streamName;
    qint64 fileSize = 0;
    qint64 createdAtMs = 0;                       // ms since the Unix epoch
    double ratePerMinute = 0;                     // the rollout's current rate (0: not notifying)
    int notified = 0;
    QString reason;                               // why it was canceled (user or abort)
    QJsonObject counts;                           // {"QUEUED": n, "IN_PROGRESS": n, ...}
    std::vector<ExecutionSummary> executions;     // describe/create/cancel; empty in a list
};

QJsonObject executionToJson(const ExecutionSummary& execution);
Result<ExecutionSummary> executionFromJson(const QJsonObject& json, const QString& where);
QJsonObject jobSummaryToJson(const JobSummary& job);
Result<JobSummary> jobSummaryFromJson(const QJsonObject& json, const QString& where);

struct ControlResponse {
    QString clientToken;
    bool ok = true;
    QString error;                                // plain words when !ok
    QString field;                                // the request field at fault, if any
    std::vector<JobSummary> jobs;
};

QByteArray encodeControlResponse(const ControlResponse& response);
Result<ControlResponse> parseControlResponse(const QByteArray& payload);

} // namespace otalab::hw::jobs
