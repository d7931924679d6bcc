// SPDX-License-Identifier: Apache-2.0
// EventHandle: a copyable ticket for one scheduled event, used to cancel it.
#pragma once

#include <cstdint>

namespace otalab::sim {

// Identifies one scheduled event: a slot in the queue's slot table plus the slot's
// generation at scheduling time. Once the event fires or is cancelled the slot's
// generation moves on, so a stale handle can never cancel a later event that reuses
// the slot (until that slot's 32-bit generation wraps: 4e9 reuses of one slot).
// A default-constructed handle refers to nothing; cancelling it is a no-op.
struct EventHandle {
    static constexpr std::uint32_t kInvalidSlot = 0xFFFF'FFFFu;

    std::uint32_t slot = kInvalidSlot;
    std::uint32_t generation = 0;

    constexpr bool isValid() const { return slot != kInvalidSlot; }
    constexpr bool operator==(const EventHandle&) const = default;
};

} // namespace otalab::sim
