// SPDX-License-Identifier: Apache-2.0
#include "sim/report/faultshtml.h"

#include "sim/report/faultssummary.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/svgchart.h"

namespace otalab::sim {

namespace {

const QString kGreen = QStringLiteral("#2a9d5b");
const QString kRed = QStringLiteral("#d1495b");

QString at(const std::optional<double>& t)
{
    return t ? xmlEscape(formatDuration(*t)) : QStringLiteral("—");
}

QString cell(const QString& text) { return QStringLiteral("<td>%1</td>").arg(xmlEscape(text)); }
QString num(int n) { return QStringLiteral("<td class=\"num\">%1</td>").arg(n); }

QString acceptedTable(const RunResult& r)
{
    QString h = QStringLiteral("<section class=\"card\" style=\"border-color:%1\"><p><b style=\"color:%1\">%2 attack(s) accepted — "
                               "devices took what they must reject</b></p>\n<table class=\"list\"><tr><th>id</th><th>attack</th>"
                               "<th>fleet</th><th>device</th><th>at</th><th>how</th></tr>\n")
                    .arg(kRed).arg(r.attacksAccepted());
    for (const AttackResult& a : r.attacks)
        if (a.accepted)
            h += QStringLiteral("<tr style=\"color:%1\">%2%3%4%5<td>%6</td>%7</tr>\n")
                     .arg(kRed, cell(a.id), cell(a.kind), cell(a.fleet), cell(a.target), at(a.atS), cell(a.reason));
    return h + QStringLiteral("</table></section>\n");
}

QString kindTable(const FaultsSummary& s)
{
    QString h = QStringLiteral("<section class=\"card\"><table class=\"list\">");
    if (!s.faultKinds.empty()) {
        h += QStringLiteral("<tr><th>fault</th><th>injected</th><th>fired</th><th>recovered</th><th></th></tr>\n");
        for (const FaultKindCount& k : s.faultKinds)
            h += QStringLiteral("<tr>%1%2%3%4<td></td></tr>\n").arg(cell(k.kind), num(k.orders), num(k.happened), num(k.good));
    }
    if (!s.attackKinds.empty()) {
        h += QStringLiteral("<tr><th>attack</th><th>tried</th><th>rejected</th><th>accepted</th><th>orders</th></tr>\n");
        for (const FaultKindCount& k : s.attackKinds)
            h += QStringLiteral("<tr>%1%2%3<td class=\"num\" style=\"color:%4\">%5</td>%6</tr>\n")
                     .arg(cell(k.kind), num(k.happened), num(k.good), k.accepted > 0 ? kRed : kGreen, QString::number(k.accepted), num(k.orders));
    }
    return h + QStringLiteral("</table></section>\n");
}

QString faultRows(const RunResult& r)
{
    QString h = QStringLiteral("<section class=\"card\"><table class=\"list\"><tr><th>id</th><th>kind</th><th>target</th><th>at</th>"
                               "<th>detail</th><th>effect</th><th>outcome</th><th>recovered</th></tr>\n");
    int listed = 0;
    for (const FaultResult& f : r.faults) {
        if (++listed > kMaxListedFaults)
            break;
        const QString mark = !f.atS ? QStringLiteral("<td>—</td>")
                             : f.recovered ? QStringLiteral("<td style=\"color:%1\">✓</td>").arg(kGreen)
                                           : QStringLiteral("<td style=\"color:%1\">✗</td>").arg(kRed);
        h += QStringLiteral("<tr>%1%2%3<td>%4</td>%5%6%7%8</tr>\n")
                 .arg(cell(f.id), cell(f.kind), cell(f.fleet.isEmpty() ? f.target : f.fleet + QStringLiteral(" / ") + f.target), at(f.atS),
                      cell(f.atS ? f.detail : f.notFiredReason), cell(f.effect), cell(f.outcome), mark);
    }
    h += QStringLiteral("</table>\n");
    if (r.faults.size() > std::size_t(kMaxListedFaults))
        h += QStringLiteral("<p>… and %1 more: see faults.csv.</p>\n").arg(qsizetype(r.faults.size()) - kMaxListedFaults);
    return h + QStringLiteral("</section>\n");
}

QString attackRows(const RunResult& r)
{
    QString h = QStringLiteral("<section class=\"card\"><table class=\"list\"><tr><th>id</th><th>attack</th><th>target</th><th>at</th>"
                               "<th>result</th><th>reason</th></tr>\n");
    int listed = 0;
    for (const AttackResult& a : r.attacks) {
        if (++listed > kMaxListedFaults)
            break;
        const QString result = a.accepted ? QStringLiteral("<td style=\"color:%1\"><b>accepted</b></td>").arg(kRed)
                               : a.atS    ? QStringLiteral("<td style=\"color:%1\">rejected</td>").arg(kGreen)
                                          : QStringLiteral("<td>not tried</td>");
        h += QStringLiteral("<tr>%1%2%3<td>%4</td>%5%6</tr>\n")
                 .arg(cell(a.id), cell(a.kind), cell(a.fleet + QStringLiteral(" / ") + a.target), at(a.atS), result, cell(a.reason));
    }
    h += QStringLiteral("</table>\n");
    if (r.attacks.size() > std::size_t(kMaxListedFaults))
        h += QStringLiteral("<p>… and %1 more: see attacks.csv.</p>\n").arg(qsizetype(r.attacks.size()) - kMaxListedFaults);
    return h + QStringLiteral("</section>\n");
}

} // namespace

QString faultsHtml(const RunResult& r)
{
    const auto s = summarizeFaults(r);
    if (!s)
        return {};
    QString h = QStringLiteral("<h2>Faults and attacks</h2>\n");
    if (s->accepted > 0)
        h += acceptedTable(r);
    else if (s->attacks > 0)
        h += QStringLiteral("<section class=\"card\"><p><b style=\"color:%1\">attacks: %2 tried on %3 devices — accepted: 0</b></p></section>\n")
                 .arg(kGreen).arg(s->tried).arg(s->attackedDevices);
    if (s->injected > 0)
        h += QStringLiteral("<section class=\"card\"><p>faults: %1 injected, %2 fired, %3 recovered</p></section>\n")
                 .arg(s->injected).arg(s->fired).arg(s->recovered);
    h += kindTable(*s);
    if (!r.faults.empty())
        h += faultRows(r);
    if (!r.attacks.empty())
        h += attackRows(r);
    return h;
}

} // namespace otalab::sim
