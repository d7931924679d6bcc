// SPDX-License-Identifier: Apache-2.0
// ScenarioDiff: which scenario parameters two runs did not share, by JSON path.
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

namespace otalab::app {

// One parameter that differs: `path` in dotted form with array indices
// ("server.blockResponseDelayMs", "routerLoss[2].windows[0].endS"); `a` and `b` are
// compact JSON texts ("250", "\"grid\"", "{3 keys}"), "default" where the file does not
// set the key (the loader then uses its default) or "absent" for a missing array item.
struct ParameterDifference {
    QString path;
    QString a, b;
    // "server.blockResponseDelayMs 250 → 100"
    QString text() const;
};

// Walks both trees by path: objects key by key (sorted), arrays item by item, and any
// other pair of values compared as JSON. A subtree present on one side only is one
// difference (not one per leaf). Strings longer than `maxValueChars` are elided.
// Returns at most `limit` differences, in path order; `*more` (if given) receives how
// many were left out. Pure function, any thread.
std::vector<ParameterDifference> diffScenarios(const QJsonObject& a, const QJsonObject& b, int limit = 200,
                                               int* more = nullptr, int maxValueChars = 48);

} // namespace otalab::app
