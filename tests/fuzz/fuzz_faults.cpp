// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the scenario's "faults" / "attacks" sections. The bytes are a JSON
// object whose "faults" and "attacks" members go to readScenarioFaults (any other JSON is
// read as the "faults" value itself). Every error must name its JSON path; a config read
// must survive its writer unchanged; and it is planned onto three fake fleets (one full,
// one without devices, one that supports nothing) with FaultLog entries matching the orders.
// Never crash, hang or allocate without bound.
#include "sim/fleet/faults/faultplanner.h"
#include "sim/scenario/faultsreader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace otalab::sim;
using namespace otalab::sim::faults;

namespace {

std::vector<PlannerFleet> fleets()
{
    Fleet::FaultSupport all;
    for (int k = 0; k < kFaultKindCount; ++k)
        all.kinds.push_back(FaultKind(k));
    for (int k = 0; k < kAttackKindCount; ++k)
        all.attacks.push_back(AttackKind(k));
    all.atFlashWrite = all.atProgress = true;
    const QStringList nodes{QStringLiteral("server"), QStringLiteral("gw-1"), QStringLiteral("gw-2")};
    return {PlannerFleet{QStringLiteral("a"), QStringLiteral("fake"), 64, nodes, all},
            PlannerFleet{QStringLiteral("empty"), QStringLiteral("fake"), 0, nodes, all},
            PlannerFleet{QStringLiteral("none"), QStringLiteral("fake"), 8, {}, {}}};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    QJsonValue faultsValue(QJsonValue::Undefined), attacksValue(QJsonValue::Undefined);
    if (doc.isObject()) {
        faultsValue = doc.object().value(QStringLiteral("faults"));
        attacksValue = doc.object().value(QStringLiteral("attacks"));
    } else if (doc.isArray()) {
        faultsValue = doc.array();
    }
    const auto config = readScenarioFaults(faultsValue, attacksValue);
    if (!config) {
        if (!config.error().field.startsWith(QLatin1String("$.")))
            __builtin_trap();  // every error names its JSON path
        return 0;
    }
    const auto again = readScenarioFaults(faultsToJson(*config), attacksToJson(*config));
    if (!again || !(*again == *config))
        __builtin_trap();  // the writer gives back what was read
    // Bound the plan: a selection of every device of a huge count is refused by the fleet size.
    FaultLog log;
    const auto plan = planFaults(*config, fleets(), 7, log);
    if (!plan) {
        if (plan.error().field.isEmpty() || !log.faults().empty() || !log.attacks().empty())
            __builtin_trap();  // refused with a path, nothing logged
        return 0;
    }
    std::size_t faults = 0, attacks = 0;
    for (const FleetFaultOrders& f : *plan) {
        for (const FaultOrder& o : f.faults) {
            if (std::size_t(o.id) >= log.faults().size() || (o.atS && !(*o.atS >= 0)))
                __builtin_trap();
            ++faults;
        }
        attacks += f.attacks.size();
    }
    if (faults != log.faults().size() || attacks != log.attacks().size())
        __builtin_trap();
    return 0;
}
