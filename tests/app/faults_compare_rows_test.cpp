// SPDX-License-Identifier: Apache-2.0
// The Compare view's faults/attacks rows: none when neither run had faults or attacks; a
// heading and six counts otherwise, the accepted row highlighted whenever a run has one.
#include "compare/faultscomparerows.h"

#include <gtest/gtest.h>

namespace {

using namespace otalab;

sim::RunResult runWith(int faults, int recovered, int attacks, int accepted)
{
    sim::RunResult r;
    for (int i = 0; i < faults; ++i)
        r.faults.push_back(sim::FaultResult{QStringLiteral("f"), QStringLiteral("powerLoss"), QStringLiteral("a"), QStringLiteral("d"),
                                            double(i), {}, {}, {}, i < recovered, {}});
    for (int i = 0; i < attacks; ++i)
        r.attacks.push_back(sim::AttackResult{QStringLiteral("x"), QStringLiteral("replay"), QStringLiteral("a"),
                                              QStringLiteral("d%1").arg(i), 1.0, i < accepted, {}});
    return r;
}

TEST(FaultsCompareRows, NoneWithoutFaultsOrAttacks)
{
    std::vector<app::CompareRow> rows;
    app::appendFaultsRows(rows, sim::RunResult{}, sim::RunResult{});
    EXPECT_TRUE(rows.empty());
}

TEST(FaultsCompareRows, CountsAndTheAcceptedRowHighlighted)
{
    std::vector<app::CompareRow> rows;
    app::appendFaultsRows(rows, runWith(4, 4, 3, 1), runWith(4, 3, 3, 1));
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_TRUE(rows[0].heading);
    EXPECT_EQ(rows[3].figure, "faults recovered");
    EXPECT_EQ(rows[3].a, "4");
    EXPECT_EQ(rows[3].b, "3");
    EXPECT_EQ(rows[3].difference, "-1");
    EXPECT_TRUE(rows[3].differs);
    EXPECT_EQ(rows[6].figure, "attacks accepted");
    EXPECT_EQ(rows[6].difference, "same");
    EXPECT_TRUE(rows[6].differs);   // a finding in either run is always highlighted
    std::vector<app::CompareRow> clean;
    app::appendFaultsRows(clean, runWith(1, 1, 2, 0), sim::RunResult{});
    ASSERT_EQ(clean.size(), 7u);
    EXPECT_FALSE(clean[6].differs);
    EXPECT_EQ(clean[4].b, "0");
}

} // namespace
