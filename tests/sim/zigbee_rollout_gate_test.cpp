// SPDX-License-Identifier: Apache-2.0
// The Zigbee family under a rollout policy (Fleet's rollout hooks, driven by hand): held
// devices are answered NO_IMAGE_AVAILABLE and never start, released ones upgrade, a stopped
// download ends Failed, a retried device upgrades, a unicast Image Notify brings a released
// router at once, and a fleet never held runs exactly as before.
#include "zigbee_ota_test_support.h"

#include "sim/fleet/families.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/tracewriter.h"
#include "sim/zigbee/otaserverhost.h"
#include "sim/zigbee/zigbeefleet.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>

namespace otalab::sim {
namespace {

class PhaseLog final : public FleetListener {
public:
    void onDevicePhase(Fleet&, std::size_t device, FleetPhase, FleetPhase to) override
    {
        ++changes;
        if (to == FleetPhase::Downloading && !firstDownload[device])
            firstDownload[device] = true;
    }
    int changes = 0;
    std::array<bool, 64> firstDownload{};
};

struct Bench {
    explicit Bench(const RolloutConfig& config)
    {
        sim.setSeed(config.seed);
        sim.addObserver(&trace);
        FleetBuildContext ctx{sim, 0, &log, {}, {}, config.seed};
        auto built = buildZigbeeFleet(config, ctx);
        EXPECT_TRUE(built) << (built ? std::string() : built.error().toString().toStdString());
        fleet = std::move(*built);
    }
    ~Bench() { fleet.reset(); }
    ZigbeeFleet& zigbee() { return static_cast<ZigbeeFleet&>(*fleet); }
    void runUntilS(double s) { sim.runUntil(SimTime::fromSeconds(s)); }
    std::vector<DeviceResult> results() const
    {
        std::vector<DeviceResult> out;
        fleet->appendResults(out);
        return out;
    }

