// SPDX-License-Identifier: Apache-2.0
// setScenarioValue / scenarioValue: JSON-path edits of scenario documents.
#include "sim/scenario/scenariopatch.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

QJsonObject doc(const char* json) { return QJsonDocument::fromJson(json).object(); }

} // namespace

TEST(ScenarioPatch, SetsAnExistingKeyInsideAnArray)
{
    QJsonObject root = doc(R"({"fleets":[{"family":"lorawan","campaign":{"redundancyPercent":10}}]})");
    ASSERT_TRUE(setScenarioValue(root, QStringLiteral("$.fleets[0].campaign.redundancyPercent"), 25));
    EXPECT_EQ(root["fleets"].toArray()[0].toObject()["campaign"].toObject()["redundancyPercent"].toInt(), 25);
    EXPECT_EQ(root["fleets"].toArray()[0].toObject()["family"].toString(), QStringLiteral("lorawan"));
    EXPECT_EQ(scenarioValue(root, QStringLiteral("fleets[0].campaign.redundancyPercent"))->toInt(), 25);
}

TEST(ScenarioPatch, CreatesMissingSectionsOnTheWay)
{
    QJsonObject root = doc(R"({"fleets":[{"family":"lorawan"}]})");
    ASSERT_TRUE(setScenarioValue(root, QStringLiteral("$.fleets[0].campaign.redundancyPercent"), 5));
    EXPECT_EQ(scenarioValue(root, QStringLiteral("$.fleets[0].campaign.redundancyPercent"))->toInt(), 5);
    ASSERT_TRUE(setScenarioValue(root, QStringLiteral("seed"), 7));
    EXPECT_EQ(root["seed"].toInt(), 7);
}

TEST(ScenarioPatch, RefusesAMissingArrayElementAndLeavesTheDocument)
{
    QJsonObject root = doc(R"({"fleets":[{"family":"lorawan"}]})");
    const QJsonObject before = root;
    auto r = setScenarioValue(root, QStringLiteral("$.fleets[3].campaign.redundancyPercent"), 5);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("$.fleets[3]"));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("1 element")));
    EXPECT_EQ(root, before);
}

TEST(ScenarioPatch, RefusesStepsThroughScalarsAndBadSyntax)
{
    QJsonObject root = doc(R"({"seed":1,"fleets":[]})");
    EXPECT_FALSE(setScenarioValue(root, QStringLiteral("$.seed.x"), 1));
    EXPECT_FALSE(setScenarioValue(root, QStringLiteral("$.fleets.x"), 1));
    EXPECT_FALSE(setScenarioValue(root, QStringLiteral("$.fleets[a].x"), 1));
    EXPECT_FALSE(setScenarioValue(root, QStringLiteral("$.fleets[0]"), 1));  // must end in a key
    EXPECT_FALSE(setScenarioValue(root, QStringLiteral("$..x"), 1));
    EXPECT_FALSE(scenarioValue(root, QStringLiteral("$.missing")));
}
