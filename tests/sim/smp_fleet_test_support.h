// SPDX-License-Identifier: Apache-2.0
// Helpers for the SMP fleet tests: a Simulator with one SmpFleet, a phase recorder that stops
// the run when every board is in a final phase, and small fleet configurations.
#pragma once

#include "sim/fleet/fleet.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/tracewriter.h"
#include "sim/smp/smpfleet.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>

namespace otalab::test::smpfleet {

// Counts phases as the fleet reports them; stops the simulator once every device is final.
class PhaseRecorder final : public sim::FleetListener {
public:
    explicit PhaseRecorder(sim::Simulator& sim) : m_sim(sim) {}

    void onDevicePhase(sim::Fleet& fleet, std::size_t, sim::FleetPhase from, sim::FleetPhase to) override
    {
        ++changes;
        if (from == to)
            ++repeats;
        if (sim::isFinalPhase(from))
            ++leftFinal;
        ++entered[std::size_t(to)];
        if (from == sim::FleetPhase::Downloading)
            --downloading;
        if (to == sim::FleetPhase::Downloading)
            maxDownloading = std::max(maxDownloading, ++downloading);
        if (sim::isActivePhase(from) && !sim::isActivePhase(to))
            --active;
        if (!sim::isActivePhase(from) && sim::isActivePhase(to))
            maxActive = std::max(maxActive, ++active);
        if (sim::isFinalPhase(to) && ++finished == int(fleet.deviceCount()))
            m_sim.stop();
    }

    int changes = 0;
    int repeats = 0;     // from == to: must stay 0
    int leftFinal = 0;   // a device left a final phase: must stay 0
    int downloading = 0;
    int maxDownloading = 0;
    int active = 0;
    int maxActive = 0;
    int finished = 0;
    std::array<int, sim::kFleetPhaseCount> entered{};

private:
    sim::Simulator& m_sim;
};

// One SMP fleet on its own simulator, with a fingerprinting TraceWriter attached.
struct FleetBench {
    explicit FleetBench(const sim::SmpFleetConfig& config, std::uint64_t seed = 1) : recorder(sim)
    {
        sim.setSeed(seed);
        sim.addObserver(&trace);
        sim::FleetBuildContext ctx{sim, 0, &recorder, {}, QStringLiteral("$.fleets[0]"), seed};
        auto built = sim::buildSmpFleet(config, ctx);
        EXPECT_TRUE(built) << (built ? std::string() : built.error().toString().toStdString());
        if (built)
            fleet = std::move(*built);
    }
    ~FleetBench() { fleet.reset(); }

    // Runs until every board is final (the recorder stops the run) or `limit` of virtual time.
    bool run(sim::SimTime limit = sim::SimTime::fromSecondsInt(24 * 3600))
    {
        if (!fleet)
            return false;
        fleet->start();
        sim.runUntil(limit);
        return recorder.finished == int(fleet->deviceCount());
    }
    sim::SmpFleet& smp() { return static_cast<sim::SmpFleet&>(*fleet); }
    std::vector<sim::DeviceResult> results() const
    {
        std::vector<sim::DeviceResult> out;
        fleet->appendResults(out);
        return out;
    }
    int count(sim::DeviceOutcome outcome) const
    {
        int n = 0;
        for (const auto& r : results())
            n += r.outcome == outcome;
        return n;
    }

    sim::Simulator sim;
    sim::TraceWriter trace;
    PhaseRecorder recorder;
    std::unique_ptr<sim::Fleet> fleet;
};

// A small BLE fleet: `boards` boards, 3 gateway connections, a 24 KiB image.
inline sim::SmpFleetConfig smallBle(int boards = 8)
{
    sim::SmpFleetConfig c;
    c.link = sim::SmpFleetConfig::Link::Ble;
    c.ble.gatewayConnections = 3;
    c.image.sizeBytes = 24 * 1024;
    c.boards.count = boards;
    return c;
}

// A small UDP fleet: `boards` boards, 4 at a time, a 24 KiB image over a 1 Mbit/s path.
inline sim::SmpFleetConfig smallUdp(int boards = 8)
{
    sim::SmpFleetConfig c;
    c.link = sim::SmpFleetConfig::Link::Udp;
    c.udp.concurrency = 4;
    c.udp.link.bitRate = 1e6;
    c.image.sizeBytes = 24 * 1024;
    c.boards.count = boards;
    return c;
}

inline const sim::NamedValue* attribute(const sim::DeviceStatus& status, const QString& name)
{
    for (const auto& row : status.attributes)
        if (row.name == name)
            return &row;
    return nullptr;
}

} // namespace otalab::test::smpfleet
