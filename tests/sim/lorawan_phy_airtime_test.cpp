// SPDX-License-Identifier: Apache-2.0
// Time on air against an independent floating-point evaluation of Semtech AN1200.13's
// formula, for every SF/BW/CR/payload, and against published calculator values.
#include "sim/lorawan/airtime.h"

#include <gtest/gtest.h>

#include <cmath>

namespace otalab::sim::lorawan {
namespace {

// AN1200.13 §4 ("LoRa Modem Designer's Guide"), written out in doubles:
//   Tsym = 2^SF / BW
//   Tpreamble = (npreamble + 4.25) · Tsym
//   payloadSymbNb = 8 + max(ceil((8PL − 4SF + 28 + 16CRC − 20IH) / (4(SF − 2DE))) · (CR + 4), 0)
//   Tpacket = Tpreamble + payloadSymbNb · Tsym
double referenceMs(int sf, int bwHz, int cr, int pl, bool crc, bool explicitHeader, bool de, int preamble = 8)
{
    const double tsym = std::pow(2.0, sf) / bwHz * 1000.0;
    const double tpreamble = (preamble + 4.25) * tsym;
    const double num = 8.0 * pl - 4.0 * sf + 28.0 + 16.0 * (crc ? 1 : 0) - 20.0 * (explicitHeader ? 0 : 1);
    const double den = 4.0 * (sf - 2.0 * (de ? 1 : 0));
    const double payloadSymbNb = 8.0 + std::max(std::ceil(num / den) * (cr + 4), 0.0);
    return tpreamble + payloadSymbNb * tsym;
}

TEST(LorawanPhyAirtime, EqualsAn1200FormulaForEverySfBandwidthCodingRateAndPayload)
{
    int compared = 0;
    for (int sf = 7; sf <= 12; ++sf) {
        for (int bw : {125'000, 250'000, 500'000}) {
            // LoRaMac-node's rule: DE on for SF11/12 at 125 kHz and SF12 at 250 kHz.
            const bool de = (bw == 125'000 && sf >= 11) || (bw == 250'000 && sf == 12);
            for (int cr = 1; cr <= 4; ++cr) {
                for (bool crc : {true, false}) {
                    for (int pl = 0; pl <= 255; ++pl) {
                        LoraModulation m{sf, bw, cr, 8, true, crc, {}};
                        ASSERT_EQ(lowDataRateOptimizeOn(m), de) << "SF" << sf << " BW" << bw;
                        const double expected = referenceMs(sf, bw, cr, pl, crc, true, de);
                        const SimDuration got = timeOnAir(m, pl);
                        // The integer result is exact: compare to the ns, with float slack only.
                        ASSERT_NEAR(got.toMillis(), expected, 1e-9)
                            << "SF" << sf << " BW" << bw << " CR4/" << (cr + 4) << " CRC" << crc << " PL" << pl;
                        ASSERT_EQ(got.nanos(), std::llround(expected * 1e6));
                        ++compared;
                    }
                }
            }
        }
    }
    EXPECT_EQ(compared, 6 * 3 * 4 * 2 * 256);
}

TEST(LorawanPhyAirtime, ImplicitHeaderExplicitLdroAndLongPreambleFollowTheFormulaToo)
{
    for (int sf = 7; sf <= 12; ++sf)
        for (int pl : {1, 13, 51, 242})
            for (bool de : {false, true}) {
                LoraModulation m{sf, 125'000, 2, 12, false, true, de};
                EXPECT_NEAR(timeOnAirMs(m, pl), referenceMs(sf, 125'000, 2, pl, true, false, de, 12), 1e-9);
            }
}

TEST(LorawanPhyAirtime, PublishedCalculatorValues)
{
    // Semtech / TTN airtime calculators: EU868 DR5 (SF7/125), 13-byte PHYPayload = 46.336 ms.
    EXPECT_EQ(timeOnAir(LoraModulation::uplink(7, 125'000), 13), SimDuration::fromNanos(46'336'000));
    // DR0 (SF12/125, LDRO on), 51-byte PHYPayload: 75.25 symbols of 32.768 ms = 2465.792 ms.
    EXPECT_EQ(timeOnAir(LoraModulation::uplink(12, 125'000), 51), SimDuration::fromNanos(2'465'792'000));
    // A maximum EU868 DR0 frame (N = 51 → PHYPayload 64 B): 2793.472 ms.
    EXPECT_EQ(timeOnAir(LoraModulation::uplink(12, 125'000), 64), SimDuration::fromNanos(2'793'472'000));
    // A maximum DR5 frame (PHYPayload 255 B): 399.616 ms (the "400 ms" often quoted).
    EXPECT_EQ(timeOnAir(LoraModulation::uplink(7, 125'000), 255), SimDuration::fromNanos(399'616'000));
    // Symbol times.
    EXPECT_EQ(symbolTime(7, 125'000), SimDuration::fromNanos(1'024'000));
    EXPECT_EQ(symbolTime(12, 125'000), SimDuration::fromNanos(32'768'000));
    EXPECT_EQ(symbolTime(7, 500'000), SimDuration::fromNanos(256'000));
}

TEST(LorawanPhyAirtime, DownlinksWithoutCrcAreShorterOrEqual)
{
    for (int pl = 0; pl <= 255; ++pl)
        EXPECT_LE(timeOnAir(LoraModulation::downlink(9, 125'000), pl), timeOnAir(LoraModulation::uplink(9, 125'000), pl));
    // 23 bytes at SF9/125: the 16 CRC bits cross a block boundary (176 vs 192 bits over 36-bit blocks).
    EXPECT_LT(timeOnAir(LoraModulation::downlink(9, 125'000), 23), timeOnAir(LoraModulation::uplink(9, 125'000), 23));
}

TEST(LorawanPhyAirtime, OtherBandwidthsRoundToTheNearestNanosecond)
{
    LoraModulation m{7, 62'500, 1, 8, true, true, {}};
    EXPECT_EQ(symbolTime(7, 62'500), SimDuration::fromNanos(2'048'000));
    LoraModulation odd{12, 41'700, 1, 8, true, true, {}};
    EXPECT_EQ(timeOnAir(odd, 10).nanos(), std::llround(referenceMs(12, 41'700, 1, 10, true, true, true) * 1e6));
    EXPECT_GT(timeOnAir(m, 10), SimDuration::zero());
}

TEST(LorawanPhyAirtime, InvalidSettingsGiveZero)
{
    EXPECT_EQ(timeOnAir(LoraModulation{13, 125'000}, 10), SimDuration::zero());
    EXPECT_EQ(timeOnAir(LoraModulation{7, 0}, 10), SimDuration::zero());
    EXPECT_EQ(symbolTime(4, 125'000), SimDuration::zero());
    // Out-of-range lengths are clamped, never overflow.
    LoraModulation huge{12, 125'000, 4, 1'000'000, true, true, {}};
    EXPECT_EQ(timeOnAir(huge, 1 << 30), timeOnAir(LoraModulation{12, 125'000, 4, 65535, true, true, {}}, 65535));
    EXPECT_GT(timeOnAir(huge, 1 << 30), SimDuration::zero());
    EXPECT_EQ(timeOnAir(LoraModulation::uplink(7, 125'000), -5), timeOnAir(LoraModulation::uplink(7, 125'000), 0));
}

} // namespace
} // namespace otalab::sim::lorawan
