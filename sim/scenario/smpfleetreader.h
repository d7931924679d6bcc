// SPDX-License-Identifier: Apache-2.0
// Reader of one SMP fleet of a scenario ("fleets": [{"family": "smp", ...}]).
#pragma once

#include "core/common/error.h"
#include "sim/smp/smpfleetconfig.h"

#include <QJsonObject>
#include <QString>

namespace otalab::sim {

// Reads `json` (one element of "fleets") into an SmpFleetConfig; absent keys keep its
// defaults. `field` is the object's JSON path ("$.fleets[1]"). Strict like every scenario
// reader: an unknown key, a wrong type or a value out of range is an error whose field is
// the JSON path of the key ("$.fleets[1].boards.unhealthyShare"). "name" and "family"
// are read (the loader uses them) and otherwise ignored. Keys (units in the names):
//   link: "ble" | "udp"
//   ble:    connections, connectMs, intervalMs, mtu, dle, pdus, phy ("1m"|"2m"), encrypted, byteErrorRate
//   udp:    concurrency, latencyMs, rateKbps, mtu, headerBytes, loss, byteErrorRate
//   image:  path | sizeBytes + version
//   boards: count, runningVersion, preset, battery, bufSize, bufCount, strategy, slotKb, eraseMs,
//           writeUs, procUs, unhealthyShare, faultAfterMs, powerCutShare, powerOffS, spacingM
//   host:   resetWaitS, uploadAttempts, retryDelayS
// A "ble" object with "link": "udp" (or the reverse) is an error: it would be ignored.
// A relative image "path" resolves against `baseDir` and is stored absolute; the file
// must exist (with an empty baseDir it is kept as written and checked by the builder).
Result<SmpFleetConfig> readSmpFleet(const QJsonObject& json, const QString& field, const QString& baseDir = {});

} // namespace otalab::sim