    Simulator sim;
    TraceWriter trace;
    PhaseLog log;
    std::unique_ptr<Fleet> fleet;
};

RolloutConfig starter()
{
    RolloutConfig c = test::starterConfig(8 * 1024);
    c.client.queryPeriodMs = 120'000;
    return c;
}

TEST(ZigbeeRolloutGate, SupportsGateStopAndRetry)
{
    Bench b(starter());
    const auto s = b.fleet->rolloutSupport();
    EXPECT_TRUE(s.gate);
    EXPECT_TRUE(s.stop);
    EXPECT_TRUE(s.retry);
    EXPECT_TRUE(s.how.contains(QStringLiteral("NO_IMAGE_AVAILABLE")));
}

TEST(ZigbeeRolloutGate, HeldDevicesKeepQueryingAndNeverStart)
{
    Bench b(starter());
    b.fleet->holdForRollout();
    b.fleet->start();
    b.runUntilS(3 * 3600.0);
    for (std::size_t i = 0; i < b.fleet->deviceCount(); ++i) {
        EXPECT_EQ(b.fleet->phase(i), FleetPhase::Waiting) << i;
        EXPECT_FALSE(b.zigbee().devices()[i]->progress().start) << i;
    }
    // 6 devices, one query every 120 s for 3 h: about 90 each, all answered for the gate.
    EXPECT_GT(b.zigbee().serverHost().gatedAnswers(), 6u * 80);
    EXPECT_EQ(b.zigbee().serverHost().server().activeDownloads(), 0);
    bool rolloutRow = false;
    for (const NamedValue& row : b.fleet->status(0).attributes)
        rolloutRow |= row.name == QStringLiteral("Rollout") && row.value.startsWith(QStringLiteral("queued"));
    EXPECT_TRUE(rolloutRow);
    for (const DeviceResult& r : b.results())
        EXPECT_EQ(r.outcome, DeviceOutcome::NotStarted) << r.name.toStdString();
}

TEST(ZigbeeRolloutGate, ReleasedDevicesUpgradeOthersStayQueued)
{
    Bench b(starter());
    b.fleet->holdForRollout();
    b.fleet->start();
    b.runUntilS(600.0);  // several gated queries each
    b.fleet->releaseDevices({1, 3});
    b.runUntilS(4 * 3600.0);
    for (std::size_t i = 0; i < b.fleet->deviceCount(); ++i) {
        const bool released = i == 1 || i == 3;
        EXPECT_EQ(b.fleet->phase(i), released ? FleetPhase::Upgraded : FleetPhase::Waiting) << i;
        if (released) {
            // Released at 600 s: the next query (within one query period) gets the offer.
            ASSERT_TRUE(b.zigbee().devices()[i]->progress().start);
            EXPECT_GE(b.zigbee().devices()[i]->progress().start->toSeconds(), 600.0);
            EXPECT_LE(b.zigbee().devices()[i]->progress().start->toSeconds(), 600.0 + 121.0);
        }
    }
}

TEST(ZigbeeRolloutGate, StoppedDownloadEndsFailedAndStoppedQueuedDeviceNeverStarts)
{
    RolloutConfig c = starter();
    c.images.front().sizeBytes = 64 * 1024;  // long enough to stop it midway
    Bench b(c);
    b.fleet->holdForRollout();
    b.fleet->start();
    b.fleet->releaseDevices({0});
    while (b.fleet->phase(0) != FleetPhase::Downloading && b.sim.now() < SimTime::fromSecondsInt(3600))
        b.sim.runUntil(b.sim.now() + SimTime::fromSecondsInt(1));
    ASSERT_EQ(b.fleet->phase(0), FleetPhase::Downloading);
    b.runUntilS(b.sim.now().toSeconds() + 60.0);
    ASSERT_EQ(b.fleet->phase(0), FleetPhase::Downloading);
    b.fleet->stopDevices({0, 2});
    b.runUntilS(3 * 3600.0);
    EXPECT_EQ(b.fleet->phase(0), FleetPhase::Failed);
    const DeviceStatus st = b.fleet->status(0);
    EXPECT_TRUE(st.failureReason.contains(QStringLiteral("ABORT"))) << st.failureReason.toStdString();
    EXPECT_TRUE(st.failureReason.contains(QStringLiteral("rollout ended"))) << st.failureReason.toStdString();
    EXPECT_EQ(b.fleet->phase(2), FleetPhase::Waiting);
    EXPECT_FALSE(b.zigbee().devices()[2]->progress().start);
    // The server forgot the stopped session at its session timeout: no download slot held.
    EXPECT_EQ(b.zigbee().serverHost().server().activeDownloads(), 0);
}

TEST(ZigbeeRolloutGate, RetryOfAFailedDeviceUpgrades)
{
    RolloutConfig c = starter();
    c.images.front().sizeBytes = 64 * 1024;
    Bench b(c);
    b.fleet->holdForRollout();
    b.fleet->start();
    b.fleet->releaseDevices({0});
    while (b.fleet->phase(0) != FleetPhase::Downloading && b.sim.now() < SimTime::fromSecondsInt(3600))
        b.sim.runUntil(b.sim.now() + SimTime::fromSecondsInt(1));
    b.fleet->stopDevices({0});
    b.runUntilS(b.sim.now().toSeconds() + 600.0);
    ASSERT_EQ(b.fleet->phase(0), FleetPhase::Failed);
    const double retryAt = b.sim.now().toSeconds();
    b.fleet->releaseDevices({0});  // a retry: a new execution
    EXPECT_EQ(b.fleet->phase(0), FleetPhase::Waiting);
    b.runUntilS(retryAt + 3 * 3600.0);
    EXPECT_EQ(b.fleet->phase(0), FleetPhase::Upgraded);
    EXPECT_EQ(b.fleet->status(0).version, QStringLiteral("0x00000002"));
}

TEST(ZigbeeRolloutGate, UnicastNotifyBringsAReleasedRouterAtOnce)
{
    RolloutConfig c = starter();
    c.client.includeRouters = true;
    c.client.queryPeriodMs = 3'600'000;  // hourly queries: only the notify explains a quick start
    c.client.firstQueryJitterMs = 10'000;
    c.server.notify = ServerConfig::Notify::Unicast;
    c.server.notifyAtS = 1.0;
    Bench b(c);
    b.fleet->holdForRollout();
    b.fleet->start();
    b.runUntilS(120.0);
    std::size_t router = b.fleet->deviceCount();
    for (std::size_t i = 0; i < b.fleet->deviceCount(); ++i) {
        if (b.fleet->status(i).attributes[1].value == QStringLiteral("router"))
            router = i;
    }
    ASSERT_LT(router, b.fleet->deviceCount());
    // The scenario's notify at 1 s went to nobody (all held): nobody downloads.
    for (std::size_t i = 0; i < b.fleet->deviceCount(); ++i)
        EXPECT_FALSE(b.zigbee().devices()[i]->progress().start) << i;
    b.fleet->releaseDevices({router});
    b.runUntilS(130.0);
    ASSERT_TRUE(b.zigbee().devices()[router]->progress().start);
    EXPECT_LT(b.zigbee().devices()[router]->progress().start->toSeconds(), 125.0);
}

TEST(ZigbeeRolloutGate, NeverHeldRunsAsBefore)
{
    // Nothing of the gate is armed without holdForRollout(): same trace as a fleet whose
    // hooks were never touched (the bundled fingerprints pin the absolute values).
    RolloutConfig c = starter();
    Bench a(c);
    a.fleet->start();
    a.runUntilS(3600.0);
    Bench b(c);
    (void)b.fleet->rolloutSupport();
    b.fleet->start();
    b.runUntilS(3600.0);
    EXPECT_EQ(a.trace.fingerprint(), b.trace.fingerprint());
    EXPECT_EQ(a.zigbee().serverHost().gatedAnswers(), 0u);
    for (std::size_t i = 0; i < a.fleet->deviceCount(); ++i)
        EXPECT_EQ(a.fleet->phase(i), FleetPhase::Upgraded) << i;
}

} // namespace
} // namespace otalab::sim
