// SPDX-License-Identifier: Apache-2.0
// Jobs fleets end to end: every device upgrades with the exact number of blocks, PSM delays
// the first request until the device wakes, a bad image rolls back, a bad signature is
// refused, a dropped connection resumes from the bitmap, runs are deterministic.
#include "jobs_fleet_test_support.h"

#include <algorithm>

namespace {

using namespace otalab::test::jobsfleet;

TEST(JobsFleet, DeviceStructStaysSmall)
{
    EXPECT_LT(sizeof(JobsDevice), 512u);
}

TEST(JobsFleet, SmallFleetAllUpgradeWithExactBlockCount)
{
    JobsRun r(smallFleet());
    ASSERT_TRUE(r.run());
    const JobsFleet& f = r.fleet();
    EXPECT_EQ(f.blockCount(), 16u);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 10);
    EXPECT_EQ(f.service().blocksSent, 10u * 16u);
    EXPECT_EQ(f.service().blocksLost, 0u);
    EXPECT_EQ(f.service().requestsRetried, 0u);
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        const JobsDevice& d = f.device(i);
        EXPECT_EQ(d.requests, 16u) << i;     // one GetStream per block (n = 1)
        EXPECT_EQ(d.blocksReceived, 16u) << i;
        EXPECT_EQ(d.image, JobsImageState::Accepted) << i;
        const DeviceStatus st = f.status(i);
        EXPECT_EQ(st.pieces.total, 16);
        EXPECT_EQ(std::count(st.pieces.state.begin(), st.pieces.state.end(), std::uint8_t(PieceMap::Received)), 16);
        EXPECT_GT(st.energyJ, st.updateEnergyJ);
        EXPECT_GT(st.updateEnergyJ, 0.0);
    }
    for (const DeviceResult& d : r.result().devices) {
        EXPECT_EQ(d.bytesReceived, 64u * 1024u);
        EXPECT_EQ(d.versionAfter, QStringLiteral("2.0.0"));
        ASSERT_TRUE(d.startS && d.finishS);
        EXPECT_GE(*d.startS, 10.0);
    }
}

TEST(JobsFleet, PsmDelaysTheFirstRequestUntilTheWake)
{
    JobsFleetConfig c = smallFleet(0, 6);
    c.devices[0].psm = JobsPsmConfig{600.0, 10.0};
    JobsRun r(c);
    ASSERT_TRUE(r.run());
    const JobsFleet& f = r.fleet();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 6);
    const JobsGroup& g = f.groups()[0];
    ASSERT_TRUE(g.power.psmTau.has_value());
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        const JobsDevice& d = f.device(i);
        // Asleep in PSM at t = 10 s: it hears the held notify-next only at its next TAU.
        const std::int64_t tau = g.power.psmTau->nanos();
        std::int64_t wake = d.wakePhaseNs;
        while (wake < SimTime::fromSecondsInt(10).nanos() + d.link.latencyNs)
            wake += tau;
        EXPECT_GE(d.startedAt.nanos(), wake) << i;
        EXPECT_LT(d.startedAt.nanos(), wake + SimTime::fromSecondsInt(5).nanos()) << i;
    }
}

TEST(JobsFleet, BadImageRollsBackAndBadSignatureIsRefused)
{
    JobsFleetConfig c = smallFleet(20, 0);
    c.faults.badImageShare = 0.1;
    c.faults.badSignatureShare = 0.05;
    JobsRun r(c);
    ASSERT_TRUE(r.run());
    EXPECT_EQ(r.count(DeviceOutcome::RolledBack), 2);
    EXPECT_EQ(r.count(DeviceOutcome::Refused), 1);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 17);
    for (const DeviceResult& d : r.result().devices) {
        if (d.outcome == DeviceOutcome::RolledBack) {
            EXPECT_TRUE(d.failureReason.contains(QStringLiteral("self-test"))) << d.failureReason.toStdString();
            EXPECT_EQ(d.versionAfter, QStringLiteral("1.0.0"));
        }
        if (d.outcome == DeviceOutcome::Refused)
            EXPECT_TRUE(d.failureReason.contains(QStringLiteral("0xe3"))) << d.failureReason.toStdString();
    }
    for (std::size_t i = 0; i < r.fleet().deviceCount(); ++i)
        if (r.fleet().device(i).badImage)
            EXPECT_EQ(r.fleet().device(i).image, JobsImageState::Rejected);
}

