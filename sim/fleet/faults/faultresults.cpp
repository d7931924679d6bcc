// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/faults/faultresults.h"

#include "sim/fleet/faults/faultplanner.h"

#include <algorithm>

namespace otalab::sim::faults {

namespace {

const ResultFleet* fleetNamed(const std::vector<ResultFleet>& fleets, const QString& name)
{
    for (const ResultFleet& f : fleets)
        if (f.name == name)
            return &f;
    return nullptr;
}

const DeviceResult* deviceOf(const ResultFleet* fleet, std::size_t device, const RunResult& r)
{
    if (!fleet || device >= fleet->devices || fleet->firstDevice + device >= r.devices.size())
        return nullptr;
    return &r.devices[fleet->firstDevice + device];
}

bool fleetSettled(const ResultFleet* fleet, const RunResult& r)
{
    if (!fleet)
        return false;
    const std::size_t end = std::min(r.devices.size(), fleet->firstDevice + fleet->devices);
    for (std::size_t i = fleet->firstDevice; i < end; ++i)
        if (r.devices[i].outcome == DeviceOutcome::Unfinished)
            return false;
    return true;
}

QString defaultTarget(const FaultOrder& o)
{
    if (!o.target.isEmpty())
        return o.target;
    switch (o.kind) {
    case FaultKind::ServerCrash: return QStringLiteral("server");
    case FaultKind::GatewayOutage: return QStringLiteral("gateway");
    default: return QStringLiteral("every device");
    }
}

QString notReached(const RunResult& r)
{
    if (r.stopReason == QLatin1String("paused"))   // FleetRun::result() mid-run
        return QStringLiteral("not yet: the run is at %1 s").arg(r.endTimeS, 0, 'f', 1);
    return QStringLiteral("not reached: the run stopped at %1 s").arg(r.endTimeS, 0, 'f', 1);
}

} // namespace

void appendFaultResults(const FaultLog& log, const FaultsConfig& config, const std::vector<ResultFleet>& fleets, RunResult& result)
{
    for (const FaultEntry& e : log.faults()) {
        const FaultOrder& o = e.order;
        const ResultFleet* fleet = fleetNamed(fleets, e.fleet);
        FaultResult f;
        f.id = std::size_t(o.spec) < config.faults.size() ? config.faults[std::size_t(o.spec)].id : QStringLiteral("faults[%1]").arg(o.spec);
        f.kind = faultKindName(o.kind);
        f.fleet = e.fleet;
        f.atS = e.firedAtS;
        f.detail = e.detail;
        f.effect = e.effect;
        f.notFiredReason = e.firedAtS ? QString() : (e.notFiredReason.isEmpty() ? notReached(result) : e.notFiredReason);
        const DeviceResult* device = o.device ? deviceOf(fleet, *o.device, result) : nullptr;
        if (device) {
            f.target = device->name;
            f.outcome = faultOutcomeText(*device);
        } else {
            f.target = o.device ? QStringLiteral("device %1").arg(*o.device) : defaultTarget(o);
        }
        if (e.recovered)
            f.recovered = *e.recovered;
        else if (!e.firedAtS)
            f.recovered = false;
        else if (o.device)
            f.recovered = device && deviceRecovered(*device);
        else
            f.recovered = fleetSettled(fleet, result);
        result.faults.push_back(std::move(f));
    }
    for (const AttackEntry& e : log.attacks()) {
        const AttackOrder& o = e.order;
        AttackResult a;
        a.id = std::size_t(o.spec) < config.attacks.size() ? config.attacks[std::size_t(o.spec)].id : QStringLiteral("attacks[%1]").arg(o.spec);
        a.kind = attackKindName(o.kind);
        a.fleet = e.fleet;
        const DeviceResult* device = deviceOf(fleetNamed(fleets, e.fleet), o.device, result);
        a.target = device ? device->name : QStringLiteral("device %1").arg(o.device);
        a.atS = e.triedAtS;
        a.accepted = e.accepted;
        a.reason = e.triedAtS || !e.reason.isEmpty() ? e.reason : notReached(result);
        result.attacks.push_back(std::move(a));
    }
}

} // namespace otalab::sim::faults
