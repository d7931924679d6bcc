// SPDX-License-Identifier: Apache-2.0
// Address filtering (MacConfig::addressFiltering): an overhearing radio drops a frame
// addressed elsewhere 13 octets (416 µs) after its start, but still senses its energy.
#include "radio_test_support.h"

#include "sim/energy/deviceenergy.h"
#include "sim/energy/devicepreset.h"
#include "sim/radio/phytiming.h"
#include "sim/radio/radiochannel.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

class EventCounter final : public SimObserver {
public:
    void onEventExecuted(const Event&) override { ++events; }
    std::uint64_t events = 0;
};

MacConfig filtering(MacConfig c, bool on)
{
    c.addressFiltering = on;
    return c;
}

// A (0) sends one unicast frame (100-byte payload, no ACK, no CSMA: 0 .. 3.744 ms) to
// B (1); C (2) and D (3) are listening routers that overhear it. Optionally C starts
// a CSMA frame at 1 ms and D an immediate broadcast at 2 ms.
struct Overhearing {
    explicit Overhearing(bool filter, bool cSends = false, bool dBroadcasts = false)
    {
        sim.setSeed(7);
        sim.addObserver(&log);
        sim.addObserver(&counter);
        a = std::make_unique<Mac>(sim, channel, 0, 0x0000, filtering(immediateConfig(), filter));
        b = std::make_unique<Mac>(sim, channel, 1, 0x0001, filtering(MacConfig{}, filter));
        c = std::make_unique<Mac>(sim, channel, 2, 0x0002, filtering(MacConfig{}, filter));
        d = std::make_unique<Mac>(sim, channel, 3, 0x0003, filtering(immediateConfig(), filter));
        b->setUpper(&ub);
        c->setUpper(&uc);
        b->setEnergy(&eb);
        c->setEnergy(&ec);
        EXPECT_TRUE(a->send(payloadOf(100), 0x0001, false));
        if (cSends) {
            sim.runUntil(SimTime::fromMillis(1));
            EXPECT_TRUE(c->send(payloadOf(10), 0x0000, false));
        }
        if (dBroadcasts) {
            sim.runUntil(SimTime::fromMillis(2));
            EXPECT_TRUE(d->send(payloadOf(10), 0xFFFF, false));
        }
        sim.runUntil(SimTime::fromMillis(20));
        eb.flush(sim);
        ec.flush(sim);
    }
    SimTime rxTime(const DeviceEnergy& e) const { return e.radio().timeIn(static_cast<std::uint16_t>(RadioState::Rx)); }

    Simulator sim;
    FrameLog log;
    EventCounter counter;
    RadioChannel channel{RadioChannel::Config{}};
    std::unique_ptr<Mac> a, b, c, d;
    RecordingUpper ub, uc;
    DeviceEnergy eb{1, DevicePreset::efr32mg24()};
    DeviceEnergy ec{2, DevicePreset::efr32mg24()};
};

} // namespace

TEST(RadioAddressFilter, OverhearerStopsReceivingAfterTheAddressFields)
{
    const SimTime frame = PhyTiming::airtime(MacFrame::kOverheadBytes + 100); // 3.744 ms
    Overhearing off(false);
    Overhearing on(true);
    // Without filtering the overhearing router receives the whole frame; with it, only
    // SHR + PHR + FCF + DSN + PAN + dst = 13 octets.
    EXPECT_EQ(off.rxTime(off.ec), frame);
    EXPECT_EQ(on.rxTime(on.ec), SimTime::fromMicros(416));
    // Rx-state energy drops by the same ratio. (The built-in presets draw the RX current
    // while listening too, so the radio's total stays the same on them.)
    const auto rx = static_cast<std::uint16_t>(RadioState::Rx);
    EXPECT_NEAR(on.ec.radio().energyJoulesIn(rx) / off.ec.radio().energyJoulesIn(rx), 416.0 / 3744.0, 1e-9);
    EXPECT_DOUBLE_EQ(on.ec.energyJoules(), off.ec.energyJoules());
    EXPECT_EQ(on.c->radioState(), RadioState::Idle);
    // The addressed receiver still gets it, for its whole airtime.
    EXPECT_EQ(on.rxTime(on.eb), frame);
    ASSERT_EQ(on.ub.received.size(), 1u);
    EXPECT_EQ(on.log.count(FrameFate::Delivered, 1), 1u);
    EXPECT_TRUE(on.uc.received.empty());
    // One extra event for the frame (not one per overhearer: C and D both filter it).
    EXPECT_EQ(on.counter.events, off.counter.events + 1);
}

