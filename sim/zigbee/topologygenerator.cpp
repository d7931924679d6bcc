// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/topologygenerator.h"

#include "sim/kernel/randomstream.h"

#include <cmath>
#include <numbers>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kRngPurposeTopology = 0x544F504Fu; // 'TOPO'

} // namespace

Result<TopologySpec> GeneratedTopology::generate() const
{
    if (routers > 0 && branching == 0)
        return fail(Error::at(-1, QStringLiteral("topology.branching"),
                              QStringLiteral("branching factor 0 leaves %1 routers without a parent").arg(routers)));
    const std::uint64_t total = 1ull + routers + zedsOnCoordinator + std::uint64_t{routers} * zedsPerRouter;
    if (total > 0xFFF8)
        return fail(Error::at(-1, QStringLiteral("topology"),
                              QStringLiteral("%1 nodes exceed the 65528 short addresses available").arg(total)));

    TopologySpec spec;
    spec.nodes.reserve(static_cast<std::size_t>(total));
    spec.nodes.push_back(NodeSpec{NodeRole::Coordinator, 0x0000, -1, 0.0, 0.0});
    const auto side = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(routers + 1))));
    for (std::uint32_t k = 1; k <= routers; ++k) {
        const auto parent = static_cast<std::int32_t>(k <= branching ? 0 : (k - 1) / branching);
        NodeSpec n{NodeRole::Router, static_cast<std::uint16_t>(k), parent, 0.0, 0.0};
        n.x = spacingM * static_cast<double>(k % side);
        n.y = spacingM * static_cast<double>(k / side);
        spec.nodes.push_back(n);
    }
    auto addZeds = [&](std::int32_t parent, std::uint32_t count) {
        const NodeSpec& p = spec.nodes[static_cast<std::size_t>(parent)];
        const double px = p.x;
        const double py = p.y;
        for (std::uint32_t j = 0; j < count; ++j) {
            const double angle = 2.0 * std::numbers::pi * (static_cast<double>(j) + 0.5) / static_cast<double>(count);
            NodeSpec n{NodeRole::EndDevice, static_cast<std::uint16_t>(spec.nodes.size()), parent,
                       px + zedRadiusM * std::cos(angle), py + zedRadiusM * std::sin(angle)};
            spec.nodes.push_back(n);
        }
    };
    addZeds(0, zedsOnCoordinator);
    for (std::uint32_t k = 1; k <= routers; ++k)
        addZeds(static_cast<std::int32_t>(k), zedsPerRouter);

    if (placement == Placement::Random) {
        for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
            RandomStream rng(seed, static_cast<NodeId>(i), kRngPurposeTopology);
            spec.nodes[i].x = rng.uniform(0.0, areaWidthM);
            spec.nodes[i].y = rng.uniform(0.0, areaHeightM);
        }
    }
    return spec;
}

} // namespace otalab::sim
