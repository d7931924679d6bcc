// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/faults/faultplanner.h"

#include "sim/kernel/randomstream.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace otalab::sim::faults {

namespace {

constexpr std::uint32_t kPurposeFaults = 0x464c5453u;   // 'FLTS' (+ spec index): a fault's device and moment draws
constexpr std::uint32_t kPurposeAttacks = 0x41544b53u;  // 'ATKS' (+ spec index): an attack's draws

Error specError(const char* section, std::size_t index, const char* key, QString message)
{
    return Error{std::move(message), QStringLiteral("$.%1[%2]%3%4").arg(QLatin1String(section)).arg(index)
                                         .arg(key ? QStringLiteral(".") : QString(), key ? QLatin1String(key) : QLatin1String()), -1};
}

QString quotedNames(const QStringList& names, int max = 8)
{
    QStringList out;
    for (qsizetype i = 0; i < names.size() && i < max; ++i)
        out << QLatin1Char('"') + names[i] + QLatin1Char('"');
    if (names.size() > max)
        out << QStringLiteral("… (%1 in all)").arg(names.size());
    return out.join(QStringLiteral(", "));
}

// The fleet a spec names (index into fleets).
Result<std::size_t> fleetOf(const QString& name, const std::vector<PlannerFleet>& fleets, const char* section, std::size_t index)
{
    QStringList names;
    for (const PlannerFleet& f : fleets)
        names << f.name;
    if (name.isEmpty()) {
        if (fleets.size() == 1)
            return 0;
        return fail(specError(section, index, "fleet",
                              QStringLiteral("the scenario has %1 fleets: name one of %2").arg(fleets.size()).arg(quotedNames(names))));
    }
    for (std::size_t k = 0; k < fleets.size(); ++k)
        if (fleets[k].name == name)
            return k;
    return fail(specError(section, index, "fleet",
                          QStringLiteral("no fleet \"%1\"; the fleets are %2").arg(name.left(60), quotedNames(names))));
}

// The devices a selection picks, ascending; `rng` draws count / share.
Result<std::vector<std::size_t>> selectDevices(const DeviceSelection& s, const PlannerFleet& fleet, RandomStream& rng,
                                               const char* section, std::size_t index)
{
    const std::size_t n = fleet.devices;
    std::vector<std::size_t> picked;
    if (!s.devices.empty()) {
        for (std::size_t i = 0; i < s.devices.size(); ++i) {
            const int d = s.devices[i];
            if (d < 0 || std::size_t(d) >= n)
                return fail(Error{QStringLiteral("device %1 is outside fleet \"%2\" (devices 0..%3)").arg(d).arg(fleet.name).arg(qint64(n) - 1),
                                  QStringLiteral("$.%1[%2].devices[%3]").arg(QLatin1String(section)).arg(index).arg(i), -1});
            picked.push_back(std::size_t(d));
        }
        std::sort(picked.begin(), picked.end());
        return picked;
    }
    std::size_t want = n;
    if (s.count > 0) {
        if (std::size_t(s.count) > n)
            return fail(specError(section, index, "count",
                                  QStringLiteral("count %1 is more than fleet \"%2\"'s %3 devices").arg(s.count).arg(fleet.name).arg(n)));
        want = std::size_t(s.count);
    } else if (s.share > 0) {
        want = std::clamp<std::size_t>(std::size_t(std::llround(s.share * double(n))), n > 0 ? 1 : 0, n);
    }
    if (n == 0)
        return fail(specError(section, index, nullptr, QStringLiteral("fleet \"%1\" has no devices").arg(fleet.name)));
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), std::size_t(0));
    if (want < n) {
        for (std::size_t i = 0; i < want; ++i)   // partial Fisher–Yates
            std::swap(all[i], all[i + std::size_t(rng.uniformInt(n - i))]);
        all.resize(want);
        std::sort(all.begin(), all.end());
    }
    return all;
}

// A fault without any moment or condition happens at the start (0 s), except a badImage
// (the image the devices get: the family arms it).
std::optional<double> drawMoment(const FaultWhen& w, RandomStream& rng, FaultKind kind)
{
    if (!w.any() && kind != FaultKind::BadImage)
        return 0.0;
    if (w.atS)
        return w.atS;
    if (w.betweenS)
        return w.betweenS->first == w.betweenS->second ? w.betweenS->first : rng.uniform(w.betweenS->first, w.betweenS->second);
    return std::nullopt;
}

