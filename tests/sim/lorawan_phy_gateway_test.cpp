// SPDX-License-Identifier: Apache-2.0
// GatewayReceiver: demodulator limit, half-duplex, same-channel same-SF collisions with
// capture, quasi-orthogonal SFs, sensitivity and packet errors.
#include "sim/lorawan/gatewayreceiver.h"
#include "sim/lorawan/loraradio.h"

#include <gtest/gtest.h>

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
