// SPDX-License-Identifier: Apache-2.0
// IndirectQueue: the frames a parent holds for its sleepy children until they poll (IEEE 802.15.4-2006 7.5.6.3).
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/zigbee/nwkframebuffer.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// Pending-transaction list of one parent: FIFO overall and per child. Every entry
// expires `persistence` after it was queued (all entries share one persistence, so
// the oldest entry always expires first). Capacity is fixed at construction; no
// allocation afterwards. Simulation thread only.
class IndirectQueue {
public:
    struct Held {
        NwkFrameBuffer frame;          // the NWK frame (MAC payload) to deliver
        std::uint16_t child = 0;       // MAC destination: the sleepy child's short address
        std::uint32_t apsHandle = 0;   // sendAps() handle when this node originated it, else 0
        std::uint16_t nwkSrc = 0;
        std::uint16_t nwkDst = 0;
        std::uint8_t nwkSequence = 0;
        std::uint8_t apsCounter = 0;
        SimTime queuedAt;
        SimTime expiresAt;
    };

    explicit IndirectQueue(std::size_t capacity);

    // Appends `held` (its expiresAt must not precede the last entry's). False if full.
    bool push(const Held& held);
    bool hasFor(std::uint16_t child) const;
    std::size_t countFor(std::uint16_t child) const;
    // Removes and returns the oldest frame for `child`.
    std::optional<Held> takeFor(std::uint16_t child);
    // Puts back an entry taken by takeFor() (the MAC could not accept it), in expiry
    // order. False if full.
    bool restore(const Held& held);
    // Removes and returns the oldest entry if it expires at or before `now`.
    std::optional<Held> popExpired(SimTime now);
    // Expiry time of the oldest entry.
    std::optional<SimTime> nextExpiry() const;

    std::size_t size() const { return m_entries.size(); }
    std::size_t capacity() const { return m_capacity; }
    bool empty() const { return m_entries.empty(); }

private:
    std::vector<Held> m_entries; // oldest first
    std::size_t m_capacity;
};

} // namespace otalab::sim
