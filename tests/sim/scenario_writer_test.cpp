// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariowriter.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

TEST(ScenarioWriter, BundledScenariosRoundTrip)
{
    const QDir dir(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
    QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    files << QStringLiteral(OTALAB_TEST_DATA_DIR "/scenarios/good/explicit.json");
    for (const QString& name : files) {
        QFile raw(dir.filePath(name));
        if (raw.open(QIODevice::ReadOnly) && QJsonDocument::fromJson(raw.readAll()).object().contains(QStringLiteral("fleets")))
            continue;  // the writer writes the one-Zigbee-fleet shape the form edits
        const auto original = loadScenarioFile(dir.filePath(name));
        ASSERT_TRUE(original) << name.toStdString() << ": " << original.error().toString().toStdString();
        const QJsonObject json = scenarioToJson(*original);
        const auto reloaded = loadScenario(QJsonDocument(json).toJson(), dir.path());
        ASSERT_TRUE(reloaded) << name.toStdString() << ": " << reloaded.error().toString().toStdString();
        EXPECT_EQ(scenarioToJson(*reloaded), json) << name.toStdString();
        EXPECT_EQ(reloaded->seed, original->seed);
        EXPECT_EQ(reloaded->topology.index(), original->topology.index());
    }
}

TEST(ScenarioWriter, WritesOnlyKeysTheLoaderKnows)
{
    // Loading the writer's output of the defaults succeeds, so every written key is known.
    const auto reloaded = loadScenario(QJsonDocument(scenarioToJson(RolloutConfig{})).toJson(), QString());
    ASSERT_TRUE(reloaded) << reloaded.error().toString().toStdString();
}
