// SPDX-License-Identifier: Apache-2.0
// OqpskErrorModel: bit and packet error rates of the 2.4 GHz O-QPSK PHY vs SINR.
#pragma once

#include <cstddef>

namespace otalab::sim {

// IEEE 802.15.4-2006, Annex E.4.1.8 (2450 MHz O-QPSK, 16-ary orthogonal DSSS, as in
// ns-3's LrWpanErrorModel):
//   BER = (8/15)·(1/16)·Σ_{k=2..16} (−1)^k·C(16,k)·exp(20·SINR·(1/k − 1))
//   PER = 1 − (1 − BER)^(8·bytes)
// SINR is linear (not dB). BER is 0.5 at SINR = 0 (no signal; 1.6e-4 at 0 dB) and
// falls monotonically; the result is clamped to [0, 0.5] against rounding in the
// alternating sum. Stateless.
class OqpskErrorModel {
public:
    static double bitErrorRate(double sinrLinear);
    static double bitErrorRateDb(double sinrDb);
    // `bytes` is the number of octets exposed to errors (the PSDU).
    static double packetErrorRate(double sinrDb, std::size_t bytes);
    // kT·B + NF in dBm: −174 dBm/Hz + 10·log10(B) + NF (T = 290 K).
    // thermalNoiseFloorDbm(2e6, 10) ≈ −101 dBm (2 MHz channel, 10 dB noise figure).
    static double thermalNoiseFloorDbm(double bandwidthHz, double noiseFigureDb);
};

} // namespace otalab::sim
