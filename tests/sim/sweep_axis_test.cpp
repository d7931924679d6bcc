// SPDX-License-Identifier: Apache-2.0
// --vary parsing: lists, ranges, typed values, and every refusal with its reason.
#include "sim/sweep/sweepaxis.h"
#include "sweep_test_support.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace otalab;
using namespace otalab::sim;

namespace {

QList<QJsonValue> numbers(std::initializer_list<double> v)
{
    QList<QJsonValue> out;
    for (double d : v)
        out.append(QJsonValue(d));
    return out;
}

QString refusal(const QString& argument, const QJsonObject& base = sweeptest::starter())
{
    auto axis = parseVaryArgument(argument, base);
    EXPECT_FALSE(axis.has_value()) << argument.toStdString();
    return axis ? QString() : axis.error().message;
}

} // namespace

TEST(SweepAxisParse, ListTypedLikeTheBase)
{
    const QJsonObject base = sweeptest::starter();
    ASSERT_FALSE(base.isEmpty());
    auto axis = parseVaryArgument(QStringLiteral("server.maxBlockDataSize=32,50, 64"), base);
    ASSERT_TRUE(axis) << axis.error().toString().toStdString();
    EXPECT_EQ(axis->path, QStringLiteral("$.server.maxBlockDataSize"));
    EXPECT_EQ(axis->values, numbers({32, 50, 64}));
    EXPECT_EQ(axis->label(), QStringLiteral("maxBlockDataSize"));

    // A string key stays a string even when the text looks like a number.
    auto text = parseVaryArgument(QStringLiteral("$.client.currentFileVersion=1,0x00000001"), base);
    ASSERT_TRUE(text);
    EXPECT_TRUE(text->values[0].isString());
    EXPECT_EQ(text->values[0].toString(), QStringLiteral("1"));

    auto flag = parseVaryArgument(QStringLiteral("client.includeRouters=true,false"), base);
    ASSERT_TRUE(flag);
    EXPECT_EQ(flag->values, (QList<QJsonValue>{QJsonValue(true), QJsonValue(false)}));
}

TEST(SweepAxisParse, DotsInAStringAreNotARange)
{
    QJsonObject base = sweeptest::starter();
    base.insert(QStringLiteral("images"), QJsonArray{QJsonObject{{QStringLiteral("file"), QStringLiteral("a.ota")}}});
    auto file = parseVaryArgument(QStringLiteral("images[0].file=../images/b.ota"), base);
    ASSERT_TRUE(file) << file.error().toString().toStdString();
    EXPECT_EQ(file->values, (QList<QJsonValue>{QJsonValue(QStringLiteral("../images/b.ota"))}));
    auto version = parseVaryArgument(QStringLiteral("client.currentFileVersion=1..3"), base);
    ASSERT_TRUE(version);
    EXPECT_EQ(version->values, (QList<QJsonValue>{QJsonValue(QStringLiteral("1..3"))}));
    // Without a value in the base, numeric ends make a range, others a string.
    auto range = parseVaryArgument(QStringLiteral("server.maxConcurrentDownloads=1..3"), base);
    ASSERT_TRUE(range);
    EXPECT_EQ(range->values.size(), 3);
    auto text = parseVaryArgument(QStringLiteral("server.maxConcurrentDownloads=a..b"), base);
    ASSERT_TRUE(text);
    EXPECT_TRUE(text->values[0].isString());
}

TEST(SweepAxisParse, PathsThroughArrays)
{
    const QJsonObject base{{QStringLiteral("fleets"),
                            QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("a")},
                                                   {QStringLiteral("campaign"), QJsonObject{{QStringLiteral("redundancyPercent"), 10}}}}}}};
    auto axis = parseVaryArgument(QStringLiteral("fleets[0].campaign.redundancyPercent=0..30:10"), base);
    ASSERT_TRUE(axis) << axis.error().toString().toStdString();
    EXPECT_EQ(axis->path, QStringLiteral("$.fleets[0].campaign.redundancyPercent"));
    EXPECT_EQ(axis->label(), QStringLiteral("redundancyPercent"));
    EXPECT_EQ(axis->values.size(), 4);
    auto back = SweepAxis::fromJson(axis->toJson());
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(back->path, axis->path);
    EXPECT_TRUE(refusal(QStringLiteral("fleets[3].campaign.redundancyPercent=1"), base).contains(QStringLiteral("$.fleets[3]")));
    EXPECT_TRUE(refusal(QStringLiteral("fleets[x].campaign=1"), base).contains(QStringLiteral("expected [index]")));
    EXPECT_TRUE(refusal(QStringLiteral("fleets[0]=1"), base).contains(QStringLiteral("does not end in a key")));
}

TEST(SweepAxisParse, MissingLastStepInfersTheType)
{
    auto axis = parseVaryArgument(QStringLiteral("server.maxConcurrentDownloads=5,10,abc,true"), sweeptest::starter());
    ASSERT_TRUE(axis) << axis.error().toString().toStdString();
    ASSERT_EQ(axis->values.size(), 4);
    EXPECT_TRUE(axis->values[0].isDouble());
    EXPECT_TRUE(axis->values[2].isString());
    EXPECT_TRUE(axis->values[3].isBool());
}

TEST(SweepAxisParse, IntegerRanges)
{
    const QJsonObject base = sweeptest::starter();
    auto axis = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=0..1000:250"), base);
    ASSERT_TRUE(axis);
    EXPECT_EQ(axis->values, numbers({0, 250, 500, 750, 1000}));
    auto unit = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=3..5"), base);
    ASSERT_TRUE(unit);
    EXPECT_EQ(unit->values, numbers({3, 4, 5}));
    // A step that does not divide the span stops at the last value ≤ B.
    auto partial = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=10..45:10"), base);
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->values, numbers({10, 20, 30, 40}));
    auto single = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=7..7"), base);
    ASSERT_TRUE(single);
    EXPECT_EQ(single->values, numbers({7}));
}