TEST(JobsFleet, ResumeAfterDisconnectRequestsOnlyMissingBlocks)
{
    JobsFleetConfig c = smallFleet(0, 8);
    c.image.sizeBytes = 256 * 1024;   // 64 blocks, about 20 s each on LTE-M
    c.faults.disconnectsPerHour = 240;
    c.faults.reconnectS = 3;
    JobsRun r(c);
    ASSERT_TRUE(r.run());
    const JobsFleet& f = r.fleet();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 8);
    int dropped = 0;
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        const JobsDevice& d = f.device(i);
        dropped += d.disconnects > 0;
        EXPECT_EQ(d.duplicates, 0u) << i;
        EXPECT_EQ(d.blocksReceived, 64u) << i;
        // Each disconnect costs at most the one request in flight: the resume asks only
        // for missing blocks.
        EXPECT_LE(d.requests, 64u + d.disconnects) << i;
    }
    EXPECT_GT(dropped, 3);
}

TEST(JobsFleet, LossCostsRequestTimersAndMomentumAborts)
{
    JobsFleetConfig c = smallFleet(10, 0);
    c.devices[0].lossPercent = 20.0;
    JobsRun lossy(c);
    ASSERT_TRUE(lossy.run());
    EXPECT_EQ(lossy.count(DeviceOutcome::Upgraded), 10);
    EXPECT_GT(lossy.fleet().service().requestsRetried, 0u);

    c.devices[0].lossPercent = 90.0;
    c.agent.maxRequestMomentum = 3;
    JobsRun hopeless(c);
    ASSERT_TRUE(hopeless.run());
    EXPECT_GT(hopeless.count(DeviceOutcome::Failed), 0);
    for (const DeviceResult& d : hopeless.result().devices)
        if (d.outcome == DeviceOutcome::Failed)
            EXPECT_TRUE(d.failureReason.contains(QStringLiteral("unanswered"))) << d.failureReason.toStdString();
}

TEST(JobsFleet, TheCoreAgentLivesOnlyWhileTheJobRuns)
{
    JobsFleetConfig c = smallFleet(0, 3);
    JobsRun r(c);
    EXPECT_FALSE(r.runUntil(16.0));   // LTE-M: notified at 10 s, 16 blocks take ~6 s after the erase
    const JobsFleet& f = r.fleet();
    int downloading = 0;
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        if (f.device(i).step != JobsStep::Receiving)
            continue;
        ++downloading;
        const auto* agent = f.agentOf(i);
        ASSERT_NE(agent, nullptr);
        EXPECT_EQ(agent->state(), otalab::core::awsota::OtaState::WaitingForFileBlock);
        EXPECT_EQ(agent->activeJobId(), f.document().jobId);
        EXPECT_EQ(agent->blocksReceived(), f.device(i).blocksReceived);
        EXPECT_EQ(f.status(i).pieces.total, 16);
    }
    EXPECT_GT(downloading, 0);
    ASSERT_TRUE(r.run());
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        EXPECT_EQ(f.agentOf(i), nullptr) << i;   // freed with the execution
        EXPECT_EQ(f.device(i).agentState, std::uint8_t(otalab::core::awsota::OtaState::WaitingForJob)) << i;
    }
}

TEST(JobsFleet, SameSeedSameFingerprint)
{
    JobsFleetConfig c = smallFleet(30, 20);
    c.devices[0].lossPercent = 2.0;
    c.faults.badImageShare = 0.05;
    c.faults.disconnectsPerHour = 30;
    JobsRun a(c, 11), b(c, 11), other(c, 12);
    ASSERT_TRUE(a.run() && b.run() && other.run());
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    EXPECT_NE(a.fingerprint(), other.fingerprint());
    EXPECT_EQ(a.result().endTimeS, b.result().endTimeS);
}

TEST(JobsFleet, MachinesDescribeEveryStateTheStatusReports)
{
    JobsRun r(smallFleet(2, 1));
    ASSERT_TRUE(r.run());
    const auto machines = r.fleet().machines();
    ASSERT_EQ(machines.size(), 3u);
    for (const MachineDescription& m : machines)
        EXPECT_EQ(m.states.size(), qsizetype(m.phaseOfState.size())) << m.name.toStdString();
    const DeviceStatus st = r.fleet().status(0);
    ASSERT_EQ(st.machineStates.size(), 3u);
    for (const auto& [machine, state] : st.machineStates) {
        const auto it = std::find_if(machines.begin(), machines.end(), [&](const MachineDescription& m) { return m.id == machine; });
        ASSERT_NE(it, machines.end());
        EXPECT_LT(int(state), int(it->states.size()));
    }
}

} // namespace
