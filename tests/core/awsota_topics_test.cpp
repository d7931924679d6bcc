// SPDX-License-Identifier: Apache-2.0
// AWS IoT reserved topics as ota_mqtt.c (v3.4.0) builds them, and the name rules of the
// AWS IoT API reference (thing name [a-zA-Z0-9:_-]{1,128}, job id [a-zA-Z0-9_-]{1,64}).
#include "core/awsota/topics.h"

#include <gtest/gtest.h>

using namespace otalab::core::awsota;

TEST(AwsOtaTopics, BuildersSpellTheLibraryTopics)
{
    const QString t = QStringLiteral("thing-1");
    EXPECT_EQ(Topics::jobsNotifyNext(t), QStringLiteral("$aws/things/thing-1/jobs/notify-next"));
    EXPECT_EQ(Topics::jobsGetNext(t), QStringLiteral("$aws/things/thing-1/jobs/$next/get"));
    EXPECT_EQ(Topics::jobsGetNextAccepted(t), QStringLiteral("$aws/things/thing-1/jobs/$next/get/accepted"));
    EXPECT_EQ(Topics::jobsGetNextRejected(t), QStringLiteral("$aws/things/thing-1/jobs/$next/get/rejected"));
    EXPECT_EQ(Topics::jobUpdate(t, QStringLiteral("AFR_OTA-job7")), QStringLiteral("$aws/things/thing-1/jobs/AFR_OTA-job7/update"));
    EXPECT_EQ(Topics::jobUpdateAccepted(t, QStringLiteral("j")), QStringLiteral("$aws/things/thing-1/jobs/j/update/accepted"));
    EXPECT_EQ(Topics::jobUpdateRejected(t, QStringLiteral("j")), QStringLiteral("$aws/things/thing-1/jobs/j/update/rejected"));
    EXPECT_EQ(Topics::streamGet(t, QStringLiteral("AFR_OTA-s1")), QStringLiteral("$aws/things/thing-1/streams/AFR_OTA-s1/get/cbor"));
    EXPECT_EQ(Topics::streamData(t, QStringLiteral("AFR_OTA-s1")), QStringLiteral("$aws/things/thing-1/streams/AFR_OTA-s1/data/cbor"));
    EXPECT_EQ(Topics::streamRejected(t, QStringLiteral("s")), QStringLiteral("$aws/things/thing-1/streams/s/rejected/cbor"));
}

TEST(AwsOtaTopics, ParseRoundTripsEveryBuilder)
{
    const QString t = QStringLiteral("arn:thing_A-9");
    const QString j = QStringLiteral("job_1-x");
    const QString s = QStringLiteral("stream-9");
    const std::pair<QString, ParsedTopic> cases[] = {
        {Topics::jobsNotifyNext(t), {TopicKind::JobsNotifyNext, t, {}, {}}},
        {Topics::jobsGetNext(t), {TopicKind::JobsGetNext, t, {}, {}}},
        {Topics::jobsGetNextAccepted(t), {TopicKind::JobsGetNextAccepted, t, {}, {}}},
        {Topics::jobsGetNextRejected(t), {TopicKind::JobsGetNextRejected, t, {}, {}}},
        {Topics::jobUpdate(t, j), {TopicKind::JobUpdate, t, j, {}}},
        {Topics::jobUpdateAccepted(t, j), {TopicKind::JobUpdateAccepted, t, j, {}}},
        {Topics::jobUpdateRejected(t, j), {TopicKind::JobUpdateRejected, t, j, {}}},
        {Topics::streamGet(t, s), {TopicKind::StreamGet, t, {}, s}},
        {Topics::streamData(t, s), {TopicKind::StreamData, t, {}, s}},
        {Topics::streamRejected(t, s), {TopicKind::StreamRejected, t, {}, s}},
    };
    for (const auto& [topic, expected] : cases) {
        const auto parsed = parseTopic(topic);
        ASSERT_TRUE(parsed.has_value()) << topic.toStdString();
        EXPECT_EQ(*parsed, expected) << topic.toStdString();
    }
}

TEST(AwsOtaTopics, ParseRefusesEverythingElse)
{
    const char* bad[] = {
        "",
        "$aws/things/",
        "$aws/things/t",
        "$aws/things/t/jobs",
        "$aws/things/t/jobs/notify",
        "$aws/things/t/jobs/notify-next/x",
        "$aws/things/t/jobs/$next",
        "$aws/things/t/jobs/$next/get/other",
        "$aws/things/t/jobs/$next/update",       // "$next" is not a job id
        "$aws/things/t/jobs/j/update/x",
        "$aws/things/t/jobs/j/get",
        "$aws/things/t/jobs/j.k/update",         // '.' not allowed in a job id
        "$aws/things/t/streams/s/get",           // JSON variant not used
        "$aws/things/t/streams/s/get/json",
        "$aws/things/t/streams/s/describe/cbor",
        "$aws/things/t/streams//data/cbor",
        "$aws/things/t/shadow/update",
        "$aws/things/t!/jobs/notify-next",
        "$aws/things//jobs/notify-next",
        "aws/things/t/jobs/notify-next",
        "$aws/things/t/jobs/notify-next/",
    };
    for (const char* topic : bad)
        EXPECT_FALSE(parseTopic(QString::fromLatin1(topic)).has_value()) << topic;
}

TEST(AwsOtaTopics, NameRules)
{
    EXPECT_TRUE(validateThingName(QString(128, QLatin1Char('a'))).has_value());
    EXPECT_TRUE(validateThingName(QStringLiteral("a:b_c-D9")).has_value());
    auto tooLong = validateThingName(QString(129, QLatin1Char('a')));
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().field, QStringLiteral("thingName"));
    auto empty = validateThingName({});
    ASSERT_FALSE(empty.has_value());
    auto slash = validateThingName(QStringLiteral("a/b"));
    ASSERT_FALSE(slash.has_value());
    EXPECT_EQ(slash.error().offset, 1);
    EXPECT_FALSE(validateThingName(QStringLiteral("a b")).has_value());
    EXPECT_FALSE(validateThingName(QStringLiteral("ä")).has_value());
    EXPECT_TRUE(validateJobId(QString(64, QLatin1Char('j'))).has_value());
    EXPECT_FALSE(validateJobId(QString(65, QLatin1Char('j'))).has_value());
    EXPECT_FALSE(validateJobId(QStringLiteral("a:b")).has_value());  // ':' only in thing names
    EXPECT_TRUE(validateStreamName(QString(128, QLatin1Char('s'))).has_value());
    EXPECT_FALSE(validateStreamName(QString(129, QLatin1Char('s'))).has_value());
    EXPECT_FALSE(validateStreamName(QStringLiteral("+")).has_value());
    EXPECT_FALSE(validateStreamName(QStringLiteral("#")).has_value());
}
