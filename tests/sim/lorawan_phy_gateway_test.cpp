// SPDX-License-Identifier: Apache-2.0
// GatewayReceiver: demodulator limit, half-duplex, same-channel same-SF collisions with
// capture, quasi-orthogonal SFs, sensitivity and packet errors.
#include "sim/lorawan/gatewayreceiver.h"
#include "sim/lorawan/loraradio.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace otalab::sim::lorawan {
namespace {

constexpr std::uint32_t kCh1 = 868'100'000;
constexpr std::uint32_t kCh2 = 868'300'000;

// A strong SF7 uplink (SNR 10 dB: PER 0) of 20 bytes starting at `startMs`.
Uplink uplink(std::int64_t startMs, std::uint32_t freq = kCh1, int sf = 7, double rssi = -100.0, int bytes = 20)
{
    Uplink u;
    u.start = SimTime::fromMillis(startMs);
    u.airtime = timeOnAir(LoraModulation::uplink(sf, 125'000), bytes);
    u.frequencyHz = freq;
    u.spreadingFactor = sf;
    u.rssiDbm = rssi;
    u.snrDb = rssi + 117.0; // noise floor ≈ −117 dBm at 125 kHz
    u.payloadBytes = bytes;
    return u;
}

GatewayReceiver makeReceiver(GatewayReceiverOptions options = {})
{
    return GatewayReceiver(RandomStream(1, NodeId{0}, 0), options);
}

TEST(LorawanPhyGateway, LonePacketIsReceived)
{
    GatewayReceiver gw = makeReceiver();
    const int id = gw.beginReception(uplink(0));
    EXPECT_EQ(gw.busyDemodulators(), 1);
    EXPECT_EQ(gw.endReception(id), ReceptionOutcome::Received);
    EXPECT_EQ(gw.busyDemodulators(), 0);
    EXPECT_EQ(gw.activeReceptions(), 0);
    EXPECT_EQ(gw.outcomeCounts()[0], 1u);
}

TEST(LorawanPhyGateway, NinthOverlappingPacketFindsNoDemodulator)
{
    GatewayReceiver gw = makeReceiver();
    std::vector<int> ids;
    // Nine packets on distinct (channel, SF) pairs so none collide.
    for (int i = 0; i < 9; ++i)
        ids.push_back(gw.beginReception(uplink(i, i < 6 ? kCh1 : kCh2, 7 + i % 6)));
    EXPECT_EQ(gw.busyDemodulators(), 8);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(gw.endReception(ids[std::size_t(i)]), ReceptionOutcome::Received) << i;
    EXPECT_EQ(gw.endReception(ids[8]), ReceptionOutcome::NoDemodulator);
    EXPECT_STREQ(receptionOutcomeName(ReceptionOutcome::NoDemodulator), "no free demodulator");
}

TEST(LorawanPhyGateway, SameChannelSameSfCollideUnlessOneIsSixDbStronger)
{
    {
        GatewayReceiver gw = makeReceiver();
        const int a = gw.beginReception(uplink(0, kCh1, 7, -100.0));
        const int b = gw.beginReception(uplink(10, kCh1, 7, -103.0));
        EXPECT_EQ(gw.endReception(a), ReceptionOutcome::Collided);
        EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Collided);
    }
    {
        GatewayReceiver gw = makeReceiver();
        const int a = gw.beginReception(uplink(0, kCh1, 7, -100.0));
        const int b = gw.beginReception(uplink(10, kCh1, 7, -106.0)); // 6 dB weaker: a captures
        EXPECT_EQ(gw.endReception(a), ReceptionOutcome::Received);
        EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Collided);
    }
    {
        // The later, stronger packet captures the receiver too (power-only capture).
        GatewayReceiver gw = makeReceiver();
        const int a = gw.beginReception(uplink(0, kCh1, 7, -110.0));
        const int b = gw.beginReception(uplink(10, kCh1, 7, -100.0));
        EXPECT_EQ(gw.endReception(a), ReceptionOutcome::Collided);
        EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Received);
    }
}

TEST(LorawanPhyGateway, DifferentChannelOrSfDoNotCollide)
{
    GatewayReceiver gw = makeReceiver();
    const int a = gw.beginReception(uplink(0, kCh1, 7, -100.0));
    const int b = gw.beginReception(uplink(5, kCh2, 7, -100.0));
    const int c = gw.beginReception(uplink(5, kCh1, 8, -100.0));
    EXPECT_EQ(gw.endReception(a), ReceptionOutcome::Received);
    EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Received);
    EXPECT_EQ(gw.endReception(c), ReceptionOutcome::Received);
}

