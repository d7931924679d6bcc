// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rolloutcsv.h"

#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/reportcsv.h"

namespace otalab::sim {

QByteArray rolloutCsv(const RunResult& result)
{
    if (!result.rollout)
        return {};
    QString out = QStringLiteral("time_s");
    for (int i = 0; i < rollout::kExecutionStateCount; ++i)
        out += QLatin1Char(',') + rollout::executionStateName(rollout::ExecutionState(i)).toLower();
    out += QStringLiteral(",notified,rate_per_minute,group\n");
    for (const RolloutSample& s : result.rollout->samples) {
        out += reportNumber(s.timeS);
        for (int n : s.executions)
            out += QLatin1Char(',') + QString::number(n);
        out += QLatin1Char(',') + QString::number(s.notified) + QLatin1Char(',') + reportNumber(s.ratePerMinute) + QLatin1Char(',')
             + csvField(s.group) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace otalab::sim
