// SPDX-License-Identifier: Apache-2.0
// Sources of the constants (read with the search tool, December 2026):
//  * Silicon Labs EmberZNet stack/include/message.h: EMBER_APSC_MAX_ACK_WAIT_HOPS_MULTIPLIER_MS 50,
//    EMBER_APSC_MAX_ACK_WAIT_TERMINAL_SECURITY_MS 100, emberApsAckTimeoutMs documented as
//    HOPS_MULTIPLIER * EMBER_MAX_HOPS + TERMINAL_SECURITY; app/util/ember-configuration.c sets it so.
//  * EmberZNet stack/config/ember-configuration-defaults.h: EMBER_MAX_HOPS (2 * EMBER_MAX_DEPTH),
//    EMBER_STACK_PROFILE 2 -> EMBER_MAX_DEPTH 15, EMBER_INDIRECT_TRANSMISSION_TIMEOUT 7680;
//    SL_ZIGBEE_APS_DUPLICATE_REJECTION_MAX_ENTRIES 5 ("size of 1 is basically the same thing as no
//    duplicate rejection").
//  * Silicon Labs, Zigbee App Framework dev guide, "Sleepy Devices": the APS retry timeout
//    towards a sleepy device is about 7.8 s (our 1.6 + 7.68 s is of that order).
//  * Zigbee R22 (05-3474-22) 2.2.7.1 Table 2-25: apscMaxFrameRetries 3, apscAckWaitDuration.
//  * TI Z-Stack ZGlobals.h: DEFAULT_APS_DUP_REJ_TIMEOUT 10 x DEFAULT_APS_DUP_REJ_TIMEOUT_INCREMENT 1000 ms.
#include "sim/zigbee/apsreliability.h"

#include <algorithm>

namespace otalab::sim {

ApsReliability ApsReliability::resolve(const ApsReliabilityConfig& config)
{
    ApsReliability r;
    r.ack = config.ack;
    r.maxRetries = config.maxRetries;
    r.ackWait = SimTime::fromMillis(config.ackWaitMs > 0 ? config.ackWaitMs : ApsStackDefaults::kAckWaitMs);
    r.sleepyAckWaitExtra = SimTime::fromMillis(config.sleepyAckWaitExtraMs > 0 ? config.sleepyAckWaitExtraMs
                                                                               : ApsStackDefaults::kSleepyAckWaitExtraMs);
    r.duplicateTableSize =
        config.duplicateTableSize > 0 ? config.duplicateTableSize : ApsStackDefaults::kDuplicateTableSize;
    r.duplicateTimeout = SimTime::fromMillis(config.duplicateTimeoutMs > 0 ? config.duplicateTimeoutMs
                                                                           : ApsStackDefaults::kDuplicateTimeoutMs);
    return r;
}

ApsDuplicateTable::ApsDuplicateTable(std::size_t capacity, SimTime timeout)
    : m_capacity(capacity)
    , m_timeout(timeout)
{
    m_entries.reserve(capacity);
}

bool ApsDuplicateTable::checkAndInsert(std::uint16_t src, std::uint8_t counter, SimTime now)
{
    if (m_capacity == 0)
        return false;
    for (Entry& e : m_entries) {
        if (e.src == src && e.counter == counter && e.expiresAt > now)
            return true;
    }
    const Entry fresh{src, counter, now + m_timeout};
    if (m_entries.size() < m_capacity) {
        m_entries.push_back(fresh);
        return false;
    }
    // Full: reuse the entry that expires first (an expired one, else the oldest).
    auto victim = std::min_element(m_entries.begin(), m_entries.end(),
                                   [](const Entry& a, const Entry& b) { return a.expiresAt < b.expiresAt; });
    *victim = fresh;
    return false;
}

} // namespace otalab::sim
