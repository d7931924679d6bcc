// SPDX-License-Identifier: Apache-2.0
// DataFragment (TS004, CID 0x08): wire layout and precise errors.
#include "core/lorawan/datafragment.h"

#include <gtest/gtest.h>

using namespace otalab::core::lorawan;

// ChirpStack lrwn applayer/fragmentation v1/v2 test_data_fragment: N = 1024, FragIndex 2,
// payload 01 02 03 04 -> 08 00 84 01 02 03 04.
TEST(LorawanFecDataFragment, EncodesLikeChirpStack)
{
    auto bytes = encodeDataFragment({2, 1024, QByteArray::fromHex("01020304")});
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, QByteArray::fromHex("08008401020304"));
    auto parsed = parseDataFragment(*bytes);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->fragIndex, 2);
    EXPECT_EQ(parsed->counter, 1024);
    EXPECT_EQ(parsed->payload, QByteArray::fromHex("01020304"));
}

TEST(LorawanFecDataFragment, ExtremesRoundTrip)
{
    auto bytes = encodeDataFragment({3, 16383, QByteArray(1, 'z')});
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(*bytes, QByteArray::fromHex("08ffff7a"));
    auto parsed = parseDataFragment(*bytes);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->fragIndex, 3);
    EXPECT_EQ(parsed->counter, 16383);
}

TEST(LorawanFecDataFragment, EncodeRefusesWhatTheWireCannotCarry)
{
    auto index = encodeDataFragment({4, 1, "x"});
    ASSERT_FALSE(index.has_value());
    EXPECT_EQ(index.error().field, QStringLiteral("DataFragment.FragIndex"));
    auto zero = encodeDataFragment({0, 0, "x"});
    ASSERT_FALSE(zero.has_value());
    EXPECT_EQ(zero.error().field, QStringLiteral("DataFragment.N"));
    EXPECT_TRUE(zero.error().message.contains(QStringLiteral("start at 1")));
    auto big = encodeDataFragment({0, 16384, "x"});
    ASSERT_FALSE(big.has_value());
    EXPECT_TRUE(big.error().message.contains(QStringLiteral("16384")));
    auto empty = encodeDataFragment({0, 1, {}});
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().field, QStringLiteral("DataFragment.Payload"));
}

TEST(LorawanFecDataFragment, ParseSaysWhereItFailed)
{
    auto empty = parseDataFragment({});
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().field, QStringLiteral("DataFragment.CID"));
    auto cid = parseDataFragment(QByteArray::fromHex("0201000102"), 100);
    ASSERT_FALSE(cid.has_value());
    EXPECT_EQ(cid.error().offset, 100);
    EXPECT_TRUE(cid.error().message.contains(QStringLiteral("0x02")));
    auto shortHeader = parseDataFragment(QByteArray::fromHex("0801"));
    ASSERT_FALSE(shortHeader.has_value());
    EXPECT_EQ(shortHeader.error().field, QStringLiteral("DataFragment.IndexAndN"));
    auto zero = parseDataFragment(QByteArray::fromHex("080040aa")); // FragIndex 1, N 0
    ASSERT_FALSE(zero.has_value());
    EXPECT_EQ(zero.error().field, QStringLiteral("DataFragment.N"));
    EXPECT_EQ(zero.error().offset, 1);
    auto noPayload = parseDataFragment(QByteArray::fromHex("080100"));
    ASSERT_FALSE(noPayload.has_value());
    EXPECT_EQ(noPayload.error().field, QStringLiteral("DataFragment.Payload"));
    EXPECT_EQ(noPayload.error().offset, 3);
}
