// SPDX-License-Identifier: Apache-2.0
// FragDecoder: round trips for both TS004 versions, any sufficient subset in any order,
// "missing N", the wrong version, memory, and the cases Semtech's decoders get wrong.
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragencoder.h"
#include "lorawan_fec_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace otalab::core::lorawan;
using otalab::testing::fec::DenseRank;
using otalab::testing::fec::randomData;
using State = FragDecoder::State;

namespace {

FragDecoder decoderFor(const FragEncoder& enc, std::uint32_t maxLosses = FragDecoder::kAnyLosses)
{
    FragSessionShape shape{enc.fragmentCount(), static_cast<std::uint32_t>(enc.fragmentSize()),
                           static_cast<std::uint32_t>(enc.padding()), enc.version()};
    auto dec = FragDecoder::create(shape, maxLosses);
    EXPECT_TRUE(dec.has_value());
    return std::move(*dec);
}

const FecVersion kVersions[] = {FecVersion::V1, FecVersion::V2};

} // namespace

// Uncoded frames with random losses, then parity frames until complete: the image
// comes back byte for byte, for small and large M, powers of two and not.
TEST(LorawanFecDecoder, RoundTripManySizesAndLosses)
{
    std::mt19937 rng(4);
    for (FecVersion v : kVersions) {
        for (std::uint32_t m : {1u, 2u, 3u, 7u, 10u, 16u, 33u, 64u, 100u, 255u, 1000u}) {
            for (double loss : {0.0, 0.05, 0.2, 0.5}) {
                if (m == 1 && loss > 0)
                    continue; // ⌊1/2⌋ = 0: a one-fragment session has empty parity lines
                const int fragSize = 1 + static_cast<int>(rng() % 60);
                const int size = static_cast<int>(m) * fragSize - static_cast<int>(rng() % fragSize);
                const QByteArray image = randomData(rng, size);
                const FragEncoder enc(image, fragSize, v);
                ASSERT_EQ(enc.fragmentCount(), m);
                FragDecoder dec = decoderFor(enc);
                std::bernoulli_distribution lost(loss);
                std::uint32_t counter = 1;
                for (; counter <= kMaxFragmentCounter && !dec.isComplete(); ++counter)
                    if (!lost(rng))
                        dec.add(counter, enc.frame(counter));
                ASSERT_TRUE(dec.isComplete()) << "M=" << m << " loss=" << loss;
                EXPECT_EQ(dec.data(), image) << "M=" << m << " loss=" << loss << " v" << fecVersionName(v).toStdString();
                EXPECT_GE(dec.receivedCount(), m);
            }
        }
    }
}

// Any order, any subset, late uncoded fragments included: the decoder is complete
// exactly when the frames received span all M fragments (an independent dense rank
// says when), and then its image is right.
TEST(LorawanFecDecoder, AnySufficientSubsetInAnyOrder)
{
    std::mt19937 rng(11);
    for (FecVersion v : kVersions) {
        for (int trial = 0; trial < 150; ++trial) {
            const std::uint32_t m = 1 + rng() % 60;
            const std::uint32_t r = rng() % (m + 5);
            const QByteArray image = randomData(rng, static_cast<int>(m) * 4);
            const FragEncoder enc(image, 4, v);
            std::vector<std::uint32_t> frames(m + r);
            std::iota(frames.begin(), frames.end(), 1u);
            std::shuffle(frames.begin(), frames.end(), rng);
            frames.resize(rng() % (frames.size() + 1));
            FragDecoder dec = decoderFor(enc);
            DenseRank oracle(m, v);
            for (std::uint32_t n : frames) {
                const bool wasComplete = dec.isComplete();
                dec.add(n, enc.frame(n));
                oracle.add(n);
                if (!wasComplete)
                    ASSERT_EQ(dec.isComplete(), oracle.rank() == m) << "trial " << trial << " M=" << m;
                if (!dec.isComplete())
                    EXPECT_EQ(dec.missingCount(), m - oracle.rank());
            }
            if (dec.isComplete())
                EXPECT_EQ(dec.data(), image) << "trial " << trial;
        }
    }
}