QString kindsText(const std::vector<FaultKind>& kinds)
{
    QStringList names;
    for (FaultKind k : kinds)
        names << faultKindName(k);
    return names.isEmpty() ? QStringLiteral("no fault at all") : names.join(QStringLiteral(", "));
}

QString attacksText(const std::vector<AttackKind>& kinds)
{
    QStringList names;
    for (AttackKind k : kinds)
        names << attackKindName(k);
    return names.isEmpty() ? QStringLiteral("no attack at all") : names.join(QStringLiteral(", "));
}

// " (because …)" from a family's FaultSupport::whyNot / whyNotAttack, or nothing.
template <typename Kind>
QString becauseText(const std::vector<std::pair<Kind, QString>>& reasons, Kind kind)
{
    for (const auto& [k, why] : reasons)
        if (k == kind && !why.isEmpty())
            return QStringLiteral(" (%1)").arg(why);
    return {};
}

// The family's refusal of a fault spec, if any.
std::optional<Error> refusal(const FaultSpec& f, const PlannerFleet& fleet, std::size_t index)
{
    const Fleet::FaultSupport& s = fleet.support;
    const QString who = QStringLiteral("fault \"%1\": the %2 family (fleet \"%3\")").arg(f.id.left(60), fleet.family, fleet.name);
    if (std::find(s.kinds.begin(), s.kinds.end(), f.kind) == s.kinds.end())
        return specError("faults", index, "kind", QStringLiteral("%1 cannot inject %2%3; it can inject %4")
                                                      .arg(who, faultKindName(f.kind), becauseText(s.whyNot, f.kind), kindsText(s.kinds)));
    if (f.when.atFlashWrite && !s.atFlashWrite)
        return specError("faults", index, "atFlashWrite",
                         QStringLiteral("%1 cannot fire a fault at a flash write; use atS, betweenS%2").arg(who, s.atProgress ? QStringLiteral(" or atProgress") : QString()));
    if (f.when.atProgress && !s.atProgress)
        return specError("faults", index, "atProgress",
                         QStringLiteral("%1 cannot fire a fault at a share of the image; use atS, betweenS%2").arg(who, s.atFlashWrite ? QStringLiteral(" or atFlashWrite") : QString()));
    if (!f.target.isEmpty() && !fleet.nodeNames.contains(f.target))
        return specError("faults", index, "target", QStringLiteral("fault \"%1\": fleet \"%2\" has no node \"%3\"; its nodes are %4")
                                                        .arg(f.id.left(60), fleet.name, f.target.left(60), quotedNames(fleet.nodeNames)));
    return std::nullopt;
}

} // namespace

bool isDeviceFault(FaultKind kind)
{
    return kind == FaultKind::PowerLoss || kind == FaultKind::LinkOutage || kind == FaultKind::ClockJump || kind == FaultKind::BadImage;
}

double defaultFaultDurationS(FaultKind kind)
{
    switch (kind) {
    case FaultKind::PowerLoss: return 10;
    case FaultKind::ServerCrash: return 30;
    case FaultKind::LinkOutage:
    case FaultKind::GatewayOutage: return 600;
    case FaultKind::ClockJump:
    case FaultKind::BadImage: break;
    }
    return 0;
}

