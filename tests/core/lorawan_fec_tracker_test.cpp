// SPDX-License-Identifier: Apache-2.0
// FecRankTracker: agrees with the byte decoder frame by frame, stays small, and marks
// a result built from a forged frame.
#include "core/lorawan/fecranktracker.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragencoder.h"
#include "lorawan_fec_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

using namespace otalab::core::lorawan;
using otalab::testing::fec::randomData;

// 1,000 random sessions (M, version, loss, order, late and duplicate frames): after
// every frame the tracker and FragDecoder agree on complete and missing.
TEST(LorawanFecTracker, AgreesWithByteDecoderOnThousandPatterns)
{
    std::mt19937 rng(1000);
    for (int trial = 0; trial < 1000; ++trial) {
        const FecVersion v = trial % 2 ? FecVersion::V1 : FecVersion::V2;
        const std::uint32_t m = 1 + rng() % 150;
        const std::uint32_t r = 1 + rng() % (m / 2 + 4);
        const QByteArray image = randomData(rng, static_cast<int>(m) * 3);
        const FragEncoder enc(image, 3, v);
        std::vector<std::uint32_t> frames(m + r);
        std::iota(frames.begin(), frames.end(), 1u);
        const int shape = trial % 4;
        if (shape == 1) // some reordering
            for (std::size_t i = 0; i + 1 < frames.size(); i += 1 + rng() % 5)
                std::swap(frames[i], frames[i + 1 + rng() % std::min<std::size_t>(3, frames.size() - i - 1)]);
        if (shape == 2)
            std::shuffle(frames.begin(), frames.end(), rng);
        std::bernoulli_distribution lost(0.02 * (rng() % 20));
        std::erase_if(frames, [&](std::uint32_t) { return lost(rng); });
        if (shape == 3 && !frames.empty()) // duplicates
            for (int d = 0; d < 5; ++d)
                frames.push_back(frames[rng() % frames.size()]);

        FragDecoder dec = *FragDecoder::create({m, 3, 0, v});
        FecRankTracker tracker(m);
        std::map<std::uint32_t, ParityLine> lines;
        for (std::uint32_t n : frames) {
            dec.add(n, enc.frame(n));
            if (n <= m) {
                tracker.addUncoded(n);
            } else {
                auto it = lines.try_emplace(n, parityLine(n - m, m, v)).first;
                tracker.addParity(it->second);
            }
            ASSERT_EQ(tracker.isComplete(), dec.isComplete()) << "trial " << trial << " frame " << n;
            ASSERT_EQ(tracker.missingCount(), dec.missingCount()) << "trial " << trial << " frame " << n;
            ASSERT_EQ(tracker.receivedCount(), dec.receivedCount()) << "trial " << trial << " frame " << n;
        }
        ASSERT_EQ(tracker.missingCount(), dec.missingCount()) << "trial " << trial;
        if (dec.isComplete())
            ASSERT_EQ(dec.data(), image) << "trial " << trial;
        EXPECT_FALSE(tracker.corrupted());
    }
}

// A forged frame that is kept makes the result wrong; one that brings nothing does not.
TEST(LorawanFecTracker, ForgedFrameThatContributesMarksResultCorrupted)
{
    const std::uint32_t m = 50;
    {
        FecRankTracker t(m);
        for (std::uint32_t n = 1; n <= m; ++n)
            if (n != 7)
                t.addUncoded(n, n == 3); // forged uncoded fragment, stored
        EXPECT_TRUE(t.corrupted());
    }
    {
        FecRankTracker t(m);
        for (std::uint32_t n = 2; n <= m; ++n)
            t.addUncoded(n);
        std::uint32_t k = 1;
        while (!t.addParity(parityLine(k, m, FecVersion::V2), /*forged=*/true))
            ++k;
        EXPECT_TRUE(t.corrupted()); // the forged parity solved fragment 1
    }
    {
        // Ten lost: the forged first parity frame becomes a row, the image is wrong.
        FecRankTracker t(m);
        for (std::uint32_t n = 11; n <= m; ++n)
            t.addUncoded(n);
        t.addParity(parityLine(1, m, FecVersion::V2), true);
        for (std::uint32_t k = 2; !t.isComplete(); ++k)
            t.addParity(parityLine(k, m, FecVersion::V2));
        EXPECT_TRUE(t.corrupted());
    }
    {
        FecRankTracker t(m);
        for (std::uint32_t n = 1; n <= m; ++n)
            t.addUncoded(n);
        EXPECT_TRUE(t.isComplete());
        t.addParity(parityLine(1, m, FecVersion::V2), true); // after completion: ignored
        t.addUncoded(4, true);                                // duplicate: ignored
        EXPECT_FALSE(t.corrupted());
    }
    {
        FecRankTracker t(m);
        for (std::uint32_t n = 2; n <= m; ++n)
            t.addUncoded(n);
        // Line 1 of M = 50: find one that does not touch fragment 1 — it reduces to
        // nothing, so forging it changes nothing.
        std::uint32_t k = 1;
        while (parityLine(k, m, FecVersion::V2).test(0))
            ++k;
        EXPECT_FALSE(t.addParity(parityLine(k, m, FecVersion::V2), true));
        EXPECT_FALSE(t.corrupted());
        EXPECT_EQ(t.parityReceived(), 1u);
        t.addUncoded(1);
        EXPECT_TRUE(t.isComplete());
        EXPECT_FALSE(t.corrupted());
    }
}

// Per device: the received bitmap (M bits) and the triangle over its losses, freed
// once complete.
TEST(LorawanFecTracker, StaysSmall)
{
    std::mt19937 rng(2);
    const std::uint32_t m = 2000;
    FecRankTracker t(m);
    EXPECT_LE(t.memoryBytes(), sizeof(FecRankTracker) + m / 8 + 8);
    std::bernoulli_distribution lost(0.10);
    for (std::uint32_t n = 1; n <= m; ++n)
        if (!lost(rng))
            t.addUncoded(n);
    const std::uint32_t l = m - t.receivedCount();
    std::size_t peak = 0;
    for (std::uint32_t k = 1; !t.isComplete(); ++k) {
        t.addParity(parityLine(k, m, FecVersion::V2));
        peak = std::max(peak, t.memoryBytes());
    }
    EXPECT_EQ(t.lossCount(), l);
    EXPECT_LE(peak, sizeof(FecRankTracker) + m / 8 + FragDecoder::specMemoryBytes(l) + l / 8 + 64);
    EXPECT_LE(t.memoryBytes(), sizeof(FecRankTracker) + m / 8 + 8);
}
