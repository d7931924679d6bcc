// SPDX-License-Identifier: Apache-2.0
// User story 7, the real half: the rollout section of the bundled simulated scenario
// (resources/scenarios/jobs-trackers.json) sent unchanged with a job to the two trackers on
// the desk through a real mosquitto — one passes its self-test (SUCCEEDED, new image
// committed), one fails it (FAILED, rolled back to the old image). The rollout's clock is
// the test's (ManualJobsClock); every wait is on an execution state with an upper bound.
#include "jobs_e2e_support.h"

#include <QFile>

namespace otalab::testing {
namespace {

const QString kTrackers = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/jobs-trackers.json");

QJsonObject scenarioRolloutSection()
{
    QFile file(kTrackers);
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "cannot read " << kTrackers.toStdString();
        return {};
    }
    const QJsonObject section = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("rollout")).toObject();
    EXPECT_FALSE(section.isEmpty()) << "jobs-trackers.json has no rollout section";
    return section;
}

TEST(Story7Real, TheScenarioRolloutSectionRunsTwoDeskTrackersOneRollsBack)
{
    const QJsonObject section = scenarioRolloutSection();
    ASSERT_TRUE(section.contains(QStringLiteral("jobExecutionsRolloutConfig")));
    ASSERT_TRUE(section.contains(QStringLiteral("abortConfig")));

    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    const QString good = QStringLiteral("tracker-1");
    const QString bad = QStringLiteral("tracker-2");
    lab.startDevice(good);
    lab.startDevice(bad, [](auto& o) { o.selfTestPasses = false; });
    const QString job = section.value(QStringLiteral("jobId")).toString();
    ASSERT_FALSE(job.isEmpty());

    const auto created = lab.service().handle(lab.createRequest(job, {good, bad}, testImage(6000), section));
    ASSERT_TRUE(created.ok) << created.error.toStdString();
    // The section's exponential rate is in force: one thing notified, the next one slot later.
    const auto first = lab.service().summary(job, false);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->notified, 1);
    EXPECT_DOUBLE_EQ(first->ratePerMinute,
                     section.value(QStringLiteral("jobExecutionsRolloutConfig")).toObject().value(QStringLiteral("exponentialRate"))
                         .toObject().value(QStringLiteral("baseRatePerMinute")).toDouble());
    // The exponential rate paces notifications: let the job's clock pass every slot
    // (two things at the base rate take seconds, the test's clock needs no real wait).
    for (int i = 0; i < 10 && lab.clock().pendingWake(); ++i)
        lab.clock().advanceTo(*lab.clock().pendingWake());

    ASSERT_TRUE(lab.waitForStatus(job, good, QStringLiteral("SUCCEEDED")));
    ASSERT_TRUE(lab.waitForStatus(job, bad, QStringLiteral("FAILED")));
    EXPECT_EQ(lab.device(good).ended, QStringList{QStringLiteral("SUCCEEDED")});
    EXPECT_EQ(lab.device(bad).ended, QStringList{QStringLiteral("FAILED")});

    // Two executed, one failed: under the section's minimum of executed things the abort
    // cannot trip, so the job completes rather than being canceled.
    const auto summary = lab.service().summary(job);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->status, QStringLiteral("COMPLETED"));
    EXPECT_TRUE(summary->reason.isEmpty()) << summary->reason.toStdString();
}

} // namespace
} // namespace otalab::testing