TEST(LorawanFecDecoder, NotEnoughSaysHowManyAreMissing)
{
    const FragEncoder enc(QByteArray(100, 'a'), 10, FecVersion::V2);
    FragDecoder dec = decoderFor(enc);
    for (std::uint32_t n : {1u, 2u, 4u, 5u, 6u, 8u, 9u}) // 3, 7, 10 lost
        dec.add(n, enc.frame(n));
    FragDecoder::Status s = dec.add(11, enc.frame(11));
    EXPECT_EQ(s.state, State::Incomplete);
    EXPECT_EQ(s.received, 8u);
    EXPECT_LE(s.missing, 3u);
    EXPECT_GE(s.missing, 2u);
    EXPECT_TRUE(dec.data().isEmpty());
}

// Semtech's decoders cannot tell a v1 stream from a v2 one; neither can this one —
// the data comes out wrong, which only the v2 data-block MIC notices.
TEST(LorawanFecDecoder, WrongVersionDecodesToWrongData)
{
    std::mt19937 rng(7);
    const QByteArray image = randomData(rng, 100 * 20);
    for (FecVersion sent : kVersions) {
        const FecVersion other = sent == FecVersion::V1 ? FecVersion::V2 : FecVersion::V1;
        const FragEncoder enc(image, 20, sent);
        FragDecoder dec = *FragDecoder::create({100, 20, 0, other});
        for (std::uint32_t n = 1; n <= 100; ++n)
            if (n % 10 != 3) // 10 lost
                dec.add(n, enc.frame(n));
        for (std::uint32_t n = 101; n <= 140 && !dec.isComplete(); ++n)
            dec.add(n, enc.frame(n));
        ASSERT_TRUE(dec.isComplete());
        EXPECT_NE(dec.data(), image);
        // Only the lost fragments are wrong: the received ones were stored as they came.
        EXPECT_EQ(dec.data().left(40), image.left(40));
    }
}

// Counter 0 (Semtech writes fragment -1), counters above 14 bits and a payload that is
// not FragSize long are refused with a reason; the decoder is unchanged.
TEST(LorawanFecDecoder, RejectsCounterZeroOverflowAndWrongLength)
{
    const FragEncoder enc(QByteArray(50, 'b'), 10, FecVersion::V2);
    FragDecoder dec = decoderFor(enc);
    FragDecoder::Status s = dec.add(0, enc.frame(1));
    EXPECT_EQ(s.state, State::Rejected);
    EXPECT_TRUE(s.reason.contains(QStringLiteral("counter 0")));
    s = dec.add(16384, enc.frame(1));
    EXPECT_EQ(s.state, State::Rejected);
    s = dec.add(2, enc.frame(2).left(9));
    EXPECT_EQ(s.state, State::Rejected);
    EXPECT_TRUE(s.reason.contains(QStringLiteral("9 bytes")));
    s = dec.add(2, enc.frame(2) + 'x');
    EXPECT_EQ(s.state, State::Rejected);
    EXPECT_EQ(dec.receivedCount(), 0u);
}

// Semtech drops an uncoded fragment that arrives after a later one or after a parity
// frame; here it is used, before and after the elimination has started.
TEST(LorawanFecDecoder, UsesLateUncodedFragments)
{
    std::mt19937 rng(3);
    const QByteArray image = randomData(rng, 200);
    const FragEncoder enc(image, 10, FecVersion::V1);
    FragDecoder dec = decoderFor(enc);
    for (std::uint32_t n = 20; n >= 1; --n)
        if (n != 5 && n != 12 && n != 13)
            dec.add(n, enc.frame(n)); // backwards: every one arrives "late"
    EXPECT_EQ(dec.add(21, enc.frame(21)).state, State::Incomplete); // elimination starts: l = 3
    EXPECT_EQ(dec.add(5, enc.frame(5)).state, State::Incomplete);   // late: a unit row
    EXPECT_EQ(dec.missingCount(), 1u);                              // line 1 + fragment 5
    const std::uint32_t received = dec.receivedCount();
    dec.add(5, enc.frame(5)); // a duplicate changes nothing
    EXPECT_EQ(dec.receivedCount(), received);
    // Line 1 (M = 20, v1) is fragments {3,4,6,12,16,17,20}: 12 is already determined.
    EXPECT_EQ(dec.add(12, enc.frame(12)).state, State::Incomplete);
    FragDecoder::Status s = dec.add(13, enc.frame(13));
    EXPECT_EQ(s.state, State::Complete);
    EXPECT_EQ(dec.data(), image);
}

