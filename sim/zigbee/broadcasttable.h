// SPDX-License-Identifier: Apache-2.0
// BroadcastTable: remembers recent (NWK source, sequence) pairs so a broadcast is handled once (Zigbee R22 3.6.5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace otalab::sim {

// A fixed-size ring standing in for the broadcast transaction table: the oldest pair
// is forgotten when a new one arrives and the ring is full. Simulation thread only.
class BroadcastTable {
public:
    explicit BroadcastTable(std::size_t capacity);

    // True if (src, sequence) was seen before; otherwise records it and returns false.
    bool checkAndInsert(std::uint16_t src, std::uint8_t sequence);

private:
    struct Entry {
        std::uint16_t src = 0;
        std::uint8_t sequence = 0;
        bool valid = false;
    };
    std::vector<Entry> m_entries;
    std::size_t m_next = 0;
};

} // namespace otalab::sim
