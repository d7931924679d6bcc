// SPDX-License-Identifier: Apache-2.0
// Log-distance path loss with log-normal shadowing, and the link budget it gives (RSSI, SNR).
#pragma once

#include "sim/kernel/randomstream.h"

namespace otalab::sim::lorawan {

// Propagation and receiver parameters. Defaults: the urban LoRa measurements of Bor,
// Roedig, Voigt, Alonso, "Do LoRa Low-Power Wide-Area Networks Scale?" (MSWiM 2016,
// §3, as used in LoRaSim): PL(d0 = 40 m) = 127.41 dB, n = 2.08, σ = 3.57 dB.
// Noise figure 6 dB (the SX1276 datasheet's sensitivity figures imply NF ≈ 6 dB).
// These were measured around a building with the gateway at street level: ranges are short
// (median range at 14 dBm, SF12/125 kHz ≈ 550 m, SF7 ≈ 140 m; see maxRangeM()). Rooftop
// gateways reach further: lower referenceLossDb or pathLossExponent for such a scenario.
struct RadioParams {
    double referenceDistanceM = 40.0;   // d0
    double referenceLossDb = 127.41;    // PL(d0)
    double pathLossExponent = 2.08;     // n
    double shadowingSigmaDb = 3.57;     // σ of X_σ (normal, zero mean, dB)
    double txAntennaGainDbi = 0.0;
    double rxAntennaGainDbi = 0.0;
    double noiseFigureDb = 6.0;
};

// Mean path loss PL(d) = PL(d0) + 10·n·log10(d / d0), dB. Distances below 1 m count as 1 m
// (the log-distance model is not meant for the near field; this keeps the value finite).
double pathLossDb(const RadioParams& params, double distanceM);

// One link's shadowing X_σ: draw it once per link from that link's stream and keep it
// (the same pair of nodes always sees the same loss, which keeps runs deterministic).
double drawShadowingDb(const RadioParams& params, RandomStream& linkStream);

// Thermal noise floor at the receiver: −174 dBm/Hz + 10·log10(BW) + NF.
double noiseFloorDbm(const RadioParams& params, int bandwidthHz);

// Distance at which the median RSSI (no shadowing) of a `txPowerDbm` transmission falls to
// `rssiDbm` (e.g. sensitivityDbm(sf, bw)): d0 · 10^((Ptx + gains − rssi − PL(d0)) / (10 n)).
double maxRangeM(const RadioParams& params, double txPowerDbm, double rssiDbm);

struct LinkBudget {
    double rssiDbm = 0.0; // Ptx + Gtx + Grx − PL(d) − X_σ
    double snrDb = 0.0;   // RSSI − noise floor
};

// Received power and SNR of a transmission at `txPowerDbm` over `distanceM` with this
// link's `shadowingDb` (a positive value is extra loss).
LinkBudget linkBudget(const RadioParams& params, double distanceM, double shadowingDb, double txPowerDbm,
                      int bandwidthHz);

} // namespace otalab::sim::lorawan
