// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/topologyreader.h"

#include "sim/scenario/jsonfieldreader.h"

#include <QHash>

namespace otalab::sim {

namespace {

constexpr std::uint64_t kMaxNodes = 0xFFF8;  // short addresses 0x0000..0xFFF7

std::optional<ScenarioTopology> readGenerated(const QJsonObject& object, std::optional<Error>& sink)
{
    JsonFieldReader r(object, QStringLiteral("$.topology.generate"), sink);
    GeneratedTopology g;
    g.branching = 2;
    r.integer("routers", g.routers, 0, 0xFFF7);
    r.integer("branching", g.branching, 1, 0xFFF7);
    r.integer("zedsPerRouter", g.zedsPerRouter, 0, 0xFFF7);
    r.integer("zedsOnCoordinator", g.zedsOnCoordinator, 0, 0xFFF7);
    r.choice("placement", g.placement, {{"grid", Placement::Grid}, {"random", Placement::Random}});
    r.number("spacingM", g.spacingM, 0.0, 1e6, true);
    r.number("zedRadiusM", g.zedRadiusM, 0.0, 1e6);
    r.number("areaWidthM", g.areaWidthM, 0.0, 1e7, true);
    r.number("areaHeightM", g.areaHeightM, 0.0, 1e7, true);
    r.hexInteger("seed", g.seed, ~std::uint64_t(0));
    r.finish();
    if (r.failed())
        return std::nullopt;
    const std::uint64_t nodes = 1 + std::uint64_t(g.routers) * (1 + std::uint64_t(g.zedsPerRouter)) + g.zedsOnCoordinator;
    if (nodes > kMaxNodes) {
        r.fail(r.path(), QStringLiteral("%1 nodes do not fit the 16-bit address space; expected at most %2")
                             .arg(nodes).arg(kMaxNodes));
        return std::nullopt;
    }
    if (nodes < 2) {
        r.fail(r.path(), QStringLiteral("the topology has only the coordinator; expected routers > 0 or "
                                        "zedsOnCoordinator > 0 (there must be devices to upgrade)"));
        return std::nullopt;
    }
    return ScenarioTopology(g);
}

struct ParsedNode {
    NodeSpec spec;
    std::optional<std::uint16_t> parentShort;
};

std::optional<ScenarioTopology> readExplicit(const QJsonArray& nodes, std::optional<Error>& sink)
{
    const QString base = QStringLiteral("$.topology.nodes");
    auto at = [&](qsizetype i, const char* key) {
        return QStringLiteral("%1[%2].%3").arg(base).arg(i).arg(QLatin1String(key));
    };
    if (nodes.size() < 2) {
        recordScenarioError(sink, base, QStringLiteral("expected a coordinator and at least one more node, got %1 node(s)")
                                            .arg(nodes.size()));
        return std::nullopt;
    }
    if (std::uint64_t(nodes.size()) > kMaxNodes) {
        recordScenarioError(sink, base, QStringLiteral("expected at most %1 nodes").arg(kMaxNodes));
        return std::nullopt;
    }

    std::vector<ParsedNode> parsed(std::size_t(nodes.size()));
    QHash<std::uint16_t, qsizetype> byShort;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        const QString path = QStringLiteral("%1[%2]").arg(base).arg(i);
        if (!nodes[i].isObject()) {
            recordScenarioError(sink, path, QStringLiteral("expected a node object, got %1").arg(JsonFieldReader::describe(nodes[i])));
            return std::nullopt;
        }
        JsonFieldReader r(nodes[i].toObject(), path, sink);
        ParsedNode& n = parsed[std::size_t(i)];
        if (!r.contains("short"))
            r.fail(r.pathOf(QStringLiteral("short")), QStringLiteral("missing; expected the node's short address"));
        r.hexInteger("short", n.spec.shortAddress, 0xFFF7);
        if (!r.contains("role"))
            r.fail(r.pathOf(QStringLiteral("role")), QStringLiteral("missing; expected \"coordinator\", \"router\" or \"end-device\""));
        r.choice("role", n.spec.role, {{"coordinator", NodeRole::Coordinator}, {"router", NodeRole::Router},
                                       {"end-device", NodeRole::EndDevice}});
        r.hexInteger("parent", n.parentShort, 0xFFF7);
        r.number("x", n.spec.x, -1e7, 1e7);
        r.number("y", n.spec.y, -1e7, 1e7);
        r.finish();
        if (r.failed())
            return std::nullopt;
        if (byShort.contains(n.spec.shortAddress)) {
            r.fail(at(i, "short"), QStringLiteral("duplicate short address 0x%1 (also nodes[%2]); expected unique addresses")
                                       .arg(QString::number(n.spec.shortAddress, 16).toUpper().rightJustified(4, QLatin1Char('0')))
                                       .arg(byShort.value(n.spec.shortAddress)));
            return std::nullopt;
        }
        byShort.insert(n.spec.shortAddress, i);
        const bool coordinator = n.spec.role == NodeRole::Coordinator;
        if (i == 0 && !coordinator) {
            r.fail(at(i, "role"), QStringLiteral("expected the first node to be the coordinator"));
            return std::nullopt;
        }
        if (i > 0 && coordinator) {
            r.fail(at(i, "role"), QStringLiteral("a second coordinator; expected exactly one, as nodes[0]"));
            return std::nullopt;
        }
        if (coordinator && n.spec.shortAddress != 0) {
            r.fail(at(i, "short"), QStringLiteral("expected the coordinator at short address 0x0000"));
            return std::nullopt;
        }
        if (coordinator && n.parentShort) {
            r.fail(at(i, "parent"), QStringLiteral("the coordinator is the root; expected no parent"));
            return std::nullopt;
        }
        if (!coordinator && !n.parentShort) {
            r.fail(at(i, "parent"), QStringLiteral("missing; expected the short address of a coordinator or router"));
            return std::nullopt;
        }
    }

