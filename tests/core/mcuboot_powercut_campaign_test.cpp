// SPDX-License-Identifier: Apache-2.0
// The exhaustive power-cut campaign (core/mcuboot/powercut_campaign.h): every cut point of
// every swap type of every writing strategy recovers, over several flash layouts.
#include "core/mcuboot/powercut_campaign.h"

#include <gtest/gtest.h>

#include <iostream>

namespace otalab::core::mcuboot {
namespace {

void expectAllRecovered(const PowerCutResult& result, const char* label)
{
    for (const PowerCutSwapResult& s : result.swaps) {
        std::cout << "[ powercut ] " << label << " " << bootStrategyName(result.strategy).toStdString() << " "
                  << powerCutSwapName(s.swap).toStdString() << ": N=" << s.flashOps << " follow-up=" << s.followUpOps
                  << " single " << s.cutsRecovered << "/" << s.cutsTried << " double " << s.doubleRecovered << "/"
                  << s.doubleTried << " random " << s.randomRecovered << "/" << s.randomTried << "\n";
        for (const PowerCutFailure& f : s.failures)
            ADD_FAILURE() << label << ": " << f.toString().toStdString();
        EXPECT_GT(s.flashOps, 0) << powerCutSwapName(s.swap).toStdString();
        EXPECT_EQ(s.cutsTried, s.flashOps);
        EXPECT_EQ(s.cutsRecovered, s.cutsTried);
        EXPECT_EQ(s.doubleRecovered, s.doubleTried);
        EXPECT_EQ(s.randomRecovered, s.randomTried);
        EXPECT_EQ(s.failureCount, 0);
    }
}

PowerCutConfig smallConfig(BootStrategy strategy)
{
    PowerCutConfig c;
    c.strategy = strategy;
    c.doubleCuts = 40;
    c.randomRuns = 10;
    return c;
}

TEST(McubootPowerCutCampaign, SwapMoveEveryCutPointRecovers)
{
    auto result = runPowerCutCampaign(smallConfig(BootStrategy::SwapMove));
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    ASSERT_EQ(result->swaps.size(), 3u);
    expectAllRecovered(*result, "align4");
}

TEST(McubootPowerCutCampaign, OverwriteOnlyEveryCutPointRecovers)
{
    auto result = runPowerCutCampaign(smallConfig(BootStrategy::OverwriteOnly));
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    ASSERT_EQ(result->swaps.size(), 2u);
    expectAllRecovered(*result, "align4");
}

TEST(McubootPowerCutCampaign, DirectXipRevertEveryCutPointRecovers)
{
    auto result = runPowerCutCampaign(smallConfig(BootStrategy::DirectXipWithRevert));
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    ASSERT_EQ(result->swaps.size(), 3u);
    expectAllRecovered(*result, "align4");
}

// The same campaign, same seed: the same figures and the same images.
TEST(McubootPowerCutCampaign, SameSeedSameResult)
{
    PowerCutConfig c = smallConfig(BootStrategy::SwapMove);
    c.swaps = {PowerCutSwap::Perm};
    std::vector<PowerCutProgress> reports;
    c.progress = [&reports](const PowerCutProgress& p) { reports.push_back(p); };
    auto a = runPowerCutCampaign(c);
    c.progress = nullptr;
    auto b = runPowerCutCampaign(c);
    ASSERT_TRUE(a && b);
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.back().phase, QStringLiteral("random"));
    EXPECT_EQ(reports.back().done, reports.back().total);
    EXPECT_LE(reports.size(), 3u * 21u);   // about every 5 % of a phase
    EXPECT_EQ(a->swaps[0].flashOps, b->swaps[0].flashOps);
    EXPECT_EQ(a->swaps[0].doubleTried, b->swaps[0].doubleTried);
    auto setupA = powerCutSetup(c);
    auto setupB = powerCutSetup(c);
    ASSERT_TRUE(setupA && setupB);
    EXPECT_EQ(setupA->images.newImage, setupB->images.newImage);
    c.seed = 2;
    auto setupC = powerCutSetup(c);
    ASSERT_TRUE(setupC);
    EXPECT_NE(setupA->images.newImage, setupC->images.newImage);
}

// The campaign can fail: a loader whose swap status never survives a cut (the status
// entries lost after every interrupted boot) is caught, with the cut points named.
TEST(McubootPowerCutCampaign, LostSwapStatusIsDetected)
{
    PowerCutConfig c = smallConfig(BootStrategy::SwapMove);
    c.swaps = {PowerCutSwap::Test, PowerCutSwap::Perm};
    c.sabotage = PowerCutSabotage::LoseSwapStatus;
    auto result = runPowerCutCampaign(c);
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    EXPECT_FALSE(result->ok());
    for (const PowerCutSwapResult& s : result->swaps) {
        std::cout << "[ powercut ] sabotaged " << powerCutSwapName(s.swap).toStdString() << ": " << s.failureCount
                  << " failed runs, single " << s.cutsRecovered << "/" << s.cutsTried << "\n";
        EXPECT_EQ(s.cutsTried, s.flashOps);
        EXPECT_LT(s.cutsRecovered, s.cutsTried);
        ASSERT_FALSE(s.failures.empty());
        const PowerCutFailure& first = s.failures.front();
        EXPECT_FALSE(first.cuts.empty());
        EXPECT_FALSE(first.what.isEmpty());
        std::cout << "[ powercut ]   first: " << first.toString().toStdString() << "\n";
        EXPECT_TRUE(first.toString().contains(QStringLiteral("power cut at flash op"))) << first.toString().toStdString();
        EXPECT_LE(int(s.failures.size()), c.failuresKept);
    }
}

TEST(McubootPowerCutCampaign, UnsupportedSetupsAreErrors)
{
    PowerCutConfig c;
    c.strategy = BootStrategy::DirectXip;
    auto none = runPowerCutCampaign(c);
    ASSERT_FALSE(none);
    EXPECT_TRUE(none.error().toString().contains(QStringLiteral("never writes")));
    c.strategy = BootStrategy::OverwriteOnly;
    c.swaps = {PowerCutSwap::Revert};
    auto noRevert = runPowerCutCampaign(c);
    ASSERT_FALSE(noRevert);
    EXPECT_TRUE(noRevert.error().toString().contains(QStringLiteral("no revert swap")));
    // An image that leaves no room for the move sector.
    c.strategy = BootStrategy::SwapMove;
    c.swaps = {};
    c.geometry = powerCutGeometryFor(8 * 1024, 1024, 4, false);
    c.newBodyBytes = 9 * 1024;
    auto tooBig = runPowerCutCampaign(c);
    ASSERT_FALSE(tooBig);
    EXPECT_TRUE(tooBig.error().toString().contains(QStringLiteral("does not fit"))) << tooBig.error().toString().toStdString();
    EXPECT_EQ(powerCutSwapFromName(QStringLiteral("perm")).value_or(PowerCutSwap::Test), PowerCutSwap::Perm);
    EXPECT_FALSE(powerCutSwapFromName(QStringLiteral("swap")));
}

} // namespace
} // namespace otalab::core::mcuboot
