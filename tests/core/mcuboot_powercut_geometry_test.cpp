// SPDX-License-Identifier: Apache-2.0
// The power-cut campaign over other flash layouts: write alignment 8, the primary slot one
// sector larger (swap-move layout), images filling the slot, and a larger image on 4 KiB
// sectors with a sampled double-cut grid.
#include "core/mcuboot/powercut_campaign.h"

#include <gtest/gtest.h>

#include <iostream>

namespace otalab::core::mcuboot {
namespace {

void expectAllRecovered(const PowerCutResult& result, const char* label)
{
    for (const PowerCutSwapResult& s : result.swaps) {
        std::cout << "[ powercut ] " << label << " " << bootStrategyName(result.strategy).toStdString() << " "
                  << powerCutSwapName(s.swap).toStdString() << ": slots 0x" << std::hex << result.geometry.primarySize
                  << "/0x" << result.geometry.secondarySize << std::dec << " images " << result.oldImageBytes << "/"
                  << result.newImageBytes << " B, N=" << s.flashOps << " single " << s.cutsRecovered << "/"
                  << s.cutsTried << " double " << s.doubleRecovered << "/" << s.doubleTried << " random "
                  << s.randomRecovered << "/" << s.randomTried << "\n";
        for (const PowerCutFailure& f : s.failures)
            ADD_FAILURE() << label << ": " << f.toString().toStdString();
        EXPECT_GT(s.flashOps, 0);
        EXPECT_EQ(s.cutsTried, s.flashOps);
        EXPECT_EQ(s.cutsRecovered, s.cutsTried);
        EXPECT_EQ(s.doubleRecovered, s.doubleTried);
        EXPECT_EQ(s.randomRecovered, s.randomTried);
    }
}

// Bodies that make the new image fill its room in the layout to the last TLV byte.
PowerCutConfig filling(BootStrategy strategy, const FlashGeometry& g)
{
    PowerCutConfig c;
    c.strategy = strategy;
    c.geometry = g;
    c.doubleCuts = 30;
    c.randomRuns = 8;
    auto key = powerCutKeyFromSeed(c.seed);
    EXPECT_TRUE(key);
    const qint64 overhead = powerCutImageBytes(0, *key);
    c.newBodyBytes = powerCutMaxImageBytes(g, strategy) - overhead;
    c.oldBodyBytes = c.newBodyBytes - 3 * g.sectorSize - 5;   // the swap size is the larger image
    return c;
}

TEST(McubootPowerCutGeometry, WriteAlignment8)
{
    for (BootStrategy strategy : {BootStrategy::SwapMove, BootStrategy::OverwriteOnly, BootStrategy::DirectXipWithRevert}) {
        PowerCutConfig c;
        c.strategy = strategy;
        c.writeAlign = 8;
        c.doubleCuts = 30;
        c.randomRuns = 8;
        auto result = runPowerCutCampaign(c);
        ASSERT_TRUE(result) << result.error().toString().toStdString();
        EXPECT_EQ(result->geometry.writeAlign, 8);
        expectAllRecovered(*result, "align8");
    }
}

TEST(McubootPowerCutGeometry, PrimaryOneSectorLargerWithFullImages)
{
    const FlashGeometry g = powerCutGeometryFor(12 * 1024, 1024, 4, true);
    ASSERT_EQ(g.primarySize, g.secondarySize + g.sectorSize);
    PowerCutConfig c = filling(BootStrategy::SwapMove, g);
    auto result = runPowerCutCampaign(c);
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    EXPECT_EQ(result->newImageBytes, powerCutMaxImageBytes(g, BootStrategy::SwapMove));
    expectAllRecovered(*result, "primary+1");
}

TEST(McubootPowerCutGeometry, FullImagesEqualSlotsAlign8)
{
    const FlashGeometry g = powerCutGeometryFor(12 * 1024, 1024, 8, false);
    for (BootStrategy strategy : {BootStrategy::SwapMove, BootStrategy::OverwriteOnly}) {
        PowerCutConfig c = filling(strategy, g);
        // The old image is the larger one: the swap size follows it.
        std::swap(c.oldBodyBytes, c.newBodyBytes);
        auto result = runPowerCutCampaign(c);
        ASSERT_TRUE(result) << result.error().toString().toStdString();
        expectAllRecovered(*result, "full-align8");
    }
}

// A larger image on 4 KiB sectors (each sector copied in four 1 KiB writes): every single
// cut still, a sampled grid of double cuts and random runs.
TEST(McubootPowerCutGeometry, LargerImageOnFourKibSectors)
{
    PowerCutConfig c;
    c.strategy = BootStrategy::SwapMove;
    c.swaps = {PowerCutSwap::Test, PowerCutSwap::Perm};
    c.sectorSize = 4096;
    c.newBodyBytes = 60 * 1024;
    c.oldBodyBytes = 50 * 1024 + 17;
    c.doubleCuts = 60;
    c.randomRuns = 10;
    auto result = runPowerCutCampaign(c);
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    expectAllRecovered(*result, "4k");
}

} // namespace
} // namespace otalab::core::mcuboot
