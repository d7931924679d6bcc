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
};

} // namespace otalab::sim