TEST(LorawanPhyGateway, CroceMatrixMakesAMuchStrongerOtherSfDestructive)
{
    GatewayReceiverOptions options;
    options.interSfInterference = true;
    GatewayReceiver gw = makeReceiver(options);
    // SF12 victim at −120 dBm, SF7 interferer 10 dB stronger: the SF12-vs-SF7 threshold is
    // −25 dB (the victim survives an interferer up to 25 dB stronger), so both survive...
    const int victim = gw.beginReception(uplink(0, kCh1, 12, -120.0));
    const int weak = gw.beginReception(uplink(100, kCh1, 7, -110.0));
    EXPECT_EQ(gw.endReception(weak), ReceptionOutcome::Received);
    // ...but an interferer 30 dB stronger destroys it.
    const int strong = gw.beginReception(uplink(200, kCh1, 7, -90.0));
    EXPECT_EQ(gw.endReception(strong), ReceptionOutcome::Received);
    EXPECT_EQ(gw.endReception(victim), ReceptionOutcome::Collided);
}

TEST(LorawanPhyGateway, InterfererEndingBeforeThePreambleLockDoesNotHurt)
{
    GatewayReceiver gw = makeReceiver();
    // Victim SF12 (Tsym 32.768 ms, lock after 3 symbols = 98.3 ms); a short SF12 frame
    // that started earlier and ends 50 ms into the victim's preamble.
    Uplink early = uplink(0, kCh1, 12, -100.0, 1);
    const SimTime earlyEnd = early.start + early.airtime;
    Uplink victim = uplink(0, kCh1, 12, -100.0);
    victim.start = earlyEnd - SimDuration::fromMillis(50);
    const int e = gw.beginReception(early);
    const int v = gw.beginReception(victim);
    EXPECT_EQ(gw.endReception(e), ReceptionOutcome::Collided); // the victim overlaps e's payload
    EXPECT_EQ(gw.endReception(v), ReceptionOutcome::Received);
}

TEST(LorawanPhyGateway, BackToBackPacketsDoNotOverlap)
{
    GatewayReceiver gw = makeReceiver();
    const Uplink first = uplink(0);
    Uplink second = uplink(0);
    second.start = first.start + first.airtime; // begins at the instant the first ends
    const int a = gw.beginReception(first);
    const int b = gw.beginReception(second); // the end event of `a` has not run yet
    EXPECT_EQ(gw.endReception(a), ReceptionOutcome::Received);
    EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Received);
}

TEST(LorawanPhyGateway, HalfDuplexLosesEverythingDuringATransmission)
{
    GatewayReceiver gw = makeReceiver();
    const int before = gw.beginReception(uplink(0));
    gw.beginTransmit(SimTime::fromMillis(20), SimDuration::fromMillis(100));
    EXPECT_TRUE(gw.isTransmitting(SimTime::fromMillis(50)));
    const int during = gw.beginReception(uplink(50, kCh2));
    EXPECT_EQ(gw.busyDemodulators(), 1); // a packet the gateway cannot hear takes no demodulator
    EXPECT_EQ(gw.endReception(before), ReceptionOutcome::GatewayTransmitting);
    EXPECT_EQ(gw.endReception(during), ReceptionOutcome::GatewayTransmitting);
    const int after = gw.beginReception(uplink(120));
    EXPECT_EQ(gw.endReception(after), ReceptionOutcome::Received);
}

TEST(LorawanPhyGateway, BelowSensitivityAndPacketErrors)
{
    GatewayReceiver gw = makeReceiver();
    Uplink faint = uplink(0, kCh1, 7, -130.0);
    EXPECT_EQ(gw.endReception(gw.beginReception(faint)), ReceptionOutcome::BelowSensitivity);
    EXPECT_EQ(gw.busyDemodulators(), 0);
    // Right at the SF7 floor + 1 dB the PER is 50 %: over many frames about half are lost.
    int lost = 0;
    const int n = 4000;
    for (int i = 0; i < n; ++i) {
        Uplink u = uplink(i * 100, kCh1, 7, -120.0);
        u.snrDb = snrFloorDb(7) + 1.0;
        lost += gw.endReception(gw.beginReception(u)) == ReceptionOutcome::Lost;
    }
    EXPECT_NEAR(double(lost) / n, 0.5, 0.05);
    EXPECT_EQ(gw.outcomeCounts()[std::size_t(ReceptionOutcome::Lost)], std::uint64_t(lost));
}

TEST(LorawanPhyGateway, SameInputsGiveTheSameOutcomes)
{
    auto run = [] {
        GatewayReceiver gw = makeReceiver();
        std::vector<ReceptionOutcome> outcomes;
        for (int i = 0; i < 200; ++i) {
            Uplink u = uplink(i * 30, i % 2 ? kCh1 : kCh2, 7, -110.0 - i % 7);
            u.snrDb = snrFloorDb(7) + 1.0 + (i % 5) * 0.3;
            outcomes.push_back(gw.endReception(gw.beginReception(u)));
        }
        return outcomes;
    };
    EXPECT_EQ(run(), run());
}

