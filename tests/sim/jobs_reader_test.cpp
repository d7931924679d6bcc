// SPDX-License-Identifier: Apache-2.0
// The jobs fleet reader: keys into JobsFleetConfig, and errors that name the JSON path.
#include "sim/scenario/jobsfleetreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

namespace {

using namespace otalab::sim;

QJsonObject parse(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

TEST(JobsReader, ReadsEveryKey)
{
    const auto c = readJobsFleet(parse(R"({
        "devices": [
            {"name": "home", "count": 70, "preset": "esp32-wifi", "latencyMs": 12, "dtimMs": 102.4, "spreadPercent": 10},
            {"count": 30, "preset": "nrf9160-ltem", "psm": {"periodicTauS": 3600, "activeTimeS": 20},
             "edrx": {"cycleS": 81.92, "pagingWindowS": 5.12}, "rrcInactivityS": 20, "downlinkKbps": 200, "uplinkKbps": 100,
             "lossPercent": 1}
        ],
        "image": {"sizeBytes": 300000, "version": "3.1.0", "runningVersion": "3.0.0", "blockSize": 2048},
        "agent": {"blocksPerRequest": 4, "requestTimeoutS": 5, "maxRequestMomentum": 10, "selfTestS": 2},
        "broker": {"perConnectionKBps": 100, "fanoutPerS": 500, "streamBlocksPerS": 300, "startAtS": 5},
        "faults": {"badImage": {"share": 0.03}, "badSignature": {"share": 0.01}, "disconnects": {"ratePerHour": 2, "reconnectS": 8}}
    })"), QStringLiteral("$.fleets[0]"));
    ASSERT_TRUE(c.has_value()) << c.error().toString().toStdString();
    ASSERT_EQ(c->devices.size(), 2u);
    EXPECT_EQ(c->devices[0].name, QStringLiteral("home"));
    EXPECT_EQ(c->devices[0].dtimMs, 102.4);
    EXPECT_EQ(c->devices[1].preset, QStringLiteral("nrf9160-ltem"));
    ASSERT_TRUE(c->devices[1].psm && c->devices[1].edrx);
    EXPECT_EQ(c->devices[1].psm->periodicTauS, 3600);
    EXPECT_EQ(c->devices[1].edrx->cycleS, 81.92);
    EXPECT_EQ(c->devices[1].rrcInactivityS, 20);
    EXPECT_EQ(c->deviceCount(), 100);
    EXPECT_EQ(c->image.blockSize, 2048);
    EXPECT_EQ(c->agent.blocksPerRequest, 4);
    EXPECT_EQ(c->broker.streamBlocksPerS, 300);
    EXPECT_EQ(c->faults.badImageShare, 0.03);
    EXPECT_EQ(c->faults.disconnectsPerHour, 2);
    EXPECT_EQ(c->faults.reconnectS, 8);
}

struct BadCase {
    const char* json;
    const char* field;
};

TEST(JobsReader, ErrorsNameTheJsonPath)
{
    const BadCase cases[] = {
        {R"({"devices": [{"count": 0}]})", "$.fleets[2].devices[0].count"},
        {R"({"devices": [{"preset": "stm32"}]})", "$.fleets[2].devices[0].preset"},
        {R"({"devices": [{}, {"preset": "esp32-wifi", "psm": {}}]})", "$.fleets[2].devices[1].psm"},
        {R"({"devices": [{"preset": "nrf9160-nbiot", "dtimMs": 100}]})", "$.fleets[2].devices[0].dtimMs"},
        {R"({"devices": [{"preset": "nrf9160-ltem", "psm": {"periodicTauS": 1}}]})", "$.fleets[2].devices[0].psm.periodicTauS"},
        {R"({"devices": [{"preset": "nrf9160-ltem", "edrx": {"cycleS": 5.12, "pagingWindowS": 10.24}}]})", "$.fleets[2].devices[0].edrx.pagingWindowS"},
        {R"({"devices": []})", "$.fleets[2].devices"},
        {R"({"devices": [3]})", "$.fleets[2].devices[0]"},
        {R"({"image": {"blockSize": 100}})", "$.fleets[2].image.blockSize"},
        {R"({"agent": {"blocksPerRequest": 0}})", "$.fleets[2].agent.blocksPerRequest"},
        {R"({"broker": {"fanoutPerS": 0}})", "$.fleets[2].broker.fanoutPerS"},
        {R"({"faults": {"badImage": {"share": 1.5}}})", "$.fleets[2].faults.badImage.share"},
        {R"({"faults": {"badImage": {}}})", "$.fleets[2].faults.badImage"},
        {R"({"faults": {"disconnects": {"rate": 1}}})", "$.fleets[2].faults.disconnects.rate"},
        {R"({"colour": "blue"})", "$.fleets[2].colour"},
    };
    for (const BadCase& c : cases) {
        const auto r = readJobsFleet(parse(c.json), QStringLiteral("$.fleets[2]"));
        ASSERT_FALSE(r.has_value()) << c.json;
        EXPECT_EQ(r.error().field, QString::fromLatin1(c.field)) << c.json << " → " << r.error().toString().toStdString();
        EXPECT_FALSE(r.error().message.isEmpty());
    }
}

TEST(JobsReader, WriterRoundTrips)
{
    for (const char* file : {"jobs-rollout.json", "jobs-national.json"}) {
        const auto s = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
        ASSERT_TRUE(s.has_value()) << file;
        const auto& c = std::get<JobsFleetConfig>(s->fleets[0].family);
        const auto back = readJobsFleet(jobsFleetToJson(c), QStringLiteral("$"));
        ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
        EXPECT_TRUE(*back == c) << file;
    }
    JobsFleetConfig c;
    c.devices[0].preset = QStringLiteral("nrf9160-nbiot");
    c.devices[0].edrx = JobsEdrxConfig{81.92, 5.12};
    c.devices[0].rrcInactivityS = 20;
    c.devices[0].lossPercent = 2;
    c.agent.selfTestS = 3;
    const auto back = readJobsFleet(jobsFleetToJson(c), QStringLiteral("$"));
    ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
    EXPECT_TRUE(*back == c);
}

TEST(JobsReader, LoaderDispatchesTheFamily)
{
    const auto s = loadScenarioConfig(QByteArray(R"({"name": "j", "fleets": [{"name": "cloud", "family": "jobs",
        "devices": [{"count": 5, "preset": "nrf9160-nbiot"}]}]})"), QString());
    ASSERT_TRUE(s.has_value()) << s.error().toString().toStdString();
    EXPECT_EQ(s->fleets[0].familyId(), QStringLiteral("jobs"));
    const auto bad = loadScenarioConfig(QByteArray(R"({"fleets": [{"family": "mqtt"}]})"), QString());
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("\"jobs\"")));
    const auto deep = loadScenarioConfig(QByteArray(R"({"fleets": [{"family": "jobs", "devices": [{"count": -1}]}]})"), QString());
    ASSERT_FALSE(deep.has_value());
    EXPECT_EQ(deep.error().field, QStringLiteral("$.fleets[0].devices[0].count"));
}

} // namespace
