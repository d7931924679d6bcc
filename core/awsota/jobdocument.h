// SPDX-License-Identifier: Apache-2.0
// AWS IoT Jobs bodies as the FreeRTOS OTA agent reads and writes them
// (ota-for-aws-iot-embedded-sdk v3.4.0, source/ota.c job parser, ota_mqtt.c updates).
// Pure functions; any thread.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::awsota {

// One entry of execution.jobDocument.afr_ota.files[].
struct OtaFileInfo {
    QString filePath;               // "filepath": where the device stores the file
    std::uint32_t fileSize = 0;     // "filesize": bytes, > 0
    std::uint32_t fileId = 0;       // "fileid": the stream's file id (GetStream "f")
    QString certFile;               // "certfile": path of the code-signing certificate on the device
    QByteArray signature;           // DER ECDSA signature, decoded from base64 "sig-sha256-ecdsa"
    std::optional<std::uint32_t> fileType;  // "fileType", optional
    friend bool operator==(const OtaFileInfo&, const OtaFileInfo&) = default;
};

struct OtaJobDocument {
    QString jobId;                  // execution.jobId
    QStringList protocols;          // afr_ota.protocols, e.g. ["MQTT"]
    QString streamName;             // afr_ota.streamname (beside files, not inside)
    std::vector<OtaFileInfo> files; // afr_ota.files, at least one
    QJsonObject statusDetails;      // execution.statusDetails (echo of the last update), may be empty
    friend bool operator==(const OtaJobDocument&, const OtaJobDocument&) = default;
};

// Parses a notify-next or $next/get/accepted body:
//   {"execution":{"jobId":…, "statusDetails":{…}, "jobDocument":{"afr_ota":{…}}}, …}
// A body without "execution" (the service's "no pending job") → std::nullopt.
// Errors name the JSON path: "execution.jobDocument.afr_ota.files[0].filesize: missing",
// "...sig-sha256-ecdsa: not base64", "...protocols: does not include MQTT", etc.
Result<std::optional<OtaJobDocument>> parseJobNotification(const QByteArray& json);

// The job document itself, as given to CreateJob and found at execution.jobDocument:
// {"afr_ota":{"protocols":[…],"streamname":…,"files":[{"filepath","filesize","fileid",
// "certfile","sig-sha256-ecdsa" (base64, when a signature is set),"fileType" (when set)}]}}.
QJsonObject encodeAfrOtaDocument(const OtaJobDocument& doc);

// The body the service publishes on notify-next (same shape AWS sends):
// {"timestamp":T,"execution":{"jobId":…,"status":"QUEUED","statusDetails":{…},
//  "queuedAt":T,"lastUpdatedAt":T,"versionNumber":1,"executionNumber":N,
//  "jobDocument":{"afr_ota":{"protocols":[…],"streamname":…,"files":[{…}]}}}}
// timestamp is Unix seconds. Compact JSON.
QByteArray encodeJobNotification(const OtaJobDocument& doc, qint64 timestamp, int executionNumber);

// A job execution update the agent publishes on .../jobs/<jobId>/update:
// {"status":"IN_PROGRESS","statusDetails":{"receive":"3/10"},"clientToken":"…"}.
struct JobUpdate {
    QString status;            // an ExecutionState name: "IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED", …
    QJsonObject statusDetails; // string values only (AWS: map of string to string)
    QString clientToken;       // may be empty (then not written)
    friend bool operator==(const JobUpdate&, const JobUpdate&) = default;
};

// Byte-exact with the library's status messages when clientToken is empty, e.g.
// {"status":"IN_PROGRESS","statusDetails":{"self_test":"ready","updatedBy":"0x1000000"}}.
QByteArray encodeJobUpdate(const QString& status, const QJsonObject& statusDetails, const QString& clientToken = {});
// status must be one of the eight AWS job execution status names (whether a device may
// set it — IN_PROGRESS, SUCCEEDED, FAILED, REJECTED — is the service's decision);
// statusDetails, when present, an object of strings; clientToken, when present, a string.
Result<JobUpdate> parseJobUpdate(const QByteArray& json);

// The agent's ".../jobs/$next/get" body: {"clientToken":"<counter>:<thing>"} (ota_mqtt.c).
QByteArray encodeGetNextJobRequest(std::uint32_t requestCounter, const QString& thing);

} // namespace otalab::core::awsota
