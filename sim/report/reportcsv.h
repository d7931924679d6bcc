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
//   node, name, fleet, family, role, parent, hops, outcome, start_s, finish_s, failed_at_s,
//   bytes, requests, retries, energy_j, update_energy_j, battery_share, version_before,
//   version_after, failure_reason,
// with a rollout policy (RunResult::rollout) execution ("SUCCEEDED"; empty for an untargeted
// device) and execution_number,
// then one column per device attribute name (DeviceResult::attributes: the union over all
// devices, in order of first appearance), headed by csvColumnName() of the name ("Energy
// mAh" → energy_mah; _2, _3 … appended when two names map to one column or to a fixed
// column); a device without that attribute leaves its cell empty. start_s, finish_s and
// failed_at_s empty when unknown, battery_share a fraction (0..1), times in virtual seconds.
QByteArray devicesCsv(const RunResult& result);

// Header of an attribute column: lower case, each run of other characters than letters
// and digits one "_", none at either end ("Time downloading s" → "time_downloading_s",
// "Upload throughput kB/s" → "upload_throughput_kb_s"); "attribute" when nothing is left.
QString csvColumnName(const QString& name);

// Columns: time_s, upgraded, downloading, failed, waiting, finishing, refused, rolled_back,
// channel_utilisation (fraction 0..1).
QByteArray progressCsv(const RunResult& result);

// Shortest round-trip decimal of a double ("0.25", "1e-06"); used by every writer.
QString reportNumber(double value);

} // namespace otalab::sim