Result<std::vector<FleetFaultOrders>> planFaults(const FaultsConfig& config, const std::vector<PlannerFleet>& fleets,
                                                 std::uint64_t seed, FaultLog& log)
{
    std::vector<FleetFaultOrders> plan(fleets.size());
    std::vector<std::pair<std::size_t, FaultOrder>> faultOrders;     // (fleet, order), scenario order
    std::vector<std::pair<std::size_t, AttackOrder>> attackOrders;
    for (std::size_t i = 0; i < config.faults.size(); ++i) {
        const FaultSpec& f = config.faults[i];
        auto k = fleetOf(f.fleet, fleets, "faults", i);
        if (!k)
            return fail(k.error());
        const PlannerFleet& fleet = fleets[*k];
        if (auto refused = refusal(f, fleet, i))
            return fail(*refused);
        RandomStream rng(seed, 0, kPurposeFaults + std::uint32_t(i));
        FaultOrder base;
        base.spec = int(i);
        base.kind = f.kind;
        base.target = f.target;
        base.atFlashWrite = f.when.atFlashWrite;
        base.atProgress = f.when.atProgress;
        base.forS = f.forS > 0 ? f.forS : defaultFaultDurationS(f.kind);
        base.jumpS = f.jumpS;
        base.variant = f.variant;
        base.permanent = f.permanent;
        if (!isDeviceFault(f.kind) || (f.kind == FaultKind::LinkOutage && f.select.all())) {
            base.atS = drawMoment(f.when, rng, f.kind);
            faultOrders.emplace_back(*k, base);
            continue;
        }
        auto devices = selectDevices(f.select, fleet, rng, "faults", i);
        if (!devices)
            return fail(devices.error());
        for (std::size_t d : *devices) {
            FaultOrder o = base;
            o.device = d;
            o.atS = drawMoment(f.when, rng, f.kind);
            faultOrders.emplace_back(*k, o);
        }
    }
    for (std::size_t i = 0; i < config.attacks.size(); ++i) {
        const AttackSpec& a = config.attacks[i];
        auto k = fleetOf(a.fleet, fleets, "attacks", i);
        if (!k)
            return fail(k.error());
        const PlannerFleet& fleet = fleets[*k];
        const auto& can = fleet.support.attacks;
        if (std::find(can.begin(), can.end(), a.kind) == can.end())
            return fail(specError("attacks", i, "attack", QStringLiteral("attack \"%1\": the %2 family (fleet \"%3\") cannot stage %4%5; it can stage %6")
                                                              .arg(a.id.left(60), fleet.family, fleet.name, attackKindName(a.kind),
                                                                   becauseText(fleet.support.whyNotAttack, a.kind), attacksText(can))));
        RandomStream rng(seed, 0, kPurposeAttacks + std::uint32_t(i));
        auto devices = selectDevices(a.select, fleet, rng, "attacks", i);
        if (!devices)
            return fail(devices.error());
        for (std::size_t d : *devices) {
            AttackOrder o;
            o.spec = int(i);
            o.kind = a.kind;
            o.device = d;
            o.atS = a.when.any() ? drawMoment(a.when, rng, FaultKind::BadImage) : std::nullopt;
            attackOrders.emplace_back(*k, o);
        }
    }
    for (auto& [k, order] : faultOrders) {
        FaultEntry e;
        e.order = order;
        e.fleet = fleets[k].name;
        order.id = log.addFault(std::move(e));
        plan[k].faults.push_back(order);
    }
    for (auto& [k, order] : attackOrders) {
        AttackEntry e;
        e.order = order;
        e.fleet = fleets[k].name;
        order.id = log.addAttack(std::move(e));
        plan[k].attacks.push_back(order);
    }
    return plan;
}

QString faultOutcomeText(const DeviceResult& d)
{
    const QString runs = d.versionAfter.isEmpty() ? d.versionBefore : d.versionAfter;
    const QString tail = runs.isEmpty() ? QString() : QStringLiteral(" (runs %1)").arg(runs);
    const QString reason = d.failureReason.isEmpty() ? QString() : QStringLiteral(": ") + d.failureReason;
    switch (d.outcome) {
    case DeviceOutcome::Upgraded: return runs.isEmpty() ? QStringLiteral("upgraded") : QStringLiteral("upgraded %1").arg(runs);
    case DeviceOutcome::Failed: return QStringLiteral("failed") + reason + tail;
    case DeviceOutcome::Refused: return QStringLiteral("refused") + reason + tail;
    case DeviceOutcome::RolledBack: return QStringLiteral("rolled back") + reason + tail;
    case DeviceOutcome::Unfinished: return QStringLiteral("unfinished") + tail;
    case DeviceOutcome::NotStarted: return QStringLiteral("not started") + tail;
    }
    return {};
}

bool runsOldImage(const DeviceResult& d)
{
    const bool final = d.outcome == DeviceOutcome::Failed || d.outcome == DeviceOutcome::Refused || d.outcome == DeviceOutcome::RolledBack
                       || d.outcome == DeviceOutcome::NotStarted;
    return final && (d.versionAfter.isEmpty() || d.versionAfter == d.versionBefore);
}

bool deviceRecovered(const DeviceResult& d)
{
    return d.outcome == DeviceOutcome::Upgraded || runsOldImage(d);
}

} // namespace otalab::sim::faults
