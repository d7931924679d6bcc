// SPDX-License-Identifier: Apache-2.0
// PhyTiming: IEEE 802.15.4 2450 MHz O-QPSK PHY and MAC timing constants, airtime.
#pragma once

#include "sim/kernel/simtime.h"

#include <cstddef>
#include <cstdint>

namespace otalab::sim {

// Constants of IEEE 802.15.4-2006 for the 2450 MHz O-QPSK PHY (250 kbit/s,
// 62.5 ksymbol/s, 4 bits per symbol) and the unslotted CSMA-CA MAC. Clause numbers
// refer to IEEE Std 802.15.4-2006.
struct PhyTiming {
    // 6.5.1 / Table 1: 62.5 ksymbol/s → 16 µs per symbol; 2 symbols per octet.
    static constexpr SimTime kSymbol = SimTime::fromMicros(16);
    static constexpr int kSymbolsPerOctet = 2;
    static constexpr SimTime kOctet = SimTime::fromMicros(32); // 250 kbit/s

    // 6.3.1 / Figure 16 (PPDU): preamble 4 octets, SFD 1, PHR 1, then the PSDU.
    static constexpr std::size_t kPreambleBytes = 4;
    static constexpr std::size_t kSfdBytes = 1;
    static constexpr std::size_t kPhrBytes = 1;
    static constexpr std::size_t kPhyHeaderBytes = kPreambleBytes + kSfdBytes + kPhrBytes;
    // 6.4.2 / Table 23: phySHRDuration = 10 symbols (preamble + SFD).
    static constexpr int kShrSymbols = 10;

    // 6.4.1 / Table 22: aMaxPHYPacketSize = 127 octets (largest PSDU).
    static constexpr std::size_t kMaxPhyPacketSize = 127;
    // 6.4.1 / Table 22: aTurnaroundTime = 12 symbols (RX↔TX switch).
    static constexpr int kTurnaroundSymbols = 12;
    static constexpr SimTime kTurnaround = kSymbol * kTurnaroundSymbols; // 192 µs
    // 6.9.9: CCA detection time = 8 symbol periods.
    static constexpr int kCcaSymbols = 8;
    static constexpr SimTime kCca = kSymbol * kCcaSymbols; // 128 µs

    // 7.4.1 / Table 85: aUnitBackoffPeriod = 20 symbols.
    static constexpr int kUnitBackoffSymbols = 20;
    static constexpr SimTime kUnitBackoff = kSymbol * kUnitBackoffSymbols; // 320 µs
    // 7.4.2 / Table 86: macAckWaitDuration = aUnitBackoffPeriod + aTurnaroundTime +
    // phySHRDuration + ⌈6 · phySymbolsPerOctet⌉ = 20 + 12 + 10 + 12 = 54 symbols.
    static constexpr int kAckWaitSymbols =
        kUnitBackoffSymbols + kTurnaroundSymbols + kShrSymbols + 6 * kSymbolsPerOctet;
    static constexpr SimTime kAckWait = kSymbol * kAckWaitSymbols; // 864 µs
    // 7.2.2.3: an acknowledgment frame's MPDU is 5 octets (FCF 2, DSN 1, FCS 2).
    static constexpr std::size_t kAckBytes = 5;

    // 7.4.2 / Table 86 defaults: macMinBE 3, macMaxBE 5, macMaxCSMABackoffs 4,
    // macMaxFrameRetries 3.
    static constexpr std::uint8_t kMinBe = 3;
    static constexpr std::uint8_t kMaxBe = 5;
    static constexpr std::uint8_t kMaxCsmaBackoffs = 4;
    static constexpr std::uint8_t kMaxFrameRetries = 3;

    // Time on air of a PPDU carrying `psduBytes` octets: (6 + psdu) × 32 µs.
    // airtime(127) = 133 octets = 4.256 ms; airtime(5) (an ACK) = 352 µs.
    static constexpr SimTime airtime(std::size_t psduBytes)
    {
        return kOctet * static_cast<std::int64_t>(kPhyHeaderBytes + psduBytes);
    }
};

} // namespace otalab::sim
