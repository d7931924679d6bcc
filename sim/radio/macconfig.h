// SPDX-License-Identifier: Apache-2.0
// MacConfig: per-node MAC parameters (IEEE 802.15.4-2006 PIB defaults).
#pragma once

#include "sim/radio/phytiming.h"

#include <cstdint>

namespace otalab::sim {

// How a MAC gets onto the channel.
enum class ChannelAccess : std::uint8_t {
    Csma,         // unslotted CSMA-CA (7.5.1.4): random backoff, CCA, turnaround
    BackoffNoCca, // random backoff, no CCA (channel assumed idle), turnaround
    Immediate,    // transmit at once: no backoff, no CCA, no turnaround (tests, ALOHA)
};

struct MacConfig {
    std::uint16_t panId = 0x1A62;
    std::uint8_t minBe = PhyTiming::kMinBe;                    // macMinBE
    std::uint8_t maxBe = PhyTiming::kMaxBe;                    // macMaxBE
    std::uint8_t maxCsmaBackoffs = PhyTiming::kMaxCsmaBackoffs; // macMaxCSMABackoffs
    std::uint8_t maxFrameRetries = PhyTiming::kMaxFrameRetries; // macMaxFrameRetries
    SimTime ackWaitDuration = PhyTiming::kAckWait;              // macAckWaitDuration
    ChannelAccess access = ChannelAccess::Csma;
    // macRxOnWhenIdle: true for coordinators/routers; false for sleepy end devices,
    // whose radio is off except while the MAC is busy or a receive window is open.
    bool rxOnWhenIdle = true;
    // Frames accepted by send() but not yet finished (the one in progress included).
    std::uint8_t queueCapacity = 8;
    // Address filtering (NwkModelConfig::addressFiltering, JSON "network.addressFiltering"):
    // a receiver locked on a frame whose MAC header is addressed to another node (short
    // destination neither ours nor 0xFFFF, or another PAN) drops it once the addressing
    // fields are in, 13 octets (416 µs) after its start, and listens again — IEEE
    // 802.15.4-2006 7.5.6.2 third-level filtering, done in hardware by EFR32 (RAIL
    // address filtering) and CC13xx/CC26xx (RF core frame filtering). Default false:
    // every locked frame is received to its end.
    bool addressFiltering = false;
};

} // namespace otalab::sim
