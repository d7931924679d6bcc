// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/battery.h"

#include <gtest/gtest.h>

using namespace otalab::sim;

TEST(EnergyBattery, Cr2032Share)
{
    const Battery cell = Battery::cr2032();
    EXPECT_EQ(cell.capacityMilliampHours, 225.0);
    // 225 mAh × 3.6 C/mAh × 3.0 V = 2430 J.
    EXPECT_NEAR(cell.energyJoules(), 2430.0, 1e-9);
    EXPECT_NEAR(cell.shareOfEnergy(24.3), 0.01, 1e-12);
    EXPECT_NEAR(cell.shareOfCharge(2.25), 0.01, 1e-12);
    // An OTA drawing 5 mA for 25 min = 2.0833 mAh → 0.926 % of a CR2032.
    EXPECT_NEAR(cell.shareOfCharge(5.0 * 25.0 / 60.0), 0.0092593, 1e-6);
}

TEST(EnergyBattery, TwoAaShareAndLookup)
{
    const Battery pack = Battery::twoAa();
    EXPECT_NEAR(pack.energyJoules(), 27000.0, 1e-9);
    EXPECT_NEAR(pack.shareOfEnergy(27.0), 0.001, 1e-12);
    EXPECT_NEAR(pack.shareOfCharge(25.0), 0.01, 1e-12);
    ASSERT_TRUE(Battery::byName(QStringLiteral("cr2032")));
    EXPECT_EQ(Battery::byName(QStringLiteral("2xaa"))->capacityMilliampHours, 2500.0);
    EXPECT_FALSE(Battery::byName(QStringLiteral("LR44")));
}