TEST(SweepAxisParse, FloatRangesTolerateRoundingError)
{
    auto axis = parseVaryArgument(QStringLiteral("channel.loss.p=0..0.3:0.1"), sweeptest::starter());
    ASSERT_TRUE(axis) << axis.error().toString().toStdString();
    EXPECT_EQ(axis->values, numbers({0, 0.1, 0.2, 0.3}));  // 0.30000000000000004 would fail here
    EXPECT_EQ(SweepAxis::valueText(axis->values[3]), QStringLiteral("0.3"));
    auto fine = parseVaryArgument(QStringLiteral("channel.loss.p=0.05..0.2:0.05"), sweeptest::starter());
    ASSERT_TRUE(fine);
    EXPECT_EQ(fine->values, numbers({0.05, 0.1, 0.15, 0.2}));
}

TEST(SweepAxisParse, ValueText)
{
    EXPECT_EQ(SweepAxis::valueText(QJsonValue(64)), QStringLiteral("64"));
    EXPECT_EQ(SweepAxis::valueText(QJsonValue(0.05)), QStringLiteral("0.05"));
    EXPECT_EQ(SweepAxis::valueText(QJsonValue(true)), QStringLiteral("true"));
    EXPECT_EQ(SweepAxis::valueText(QJsonValue(QStringLiteral("bursty"))), QStringLiteral("bursty"));
    EXPECT_EQ(SweepAxis::valueText(QJsonValue(-3)), QStringLiteral("-3"));
}

TEST(SweepAxisParse, LabelIsTheLastKey)
{
    SweepAxis axis;
    axis.path = QStringLiteral("$.fleets[0].campaign.redundancyPercent");
    EXPECT_EQ(axis.label(), QStringLiteral("redundancyPercent"));
    axis.path = QStringLiteral("$.seed");
    EXPECT_EQ(axis.label(), QStringLiteral("seed"));
}

TEST(SweepAxisParse, Refusals)
{
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize")).contains(QStringLiteral("no '='")));
    EXPECT_TRUE(refusal(QStringLiteral("=1,2")).contains(QStringLiteral("empty KEY")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=")).contains(QStringLiteral("no values")));
    // A missing section is left to the loader (buildSweepPlan names the unknown key) ...
    EXPECT_TRUE(parseVaryArgument(QStringLiteral("sever.maxBlockDataSize=1,2"), sweeptest::starter()).has_value());
    // ... a missing array element or a step through a number is not.
    EXPECT_TRUE(refusal(QStringLiteral("fleets[3].x=1,2")).contains(QStringLiteral("does not exist")));
    EXPECT_TRUE(refusal(QStringLiteral("seed.x=1,2")).contains(QStringLiteral("not an object")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=32,abc")).contains(QStringLiteral("\"abc\" is not a number")));
    EXPECT_TRUE(refusal(QStringLiteral("client.includeRouters=yes")).contains(QStringLiteral("not true or false")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=10..5")).contains(QStringLiteral("no points: A > B")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=1..5:0")).contains(QStringLiteral("STEP must be > 0")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=1..5:-1")).contains(QStringLiteral("STEP must be > 0")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=1..x")).contains(QStringLiteral("expected a numeric range")));
    EXPECT_TRUE(refusal(QStringLiteral("client.includeRouters=1..3")).contains(QStringLiteral("a range needs a number")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=0..1000000")).contains(QStringLiteral("more than 100000")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=32,,64")).contains(QStringLiteral("an empty value")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=32,32")).contains(QStringLiteral("given twice")));
    EXPECT_TRUE(refusal(QStringLiteral("server=1,2")).contains(QStringLiteral("is an object")));
    EXPECT_TRUE(refusal(QStringLiteral("seed=1,2")).contains(QStringLiteral("--seeds")));
    EXPECT_TRUE(refusal(QStringLiteral("server..x=1")).contains(QStringLiteral("empty key")));
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize.x=1")).contains(QStringLiteral("not an object")));
    // The message names the argument.
    EXPECT_TRUE(refusal(QStringLiteral("server.maxBlockDataSize=abc")).startsWith(QStringLiteral("--vary server.maxBlockDataSize=abc: ")));
}

TEST(SweepAxisJson, RoundTripAndErrors)
{
    auto axis = parseVaryArgument(QStringLiteral("channel.loss.p=0.01,0.05"), sweeptest::starter());
    ASSERT_TRUE(axis);
    auto back = SweepAxis::fromJson(axis->toJson());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->path, axis->path);
    EXPECT_EQ(back->values, axis->values);

    auto noValues = SweepAxis::fromJson(QJsonObject{{QStringLiteral("path"), QStringLiteral("$.a")}, {QStringLiteral("values"), QJsonArray{}}});
    ASSERT_FALSE(noValues);
    EXPECT_EQ(noValues.error().field, QStringLiteral("values"));
    auto objectValue = SweepAxis::fromJson(QJsonObject{{QStringLiteral("path"), QStringLiteral("$.a")},
                                                       {QStringLiteral("values"), QJsonArray{1, QJsonObject{}}}});
    ASSERT_FALSE(objectValue);
    EXPECT_EQ(objectValue.error().field, QStringLiteral("values[1]"));
    auto noPath = SweepAxis::fromJson(QJsonObject{{QStringLiteral("values"), QJsonArray{1}}});
    ASSERT_FALSE(noPath);
    EXPECT_EQ(noPath.error().field, QStringLiteral("path"));
}
