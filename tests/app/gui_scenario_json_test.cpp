// SPDX-License-Identifier: Apache-2.0
// The scenario editor's JSON helpers: source map (path → text span) and in-place patches.
#include "app/gui/scenario/jsonsourcemap.h"
#include "app/gui/scenario/jsontextpatch.h"
#include "gui_test_support.h"

#include <QJsonObject>

using otalab::app::JsonEdit;
using otalab::app::JsonSourceMap;
using otalab::app::applyJsonEdits;
using otalab::app::jsonText;
using otalab::app::removeJsonValue;
using otalab::app::setJsonValue;
using otalab::app::textPositionOf;
using otalab::app::utf8OffsetToIndex;

namespace {

const QString kText = QStringLiteral(
    "{\n"
    "  \"name\": \"t\",\n"
    "  \"server\": { \"maxBlockDataSize\": 50, \"blockResponseDelayMs\": 250 },\n"
    "  \"images\": [\n"
    "    { \"generate\": { \"size\": 131072 } }\n"
    "  ]\n"
    "}\n");

int lineOf(const QString& text, const QString& path)
{
    const auto span = JsonSourceMap::build(text).find(path);
    return span ? textPositionOf(text, span->start()).line : -1;
}

} // namespace

TEST(GuiScenarioJson, SourceMapFindsNestedPathsAndTheirLines)
{
    const JsonSourceMap map = JsonSourceMap::build(kText);
    ASSERT_TRUE(map.complete());
    const auto block = map.find(QStringLiteral("$.server.maxBlockDataSize"));
    ASSERT_TRUE(block.has_value());
    EXPECT_EQ(kText.mid(block->valueStart, block->valueEnd - block->valueStart), QStringLiteral("50"));
    EXPECT_EQ(kText.mid(block->keyStart, 18), QStringLiteral("\"maxBlockDataSize\""));
    EXPECT_EQ(lineOf(kText, QStringLiteral("$.server.maxBlockDataSize")), 3);
    EXPECT_EQ(lineOf(kText, QStringLiteral("$.images[0].generate.size")), 5);
    // An absent key locates its nearest ancestor.
    const auto located = map.locate(QStringLiteral("$.server.foo"));
    ASSERT_TRUE(located.has_value());
    EXPECT_EQ(textPositionOf(kText, located->start()).line, 3);
    EXPECT_FALSE(map.find(QStringLiteral("$.server.foo")).has_value());
}

TEST(GuiScenarioJson, SourceMapKeepsEarlierKeysOfABrokenText)
{
    const QString broken = QStringLiteral("{\n  \"seed\": 1,\n  \"server\": { \"maxBlockDataSize\": 50\n  \"x\": 2 }\n}");
    const JsonSourceMap map = JsonSourceMap::build(broken);
    EXPECT_FALSE(map.complete());
    EXPECT_TRUE(map.find(QStringLiteral("$.seed")).has_value());
    EXPECT_TRUE(map.find(QStringLiteral("$.server.maxBlockDataSize")).has_value());
    EXPECT_EQ(textPositionOf(broken, map.errorPosition()).line, 4);
}

