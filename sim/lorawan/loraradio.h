// SPDX-License-Identifier: Apache-2.0
// LoRa demodulator model: SNR floors and sensitivity per SF, packet error rate, SF choice.
#pragma once

namespace otalab::sim::lorawan {

// Demodulator SNR floor (dB) per SF, SX1276 datasheet (rev. 7, table 13 "Range of spreading
// factors"): SF7 −7.5, SF8 −10, SF9 −12.5, SF10 −15, SF11 −17.5, SF12 −20. SF outside 7..12:
// the nearest of these.
double snrFloorDb(int spreadingFactor);

// Sensitivity (dBm) = noise floor (−174 + 10·log10(BW) + NF) + SNR floor. With NF = 6 dB at
// 125 kHz: SF7 −124.5 … SF12 −137.0 dBm (datasheet: −123 … −136/−137).
double sensitivityDbm(int spreadingFactor, int bandwidthHz, double noiseFigureDb = 6.0);

// Probability that a frame of `payloadBytes` (PHYPayload) received at `snrDb` with no
// interference is lost. A smooth curve around the floor (a model, not a measured curve):
// for a 20-byte reference frame PER_ref(m) = 1 / (1 + exp(m / 0.4 dB)) with margin
// m = snr − floor(SF) − 1 dB, so PER_ref is 50 % 1 dB above the floor, 10 % at 1.9 dB and
// 1 % at 2.8 dB (a ~2 dB-wide waterfall, the shape of Semtech's PER-vs-SNR plots); longer
// frames lose more, as independent byte errors would: PER = 1 − (1 − PER_ref)^(L / 20).
// 1 when snr is far below, 0 far above. Deterministic (no randomness here).
double packetErrorRate(int spreadingFactor, double snrDb, int payloadBytes);

// Smallest SF (7..12, i.e. the fastest data rate) whose floor plus `marginDb` the SNR
// reaches; 12 when none does (the device still tries at SF12, as ADR would leave it).
// The SNR must be the one at the SF's bandwidth (same BW for all SFs here).
int bestSpreadingFactor(double snrDb, double marginDb);

} // namespace otalab::sim::lorawan
