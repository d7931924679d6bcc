// SPDX-License-Identifier: Apache-2.0
// TS004 parity lines and the encoder, against fixed vectors from the reference code.
#include "core/lorawan/fec.h"
#include "core/lorawan/fragencoder.h"

#include <gtest/gtest.h>

#include <vector>

using namespace otalab::core::lorawan;

namespace {

std::vector<int> positions(const ParityLine& line)
{
    return {line.positions.begin(), line.positions.end()};
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(static_cast<char>(v));
    return out;
}

QByteArray counting(int size)
{
    QByteArray data(size, '\0');
    for (int i = 0; i < size; ++i)
        data[i] = static_cast<char>(i);
    return data;
}

} // namespace

// The sequence from x = 1001 (the seed of parity line 1): 0x1f4, 0x4000fa, 0x60007d,
// 0x30003e — the addition form; bit 22 comes in from bits 0 and 5.
TEST(LorawanFecPrbs, SequenceFromLineOneSeed)
{
    std::uint32_t x = 1001;
    const std::uint32_t expected[] = {0x1f4, 0x4000fa, 0x60007d, 0x30003e};
    for (std::uint32_t e : expected) {
        x = prbs23(x);
        EXPECT_EQ(x, e);
    }
    // Above 2^23 the addition and an OR differ; the reference code adds.
    const std::uint32_t big = 1 + 1001 * 9000; // parity line 9000
    EXPECT_EQ(prbs23(big), (big >> 1) + (((big ^ (big >> 5)) & 1u) << 22));
}

// Lines derived by hand from LoRaMac-node FragGetParityMatrixRow (v1) and LBM
// fragmentation_helper_v2.0.0.c (v2), M = 10 (not a power of two: modulus 10).
TEST(LorawanFecParityLine, MatchesReferenceForTenFragments)
{
    EXPECT_EQ(positions(parityLine(1, 10, FecVersion::V1)), (std::vector<int>{2, 5}));
    EXPECT_EQ(positions(parityLine(1, 10, FecVersion::V2)), (std::vector<int>{1, 2, 3, 5, 9}));
    EXPECT_EQ(positions(parityLine(2, 10, FecVersion::V1)), (std::vector<int>{0, 2, 4, 5, 9}));
    EXPECT_EQ(positions(parityLine(2, 10, FecVersion::V2)), (std::vector<int>{0, 2, 4, 5, 9}));
}

// M = 16 is a power of two: draws are taken modulo 17 and 16 is redrawn.
TEST(LorawanFecParityLine, PowerOfTwoUsesModulusMPlusOne)
{
    EXPECT_EQ(positions(parityLine(1, 16, FecVersion::V1)), (std::vector<int>{0, 1, 2, 4, 5, 10, 13, 15}));
    EXPECT_EQ(positions(parityLine(2, 16, FecVersion::V1)), (std::vector<int>{2, 5, 7, 8, 11, 12, 15}));
    EXPECT_EQ(positions(parityLine(2, 16, FecVersion::V2)), (std::vector<int>{2, 3, 5, 7, 8, 11, 12, 15}));
    EXPECT_EQ(positions(parityLine(9000, 16, FecVersion::V1)), (std::vector<int>{1, 4, 7, 9, 10, 15}));
    EXPECT_EQ(positions(parityLine(9000, 16, FecVersion::V2)), (std::vector<int>{1, 2, 4, 7, 9, 10, 13, 15}));
}

TEST(LorawanFecParityLine, V2HasExactlyHalfV1AtMostHalf)
{
    for (std::uint32_t m : {2u, 3u, 10u, 64u, 100u, 1000u, 2048u}) {
        for (std::uint32_t n : {1u, 2u, 17u, 500u}) {
            const ParityLine v1 = parityLine(n, m, FecVersion::V1);
            const ParityLine v2 = parityLine(n, m, FecVersion::V2);
            EXPECT_EQ(v2.weight(), m / 2) << "M=" << m << " n=" << n;
            EXPECT_LE(v1.weight(), m / 2);
            // v2 keeps drawing from where v1 stopped: v1's set is a subset of v2's.
            for (std::uint16_t p : v1.positions)
                EXPECT_TRUE(v2.test(p));
            for (std::uint16_t p : v2.positions)
                EXPECT_LT(p, m);
        }
    }
    EXPECT_EQ(parityLine(1, 1, FecVersion::V2).weight(), 0u);
}

