// SPDX-License-Identifier: Apache-2.0
// FleetRun refuses a rollout its fleets cannot carry out, naming the field: unknown or
// twice-named targets, a family that cannot hold devices, retries without retry support,
// a timeout or FORCE_CANCEL without stop support; the policy's own validation error.
#include "fleetrun_rollout_test_support.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

using namespace rollouttest;

FakeProgram unsupported(const QString& family, Fleet::RolloutSupport support)
{
    FakeProgram p = uniformProgram(2);
    p.family = family;
    p.support = support;
    return p;
}

Error buildError(std::vector<FakeProgram> programs, const rollout::RolloutPolicyConfig& policy)
{
    FakeRun run;
    run.programs = std::move(programs);
    ScenarioConfig c = baseScenario();
    c.rollout = policy;
    auto built = run.build(c);
    EXPECT_FALSE(built.has_value());
    return built ? Error{} : built.error();
}

TEST(FleetRunRolloutTargets, UnknownFleetListsTheNames)
{
    rollout::RolloutPolicyConfig p;
    p.targets = {QStringLiteral("a"), QStringLiteral("campus")};
    const Error e = buildError({uniformProgram(2), uniformProgram(2)}, p);
    EXPECT_EQ(e.field, QStringLiteral("rollout.targets[1]"));
    EXPECT_EQ(e.message, QStringLiteral("no fleet named \"campus\": expected one of a, b"));
}

TEST(FleetRunRolloutTargets, GroupInsideAFleet)
{
    rollout::RolloutPolicyConfig p;
    p.targets = {QStringLiteral("a/routers")};
    const Error e = buildError({uniformProgram(2), uniformProgram(2)}, p);
    EXPECT_EQ(e.toString(), QStringLiteral("rollout.targets[0]: \"a/routers\": no family offers groups inside a fleet yet: "
                                           "expected a whole fleet, one of a, b"));
}

TEST(FleetRunRolloutTargets, FleetNamedTwice)
{
    rollout::RolloutPolicyConfig p;
    p.targets = {QStringLiteral("b"), QStringLiteral("b")};
    const Error e = buildError({uniformProgram(2), uniformProgram(2)}, p);
    EXPECT_EQ(e.field, QStringLiteral("rollout.targets[1]"));
    EXPECT_TRUE(e.message.contains(QStringLiteral("rollout.targets[0]"))) << e.message.toStdString();
}

TEST(FleetRunRolloutTargets, FamilyThatCannotHold)
{
    rollout::RolloutPolicyConfig p;
    p.targets = {QStringLiteral("b")};
    const Error e = buildError({uniformProgram(2), unsupported(QStringLiteral("ocf"), {})}, p);
    EXPECT_EQ(e.toString(), QStringLiteral("rollout.targets[0]: the ocf family cannot be held for a rollout (fleet b)"));
    // Every fleet targeted (no targets): the field is the list itself.
    p.targets.clear();
    const Error all = buildError({uniformProgram(2), unsupported(QStringLiteral("ocf"), {})}, p);
    EXPECT_EQ(all.field, QStringLiteral("rollout.targets"));
    // An untargeted fleet may be of any family.
    FakeRun run;
    run.programs = {uniformProgram(2), unsupported(QStringLiteral("ocf"), {})};
    ScenarioConfig c = baseScenario();
    p.targets = {QStringLiteral("a")};
    c.rollout = p;
    EXPECT_TRUE(run.build(c).has_value());
}

TEST(FleetRunRolloutTargets, RetriesNeedRetrySupport)
{
    rollout::RolloutPolicyConfig p;
    p.retries.push_back({rollout::FailureType::Failed, 2});
    const Error e = buildError({unsupported(QStringLiteral("zigbee"), {true, true, false, {}})}, p);
    EXPECT_EQ(e.field, QStringLiteral("rollout.jobExecutionsRetryConfig"));
    EXPECT_TRUE(e.message.startsWith(QStringLiteral("the zigbee family cannot retry a device"))) << e.message.toStdString();
    // Zero retries ask for nothing.
    p.retries[0].numberOfRetries = 0;
    FakeRun run;
    run.programs = {unsupported(QStringLiteral("zigbee"), {true, true, false, {}})};
    ScenarioConfig c = baseScenario();
    c.rollout = p;
    EXPECT_TRUE(run.build(c).has_value());
}

TEST(FleetRunRolloutTargets, TimeoutAndForceCancelNeedStopSupport)
{
    const Fleet::RolloutSupport gateOnly{true, false, false, {}};
    rollout::RolloutPolicyConfig p;
    p.inProgressTimeoutMinutes = 5;
    Error e = buildError({unsupported(QStringLiteral("lorawan"), gateOnly)}, p);
    EXPECT_EQ(e.field, QStringLiteral("rollout.timeoutConfig.inProgressTimeoutInMinutes"));
    EXPECT_TRUE(e.message.startsWith(QStringLiteral("the lorawan family cannot stop serving a device"))) << e.message.toStdString();

    rollout::RolloutPolicyConfig f;
    f.scheduling.endS = 3600;
    f.scheduling.endBehavior = QStringLiteral("FORCE_CANCEL");
    e = buildError({unsupported(QStringLiteral("lorawan"), gateOnly)}, f);
    EXPECT_EQ(e.field, QStringLiteral("rollout.schedulingConfig.endBehavior"));
}

TEST(FleetRunRolloutTargets, PolicyValidationErrorComesThrough)
{
    rollout::RolloutPolicyConfig p;
    p.rollout.maximumPerMinute = 0;
    const Error e = buildError({uniformProgram(2)}, p);
    EXPECT_TRUE(e.field.startsWith(QStringLiteral("rollout"))) << e.toString().toStdString();
    EXPECT_TRUE(e.field.contains(QStringLiteral("maximumPerMinute"))) << e.toString().toStdString();
}

} // namespace
} // namespace otalab::sim
