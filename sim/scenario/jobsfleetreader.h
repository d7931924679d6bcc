// SPDX-License-Identifier: Apache-2.0
// Reader of one jobs fleet of a scenario ("fleets": [{"family": "jobs", ...}]).
#pragma once

#include "core/common/error.h"
#include "sim/jobs/jobsfleetconfig.h"

#include <QJsonObject>
#include <QString>

namespace otalab::sim {

// Reads `json` (one element of "fleets") into a JobsFleetConfig; absent keys keep its
// defaults. `field` is the object's JSON path ("$.fleets[0]"). Strict like every scenario
// reader: an unknown key, a wrong type or a value out of range is an error whose field is
// the JSON path of the key ("$.fleets[0].devices[1].psm.periodicTauS"). "name" and
// "family" are read and otherwise ignored. Keys (units in the names):
//   devices: [{name, count, preset ("esp32-wifi"|"nrf9160-ltem"|"nrf9160-nbiot"), latencyMs,
//              downlinkKbps, uplinkKbps, lossPercent, spreadPercent, psm {periodicTauS, activeTimeS},
//              edrx {cycleS, pagingWindowS}, dtimMs, rrcInactivityS}, ...]
//   image:   sizeBytes, version, runningVersion, blockSize
//   agent:   blocksPerRequest, requestTimeoutS, maxRequestMomentum, selfTestS
//   broker:  perConnectionKBps, fanoutPerS, streamBlocksPerS, startAtS
//   faults:  badImage {share}, badSignature {share}, disconnects {ratePerHour, reconnectS}
// psm / edrx on a Wi-Fi preset and dtimMs on a cellular one are errors.
Result<JobsFleetConfig> readJobsFleet(const QJsonObject& json, const QString& field);

// Back to JSON (without "name" / "family"): every key written, optional ones when set, so
// readJobsFleet(jobsFleetToJson(c)) == c.
QJsonObject jobsFleetToJson(const JobsFleetConfig& config);

} // namespace otalab::sim
