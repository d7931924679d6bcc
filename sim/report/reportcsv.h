// SPDX-License-Identifier: Apache-2.0
// CSV tables of a RunResult: one row per device (devices.csv), one per fleet sample (progress.csv).
#pragma once

#include "sim/report/runresult.h"

#include <QByteArray>
#include <QString>

namespace otalab::sim {

// RFC 4180 field: quoted (with inner quotes doubled) when it contains a comma, a quote,
// CR or LF, or starts/ends with a space; otherwise unchanged.
QString csvField(const QString& text);

// UTF-8, LF line endings, header row first. Columns:
//   node, short, role, parent, hops, outcome, start_s, finish_s, bytes, block_requests,
//   retries, energy_j, update_energy_j, battery_share, initial_version, final_version,
//   failure_reason
// short/parent as 0x%04X (parent empty for 0xFFFF), versions as 0x%08X, start_s/finish_s
// empty when unknown, battery_share a fraction (0..1), times in virtual seconds.
QByteArray devicesCsv(const RunResult& result);

// Columns: time_s, upgraded, downloading, failed, channel_utilisation (fraction 0..1).
QByteArray progressCsv(const RunResult& result);

// Shortest round-trip decimal of a double ("0.25", "1e-06"); used by every writer.
QString reportNumber(double value);

} // namespace otalab::sim