// l losses need the spec's l(l+1)/16 + 2l bytes (plus bitmaps), not M x M bits.
TEST(LorawanFecDecoder, MemoryFollowsTheSpecFormula)
{
    std::mt19937 rng(5);
    const std::uint32_t m = 2000;
    const int fragSize = 50;
    const FragEncoder enc(randomData(rng, m * fragSize), fragSize, FecVersion::V2);
    for (std::uint32_t lossEvery : {10u, 25u, 100u}) {
        FragDecoder dec = decoderFor(enc);
        std::uint32_t l = 0;
        for (std::uint32_t n = 1; n <= m; ++n) {
            if (n % lossEvery == 0)
                ++l;
            else
                dec.add(n, enc.frame(n));
        }
        std::size_t peak = 0;
        for (std::uint32_t n = m + 1; !dec.isComplete(); ++n) {
            peak = std::max(peak, dec.memoryBytes());
            dec.add(n, enc.frame(n));
        }
        const std::size_t store = std::size_t{m} * fragSize;
        const std::size_t bookkeeping = m / 8 + l / 8 + 64 + sizeof(FragDecoder);
        EXPECT_LE(peak, store + FragDecoder::specMemoryBytes(l) + bookkeeping) << "l=" << l;
        EXPECT_GE(peak, store + FragDecoder::specMemoryBytes(l) * 9 / 10) << "l=" << l;
        EXPECT_LT(peak - store, std::size_t{m} * m / 8 / 10); // far below a dense M x M bit matrix
        EXPECT_LT(dec.memoryBytes(), peak); // the triangle is freed once solved
    }
    EXPECT_EQ(FragDecoder::specMemoryBytes(200), 200u * 201 / 16 + 1 + 400);
}

// A decoder sized for l losses refuses parity when more are missing, says how many,
// and still completes once a repair round brings the losses within its budget.
TEST(LorawanFecDecoder, TooManyLossesThenRepairedByUncodedFragments)
{
    std::mt19937 rng(9);
    const QByteArray image = randomData(rng, 400);
    const FragEncoder enc(image, 10, FecVersion::V2);
    FragDecoder dec = decoderFor(enc, 3);
    for (std::uint32_t n = 1; n <= 40; ++n)
        if (n > 6)
            dec.add(n, enc.frame(n)); // 6 lost
    FragDecoder::Status s = dec.add(41, enc.frame(41));
    EXPECT_EQ(s.state, State::TooManyLosses);
    EXPECT_EQ(s.losses, 6u);
    EXPECT_EQ(s.maxLosses, 3u);
    for (std::uint32_t n : {1u, 2u, 3u})
        dec.add(n, enc.frame(n));
    for (std::uint32_t n = 42; n < 80 && !dec.isComplete(); ++n)
        EXPECT_NE(dec.add(n, enc.frame(n)).state, State::TooManyLosses);
    ASSERT_TRUE(dec.isComplete());
    EXPECT_EQ(dec.data(), image);
}

TEST(LorawanFecDecoder, CreateValidatesTheShape)
{
    EXPECT_FALSE(FragDecoder::create({0, 10, 0, FecVersion::V2}).has_value());
    EXPECT_FALSE(FragDecoder::create({16384, 10, 0, FecVersion::V2}).has_value());
    EXPECT_FALSE(FragDecoder::create({10, 0, 0, FecVersion::V2}).has_value());
    EXPECT_FALSE(FragDecoder::create({10, 256, 0, FecVersion::V2}).has_value());
    auto padding = FragDecoder::create({10, 10, 10, FecVersion::V2});
    ASSERT_FALSE(padding.has_value());
    EXPECT_EQ(padding.error().field, QStringLiteral("Padding"));
}
