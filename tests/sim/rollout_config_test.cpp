// SPDX-License-Identifier: Apache-2.0
// Rollout policy config: validate() names every wrong field with its range; the scenario
// reader refuses unknown keys and wrong types at their JSON path, reads the issue's
// example, round-trips through rolloutPolicyToJson, and the loader takes "rollout".
#include "sim/fleet/rollout/rolloutconfig.h"
#include "sim/scenario/rolloutreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

#include <functional>

using namespace otalab::sim;
using namespace otalab::sim::rollout;

namespace {

const char* const kExample = R"({"policy":"aws-jobs","jobId":"fw-2.1","targets":["sensors"],
  "jobExecutionsRolloutConfig":{"maximumPerMinute":500,"exponentialRate":{"baseRatePerMinute":10,"incrementFactor":2,
    "rateIncreaseCriteria":{"numberOfSucceededThings":50}}},
  "abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":5,"minNumberOfExecutedThings":100}]},
  "timeoutConfig":{"inProgressTimeoutInMinutes":60},
  "jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"TIMED_OUT","numberOfRetries":2}]}})";

QJsonObject json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

otalab::Result<RolloutPolicyConfig> read(const char* text)
{
    return readRolloutPolicy(json(text));
}

struct ValidateCase {
    const char* field;     // expected Error::field
    const char* mentions;  // expected in Error::message (the allowed range)
    std::function<void(RolloutPolicyConfig&)> change;
};

ExponentialRate rate(int base, double factor, std::optional<int> notified, std::optional<int> succeeded)
{
    return ExponentialRate{base, factor, {notified, succeeded}};
}

} // namespace