// ChirpStack lrwn/src/applayer/fragmentation/v1.rs and v2.rs (commit d77207cd,
// test_encode "fragment size 10, redundancy 10"): data 0..99, FragSize 10.
TEST(LorawanFecEncoder, ChirpStackVectorV1)
{
    const FragEncoder enc(counting(100), 10, FecVersion::V1);
    ASSERT_EQ(enc.fragmentCount(), 10u);
    EXPECT_EQ(enc.padding(), 0);
    EXPECT_EQ(enc.frame(1), bytes({0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9}));
    EXPECT_EQ(enc.frame(10), bytes({0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63}));
    const std::vector<QByteArray> parity = {
        bytes({0x26, 0x26, 0x22, 0x22, 0x2e, 0x2e, 0x22, 0x22, 0x26, 0x26}),
        bytes({0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x6a, 0x6b, 0x7c, 0x7d}),
        bytes({0x5c, 0x5d, 0x6e, 0x6f, 0x10, 0x11, 0x2, 0x3, 0x4, 0x5}),
        bytes({0x36, 0x36, 0x32, 0x32, 0x3e, 0x3e, 0x22, 0x22, 0x36, 0x36}),
        bytes({0x3a, 0x3a, 0xe, 0xe, 0xa, 0xa, 0x6, 0x6, 0xa, 0xa}),
        bytes({0xe, 0xe, 0x32, 0x32, 0x36, 0x36, 0x22, 0x22, 0x3e, 0x3e}),
        bytes({0x2, 0x2, 0xe, 0xe, 0x72, 0x72, 0x76, 0x76, 0x62, 0x62}),
        bytes({0x1e, 0x1e, 0x1a, 0x1a, 0x66, 0x66, 0x5a, 0x5a, 0x4e, 0x4e}),
        bytes({0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x30, 0x31, 0x22, 0x23}),
        bytes({0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x18, 0x19, 0xa, 0xb}),
    };
    for (std::uint32_t k = 0; k < parity.size(); ++k)
        EXPECT_EQ(enc.frame(11 + k), parity[k]) << "parity line " << k + 1;
}

TEST(LorawanFecEncoder, ChirpStackVectorV2)
{
    const FragEncoder enc(counting(100), 10, FecVersion::V2);
    const std::vector<QByteArray> parity = {
        bytes({0x68, 0x69, 0x52, 0x53, 0x5c, 0x5d, 0x76, 0x77, 0x70, 0x71}),
        bytes({0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x6a, 0x6b, 0x7c, 0x7d}),
        bytes({0x5c, 0x5d, 0x6e, 0x6f, 0x10, 0x11, 0x2, 0x3, 0x4, 0x5}),
        bytes({0x6c, 0x6d, 0x6e, 0x6f, 0x60, 0x61, 0x42, 0x43, 0x54, 0x55}),
        bytes({0x12, 0x13, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x3a, 0x3b}),
        bytes({0x48, 0x49, 0x7a, 0x7b, 0x7c, 0x7d, 0x6e, 0x6f, 0x70, 0x71}),
        bytes({0x1c, 0x1d, 0x2e, 0x2f, 0x50, 0x51, 0x52, 0x53, 0x44, 0x45}),
        bytes({0x58, 0x59, 0x52, 0x53, 0x2c, 0x2d, 0x16, 0x17, 0x0, 0x1}),
        bytes({0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x30, 0x31, 0x22, 0x23}),
        bytes({0x0, 0x1, 0x3a, 0x3b, 0x44, 0x45, 0x7e, 0x7f, 0x68, 0x69}),
    };
    for (std::uint32_t k = 0; k < parity.size(); ++k)
        EXPECT_EQ(enc.frame(11 + k), parity[k]) << "parity line " << k + 1;
}

// The last fragment is padded with zeros, and the padding is part of the parity.
TEST(LorawanFecEncoder, PadsLastFragmentWithZeros)
{
    const FragEncoder enc(counting(95), 10, FecVersion::V2);
    EXPECT_EQ(enc.fragmentCount(), 10u);
    EXPECT_EQ(enc.padding(), 5);
    EXPECT_EQ(enc.frame(10), bytes({0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0, 0, 0, 0, 0}));
    // Line 1 = fragments {1, 2, 3, 5, 9}: the padded fragment 9 contributes zeros.
    QByteArray expected(10, '\0');
    for (int j : {1, 2, 3, 5, 9})
        for (int i = 0; i < 10; ++i)
            expected[i] = static_cast<char>(expected[i] ^ (j * 10 + i < 95 ? j * 10 + i : 0));
    EXPECT_EQ(enc.frame(11), expected);
}

TEST(LorawanFecEncoder, CreateSaysWhatIsWrong)
{
    EXPECT_FALSE(FragEncoder::create({}, 10, FecVersion::V2).has_value());
    auto tooBig = FragEncoder::create(QByteArray(300, 'x'), 256, FecVersion::V2);
    ASSERT_FALSE(tooBig.has_value());
    EXPECT_EQ(tooBig.error().field, QStringLiteral("FragSize"));
    auto tooMany = FragEncoder::create(QByteArray(16384, 'x'), 1, FecVersion::V2);
    ASSERT_FALSE(tooMany.has_value());
    EXPECT_TRUE(tooMany.error().message.contains(QStringLiteral("16384 fragments")));
    EXPECT_TRUE(FragEncoder::create(QByteArray(16383, 'x'), 1, FecVersion::V1).has_value());
}

TEST(LorawanFecEncoder, RedundancyPercentRoundsUp)
{
    EXPECT_EQ(redundancyFrames(100, 10), 10u);
    EXPECT_EQ(redundancyFrames(101, 10), 11u);
    EXPECT_EQ(redundancyFrames(1000, 0), 0u);
    EXPECT_EQ(redundancyFrames(7, 33.3), 3u);
}
