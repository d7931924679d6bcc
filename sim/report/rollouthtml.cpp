// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rollouthtml.h"

#include "sim/report/fleetsummary.h"
#include "sim/report/rolloutplots.h"
#include "sim/report/rolloutsummary.h"
#include "sim/report/svgchart.h"

namespace otalab::sim {

namespace {

QString row(const QString& key, const QString& value)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(xmlEscape(key), xmlEscape(value));
}

QString time(const std::optional<double>& t)
{
    return t ? formatDuration(*t) : QStringLiteral("—");
}

} // namespace

QString rolloutHtml(const RunResult& result)
{
    const auto s = summarizeRollout(result);
    if (!s)
        return {};
    const RolloutResult& r = *result.rollout;
    QString h = QStringLiteral("<h2>Rollout</h2>\n<section class=\"card\"><table>\n");
    h += row(QStringLiteral("Policy"), rolloutPolicyText(r));
    h += row(QStringLiteral("Job status"), r.jobStatus);
    h += row(QStringLiteral("Targets"), QStringLiteral("%1 (%2 devices)")
                                            .arg(r.targets.isEmpty() ? QStringLiteral("every fleet") : r.targets.join(QStringLiteral(", ")),
                                                 QString::number(s->targeted)));
    if (r.abortedAtS) {
        h += QStringLiteral("<tr><th>Abort</th><td><b style=\"color:#d1495b\">at %1</b>: %2</td></tr>\n")
                 .arg(xmlEscape(formatDuration(*r.abortedAtS)), xmlEscape(r.abortReason));
        h += row(QStringLiteral("Executions at the abort"), executionCountsText(r.executionsAtAbort));
        h += row(QStringLiteral("By the abort"), byAbortText(*s).mid(QStringLiteral("by the abort, ").size()));
    } else {
        h += row(QStringLiteral("Abort"), QStringLiteral("none"));
    }
    h += row(QStringLiteral("Executions at the end"), executionCountsText(s->executionsAtEnd));
    h += row(QStringLiteral("Over the run"), QStringLiteral("%1 devices started, %2 failed or rolled back").arg(s->started).arg(s->failedOrRolledBack));
    for (const ResultAttribute& a : rolloutExtraRows(r))
        h += row(a.name, a.value);
    h += QStringLiteral("</table></section>\n");

    const QString svg = rolloutExecutionsSvg(result);
    const qsizetype start = svg.indexOf(QLatin1String("<svg"));
    h += QStringLiteral("<section class=\"card\">%1</section>\n").arg(start < 0 ? svg : svg.mid(start));

    if (!r.groups.empty()) {
        h += QStringLiteral("<section class=\"card\"><table class=\"list\"><tr><th>group</th><th>devices</th><th>start</th><th>end</th>"
                            "<th>succeeded</th><th>failed</th><th>end reason</th></tr>\n");
        for (const RolloutGroupResult& g : r.groups)
            h += QStringLiteral("<tr><td>%1</td><td class=\"num\">%2</td><td>%3</td><td>%4</td><td class=\"num\">%5</td>"
                                "<td class=\"num\">%6</td><td>%7</td></tr>\n")
                     .arg(xmlEscape(g.name), QString::number(g.devices), time(g.startS), time(g.endS), QString::number(g.succeeded),
                          QString::number(g.failed), xmlEscape(g.endReason));
        h += QStringLiteral("</table></section>\n");
    }
    return h;
}

} // namespace otalab::sim
