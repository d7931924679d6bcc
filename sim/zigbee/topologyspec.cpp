// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/topologyspec.h"

#include "sim/zigbee/nwkheader.h"

namespace otalab::sim {

namespace {

Error entryError(std::size_t index, const char* field, QString message)
{
    return Error::at(-1, QStringLiteral("nodes[%1].%2").arg(index).arg(QLatin1String(field)), std::move(message));
}

} // namespace

Result<void> TopologySpec::validate() const
{
    if (nodes.empty())
        return fail(Error::at(-1, QStringLiteral("nodes"), QStringLiteral("a network needs at least a coordinator")));
    if (nodes.size() > 0xFFF8)
        return fail(Error::at(-1, QStringLiteral("nodes"),
                              QStringLiteral("%1 nodes exceed the %2 short addresses available")
                                  .arg(nodes.size())
                                  .arg(0xFFF8)));
    std::vector<std::int32_t> owner(0x10000, -1);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const NodeSpec& n = nodes[i];
        if ((i == 0) != (n.role == NodeRole::Coordinator))
            return fail(entryError(i, "role",
                                   i == 0 ? QStringLiteral("node 0 must be the coordinator, found %1")
                                                .arg(QLatin1String(toString(n.role)))
                                          : QStringLiteral("only node 0 may be the coordinator")));
        if (i == 0 && (n.shortAddress != 0x0000 || n.parent != -1))
            return fail(entryError(i, i == 0 && n.parent != -1 ? "parent" : "shortAddress",
                                   QStringLiteral("the coordinator has short address 0x0000 and no parent (-1)")));
        if (isNwkBroadcast(n.shortAddress))
            return fail(entryError(i, "shortAddress",
                                   QStringLiteral("0x%1 is a broadcast address (0xFFF8..0xFFFF)")
                                       .arg(n.shortAddress, 4, 16, QLatin1Char('0'))));
        if (owner[n.shortAddress] >= 0)
            return fail(entryError(i, "shortAddress",
                                   QStringLiteral("short address 0x%1 is already used by node %2")
                                       .arg(n.shortAddress, 4, 16, QLatin1Char('0'))
                                       .arg(owner[n.shortAddress])));
        owner[n.shortAddress] = static_cast<std::int32_t>(i);
        if (i == 0)
            continue;
        if (n.parent < 0 || static_cast<std::size_t>(n.parent) >= nodes.size() || static_cast<std::size_t>(n.parent) == i)
            return fail(entryError(i, "parent",
                                   QStringLiteral("parent %1 is not another node's index (0..%2)")
                                       .arg(n.parent)
                                       .arg(nodes.size() - 1)));
        if (nodes[static_cast<std::size_t>(n.parent)].role == NodeRole::EndDevice)
            return fail(entryError(i, "parent",
                                   QStringLiteral("parent %1 is an end device; only the coordinator and routers "
                                                  "have children")
                                       .arg(n.parent)));
    }
    // Every chain of parents must reach node 0 within nodes.size() steps.
    for (std::size_t i = 1; i < nodes.size(); ++i) {
        std::int32_t cur = static_cast<std::int32_t>(i);
        std::size_t steps = 0;
        while (cur > 0 && steps <= nodes.size()) {
            cur = nodes[static_cast<std::size_t>(cur)].parent;
            ++steps;
        }
        if (cur != 0)
            return fail(entryError(i, "parent", QStringLiteral("following parents from node %1 never reaches the "
                                                               "coordinator (cycle)")
                                                    .arg(i)));
    }
    return {};
}

} // namespace otalab::sim
