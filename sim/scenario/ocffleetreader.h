// SPDX-License-Identifier: Apache-2.0
// Reader of one OCF fleet of a scenario ("fleets": [{"family": "ocf", ...}]).
#pragma once

#include "core/common/error.h"
#include "sim/ocf/ocffleetconfig.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace otalab::sim {

// Reads `json` (one element of "fleets") into an OcfFleetConfig; absent keys keep its
// defaults. `field` is the object's JSON path ("$.fleets[0]"). Strict like every scenario
// reader: an unknown key, a wrong type or a value out of range is an error whose field is
// the JSON path of the key ("$.fleets[0].devices[1].pollPeriodMs"). "name" and "family"
// are read and otherwise ignored. Keys (units in the names):
//   devices:  [{name, count, link ("thread"|"wifi"), devicesPerGateway, hops, pollPeriodMs,
//               fastPollMs, frameLossPercent, latencyMs, throughputKbps, lossPercent,
//               backhaulMs, spreadPercent}, ...]
//   image:    sizeBytes, version, runningVersion, blockSize (16..1024, a power of two)
//   schedule: updateTime ("now" | RFC 3339), startsAt (RFC 3339), clockSpreadS
//   client:   validateFirst, startAtS, concurrent, spacingMs, retryAfterS, maxRetries
//   server:   blocksPerS
//   userDataBytes
// Thread keys (hops, pollPeriodMs, fastPollMs, frameLossPercent) on a Wi-Fi group and
// Wi-Fi keys (latencyMs, throughputKbps, lossPercent) on a Thread group are errors.
Result<OcfFleetConfig> readOcfFleet(const QJsonObject& json, const QString& field);

// Back to JSON (without "name" / "family"): every key written, optional ones when set, so
// readOcfFleet(ocfFleetToJson(c)) == c.
QJsonObject ocfFleetToJson(const OcfFleetConfig& config);

// "2026-12-08T02:00:00Z" (or with an offset, optional fractional seconds) → ms since the
// Unix epoch, UTC; nullopt when not RFC 3339.
std::optional<qint64> parseRfc3339Ms(const QString& text);

} // namespace otalab::sim
