// SPDX-License-Identifier: Apache-2.0
// APS reliability: the resolved ack-wait / retry / duplicate-rejection parameters (EmberZNet
// defaults where the scenario leaves 0) and the APS duplicate rejection table.
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/zigbee/nwkmodelconfig.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace otalab::sim {

// Stack constants (Silicon Labs EmberZNet unless noted; values cited at their definition
// in apsreliability.cpp's header comment and in sim/zigbee/README.md "APS acknowledgements").
struct ApsStackDefaults {
    // message.h EMBER_APSC_MAX_ACK_WAIT_HOPS_MULTIPLIER_MS
    static constexpr std::int64_t kAckWaitHopsMultiplierMs = 50;
    // message.h EMBER_APSC_MAX_ACK_WAIT_TERMINAL_SECURITY_MS
    static constexpr std::int64_t kAckWaitTerminalSecurityMs = 100;
    // ember-configuration-defaults.h: EMBER_MAX_HOPS = 2 * EMBER_MAX_DEPTH, EMBER_MAX_DEPTH 15
    // (stack profile 2, Zigbee PRO)
    static constexpr std::int64_t kMaxHops = 2 * 15;
    // ember-configuration.c: emberApsAckTimeoutMs = HOPS_MULTIPLIER * EMBER_MAX_HOPS + TERMINAL_SECURITY
    // = 1600 ms; the same figure as Zigbee R22 Table 2-25 apscAckWaitDuration
    // (0.05 s x 2 x nwkcMaxDepth + security delay).
    static constexpr std::int64_t kAckWaitMs = kAckWaitHopsMultiplierMs * kMaxHops + kAckWaitTerminalSecurityMs;
    // ember-configuration-defaults.h, EMBER_STACK_PROFILE == 2: EMBER_INDIRECT_TRANSMISSION_TIMEOUT 7680 (ms):
    // how long a parent holds a frame for a sleepy child; added to the ack wait when the
    // destination is a sleepy end device (it sees the frame only at its next poll).
    static constexpr std::int64_t kSleepyAckWaitExtraMs = 7'680;
    // Zigbee R22 2.2.7.1 Table 2-25 apscMaxFrameRetries = 3 (EmberZNet's APS retried messages
    // are sent 1 + 3 times).
    static constexpr std::uint8_t kMaxFrameRetries = 3;
    // sl_zigbee_configuration_defaults.h / zigbee_pro_stack_config.h:
    // SL_ZIGBEE_APS_DUPLICATE_REJECTION_MAX_ENTRIES 5 (formerly EMBER_APS_DUPLICATE_REJECTION_MAX_ENTRIES).
    static constexpr std::size_t kDuplicateTableSize = 5;
    // EmberZNet's entry ageing is not public; TI Z-Stack's ZGlobals.h: DEFAULT_APS_DUP_REJ_TIMEOUT 10
    // x DEFAULT_APS_DUP_REJ_TIMEOUT_INCREMENT 1000 ms = 10 s.
    static constexpr std::int64_t kDuplicateTimeoutMs = 10 * 1'000;
    // EmberZNet app framework, plugin end-device-support:
    // EMBER_AF_PLUGIN_END_DEVICE_SUPPORT_SHORT_POLL_INTERVAL_SECONDS 1. While an APS-retried
    // message waits for its ACK (application task EMBER_AF_WAITING_FOR_DATA_ACK) a sleepy end
    // device short-polls, or it would never fetch the ACK its parent holds for it.
    static constexpr std::int64_t kShortPollMs = 1'000;
};

// ApsReliabilityConfig with every "0 = the stack's value" resolved (the one place where
// that happens).
struct ApsReliability {
    bool ack = false;
    std::uint8_t maxRetries = ApsStackDefaults::kMaxFrameRetries;
    SimTime ackWait;            // rx-on-when-idle destination
    SimTime sleepyAckWaitExtra; // added for a sleepy end device destination
    std::size_t duplicateTableSize = 0;
    SimTime duplicateTimeout;

    static ApsReliability resolve(const ApsReliabilityConfig& config);
};

// APS duplicate rejection table (Zigbee R22 2.2.8.4.2): (NWK source, APS counter) pairs of
// acknowledged unicast data frames received in the last `timeout`; a full table overwrites
// the entry that expires first (the oldest).
class ApsDuplicateTable {
public:
    ApsDuplicateTable(std::size_t capacity, SimTime timeout);

    // True if (src, counter) was recorded within the timeout (a duplicate: ACK again, do not
    // deliver). Otherwise records it and returns false.
    bool checkAndInsert(std::uint16_t src, std::uint8_t counter, SimTime now);
    std::size_t capacity() const { return m_capacity; }

private:
    struct Entry {
        std::uint16_t src = 0;
        std::uint8_t counter = 0;
        SimTime expiresAt = SimTime::min();
    };
    std::size_t m_capacity;
    SimTime m_timeout;
    std::vector<Entry> m_entries;
};

} // namespace otalab::sim
