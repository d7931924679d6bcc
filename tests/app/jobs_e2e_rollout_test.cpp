// SPDX-License-Identifier: Apache-2.0
// End to end against a real mosquitto: the rollout engine in the real-time jobs service,
// its clock driven by the test (ManualJobsClock) so a 1-per-minute rollout over three
// things and an abort threshold are checked without waiting a minute.
#include "jobs_e2e_support.h"

namespace otalab::testing {
namespace {

QJsonObject rateSection(int perMinute, const QJsonArray& abort = {})
{
    QJsonObject section{{QStringLiteral("jobExecutionsRolloutConfig"),
                         QJsonObject{{QStringLiteral("maximumPerMinute"), perMinute}}}};
    if (!abort.isEmpty())
        section.insert(QStringLiteral("abortConfig"), QJsonObject{{QStringLiteral("criteriaList"), abort}});
    return section;
}

int notified(JobsLab& lab, const QString& jobId)
{
    const auto job = lab.service().summary(jobId, false);
    return job ? job->notified : -1;
}

TEST(JobsE2eRollout, MaximumPerMinuteReleasesOneThingPerMinuteOfTheInjectedClock)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    const QStringList things = {QStringLiteral("r1"), QStringLiteral("r2"), QStringLiteral("r3")};
    for (const QString& t : things)
        lab.startDevice(t);
    const qint64 created = lab.clock().nowMs();
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("wave"), things, testImage(2500), rateSection(1))).ok);

    // t = 0: the first thing only; the next slot is 60 s later.
    EXPECT_EQ(notified(lab, QStringLiteral("wave")), 1);
    EXPECT_EQ(lab.clock().pendingWake(), created + 60'000);
    EXPECT_DOUBLE_EQ(lab.service().summary(QStringLiteral("wave"))->ratePerMinute, 1.0);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("wave"), QStringLiteral("r1"), QStringLiteral("SUCCEEDED")));
    // Real time passed (the download), the job's clock did not: r2 still waits, never told.
    EXPECT_EQ(notified(lab, QStringLiteral("wave")), 1);
    EXPECT_EQ(lab.executionStatus(QStringLiteral("wave"), QStringLiteral("r2")), QStringLiteral("QUEUED"));
    EXPECT_EQ(lab.service().summary(QStringLiteral("wave"))->executions[1].executionNumber, 0);
    EXPECT_TRUE(lab.device(QStringLiteral("r2")).host->blocksReceived() == 0);

    lab.clock().advanceTo(created + 59'999);
    EXPECT_EQ(notified(lab, QStringLiteral("wave")), 1);
    lab.clock().advanceTo(created + 60'000);
    EXPECT_EQ(notified(lab, QStringLiteral("wave")), 2);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("wave"), QStringLiteral("r2"), QStringLiteral("SUCCEEDED")));
    EXPECT_EQ(lab.executionStatus(QStringLiteral("wave"), QStringLiteral("r3")), QStringLiteral("QUEUED"));

    lab.clock().advanceTo(created + 120'000);
    EXPECT_EQ(notified(lab, QStringLiteral("wave")), 3);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("wave"), QStringLiteral("r3"), QStringLiteral("SUCCEEDED")));
    EXPECT_EQ(lab.service().summary(QStringLiteral("wave"))->status, QStringLiteral("COMPLETED"));
    EXPECT_FALSE(lab.clock().pendingWake().has_value());
}

TEST(JobsE2eRollout, AbortCriteriaCancelTheRestWhenTheThresholdTrips)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    const QStringList things = {QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("a3")};
    for (const QString& t : things)
        lab.startDevice(t, [](auto& o) { o.selfTestPasses = false; });
    const qint64 created = lab.clock().nowMs();
    // FAILED ≥ 50 % once at least 2 things executed → CANCEL.
    const QJsonArray abort{QJsonObject{{QStringLiteral("failureType"), QStringLiteral("FAILED")},
                                       {QStringLiteral("action"), QStringLiteral("CANCEL")},
                                       {QStringLiteral("thresholdPercentage"), 50},
                                       {QStringLiteral("minNumberOfExecutedThings"), 2}}};
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("bad"), things, testImage(2000), rateSection(1, abort))).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("bad"), QStringLiteral("a1"), QStringLiteral("FAILED")));
    // One failure of one executed thing: below the minimum, the job goes on.
    EXPECT_EQ(lab.service().summary(QStringLiteral("bad"))->status, QStringLiteral("IN_PROGRESS"));
    lab.clock().advanceTo(created + 60'000);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("bad"), QStringLiteral("a2"), QStringLiteral("FAILED")));
    // Two of two failed: the abort trips, the job is canceled and a3 is never notified.
    ASSERT_TRUE(waitFor([&] { return lab.service().summary(QStringLiteral("bad"))->status == QStringLiteral("CANCELED"); }));
    const auto job = lab.service().summary(QStringLiteral("bad"));
    EXPECT_EQ(job->notified, 2);
    EXPECT_TRUE(job->reason.startsWith(QStringLiteral("aborted"))) << job->reason.toStdString();
    lab.clock().advanceTo(created + 600'000);
    EXPECT_EQ(lab.service().summary(QStringLiteral("bad"))->notified, 2);
    EXPECT_EQ(lab.device(QStringLiteral("a3")).host->blocksReceived(), 0);
    EXPECT_FALSE(lab.serviceLog().filter(QStringLiteral("CANCELED by its abort criteria")).isEmpty())
        << lab.serviceLog().join('\n').toStdString();
}

TEST(JobsE2eRollout, InProgressTimeoutEndsASilentExecutionTimedOut)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("t1"));
    const qint64 created = lab.clock().nowMs();
    const QJsonObject section{{QStringLiteral("timeoutConfig"), QJsonObject{{QStringLiteral("inProgressTimeoutInMinutes"), 1}}}};
    // The device dies (no goodbye) once it has started: its execution stays IN_PROGRESS.
    bool cut = false;
    QObject::connect(dev.host.get(), &hw::awsota::AwsOtaDeviceHost::progress, dev.host.get(), [&](std::uint32_t k, std::uint32_t) {
        if (k == 2 && !cut) {
            cut = true;
            QTimer::singleShot(0, [&lab] { lab.killDevice(QStringLiteral("t1")); });
        }
    });
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("slow"), {QStringLiteral("t1")}, testImage(8000), section)).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("slow"), QStringLiteral("t1"), QStringLiteral("IN_PROGRESS")));
    ASSERT_TRUE(waitFor([&] { return cut; }));
    EXPECT_EQ(lab.clock().pendingWake(), created + 60'000);
    lab.clock().advanceTo(created + 59'999);
    EXPECT_EQ(lab.executionStatus(QStringLiteral("slow"), QStringLiteral("t1")), QStringLiteral("IN_PROGRESS"));
    lab.clock().advanceTo(created + 60'000);
    EXPECT_EQ(lab.executionStatus(QStringLiteral("slow"), QStringLiteral("t1")), QStringLiteral("TIMED_OUT"));
    EXPECT_EQ(lab.service().summary(QStringLiteral("slow"))->status, QStringLiteral("COMPLETED"));
}

} // namespace
} // namespace otalab::testing