// Differential test: the incremental receiver against an all-pairs evaluation of the same
// rules, over random traffic (no demodulator limit, no transmissions, PER 0).
TEST(LorawanPhyGateway, MatchesAnAllPairsReferenceOnRandomTraffic)
{
    for (const bool interSf : {false, true}) {
        RandomStream rng(99, NodeId{interSf ? 2u : 1u}, 0);
        std::vector<Uplink> ups;
        for (int i = 0; i < 3000; ++i) {
            Uplink u = uplink(0, kCh1 + std::uint32_t(rng.uniformInt(3)) * 200'000, 7 + int(rng.uniformInt(6)),
                              -150.0 + 0.5 * double(rng.uniformInt(121)), 10 + int(rng.uniformInt(40)));
            u.start = SimTime::fromMillis(std::int64_t(rng.uniformInt(120'000)));
            u.snrDb = 30.0;
            ups.push_back(u);
        }
        GatewayReceiverOptions options;
        options.demodulators = 1'000'000;
        options.interSfInterference = interSf;
        const auto lockOf = [](const Uplink& u) {
            return u.start + symbolTime(u.spreadingFactor, u.bandwidthHz) * (u.preambleSymbols - 5);
        };
        const int croce[6][6] = {{1, -8, -9, -9, -9, -9},       {-11, 1, -11, -12, -13, -13}, {-15, -13, 1, -13, -14, -15},
                                 {-19, -18, -17, 1, -17, -18},  {-22, -22, -21, -20, 1, -20}, {-25, -25, -25, -24, -23, 1}};
        std::vector<ReceptionOutcome> expected;
        for (const Uplink& v : ups) {
            if (v.rssiDbm < sensitivityDbm(v.spreadingFactor, v.bandwidthHz)) {
                expected.push_back(ReceptionOutcome::BelowSensitivity);
                continue;
            }
            bool collided = false;
            for (const Uplink& u : ups) {
                if (&u == &v || u.frequencyHz != v.frequencyHz)
                    continue;
                if (!(u.start < v.start + v.airtime && v.start < u.start + u.airtime) || u.start + u.airtime <= lockOf(v))
                    continue;
                const double advantage = v.rssiDbm - u.rssiDbm;
                if (u.spreadingFactor == v.spreadingFactor)
                    collided = collided || advantage < 6.0;
                else if (interSf)
                    collided = collided || advantage < croce[v.spreadingFactor - 7][u.spreadingFactor - 7];
            }
            expected.push_back(collided ? ReceptionOutcome::Collided : ReceptionOutcome::Received);
        }

        // Events in time order, ends before begins at the same instant.
        struct Event {
            SimTime t;
            bool begin;
            std::size_t index;
        };
        std::vector<Event> events;
        for (std::size_t i = 0; i < ups.size(); ++i) {
            events.push_back({ups[i].start, true, i});
            events.push_back({ups[i].start + ups[i].airtime, false, i});
        }
        std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
            return a.t < b.t || (a.t == b.t && !a.begin && b.begin);
        });
        GatewayReceiver gw = makeReceiver(options);
        std::vector<int> ids(ups.size(), -1);
        std::vector<ReceptionOutcome> got(ups.size());
        for (const Event& e : events) {
            if (e.begin)
                ids[e.index] = gw.beginReception(ups[e.index]);
            else
                got[e.index] = gw.endReception(ids[e.index]);
        }
        int collisions = 0;
        for (std::size_t i = 0; i < ups.size(); ++i) {
            EXPECT_EQ(got[i], expected[i]) << "uplink " << i << (interSf ? " (inter-SF)" : "");
            collisions += expected[i] == ReceptionOutcome::Collided;
        }
        EXPECT_GT(collisions, 100); // the traffic does exercise collisions
        EXPECT_EQ(gw.activeReceptions(), 0);
    }
}

TEST(LorawanPhyGateway, IdsAreReusedAndUnknownIdsAreHarmless)
{
    GatewayReceiver gw = makeReceiver();
    const int a = gw.beginReception(uplink(0));
    gw.endReception(a);
    const int b = gw.beginReception(uplink(100));
    EXPECT_EQ(a, b);
    gw.endReception(b);
    EXPECT_EQ(gw.endReception(b), ReceptionOutcome::Lost);
    EXPECT_EQ(gw.endReception(12345), ReceptionOutcome::Lost);
    EXPECT_EQ(gw.activeReceptions(), 0);
}

} // namespace
} // namespace otalab::sim::lorawan
