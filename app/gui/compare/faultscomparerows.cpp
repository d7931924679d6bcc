// SPDX-License-Identifier: Apache-2.0
#include "compare/faultscomparerows.h"

#include "sim/report/faultssummary.h"

namespace otalab::app {

void appendFaultsRows(std::vector<CompareRow>& rows, const sim::RunResult& a, const sim::RunResult& b)
{
    const auto sa = sim::summarizeFaults(a);
    const auto sb = sim::summarizeFaults(b);
    if (!sa && !sb)
        return;
    rows.push_back(CompareRow{QStringLiteral("faults and attacks"), {}, {}, {}, false, false, {}, {}, true});
    const auto count = [&](const QString& figure, auto field, bool alarm = false) {
        const int x = sa ? (*sa).*field : 0, y = sb ? (*sb).*field : 0;
        const int d = y - x;
        rows.push_back(CompareRow{figure, QString::number(x), QString::number(y),
                                  d == 0 ? QStringLiteral("same") : QStringLiteral("%1%2").arg(d > 0 ? QStringLiteral("+") : QString()).arg(d),
                                  d != 0 || (alarm && (x > 0 || y > 0))});
    };
    count(QStringLiteral("faults injected"), &sim::FaultsSummary::injected);
    count(QStringLiteral("faults fired"), &sim::FaultsSummary::fired);
    count(QStringLiteral("faults recovered"), &sim::FaultsSummary::recovered);
    count(QStringLiteral("attacks tried"), &sim::FaultsSummary::tried);
    count(QStringLiteral("attacks rejected"), &sim::FaultsSummary::rejected);
    count(QStringLiteral("attacks accepted"), &sim::FaultsSummary::accepted, true);
}

} // namespace otalab::app
