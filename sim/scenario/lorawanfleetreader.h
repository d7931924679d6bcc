// SPDX-License-Identifier: Apache-2.0
// Reader of one LoRaWAN FUOTA fleet of a scenario ("fleets": [{"family": "lorawan", ...}]).
#pragma once

#include "core/common/error.h"
#include "sim/lorawan/lorawanfleetconfig.h"

#include <QJsonObject>
#include <QString>

namespace otalab::sim {

// Reads `json` (one element of "fleets") into a LorawanFleetConfig; absent keys keep its
// defaults. `field` is the object's JSON path ("$.fleets[0]"). Strict like every scenario
// reader: an unknown key, a wrong type or a value out of range is an error whose field is
// the JSON path of the key ("$.fleets[0].campaign.redundancyPercent"). "name" and
// "family" are read and otherwise ignored. Keys (units in the names):
//   region: "EU868" | "US915"
//   gateways: count, placement ("grid"|"ring"|"explicit"), positions [{x, y}], txPowerDbm, antennaGainDbi, rx2DataRate
//   devices:  count, areaRadiusM, deviceClass ("A"), uplinkIntervalS, jitterS, appPayloadBytes,
//             dataRate ("auto" | DR), txPowerDbm, preset ("SX1276"|"SX1262"), mcu ("STM32L072"|"STM32WL55"),
//             battery ("2xAA"|"CR2032"|""), clockDriftPpm, flashBytes, runningVersion
//   radio:    pathLossExponent, referenceLossDb, referenceDistanceM, shadowingSigmaDb, noiseFigureDb,
//             extraLossPercent, burstFrames
//   image:    path | sizeBytes, version, format ("raw"|"signed"|"delta")
//   campaign: sessionClass ("C"|"B"), multicastDataRate, multicastFrequencyHz, pingSlotPeriodicity,
//             fragmentSize ("auto" | B), redundancyPercent (% | "adaptive"), fecVersion (1|2),
//             unicastRetries, unicastRetryIntervalS, clockSync, sessionStartDelayS, timeoutMarginS,
//             groupDeletion ("afterSession" | {"afterQueueS": N}), repairRound, repairRedundancyPercent, startAtS
//   faults:   gatewayDown [{gateway, atS, forS}], forgedFragments {count, atFragment}
// A relative image "path" resolves against `baseDir` and is stored absolute; the file must
// exist (with an empty baseDir it is kept as written and checked by the builder).
Result<LorawanFleetConfig> readLorawanFleet(const QJsonObject& json, const QString& field, const QString& baseDir = {});

} // namespace otalab::sim
