// SPDX-License-Identifier: Apache-2.0
#include "sim/report/faultscsv.h"

#include "sim/report/reportcsv.h"

namespace otalab::sim {

namespace {

QString time(const std::optional<double>& t)
{
    return t ? reportNumber(*t) : QString();
}

} // namespace

QByteArray faultsCsv(const RunResult& r)
{
    if (r.faults.empty())
        return {};
    QString out = QStringLiteral("id,kind,fleet,target,at_s,detail,effect,outcome,recovered,not_fired_reason\n");
    for (const FaultResult& f : r.faults)
        out += QStringList{csvField(f.id), csvField(f.kind), csvField(f.fleet), csvField(f.target), time(f.atS), csvField(f.detail),
                           csvField(f.effect), csvField(f.outcome), f.recovered ? QStringLiteral("1") : QStringLiteral("0"),
                           csvField(f.notFiredReason)}.join(QLatin1Char(','))
             + QLatin1Char('\n');
    return out.toUtf8();
}

QByteArray attacksCsv(const RunResult& r)
{
    if (r.attacks.empty())
        return {};
    QString out = QStringLiteral("id,attack,fleet,target,at_s,accepted,reason\n");
    for (const AttackResult& a : r.attacks)
        out += QStringList{csvField(a.id), csvField(a.kind), csvField(a.fleet), csvField(a.target), time(a.atS),
                           a.accepted ? QStringLiteral("1") : QStringLiteral("0"), csvField(a.reason)}.join(QLatin1Char(','))
             + QLatin1Char('\n');
    return out.toUtf8();
}

} // namespace otalab::sim
