// SPDX-License-Identifier: Apache-2.0
// SweepAxis: one scenario key varied by a sweep, and the parser of `--vary KEY=...`.
#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace otalab::sim {

// One varied scenario key and the values it takes, in the order given.
struct SweepAxis {
    QString path;             // JSON path, normalised to start with "$." (scenariopatch.h syntax)
    QList<QJsonValue> values; // at least one; numbers, booleans or strings

    // Short name for column headers and plot axes: the last step of `path`
    // ("$.server.blockSize" → "blockSize", "$.fleets[0].campaign.redundancyPercent" →
    // "redundancyPercent").
    QString label() const;
    // A value as people read it in tables and file names: 64, 0.05, true, "bursty" → bursty.
    static QString valueText(const QJsonValue& value);

    QJsonObject toJson() const;                                  // {"path": ..., "values": [...]}
    static Result<SweepAxis> fromJson(const QJsonObject& object); // errors name the field
};

// Parses one `--vary` argument against the base scenario document:
//   KEY=V1,V2,...        a list; each value is typed like the base's current value at KEY
//                        (number, bool or string); where the base has none, a value that
//                        parses as a JSON number/true/false is that, else a string.
//   KEY=A..B[:STEP]      an inclusive numeric range, STEP defaults to 1 (integers when A, B
//                        and STEP are integers); a STEP that does not divide B−A stops at the
//                        last value ≤ B (floating error tolerated: 1e-9 relative).
// KEY is a JSON path with or without the leading "$." ("server.blockSize").
// Refused with the reason, before anything runs: no '=', an empty key or value list, a path
// through an array element the base does not have or through a value that is not an object
// — but missing object keys are allowed (sections may be left at their defaults:
// "network.idlePolls" on a scenario without a "network" section; buildSweepPlan's loader
// check refuses a key the scenario format does not know, naming the keys it expects), a
// value of the wrong type for the base's current value (e.g. "abc" for a
// number), a range with no points (A > B, STEP <= 0), more than kMaxAxisValues values.
Result<SweepAxis> parseVaryArgument(const QString& argument, const QJsonObject& baseScenario);

inline constexpr int kMaxAxisValues = 100000;

} // namespace otalab::sim
