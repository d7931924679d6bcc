// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/topologygenerator.h"
#include "sim/zigbee/topologyspec.h"
#include "sim/zigbee/treerouting.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace otalab::sim;

namespace {

// 0 coordinator ─ 1 router ─ 2 router ─ 3 ZED
//               │          └ 4 ZED
//               └ 5 router ─ 6 ZED
TopologySpec sampleTree()
{
    TopologySpec t;
    t.nodes = {
        {NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::Router, 0x0101, 0, 10, 0},
        {NodeRole::Router, 0x0202, 1, 20, 0},      {NodeRole::EndDevice, 0x0303, 2, 22, 0},
        {NodeRole::EndDevice, 0x0404, 1, 10, 2},   {NodeRole::Router, 0x0505, 0, 0, 10},
        {NodeRole::EndDevice, 0x0606, 5, 0, 12},
    };
    return t;
}

} // namespace

TEST(ZigbeeNwkTopology, ValidExplicitTree)
{
    EXPECT_TRUE(sampleTree().validate());
}

TEST(ZigbeeNwkTopology, InvalidTreesNameTheEntry)
{
    auto expectError = [](TopologySpec t, const char* field) {
        const auto r = t.validate();
        ASSERT_FALSE(r) << field;
        EXPECT_EQ(r.error().field, QString::fromLatin1(field)) << r.error().toString().toStdString();
    };
    EXPECT_FALSE(TopologySpec{}.validate());
    TopologySpec t = sampleTree();
    t.nodes[0].role = NodeRole::Router;
    expectError(t, "nodes[0].role");
    t = sampleTree();
    t.nodes[3].role = NodeRole::Coordinator;
    expectError(t, "nodes[3].role");
    t = sampleTree();
    t.nodes[0].shortAddress = 0x0001;
    expectError(t, "nodes[0].shortAddress");
    t = sampleTree();
    t.nodes[4].shortAddress = 0x0303;
    expectError(t, "nodes[4].shortAddress");
    t = sampleTree();
    t.nodes[4].shortAddress = 0xFFFD;
    expectError(t, "nodes[4].shortAddress");
    t = sampleTree();
    t.nodes[6].parent = 7;
    expectError(t, "nodes[6].parent");
    t = sampleTree();
    t.nodes[6].parent = 3; // an end device as parent
    expectError(t, "nodes[6].parent");
    t = sampleTree();
    t.nodes[1].parent = 2; // 1 → 2 → 1: a cycle
    expectError(t, "nodes[1].parent");
}

TEST(ZigbeeNwkTopology, TreeRoutingGoesUpToTheCommonAncestorAndDown)
{
    const TreeRouting r(sampleTree());
    EXPECT_EQ(r.nextHop(0x0000, 0x0303), 0x0101);
    EXPECT_EQ(r.nextHop(0x0101, 0x0303), 0x0202);
    EXPECT_EQ(r.nextHop(0x0202, 0x0303), 0x0303);
    EXPECT_EQ(r.nextHop(0x0303, 0x0000), 0x0202);
    EXPECT_EQ(r.nextHop(0x0202, 0x0000), 0x0101);
    // 3 → 6: up to the coordinator (common ancestor), then down through 5.
    EXPECT_EQ(r.nextHop(0x0202, 0x0606), 0x0101);
    EXPECT_EQ(r.nextHop(0x0101, 0x0606), 0x0000);
    EXPECT_EQ(r.nextHop(0x0000, 0x0606), 0x0505);
    // 4 → 3: common ancestor is router 1.
    EXPECT_EQ(r.nextHop(0x0404, 0x0303), 0x0101);
    EXPECT_EQ(r.nextHop(0x0101, 0x0303), 0x0202);
    EXPECT_FALSE(r.nextHop(0x0000, 0x7777));
    EXPECT_FALSE(r.nextHop(0x0101, 0x0101));
    EXPECT_EQ(r.depthOf(0x0303), 3u);
    EXPECT_EQ(r.parentOf(0x0303), 0x0202);
    EXPECT_FALSE(r.parentOf(0x0000));
    EXPECT_EQ(r.nodeOf(0x0606), 6u);
    EXPECT_EQ(r.nodeOf(0x7777), kNoNode);
}

TEST(ZigbeeNwkTopology, GeneratedTreeShape)
{
    GeneratedTopology g;
    g.routers = 6;
    g.branching = 2;
    g.zedsPerRouter = 3;
    g.zedsOnCoordinator = 1;
    const auto t = g.generate();
    ASSERT_TRUE(t);
    ASSERT_TRUE(t->validate());
    ASSERT_EQ(t->nodes.size(), 1u + 6 + 1 + 18);
    // Routers 1, 2 under the coordinator; 3, 4 under 1; 5, 6 under 2.
    EXPECT_EQ(t->nodes[1].parent, 0);
    EXPECT_EQ(t->nodes[2].parent, 0);
    EXPECT_EQ(t->nodes[3].parent, 1);
    EXPECT_EQ(t->nodes[4].parent, 1);
    EXPECT_EQ(t->nodes[5].parent, 2);
    EXPECT_EQ(t->nodes[6].parent, 2);
    EXPECT_EQ(t->nodes[7].role, NodeRole::EndDevice);
    EXPECT_EQ(t->nodes[7].parent, 0);
    for (std::size_t i = 8; i < t->nodes.size(); ++i) {
        EXPECT_EQ(t->nodes[i].role, NodeRole::EndDevice);
        EXPECT_EQ(t->nodes[i].parent, static_cast<std::int32_t>(1 + (i - 8) / 3));
        EXPECT_EQ(t->nodes[i].shortAddress, i);
        // Grid placement: ZEDs zedRadiusM from their parent.
        const NodeSpec& p = t->nodes[static_cast<std::size_t>(t->nodes[i].parent)];
        EXPECT_NEAR(std::hypot(t->nodes[i].x - p.x, t->nodes[i].y - p.y), g.zedRadiusM, 1e-9);
    }
    const TreeRouting r(*t);
    EXPECT_EQ(r.depthOf(6), 2u);
}

TEST(ZigbeeNwkTopology, RandomPlacementIsSeededAndInsideTheArea)
{
    GeneratedTopology g;
    g.routers = 4;
    g.zedsPerRouter = 2;
    g.placement = Placement::Random;
    g.areaWidthM = 50;
    g.areaHeightM = 20;
    g.seed = 9;
    const auto a = g.generate();
    const auto b = g.generate();
    g.seed = 10;
    const auto c = g.generate();
    ASSERT_TRUE(a && b && c);
    bool differs = false;
    for (std::size_t i = 0; i < a->nodes.size(); ++i) {
        EXPECT_EQ(a->nodes[i].x, b->nodes[i].x);
        EXPECT_EQ(a->nodes[i].y, b->nodes[i].y);
        EXPECT_GE(a->nodes[i].x, 0.0);
        EXPECT_LT(a->nodes[i].x, 50.0);
        EXPECT_GE(a->nodes[i].y, 0.0);
        EXPECT_LT(a->nodes[i].y, 20.0);
        differs = differs || a->nodes[i].x != c->nodes[i].x;
    }
    EXPECT_TRUE(differs);
}

TEST(ZigbeeNwkTopology, GeneratorRejectsImpossibleParameters)
{
    GeneratedTopology g;
    g.branching = 0;
    EXPECT_EQ(g.generate().error().field, QStringLiteral("topology.branching"));
    g.branching = 2;
    g.routers = 1000;
    g.zedsPerRouter = 100;
    EXPECT_EQ(g.generate().error().field, QStringLiteral("topology"));
}
