// SPDX-License-Identifier: Apache-2.0
// JobDraft: what the Bench's "Create job…" dialog holds, and how it becomes the jobs
// service's create request (app/hw/jobs_control_protocol.h) — the same request
// `otalab-cli jobs create` sends: the image signed here (ECDSA P-256 over SHA-256, as AWS
// code signing for FreeRTOS), its afr_ota job document, the scenario "rollout" section.
// Widget-free, so tests check it without a dialog.
#pragma once

#include "app/hw/jobs_control_protocol.h"
#include "core/common/error.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace otalab::app {

// The dialog's fields, by name: Error::field of buildRolloutSection / buildCreateRequest
// is one of these, so the dialog shows the message on that field.
namespace JobField {
inline constexpr const char* JobId = "jobId";
inline constexpr const char* Targets = "targets";
inline constexpr const char* Image = "image";
inline constexpr const char* Key = "key";
inline constexpr const char* Certificate = "certificate";
inline constexpr const char* MaximumPerMinute = "maximumPerMinute";
inline constexpr const char* BaseRate = "baseRatePerMinute";
inline constexpr const char* IncrementFactor = "incrementFactor";
inline constexpr const char* Criterion = "criterion";
inline constexpr const char* FailureType = "failureType";
inline constexpr const char* Threshold = "thresholdPercentage";
inline constexpr const char* MinExecuted = "minNumberOfExecutedThings";
inline constexpr const char* Timeout = "inProgressTimeoutInMinutes";
} // namespace JobField

struct JobDraft {
    enum class Rate { AllAtOnce, MaximumPerMinute, Exponential };
    enum class Criterion { Succeeded, Notified };

    QString jobId;
    QStringList targets;          // thing names, in order (the rollout's order)
    QString imagePath;            // the firmware file streamed to the things
    QString keyPath;              // PEM private key (P-256) that signs it
    QString certificatePath;      // PEM certificate of that key: checked against the key here
                                  // and sent as the document's certfile (the path a device reads)

    Rate rate = Rate::AllAtOnce;
    int maximumPerMinute = 60;    // Rate::MaximumPerMinute; ranges: RolloutPolicyConfig::validate
    int baseRatePerMinute = 1;    // Rate::Exponential
    double incrementFactor = 2;
    Criterion criterion = Criterion::Succeeded;
    int criterionCount = 1;       // things notified/succeeded before the rate grows

    bool abortEnabled = false;
    QString failureType = QStringLiteral("FAILED");   // FAILED | REJECTED | TIMED_OUT | ALL
    double thresholdPercentage = 10;
    int minNumberOfExecutedThings = 1;

    double inProgressTimeoutMinutes = 0;               // 0: no timeout
};

// The scenario "rollout" section of the draft, checked with the rollout reader and
// RolloutPolicyConfig::validate (the service's ranges and messages); Error::field is a
// JobField name.
Result<QJsonObject> buildRolloutSection(const JobDraft& draft);

// Reads the files, checks the key against the certificate, signs the image, builds the
// afr_ota document and the rollout section. Error::field is a JobField name.
Result<hw::jobs::ControlRequest> buildCreateRequest(const JobDraft& draft);

// "rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor" → "incrementFactor";
// a key no field shows → empty.
QString jobFieldOfRolloutKey(const QString& rolloutKey);

} // namespace otalab::app