TEST(GuiScenarioJson, Utf8OffsetsBecomeStringIndices)
{
    const QString text = QStringLiteral("{\"name\": \"Gr\u00fc\u00dfe\", x}");
    const qint64 byteOfX = text.toUtf8().indexOf('x');
    EXPECT_EQ(utf8OffsetToIndex(text, byteOfX), text.indexOf(u'x'));
    EXPECT_EQ(utf8OffsetToIndex(text, 10'000), text.size());
}

TEST(GuiScenarioJson, SetReplacesOnlyTheValueCharacters)
{
    const auto patched = setJsonValue(kText, QStringLiteral("$.server.maxBlockDataSize"), 40);
    ASSERT_TRUE(patched.has_value()) << patched.error().message.toStdString();
    QString expected = kText;
    expected.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 40"));
    EXPECT_EQ(*patched, expected);
}

TEST(GuiScenarioJson, SetInsertsMissingMembersWithTheSiblingsIndentation)
{
    const auto seed = setJsonValue(kText, QStringLiteral("$.seed"), 7);
    ASSERT_TRUE(seed.has_value());
    EXPECT_TRUE(seed->endsWith(QStringLiteral("  ],\n  \"seed\": 7\n}\n"))) << seed->toStdString();
    const auto nested = setJsonValue(QStringLiteral("{\"a\": 1}"), QStringLiteral("$.server.maxBlockDataSize"), 40);
    ASSERT_TRUE(nested.has_value());
    EXPECT_EQ(*nested, QStringLiteral("{\"a\": 1, \"server\": {\"maxBlockDataSize\": 40}}"));
    const auto image = setJsonValue(QStringLiteral("{}"), QStringLiteral("$.images[0].generate.size"), 5);
    ASSERT_TRUE(image.has_value());
    EXPECT_EQ(*image, QStringLiteral("{\"images\": [{\"generate\": {\"size\": 5}}]}"));
    const auto inline1 = setJsonValue(kText, QStringLiteral("$.server.sessionTimeoutMs"), 1000);
    ASSERT_TRUE(inline1.has_value());
    EXPECT_TRUE(inline1->contains(QStringLiteral("\"blockResponseDelayMs\": 250, \"sessionTimeoutMs\": 1000 }")));
}

TEST(GuiScenarioJson, SetRefusesBrokenTextAndNonObjects)
{
    EXPECT_FALSE(setJsonValue(QStringLiteral("{\"a\": "), QStringLiteral("$.a"), 1).has_value());
    const auto notObject = setJsonValue(QStringLiteral("{\"server\": 5}"), QStringLiteral("$.server.maxBlockDataSize"), 1);
    ASSERT_FALSE(notObject.has_value());
    EXPECT_EQ(notObject.error().field, QStringLiteral("$.server"));
}

TEST(GuiScenarioJson, RemoveTakesTheMemberAndItsComma)
{
    const QString text = QStringLiteral("{\"a\": 1, \"b\": {\"c\": 2}, \"d\": 3}");
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.a")), QStringLiteral("{\"b\": {\"c\": 2}, \"d\": 3}"));
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.d")), QStringLiteral("{\"a\": 1, \"b\": {\"c\": 2}}"));
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.b.c")), QStringLiteral("{\"a\": 1, \"b\": {}, \"d\": 3}"));
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.zz")), text);
}

TEST(GuiScenarioJson, RemoveTakesAListElementAndItsComma)
{
    const QString text = QStringLiteral("{\"cuts\": [\n  {\"a\": 1},\n  {\"a\": 2},\n  {\"a\": 3}\n], \"x\": 0}");
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.cuts[0]")), QStringLiteral("{\"cuts\": [\n  {\"a\": 2},\n  {\"a\": 3}\n], \"x\": 0}"));
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.cuts[1]")), QStringLiteral("{\"cuts\": [\n  {\"a\": 1},\n  {\"a\": 3}\n], \"x\": 0}"));
    EXPECT_EQ(*removeJsonValue(text, QStringLiteral("$.cuts[2]")), QStringLiteral("{\"cuts\": [\n  {\"a\": 1},\n  {\"a\": 2}\n], \"x\": 0}"));
    EXPECT_EQ(*removeJsonValue(QStringLiteral("{\"cuts\": [ {\"a\": 1} ]}"), QStringLiteral("$.cuts[0]")), QStringLiteral("{\"cuts\": []}"));
    EXPECT_FALSE(removeJsonValue(text, QStringLiteral("$")).has_value());
}

TEST(GuiScenarioJson, EditsApplyInOrderKindFirst)
{
    const auto out = applyJsonEdits(QStringLiteral("{\"channel\": {\"loss\": {\"kind\": \"bernoulli\", \"p\": 0.01}}}"),
                                    {JsonEdit{QStringLiteral("$.channel.loss"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("gilbert-elliott")}}},
                                     JsonEdit{QStringLiteral("$.channel.loss.pGoodToBad"), 0.02}});
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(*out, QStringLiteral("{\"channel\": {\"loss\": {\"kind\": \"gilbert-elliott\", \"pGoodToBad\": 0.02}}}"));
    EXPECT_EQ(jsonText(QJsonValue(0.01)), QStringLiteral("0.01"));
    EXPECT_EQ(jsonText(QJsonValue(40.0)), QStringLiteral("40"));
    EXPECT_EQ(jsonText(QJsonValue(QStringLiteral("a\"b"))), QStringLiteral("\"a\\\"b\""));
}
