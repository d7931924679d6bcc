// SPDX-License-Identifier: Apache-2.0
// A first-order energy model of an SMP board: radio time from wire bytes, CPU and flash time
// from the board's statistics, a sleep floor for the rest.
#pragma once

#include "sim/energy/devicepreset.h"
#include "sim/kernel/simtime.h"

namespace otalab::sim {

class SmpFleetBoard;
struct SmpFleetConfig;

// Time a board spent in each costed state (all durations in virtual time).
struct SmpBoardActivity {
    SimTime cpuActive;     // SMP requests without their flash work, hashing, MCUboot + application start
    SimTime flashErase;
    SimTime flashWrite;
    SimTime radioRx;       // on air, receiving what the host sent (with link-layer overhead)
    SimTime radioTx;       // on air, sending answers
    SimTime radioListen;   // receiver on without data: BLE empty connection events, UDP listening while pushed
};

// What `board` did up to `now` under `config` (zero before it was taken up):
//  * BLE: every ATT byte travels in LL data PDUs of up to `dle` bytes with 14 bytes of
//    framing each (preamble, access address, header, CRC, MIC when encrypted) at the
//    PHY rate; while pushed, each connection event costs an empty PDU pair (2 × 80 µs on
//    LE 1M) even without data.
//  * UDP: wire bytes at the link's bit rate; the receiver is on while the host pushes
//    (a Thread/6LoWPAN router listens), off otherwise.
SmpBoardActivity smpBoardActivity(const SmpFleetBoard& board, const SmpFleetConfig& config, SimTime now);

// Joules = supply voltage × Σ current × time, plus the chip's sleep current over
// `sleepSpan` (the part of the run the figure covers).
double smpBoardJoules(const DevicePreset& preset, const SmpBoardActivity& activity, SimTime sleepSpan);

} // namespace otalab::sim
