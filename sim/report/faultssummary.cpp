// SPDX-License-Identifier: Apache-2.0
#include "sim/report/faultssummary.h"

#include <QSet>

namespace otalab::sim {

namespace {

FaultKindCount& countFor(std::vector<FaultKindCount>& list, const QString& kind)
{
    for (FaultKindCount& c : list)
        if (c.kind == kind)
            return c;
    list.push_back(FaultKindCount{kind});
    return list.back();
}

} // namespace

std::optional<FaultsSummary> summarizeFaults(const RunResult& r)
{
    if (r.faults.empty() && r.attacks.empty())
        return std::nullopt;
    FaultsSummary s;
    for (const FaultResult& f : r.faults) {
        FaultKindCount& k = countFor(s.faultKinds, f.kind);
        ++s.injected;
        ++k.orders;
        if (f.atS) {
            ++s.fired;
            ++k.happened;
            if (f.recovered) {
                ++s.recovered;
                ++k.good;
            }
        }
    }
    QSet<QString> devices;
    for (const AttackResult& a : r.attacks) {
        FaultKindCount& k = countFor(s.attackKinds, a.kind);
        ++s.attacks;
        ++k.orders;
        if (a.atS) {
            ++s.tried;
            ++k.happened;
            devices.insert(a.fleet + QLatin1Char('\n') + a.target);
            if (!a.accepted) {
                ++s.rejected;
                ++k.good;
            }
        }
        if (a.accepted) {
            ++s.accepted;
            ++k.accepted;
        }
    }
    s.attackedDevices = int(devices.size());
    return s;
}

QStringList faultsSummaryLines(const RunResult& r)
{
    const auto s = summarizeFaults(r);
    if (!s)
        return {};
    QStringList lines;
    if (s->injected > 0)
        lines << QStringLiteral("faults: %1 injected, %2 fired, %3 recovered").arg(s->injected).arg(s->fired).arg(s->recovered);
    if (s->attacks > 0) {
        QString line = QStringLiteral("attacks: %1 tried, %2 rejected, accepted: %3").arg(s->tried).arg(s->rejected).arg(s->accepted);
        if (s->attacks > s->tried)
            line += QStringLiteral(", %1 never reached the device").arg(s->attacks - s->tried);
        lines << line;
    }
    return lines;
}

} // namespace otalab::sim