TEST(RadioAddressFilter, FilteredFrameStillMakesCcaBusy)
{
    // C drops A's frame at 416 µs, then wants to send at 1 ms: its CCA still sees A's
    // energy, so it backs off and goes on air only after A's frame has ended.
    Overhearing on(true, /*cSends=*/true);
    ASSERT_EQ(on.uc.completed.size(), 1u);
    EXPECT_EQ(on.uc.completed[0].result.status, MacStatus::Success);
    EXPECT_GE(on.uc.completed[0].result.busyCcas, 1);
    EXPECT_EQ(on.log.count(FrameFate::Collided), 0u);
    ASSERT_EQ(on.log.entries.size(), 4u); // A Transmitted, B Delivered, C Transmitted, A Delivered
    EXPECT_EQ(on.log.entries[2].src, 2u);
    EXPECT_GE(on.log.entries[2].time, PhyTiming::airtime(MacFrame::kOverheadBytes + 100));
}

TEST(RadioAddressFilter, OverlapStillCollidesAndFramesAreUnchanged)
{
    // D's broadcast at 2 ms overlaps A's frame: at C (which dropped A's frame) it still
    // collides — no capture — and every frame record is the same as without filtering.
    Overhearing off(false, false, /*dBroadcasts=*/true);
    Overhearing on(true, false, /*dBroadcasts=*/true);
    EXPECT_GE(on.log.count(FrameFate::Collided, 2), 1u);
    ASSERT_EQ(on.log.entries.size(), off.log.entries.size());
    for (std::size_t i = 0; i < on.log.entries.size(); ++i) {
        const FrameLog::Entry& x = on.log.entries[i];
        const FrameLog::Entry& y = off.log.entries[i];
        EXPECT_EQ(x.time, y.time) << i;
        EXPECT_EQ(x.src, y.src) << i;
        EXPECT_EQ(x.dst, y.dst) << i;
        EXPECT_EQ(x.fate, y.fate) << i;
        EXPECT_EQ(x.bytes, y.bytes) << i;
    }
    // C sensed D's frame while A's energy was still on (Idle after the filter, no lock).
    EXPECT_LT(on.rxTime(on.ec), off.rxTime(off.ec));
}

TEST(RadioAddressFilter, BroadcastsAndShortFramesAreReceivedToTheEnd)
{
    // A broadcast is addressed to every hearer: nothing is filtered, no extra event.
    for (const bool filter : {false, true}) {
        Simulator sim;
        EventCounter counter;
        sim.addObserver(&counter);
        RadioChannel channel{RadioChannel::Config{}};
        Mac a(sim, channel, 0, 0x0000, filtering(immediateConfig(), filter));
        Mac c(sim, channel, 2, 0x0002, filtering(MacConfig{}, filter));
        DeviceEnergy ec(2, DevicePreset::efr32mg24());
        c.setEnergy(&ec);
        ASSERT_TRUE(a.send(payloadOf(50), 0xFFFF, false));
        sim.run();
        ec.flush(sim);
        EXPECT_EQ(ec.radio().timeIn(static_cast<std::uint16_t>(RadioState::Rx)),
                  PhyTiming::airtime(MacFrame::kOverheadBytes + 50));
        EXPECT_EQ(counter.events, 1u); // the frame's end only
    }
}