TEST(RolloutConfig, ValidateNamesEveryWrongField)
{
    using C = RolloutPolicyConfig;
    const auto hawkbit = [](C& c) {
        c.kind = PolicyKind::Hawkbit;
        c.groups = {HawkbitGroup{}};
    };
    const auto mender = [](C& c) {
        c.kind = PolicyKind::Mender;
        c.phases = {MenderPhase{}};
    };
    const std::vector<ValidateCase> cases = {
        {"rollout.jobId", "1 to 64", [](C& c) { c.jobId.clear(); }},
        {"rollout.jobId", "1 to 64", [](C& c) { c.jobId = QStringLiteral("fw 2.1"); }},
        {"rollout.targets[1]", "fleet name", [](C& c) { c.targets = {QStringLiteral("a"), QString()}; }},
        {"rollout.order", "\"random\" or \"index\"", [](C& c) { c.order = QStringLiteral("shuffled"); }},
        {"rollout.jobExecutionsRolloutConfig.maximumPerMinute", "[1, 1000000]", [](C& c) { c.rollout.maximumPerMinute = 0; }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute", "[1, 1000]",
         [](C& c) { c.rollout.exponentialRate = rate(0, 2, 1, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute", "[1, 1000]",
         [](C& c) { c.rollout.exponentialRate = rate(1001, 2, 1, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute", "maximumPerMinute (50)",
         [](C& c) { c.rollout.exponentialRate = rate(100, 2, 1, {}); c.rollout.maximumPerMinute = 50; }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor", "[1.1, 5]",
         [](C& c) { c.rollout.exponentialRate = rate(10, 1.0, 1, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor", "[1.1, 5]",
         [](C& c) { c.rollout.exponentialRate = rate(10, 5.5, 1, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor", "1 digit after",
         [](C& c) { c.rollout.exponentialRate = rate(10, 1.55, 1, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria", "neither",
         [](C& c) { c.rollout.exponentialRate = rate(10, 2, {}, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria", "both",
         [](C& c) { c.rollout.exponentialRate = rate(10, 2, 5, 5); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria.numberOfNotifiedThings", "[1, ",
         [](C& c) { c.rollout.exponentialRate = rate(10, 2, 0, {}); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria.numberOfSucceededThings", "[1, ",
         [](C& c) { c.rollout.exponentialRate = rate(10, 2, {}, -3); }},
        {"rollout.jobExecutionsRolloutConfig.exponentialRate", "\"aws-jobs\"",
         [&](C& c) { hawkbit(c); c.rollout.exponentialRate = rate(10, 2, 1, {}); }},
        {"rollout.abortConfig.criteriaList[0].thresholdPercentage", "(0, 100]",
         [](C& c) { c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 0, 1}}; }},
        {"rollout.abortConfig.criteriaList[1].thresholdPercentage", "(0, 100]",
         [](C& c) { c.abort = {AbortCriterion{}, AbortCriterion{FailureType::All, QStringLiteral("CANCEL"), 100.5, 1}}; }},
        {"rollout.abortConfig.criteriaList[0].thresholdPercentage", "2 digits after",
         [](C& c) { c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 5.555, 1}}; }},
        {"rollout.abortConfig.criteriaList[0].action", "\"CANCEL\"",
         [](C& c) { c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("PAUSE"), 5, 1}}; }},
        {"rollout.abortConfig.criteriaList[0].minNumberOfExecutedThings", "[1, ",
         [](C& c) { c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 5, 0}}; }},
        {"rollout.abortConfig", "\"aws-jobs\"", [&](C& c) { mender(c); c.abort = {AbortCriterion{}}; }},
        {"rollout.timeoutConfig.inProgressTimeoutInMinutes", "[1, 10080]", [](C& c) { c.inProgressTimeoutMinutes = 0; }},
        {"rollout.timeoutConfig.inProgressTimeoutInMinutes", "[1, 10080]", [](C& c) { c.inProgressTimeoutMinutes = 10081; }},
        {"rollout.timeoutConfig.inProgressTimeoutInMinutes", "integer", [](C& c) { c.inProgressTimeoutMinutes = 1.5; }},
        {"rollout.jobExecutionsRetryConfig.criteriaList[0].numberOfRetries", "[0, 10]",
         [](C& c) { c.retries = {RetryCriterion{FailureType::Failed, 11}}; }},
        {"rollout.jobExecutionsRetryConfig.criteriaList[0].failureType", "\"TIMED_OUT\"",
         [](C& c) { c.retries = {RetryCriterion{FailureType::Rejected, 1}}; }},
        {"rollout.jobExecutionsRetryConfig.criteriaList[1].failureType", "twice",
         [](C& c) { c.retries = {RetryCriterion{FailureType::All, 1}, RetryCriterion{FailureType::All, 2}}; }},
        {"rollout.jobExecutionsRetryConfig", "\"aws-jobs\" or \"mender\"",
         [&](C& c) { hawkbit(c); c.retries = {RetryCriterion{}}; }},
        {"rollout.schedulingConfig.startS", "[0, ", [](C& c) { c.scheduling.startS = -1; }},
        {"rollout.schedulingConfig.endS", "after startS", [](C& c) { c.scheduling.startS = 10; c.scheduling.endS = 10; }},
        {"rollout.schedulingConfig.endBehavior", "\"FORCE_CANCEL\"", [](C& c) { c.scheduling.endBehavior = QStringLiteral("STOP"); }},
        {"rollout.schedulingConfig.maintenanceWindows[0].durationS", "[60, 82800]",
         [](C& c) { c.scheduling.maintenanceWindows = {MaintenanceWindow{0, 30, 100}}; }},
        {"rollout.schedulingConfig.maintenanceWindows[1].periodS", "[600, ",
         [](C& c) { c.scheduling.maintenanceWindows = {MaintenanceWindow{}, MaintenanceWindow{0, 600, 300}}; }},
        {"rollout.groups", "\"hawkbit\"", [](C& c) { c.groups = {HawkbitGroup{}}; }},
        {"rollout.groups", "at least one", [](C& c) { c.kind = PolicyKind::Hawkbit; }},
        {"rollout.groups[0].targetPercentage", "(0, 100]", [&](C& c) { hawkbit(c); c.groups[0].targetPercentage = 0; }},
        {"rollout.groups[0].successThreshold", "(0, 100]", [&](C& c) { hawkbit(c); c.groups[0].successThreshold = 101; }},
        {"rollout.groups[0].errorThreshold", "(0, 100]", [&](C& c) { hawkbit(c); c.groups[0].errorThreshold = 0; }},
        {"rollout.groups[1].successThreshold", "(0, 100]",
         [&](C& c) { hawkbit(c); c.groups.push_back(HawkbitGroup{}); c.groups[1].successThreshold = 0; }},
        {"rollout.phases", "\"mender\"", [](C& c) { c.phases = {MenderPhase{}}; }},
        {"rollout.phases", "at least one", [](C& c) { c.kind = PolicyKind::Mender; }},
        {"rollout.phases[0].batchPercentage", "(0, 100]", [&](C& c) { mender(c); c.phases[0].batchPercentage = 0; }},
        {"rollout.phases[1].batchPercentage", "at most 100 %",
         [&](C& c) { mender(c); c.phases = {MenderPhase{60, 0}, MenderPhase{60, 10}}; }},
        {"rollout.phases[1].startS", "phases[0].startS",
         [&](C& c) { mender(c); c.phases = {MenderPhase{50, 100}, MenderPhase{50, 10}}; }},
        {"rollout.maxDevices", "\"mender\"", [](C& c) { c.maxDevices = 10; }},
        {"rollout.maxDevices", "[1, ", [&](C& c) { mender(c); c.maxDevices = 0; }},
    };
    EXPECT_TRUE(RolloutPolicyConfig{}.validate().has_value());
    for (const ValidateCase& v : cases) {
        RolloutPolicyConfig c;
        v.change(c);
        const auto result = c.validate();
        ASSERT_FALSE(result.has_value()) << v.field;
        EXPECT_EQ(result.error().field, QLatin1String(v.field)) << result.error().message.toStdString();
        EXPECT_TRUE(result.error().message.contains(QString::fromUtf8(v.mentions)))
            << v.field << ": " << result.error().message.toStdString();
    }
}

TEST(RolloutConfig, ReaderTakesTheIssueExample)
{
    const auto c = read(kExample);
    ASSERT_TRUE(c.has_value()) << c.error().toString().toStdString();
    EXPECT_EQ(c->kind, PolicyKind::AwsJobs);
    EXPECT_EQ(c->jobId, QStringLiteral("fw-2.1"));
    EXPECT_EQ(c->targets, QStringList{QStringLiteral("sensors")});
    EXPECT_EQ(c->rollout.maximumPerMinute, 500);
    ASSERT_TRUE(c->rollout.exponentialRate.has_value());
    EXPECT_EQ(c->rollout.exponentialRate->baseRatePerMinute, 10);
    EXPECT_EQ(c->rollout.exponentialRate->incrementFactor, 2.0);
    EXPECT_EQ(c->rollout.exponentialRate->rateIncreaseCriteria.numberOfSucceededThings, 50);
    EXPECT_FALSE(c->rollout.exponentialRate->rateIncreaseCriteria.numberOfNotifiedThings.has_value());
    ASSERT_EQ(c->abort.size(), 1u);
    EXPECT_EQ(c->abort[0].failureType, FailureType::Failed);
    EXPECT_EQ(c->abort[0].thresholdPercentage, 5.0);
    EXPECT_EQ(c->abort[0].minNumberOfExecutedThings, 100);
    EXPECT_EQ(c->inProgressTimeoutMinutes, 60.0);
    ASSERT_EQ(c->retries.size(), 1u);
    EXPECT_EQ(c->retries[0].failureType, FailureType::TimedOut);
    EXPECT_EQ(c->retries[0].numberOfRetries, 2);
}

TEST(RolloutConfig, ReaderErrorsNameTheJsonPath)
{
    struct Case {
        const char* json;
        const char* field;
        const char* mentions;
    };
    const std::vector<Case> cases = {
        {R"({"jobid":"x"})", "$.rollout.jobid", "expected one of: "},
        {R"({"abortConfig":{"criteriaList":[{"failureType":"FAILED","thresholdPercentage":5,"minNumberOfExecutedThings":1,"treshold":3}]}})",
         "$.rollout.abortConfig.criteriaList[0].treshold", "minNumberOfExecutedThings"},
        {R"({"jobExecutionsRolloutConfig":{"maximumPerMinute":"500"}})", "$.rollout.jobExecutionsRolloutConfig.maximumPerMinute",
         "expected an integer, got the string \"500\""},
        {R"({"jobExecutionsRolloutConfig":{"maximumPerMinute":2.5}})", "$.rollout.jobExecutionsRolloutConfig.maximumPerMinute",
         "expected an integer"},
        {R"({"targets":"sensors"})", "$.rollout.targets", "expected an array"},
        {R"({"targets":[1]})", "$.rollout.targets[0]", "a string"},
        {R"({"policy":"aws"})", "$.rollout.policy", "\"hawkbit\""},
        {R"({"jobExecutionsRolloutConfig":{"exponentialRate":{"baseRatePerMinute":10,"rateIncreaseCriteria":{"numberOfNotifiedThings":5}}}})",
         "$.rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor", "required"},
        {R"({"abortConfig":{"criteriaList":[{"failureType":"FAILED","thresholdPercentage":150,"minNumberOfExecutedThings":1}]}})",
         "$.rollout.abortConfig.criteriaList[0].thresholdPercentage", "(0, 100]"},
        {R"({"abortConfig":{"criteriaList":[5]}})", "$.rollout.abortConfig.criteriaList[0]", "expected an object"},
        {R"({"abortConfig":{"criteriaList":[{"failureType":"SOME","thresholdPercentage":1,"minNumberOfExecutedThings":1}]}})",
         "$.rollout.abortConfig.criteriaList[0].failureType", "\"TIMED_OUT\""},
        {R"({"schedulingConfig":{"maintenanceWindows":[{"startS":0,"durationS":"1h"}]}})",
         "$.rollout.schedulingConfig.maintenanceWindows[0].durationS", "expected a number"},
        {R"({"policy":"hawkbit","groups":[{"name":"a","targetPercentage":10,"successThreshold":50,"errorTreshold":5}]})",
         "$.rollout.groups[0].errorTreshold", "errorThreshold"},
        {R"({"policy":"mender","phases":[{"batchPercentage":10}],"groups":[]})", "$.rollout.groups", "\"hawkbit\""},
    };
    for (const Case& k : cases) {
        const auto c = read(k.json);
        ASSERT_FALSE(c.has_value()) << k.json;
        EXPECT_EQ(c.error().field, QLatin1String(k.field)) << k.json << " → " << c.error().message.toStdString();
        EXPECT_TRUE(c.error().message.contains(QString::fromUtf8(k.mentions))) << k.json << " → " << c.error().message.toStdString();
    }
}

TEST(RolloutConfig, WriteThenReadGivesTheSameConfig)
{
    const char* const others[] = {
        kExample,
        R"({"policy":"hawkbit","jobId":"hb","order":"index","jobExecutionsRolloutConfig":{"maximumPerMinute":100},
            "timeoutConfig":{"inProgressTimeoutInMinutes":30},
            "schedulingConfig":{"startS":60,"endS":86400,"endBehavior":"CANCEL","maintenanceWindows":[{"startS":3600,"durationS":7200,"periodS":86400}]},
            "groups":[{"name":"canary","targetPercentage":5,"successThreshold":90,"errorThreshold":10},{"name":"all","targetPercentage":100,"successThreshold":100}]})",
        R"({"policy":"mender","jobId":"m","phases":[{"batchPercentage":10,"startS":0},{"batchPercentage":90,"startS":3600}],"maxDevices":500,
            "jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"ALL","numberOfRetries":3}]}})",
    };
    for (const char* text : others) {
        const auto first = read(text);
        ASSERT_TRUE(first.has_value()) << first.error().toString().toStdString();
        const QJsonObject written = rolloutPolicyToJson(*first);
        const auto second = readRolloutPolicy(written);
        ASSERT_TRUE(second.has_value()) << second.error().toString().toStdString();
        EXPECT_EQ(rolloutPolicyToJson(*second), written) << QJsonDocument(written).toJson().toStdString();
    }
}

TEST(RolloutConfig, LoaderReadsRolloutBesideFleets)
{
    const QByteArray scenario = QByteArray(R"({"name":"s","fleets":[{"name":"sensors","family":"zigbee"}],"rollout":)") + kExample + "}";
    const auto config = loadScenarioConfig(scenario, QString());
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    ASSERT_TRUE(config->rollout.has_value());
    EXPECT_EQ(config->rollout->jobId, QStringLiteral("fw-2.1"));

    const auto missing = loadScenarioConfig(R"({"fleets":[{"name":"a","family":"zigbee"}],"rollout":{"targets":["nope"]}})", QString());
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().field, QStringLiteral("$.rollout.targets[0]"));
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("no fleet named \"nope\"")));

    const auto wrongType = loadScenarioConfig(R"({"fleets":[{"name":"a","family":"zigbee"}],"rollout":[]})", QString());
    ASSERT_FALSE(wrongType.has_value());
    EXPECT_EQ(wrongType.error().field, QStringLiteral("$.rollout"));

    // A one-Zigbee-fleet file takes a "rollout" too; its fleet is named after the scenario.
    const auto single = loadScenarioConfig(R"({"name":"campus","rollout":{"targets":["campus"],"order":"index"}})", QString());
    ASSERT_TRUE(single.has_value()) << single.error().toString().toStdString();
    ASSERT_TRUE(single->rollout.has_value());
    EXPECT_EQ(single->rollout->order, QStringLiteral("index"));
    const auto none = loadScenarioConfig(R"({"name":"campus"})", QString());
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->rollout.has_value());
}
