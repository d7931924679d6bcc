// SPDX-License-Identifier: Apache-2.0
// SimTime: unit conversions, rounding, saturation and formatting.
#include "sim/kernel/simtime.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

using otalab::sim::SimTime;

TEST(KernelSimTime, UnitConstructors)
{
    EXPECT_EQ(SimTime::fromNanos(5).nanos(), 5);
    EXPECT_EQ(SimTime::fromMicros(5).nanos(), 5'000);
    EXPECT_EQ(SimTime::fromMillis(5).nanos(), 5'000'000);
    EXPECT_EQ(SimTime::fromSecondsInt(5).nanos(), 5'000'000'000);
    EXPECT_EQ(SimTime().nanos(), 0);
    EXPECT_EQ(SimTime::zero(), SimTime());
}

TEST(KernelSimTime, FromSecondsRoundsToNearestNanosecond)
{
    EXPECT_EQ(SimTime::fromSeconds(1.5).nanos(), 1'500'000'000);
    EXPECT_EQ(SimTime::fromSeconds(7.68).nanos(), 7'680'000'000);
    EXPECT_EQ(SimTime::fromSeconds(1e-9 * 0.6).nanos(), 1);
    EXPECT_EQ(SimTime::fromSeconds(1e-9 * 0.4).nanos(), 0);
    EXPECT_EQ(SimTime::fromSeconds(-2.0).nanos(), -2'000'000'000);
}

TEST(KernelSimTime, FromSecondsSaturatesAndMapsNanToZero)
{
    EXPECT_EQ(SimTime::fromSeconds(1e30), SimTime::max());
    EXPECT_EQ(SimTime::fromSeconds(-1e30), SimTime::min());
    EXPECT_EQ(SimTime::fromSeconds(std::numeric_limits<double>::infinity()), SimTime::max());
    EXPECT_EQ(SimTime::fromSeconds(std::numeric_limits<double>::quiet_NaN()), SimTime::zero());
}

TEST(KernelSimTime, ToSeconds)
{
    EXPECT_DOUBLE_EQ(SimTime::fromMillis(1500).toSeconds(), 1.5);
    EXPECT_DOUBLE_EQ(SimTime::fromMicros(250).toMillis(), 0.25);
}

TEST(KernelSimTime, ArithmeticAndOrdering)
{
    const SimTime a = SimTime::fromMillis(10);
    const SimTime b = SimTime::fromMillis(3);
    EXPECT_EQ((a + b).nanos(), 13'000'000);
    EXPECT_EQ((a - b).nanos(), 7'000'000);
    EXPECT_EQ((b * 4).nanos(), 12'000'000);
    EXPECT_EQ((a / 4).nanos(), 2'500'000);
    EXPECT_EQ((-b).nanos(), -3'000'000);
    EXPECT_LT(b, a);
    SimTime c = a;
    c += b;
    c -= SimTime::fromMillis(1);
    EXPECT_EQ(c, SimTime::fromMillis(12));
}

TEST(KernelSimTime, FormatsSecondsWithSixDecimals)
{
    EXPECT_EQ(SimTime::fromNanos(12'345'678'901).toString(), "12.345678 s");
    EXPECT_EQ(SimTime::zero().toString(), "0.000000 s");
    EXPECT_EQ(SimTime::fromMicros(1).toString(), "0.000001 s");
    EXPECT_EQ(SimTime::fromNanos(999).toString(), "0.000000 s"); // truncated, not rounded
    EXPECT_EQ(SimTime::fromMillis(-1500).toString(), "-1.500000 s");
    EXPECT_EQ(SimTime::max().toString(), "9223372036.854775 s");
    EXPECT_EQ(SimTime::min().toString(), "-9223372036.854775 s");
    std::ostringstream os;
    os << SimTime::fromSecondsInt(3);
    EXPECT_EQ(os.str(), "3.000000 s");
}
