// SPDX-License-Identifier: Apache-2.0
// The AWS IoT reserved MQTT topics the FreeRTOS OTA agent (ota-for-aws-iot-embedded-sdk
// v3.4.0, source/ota_mqtt.c) and the Jobs / MQTT file delivery services use.
// Pure string functions; any thread.
#pragma once

#include "core/common/error.h"

#include <QString>
#include <optional>

namespace otalab::core::awsota {

// AWS IoT limits: thing name 1..128 of [a-zA-Z0-9:_-]; job id 1..64 of [a-zA-Z0-9_-];
// stream id 1..128 of [a-zA-Z0-9_-]. (The FreeRTOS library itself keeps a thing name
// ≤ 64 bytes and a stream name ≤ 44 bytes in its topic buffers; see validateForAgent.)
Result<void> validateThingName(const QString& thing);
Result<void> validateJobId(const QString& jobId);
Result<void> validateStreamName(const QString& stream);

// Topic builders. Arguments are not validated here (call validate* first); a name
// containing '/' would make a topic that parseTopic() does not recognise.
struct Topics {
    // "$aws/things/<thing>/jobs/notify-next" — the service publishes the next pending job.
    static QString jobsNotifyNext(const QString& thing);
    // "$aws/things/<thing>/jobs/$next/get" — the agent asks for its next job.
    static QString jobsGetNext(const QString& thing);
    // "$aws/things/<thing>/jobs/$next/get/accepted" | ".../rejected"
    static QString jobsGetNextAccepted(const QString& thing);
    static QString jobsGetNextRejected(const QString& thing);
    // "$aws/things/<thing>/jobs/<jobId>/update" (+ "/accepted", "/rejected")
    static QString jobUpdate(const QString& thing, const QString& jobId);
    static QString jobUpdateAccepted(const QString& thing, const QString& jobId);
    static QString jobUpdateRejected(const QString& thing, const QString& jobId);
    // "$aws/things/<thing>/streams/<stream>/get/cbor" — GetStream requests (device → service).
    static QString streamGet(const QString& thing, const QString& stream);
    // "$aws/things/<thing>/streams/<stream>/data/cbor" — data blocks (service → device).
    static QString streamData(const QString& thing, const QString& stream);
    // "$aws/things/<thing>/streams/<stream>/rejected/cbor" — GetStream errors.
    static QString streamRejected(const QString& thing, const QString& stream);
};

enum class TopicKind {
    JobsNotifyNext,
    JobsGetNext,
    JobsGetNextAccepted,
    JobsGetNextRejected,
    JobUpdate,
    JobUpdateAccepted,
    JobUpdateRejected,
    StreamGet,
    StreamData,
    StreamRejected,
};

struct ParsedTopic {
    TopicKind kind = TopicKind::JobsNotifyNext;
    QString thing;
    QString jobId;   // set for JobUpdate*
    QString stream;  // set for Stream*
    friend bool operator==(const ParsedTopic&, const ParsedTopic&) = default;
};

// Recognises exactly the topics above, with valid thing/job/stream names; anything
// else (other $aws topics, "$next" used as a job id in an update, empty parts) → nullopt.
std::optional<ParsedTopic> parseTopic(const QString& topic);

} // namespace otalab::core::awsota
