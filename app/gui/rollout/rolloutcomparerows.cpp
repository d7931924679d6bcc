// SPDX-License-Identifier: Apache-2.0
#include "rollout/rolloutcomparerows.h"

#include "rollout/rolloutviewmodel.h"
#include "sim/fleet/rollout/executionstate.h"

#include <cmath>

namespace otalab::app {

namespace {

const QString kNone = QStringLiteral("\u2014");

QString orNone(const QString& text) { return text.isEmpty() ? kNone : text; }

CompareRow textRow(const QString& figure, const QString& a, const QString& b)
{
    return CompareRow{figure, orNone(a), orNone(b), a == b ? QStringLiteral("same") : QStringLiteral("different"), a != b};
}

// Executions per state at the end: the last sample's counts.
std::array<int, 8> endCounts(const std::optional<sim::RolloutResult>& r)
{
    if (!r || r->samples.empty())
        return {};
    return r->samples.back().executions;
}

} // namespace

void appendRolloutRows(std::vector<CompareRow>& rows, const sim::RunResult& a, const sim::RunResult& b)
{
    const auto& ra = a.rollout;
    const auto& rb = b.rollout;
    if (!ra && !rb)
        return;
    rows.push_back(CompareRow{QStringLiteral("rollout policy"), {}, {}, {}, false, false, {}, {}, true});
    rows.push_back(textRow(QStringLiteral("policy"), ra ? rolloutPolicyWords(ra->policy) : QString(),
                           rb ? rolloutPolicyWords(rb->policy) : QString()));
    rows.push_back(textRow(QStringLiteral("job status"), ra ? ra->jobStatus : QString(), rb ? rb->jobStatus : QString()));
    const auto abortAt = [](const std::optional<sim::RolloutResult>& r) {
        return r && r->abortedAtS ? rolloutDuration(*r->abortedAtS) : QString();
    };
    CompareRow abort = textRow(QStringLiteral("abort moment"), abortAt(ra), abortAt(rb));
    if (ra && ra->abortedAtS && rb && rb->abortedAtS && *ra->abortedAtS != *rb->abortedAtS)
        abort.difference = rolloutDuration(std::abs(*rb->abortedAtS - *ra->abortedAtS)).prepend(*rb->abortedAtS > *ra->abortedAtS ? u'+' : u'\u2212');
    abort.tipA = ra ? ra->abortReason : QString();
    abort.tipB = rb ? rb->abortReason : QString();
    rows.push_back(abort);
    const std::array<int, 8> ca = endCounts(ra), cb = endCounts(rb);
    for (int i = 0; i < sim::rollout::kExecutionStateCount; ++i) {
        if (ca[std::size_t(i)] == 0 && cb[std::size_t(i)] == 0)
            continue;
        const int d = cb[std::size_t(i)] - ca[std::size_t(i)];
        CompareRow row{QStringLiteral("executions %1 at the end").arg(sim::rollout::executionStateName(sim::rollout::ExecutionState(i))),
                       QString::number(ca[std::size_t(i)]), QString::number(cb[std::size_t(i)]),
                       d == 0 ? QStringLiteral("same") : QStringLiteral("%1%2").arg(d > 0 ? QStringLiteral("+") : QString()).arg(d), d != 0};
        row.detail = true;
        rows.push_back(row);
    }
}

} // namespace otalab::app
