// SPDX-License-Identifier: Apache-2.0
// The Zigbee family through the neutral Fleet contract: phases, status, results.
#include "zigbee_ota_test_support.h"

#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simulator.h"
#include "sim/zigbee/zigbeefleet.h"

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

std::unique_ptr<FleetRun> build(const RolloutConfig& config)
{
    auto run = FleetRun::build(ScenarioConfig::fromRollout(config));
    EXPECT_TRUE(run) << (run ? "" : run.error().toString().toStdString());
    return run ? std::move(*run) : nullptr;
}

} // namespace

// Devices the server holds back with WAIT_FOR_DATA are waiting, not downloading: with one
// download at a time, never more than one device is Downloading, and others wait.
TEST(FleetZigbeeStatus, DevicesHeldBackByTheServerAreWaiting)
{
    RolloutConfig c = otalab::sim::test::starterConfig(8 * 1024);
    c.server.maxConcurrentDownloads = 1;
    c.client.firstQueryJitterMs = 1'000;
    auto run = build(c);
    ASSERT_TRUE(run);
    int maxDownloading = 0;
    bool sawHeldBack = false;
    run->setProgressCallback([&](const FleetSample& s) {
        maxDownloading = std::max(maxDownloading, s.downloading);
        sawHeldBack = sawHeldBack || (s.downloading == 1 && s.waiting > 0);
    });
    run->run();
    EXPECT_EQ(maxDownloading, 1);
    EXPECT_TRUE(sawHeldBack);
    const RunResult r = run->result();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), int(r.devices.size()));
}

// A device that failed keeps the bytes it stored, in its status and its result, with the
// reason in words and the time it failed.
TEST(FleetZigbeeStatus, AFailedDeviceKeepsItsBytesReasonAndTime)
{
    RolloutConfig c = otalab::sim::test::starterConfig(8 * 1024);
    c.images.front().corruptOffsets = {4000};
    c.client.maxAttempts = 1;
    auto run = build(c);
    ASSERT_TRUE(run);
    run->run();
    Fleet& fleet = *run->fleets().front();
    ASSERT_GT(fleet.deviceCount(), 0u);
    for (std::size_t d = 0; d < fleet.deviceCount(); ++d) {
        EXPECT_EQ(fleet.phase(d), FleetPhase::Failed);
        const DeviceStatus s = fleet.status(d);
        EXPECT_GE(s.bytesReceived, 8u * 1024u) << "device " << d;
        EXPECT_TRUE(s.failureReason.contains(QStringLiteral("INVALID_IMAGE"))) << s.failureReason.toStdString();
        ASSERT_TRUE(s.failedAtS.has_value());
        EXPECT_NEAR(*s.failedAtS, s.phaseSinceS, 1e-9);
        EXPECT_EQ(fleet.figures(d).bytesReceived, s.bytesReceived);
    }
    const RunResult r = run->result();
    for (const DeviceResult& d : r.devices) {
        EXPECT_EQ(d.outcome, DeviceOutcome::Failed);
        EXPECT_GE(d.bytesReceived, 8u * 1024u);
        EXPECT_TRUE(d.failedAtS.has_value());
        EXPECT_EQ(d.family, QStringLiteral("zigbee"));
    }
}

// The machines a view draws are consistent: every transition names existing states, each
// state has a phase, and the status reports a state of each machine.
TEST(FleetZigbeeStatus, MachineDescriptionsAreConsistent)
{
    auto run = build(otalab::sim::test::starterConfig(4 * 1024));
    ASSERT_TRUE(run);
    Fleet& fleet = *run->fleets().front();
    const auto machines = fleet.machines();
    ASSERT_EQ(machines.size(), 2u);
    for (const MachineDescription& m : machines) {
        EXPECT_EQ(m.phaseOfState.size(), std::size_t(m.states.size())) << m.name.toStdString();
        for (const MachineTransition& t : m.transitions) {
            EXPECT_GE(t.from, MachineTransition::kMachineStart);
            EXPECT_LT(t.from, int(m.states.size()));
            EXPECT_GE(t.to, 0);
            EXPECT_LT(t.to, int(m.states.size()));
        }
    }
    const DeviceStatus s = fleet.status(0);
    ASSERT_EQ(s.machineStates.size(), machines.size());
    for (std::size_t i = 0; i < machines.size(); ++i)
        EXPECT_EQ(s.machineStates[i].first, machines[i].id);
}