    TopologySpec spec;
    spec.nodes.reserve(parsed.size());
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        ParsedNode& n = parsed[i];
        if (n.parentShort) {
            const auto it = byShort.constFind(*n.parentShort);
            const QString hex = QString::number(*n.parentShort, 16).toUpper().rightJustified(4, QLatin1Char('0'));
            if (it == byShort.constEnd()) {
                recordScenarioError(sink, at(qsizetype(i), "parent"),
                                    QStringLiteral("no node has short address 0x%1; expected the address of a listed coordinator or router").arg(hex));
                return std::nullopt;
            }
            if (parsed[std::size_t(*it)].spec.role == NodeRole::EndDevice) {
                recordScenarioError(sink, at(qsizetype(i), "parent"),
                                    QStringLiteral("0x%1 is an end device, which cannot have children; expected a coordinator or router").arg(hex));
                return std::nullopt;
            }
            n.spec.parent = std::int32_t(*it);
        }
        spec.nodes.push_back(n.spec);
    }
    // Cycles: walk each chain at most nodes.size() steps (colouring keeps it linear).
    std::vector<std::uint8_t> state(spec.nodes.size(), 0);  // 0 unknown, 1 on current walk, 2 reaches root
    state[0] = 2;
    for (std::size_t i = 1; i < spec.nodes.size(); ++i) {
        std::vector<std::size_t> walk;
        std::size_t k = i;
        while (state[k] == 0) {
            state[k] = 1;
            walk.push_back(k);
            k = std::size_t(spec.nodes[k].parent);
        }
        if (state[k] == 1) {
            recordScenarioError(sink, at(qsizetype(i), "parent"),
                                QStringLiteral("following parents from here loops (through nodes[%1]) and never reaches the coordinator; "
                                               "expected a tree").arg(k));
            return std::nullopt;
        }
        for (std::size_t w : walk)
            state[w] = 2;
    }
    if (auto valid = spec.validate(); !valid) {
        QString field = valid.error().field;
        field.replace(QLatin1String(".shortAddress"), QLatin1String(".short"));
        recordScenarioError(sink, QStringLiteral("$.topology.") + field, valid.error().message);
        return std::nullopt;
    }
    return ScenarioTopology(std::move(spec));
}

} // namespace

std::optional<ScenarioTopology> readTopology(const QJsonValue& value, std::optional<Error>& sink)
{
    const QString path = QStringLiteral("$.topology");
    if (!value.isObject()) {
        recordScenarioError(sink, path, QStringLiteral("expected an object, got %1").arg(JsonFieldReader::describe(value)));
        return std::nullopt;
    }
    JsonFieldReader r(value.toObject(), path, sink);
    const auto generate = r.object("generate");
    const auto nodes = r.array("nodes");
    r.finish();
    if (r.failed())
        return std::nullopt;
    if (generate.has_value() == nodes.has_value()) {
        r.fail(path, generate ? QStringLiteral("both \"generate\" and \"nodes\"; expected exactly one of them")
                              : QStringLiteral("empty topology; expected \"generate\": {...} or \"nodes\": [...]"));
        return std::nullopt;
    }
    return generate ? readGenerated(*generate, sink) : readExplicit(*nodes, sink);
}

} // namespace otalab::sim
