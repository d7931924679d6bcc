// SPDX-License-Identifier: Apache-2.0
// LoRa time on air, exact per Semtech AN1200.13 (the formula LoRaMac-node's SX1276GetTimeOnAir uses).
#pragma once

#include "sim/kernel/simtime.h"

#include <optional>

namespace otalab::sim::lorawan {

// A span of virtual time (integer nanoseconds); the kernel's SimTime doubles as a duration.
using SimDuration = otalab::sim::SimTime;

// LoRa modulation settings of one frame.
struct LoraModulation {
    int spreadingFactor = 7;     // 5..12 (outside: timeOnAir() is zero); SF5/6 need an implicit header on SX127x, not checked
    int bandwidthHz = 125'000;   // 125'000, 250'000, 500'000 (any positive value is computed)
    int codingRate = 1;          // 1..4 = 4/5..4/8
    int preambleSymbols = 8;     // programmed preamble length, 0..65535 (the modem adds 4.25 symbols)
    bool explicitHeader = true;  // LoRaWAN always uses the explicit header
    bool crcOn = true;           // LoRaWAN: uplinks CRC on, downlinks CRC off
    // Low data rate optimisation. Unset: on when the symbol time is >= 16 ms, i.e. SF11/SF12
    // at 125 kHz and SF12 at 250 kHz, as LoRaMac-node sets it.
    std::optional<bool> lowDataRateOptimize;

    // A LoRaWAN uplink / downlink at this SF/BW: CR 4/5, 8 preamble symbols, explicit
    // header, CRC on (uplink) / off (downlink).
    static LoraModulation uplink(int sf, int bandwidthHz) { return {sf, bandwidthHz, 1, 8, true, true, {}}; }
    static LoraModulation downlink(int sf, int bandwidthHz) { return {sf, bandwidthHz, 1, 8, true, false, {}}; }
};

// Whether low data rate optimisation is on for `m` (its explicit value or the default rule).
bool lowDataRateOptimizeOn(const LoraModulation& m);

// One symbol: 2^SF / BW. Exact in integer ns for 125/250/500 kHz; otherwise rounded to
// the nearest nanosecond.
SimDuration symbolTime(int spreadingFactor, int bandwidthHz);

// Number of payload symbols (AN1200.13 eq. 4.1.1.7): 8 + max(ceil((8PL − 4SF + 28 + 16CRC − 20IH)
// / (4(SF − 2DE))) · (CR + 4), 0). `phyPayloadBytes` is the PHYPayload length (0..255 on a
// real modem; values outside 0..65535 are clamped, so any int gives a defined result).
int payloadSymbols(const LoraModulation& m, int phyPayloadBytes);

// Time on air of a frame of `phyPayloadBytes` bytes: (Npreamble + 4.25 + payloadSymbols) · Tsym.
// Computed in integer arithmetic as quarter-symbols · 2^SF · 10^9 / (4 · BW): exact (no
// rounding at all) for 125, 250 and 500 kHz; for other bandwidths rounded to the nearest ns.
// (LoRaMac-node returns whole milliseconds rounded up; this keeps the exact value.)
SimDuration timeOnAir(const LoraModulation& m, int phyPayloadBytes);

// The same in milliseconds (double).
double timeOnAirMs(const LoraModulation& m, int phyPayloadBytes);

} // namespace otalab::sim::lorawan
