// SPDX-License-Identifier: Apache-2.0
// Determinism of the bundled scenarios: each one's trace fingerprint over a fixed stretch
// of virtual time is pinned, and two runs of the same scenario and seed agree.
//
// A changed fingerprint means the event trace changed. When that is intended (a model
// change), re-pin the values below and say why in the commit; when it is not, the change
// broke determinism or altered behaviour by accident.
#include "sim/zigbee/rollout.h"
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>

namespace {

using namespace otalab::sim;

struct Pinned {
    const char* file;
    double untilS;             // virtual seconds run (a prefix of the bundled run)
    std::uint64_t fingerprint; // TraceWriter fingerprint after untilS
    // TraceWriter::modelFingerprint (frames, state changes, energy; no events) after
    // untilS, 0 = not pinned. An optimisation that removes unobservable events changes
    // `fingerprint` but must leave this one alone.
    std::uint64_t modelFingerprint = 0;
};

void PrintTo(const Pinned& p, std::ostream* os)
{
    *os << p.file << " until " << p.untilS << " s";
}

std::uint64_t fingerprintOf(const QString& file, double untilS, std::uint64_t* events = nullptr,
                            std::uint64_t* model = nullptr)
{
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + file);
    EXPECT_TRUE(config.has_value()) << (config ? "" : qPrintable(config.error().toString()));
    if (!config)
        return 0;
    auto rollout = FleetRun::build(*config);
    EXPECT_TRUE(rollout.has_value());
    if (!rollout)
        return 0;
    (*rollout)->runUntil(untilS);
    if (events)
        *events = (*rollout)->simulator().eventsExecuted();
    if (model)
        *model = (*rollout)->modelFingerprint();
    return (*rollout)->traceFingerprint();
}

// Prefixes short enough for the unit-test budget; the whole runs are in tests/bench.
const Pinned kPinned[] = {
    {"starter.json", 600.0, 0x7528740e64a5beeeull, 0x085a925ec9805306ull},
    {"campus.json", 3600.0, 0x0ae0450618790bcfull, 0x26b7e541fefc4004ull},
    {"city.json", 1800.0, 0xcd754f9f6ee51b5dull, 0xec7cae18bfc8cb76ull},
    {"stall-repro.json", 600.0, 0x44c2e3606e36ac4dull, 0x60ae4d25241f809bull},
    {"smp-ble-gateway.json", 300.0, 0x8559992620f569a3ull},
    {"smp-udp-fleet.json", 120.0, 0x794b6604607e3939ull},
    // The LoRa demo whole (0.1 s); the city and the national rollout run in tests/bench.
    {"lorawan-demo.json", 172800.0, 0x7cb34eaab0c4fcdbull},
    {"lorawan-water-meters.json", 36000.0, 0x7e12dc1e6abc9616ull},  // story 6, its first 10 h (setup by hourly uplinks)
    {"jobs-rollout.json", 300.0, 0xf3ca64f8099abf57ull},  // its first 5 min: the exponential ramp, core OtaAgents downloading (job id from the rollout section since issue 13 closed: shorter update topics)
};

class BundledScenarioFingerprint : public ::testing::TestWithParam<Pinned> {};

TEST_P(BundledScenarioFingerprint, MatchesThePinnedValue)
{
    const Pinned& p = GetParam();
    std::uint64_t events = 0;
    std::uint64_t model = 0;
    const std::uint64_t got = fingerprintOf(QString::fromLatin1(p.file), p.untilS, &events, &model);
    EXPECT_GT(events, 1000u) << p.file << ": the prefix should exercise the network";
    EXPECT_EQ(got, p.fingerprint) << p.file << " until " << p.untilS << " s: fingerprint 0x" << std::hex << got;
    if (p.modelFingerprint != 0)
        EXPECT_EQ(model, p.modelFingerprint) << p.file << " until " << p.untilS << " s: model fingerprint 0x" << std::hex << model;
}

INSTANTIATE_TEST_SUITE_P(Bundled, BundledScenarioFingerprint, ::testing::ValuesIn(kPinned),
                         [](const ::testing::TestParamInfo<Pinned>& info) {
                             std::string name = info.param.file;
                             name = name.substr(0, name.find('.'));
                             name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                             return name;
                         });

TEST(BundledScenarioFingerprint, SameSeedSameTraceOtherSeedDifferent)
{
    auto config = loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    ASSERT_TRUE(config.has_value());
    auto run = [&](std::uint64_t seed) {
        RolloutConfig c = *config;
        c.seed = seed;
        auto rollout = Rollout::build(c);
        EXPECT_TRUE(rollout.has_value());
        (*rollout)->runUntil(300.0);
        return (*rollout)->traceFingerprint();
    };
    EXPECT_EQ(run(7), run(7));
    EXPECT_NE(run(7), run(8));
}

} // namespace
