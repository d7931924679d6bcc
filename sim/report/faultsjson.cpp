// SPDX-License-Identifier: Apache-2.0
#include "sim/report/faultsjson.h"

#include "sim/report/faultssummary.h"

#include <QJsonArray>

namespace otalab::sim {

namespace {

QJsonValue time(const std::optional<double>& t)
{
    return t ? QJsonValue(*t) : QJsonValue(QJsonValue::Null);
}

} // namespace

void insertFaultsJson(const RunResult& r, QJsonObject& report)
{
    const auto s = summarizeFaults(r);
    if (!s)
        return;
    QJsonArray faults, attacks, faultKinds, attackKinds;
    for (const FaultResult& f : r.faults)
        faults.append(QJsonObject{{QStringLiteral("id"), f.id}, {QStringLiteral("kind"), f.kind}, {QStringLiteral("fleet"), f.fleet},
                                  {QStringLiteral("target"), f.target}, {QStringLiteral("atS"), time(f.atS)},
                                  {QStringLiteral("detail"), f.detail}, {QStringLiteral("effect"), f.effect},
                                  {QStringLiteral("outcome"), f.outcome}, {QStringLiteral("recovered"), f.recovered},
                                  {QStringLiteral("notFiredReason"), f.notFiredReason}});
    for (const AttackResult& a : r.attacks)
        attacks.append(QJsonObject{{QStringLiteral("id"), a.id}, {QStringLiteral("attack"), a.kind}, {QStringLiteral("fleet"), a.fleet},
                                   {QStringLiteral("target"), a.target}, {QStringLiteral("atS"), time(a.atS)},
                                   {QStringLiteral("accepted"), a.accepted}, {QStringLiteral("reason"), a.reason}});
    for (const FaultKindCount& k : s->faultKinds)
        faultKinds.append(QJsonObject{{QStringLiteral("kind"), k.kind}, {QStringLiteral("injected"), k.orders},
                                      {QStringLiteral("fired"), k.happened}, {QStringLiteral("recovered"), k.good}});
    for (const FaultKindCount& k : s->attackKinds)
        attackKinds.append(QJsonObject{{QStringLiteral("attack"), k.kind}, {QStringLiteral("orders"), k.orders},
                                       {QStringLiteral("tried"), k.happened}, {QStringLiteral("rejected"), k.good},
                                       {QStringLiteral("accepted"), k.accepted}});
    report.insert(QStringLiteral("faults"), faults);
    report.insert(QStringLiteral("attacks"), attacks);
    report.insert(QStringLiteral("faultCounts"),
                  QJsonObject{{QStringLiteral("injected"), s->injected}, {QStringLiteral("fired"), s->fired},
                              {QStringLiteral("recovered"), s->recovered}, {QStringLiteral("attacks"), s->attacks},
                              {QStringLiteral("tried"), s->tried}, {QStringLiteral("rejected"), s->rejected},
                              {QStringLiteral("accepted"), s->accepted}, {QStringLiteral("attackedDevices"), s->attackedDevices},
                              {QStringLiteral("faultKinds"), faultKinds}, {QStringLiteral("attackKinds"), attackKinds}});
}

} // namespace otalab::sim
