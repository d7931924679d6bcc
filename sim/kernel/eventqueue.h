// SPDX-License-Identifier: Apache-2.0
// EventQueue: the future-event set — a 4-ary min-heap with O(1) lazy cancellation.
#pragma once

#include "sim/kernel/alignedallocator.h"
#include "sim/kernel/event.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/simtime.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace otalab::sim {

class EventHandler;

// Pending events ordered by (time, insertion sequence): two events at the same time
// fire in the order they were pushed, so a run is a pure function of its inputs.
//
// Design (see also the Simulator contract):
//  - Event data lives in a slot table (8 bytes of bookkeeping plus a 32-byte payload
//    in two parallel arrays, recycled LIFO through a free list); the heap holds 16-byte POD entries {time, sequence << 32 | slot}, four
//    children per node, laid out so each group of siblings fills exactly one 64-byte
//    cache line. Removal of the minimum sifts the hole down to a leaf and the last
//    entry back up (Wegener's bottom-up heapsort trick: the last entry nearly always
//    belongs near the bottom, so this saves about half the comparisons).
//  - cancel() is O(1): it releases the slot (bumping its generation, so the handle
//    goes stale) and leaves the heap entry behind. An entry whose slot no longer
//    carries its sequence number is "stale" and is skipped when it reaches the top.
//    When stale entries outnumber live ones (and there are at least
//    kMinCompactEntries of them) the heap is compacted in O(n), so cancel stays
//    amortised O(1) and memory stays bounded by about twice the live count.
//  - No allocation per event: the heap, slot table and free list only grow
//    (amortised) to the high-water mark; reserve() pre-sizes them.
//  - Sequence numbers are 32-bit; when they run out the live entries are renumbered
//    in order (O(n log n), once per ~4e9 pushes), preserving the ordering exactly.
//
// Why: an indexed heap (O(log n) true removal) must write each moved entry's
// position back into its slot on every sift step, an extra random cache miss per
// level on the hot path; lazy cancellation only writes the slot once. Events carry
// a handler pointer plus fixed payload words instead of a std::function, which could
// allocate and would make slots 2-3 times larger. A calendar queue was not chosen:
// its speed depends on the delay distribution (ns-3's is 3x slower than its own
// binary heap on PHOLD), a heap's does not.
//
// Not thread-safe: owned and used by one simulation thread.
class EventQueue {
public:
    // An event removed by pop(): the event itself and the handler it targets.
    struct Popped {
        Event event;
        EventHandler* target = nullptr;
    };

    static constexpr std::uint32_t kDefaultSequenceLimit = 0xFFFF'FFFEu;
    static constexpr std::size_t kMinCompactEntries = 4096;
    // Heap entries (16 bytes each) above which a pop prefetches the next level: 256 KiB.
    static constexpr std::size_t kPrefetchEntries = 16384;

    // sequenceLimit exists for tests of renumbering; it must exceed the largest
    // number of simultaneously pending events.
    explicit EventQueue(std::uint32_t sequenceLimit = kDefaultSequenceLimit);

    // Adds an event at `time` for `target`. Never fails; amortised O(log n).
    EventHandle push(SimTime time, EventHandler* target, const EventData& data);

    // The same as push(), for events a handler schedules at a constant short delay
    // (an ACK wait, a turnaround): while their times do not decrease they go to a FIFO
    // lane instead of the heap (O(1) push, cancel and pop; pop() takes the earlier of
    // the lane's front and the heap's top by the same (time, sequence) order, so the
    // order of events is exactly push()'s). An event earlier than the lane's last one
    // goes to the heap. Each lane (0 .. kFifoLanes − 1) serves one delay: events of
    // different delays pushed around the same time would not stay in order in one lane.
    static constexpr std::size_t kFifoLanes = 4;
    EventHandle pushFifo(SimTime time, EventHandler* target, const EventData& data, std::size_t lane = 0);

    // Cancels a pending event. Returns false (and does nothing) if the handle is
    // invalid, already fired or already cancelled. O(1) amortised.
    bool cancel(EventHandle handle);

    bool isPending(EventHandle handle) const
    {
        return handle.slot < m_meta.size() && m_meta[handle.slot].generation == handle.generation;
    }

    bool empty() const { return m_live == 0; }
    std::size_t size() const { return m_live; } // pending (not cancelled) events

    // Time of the earliest pending event. Precondition: !empty().
    SimTime nextTime() const { return SimTime::fromNanos(front().time); }

    // Removes and returns the earliest pending event; its handle is stale afterwards.
    // Precondition: !empty().
    Popped pop();

    // Drops every pending event (their handles go stale).
    void clear();

    // Pre-sizes for `events` simultaneously pending events.
    void reserve(std::size_t events);

    // Diagnostics for tests and benchmarks.
    std::size_t heapEntries() const { return m_heap.size() - kRoot; } // live + stale
    std::size_t fifoEntries() const; // live + stale, all lanes
    std::size_t staleEntries() const { return m_stale; }
    std::uint64_t compactions() const { return m_compactions; }
    std::uint64_t renumberings() const { return m_renumberings; }

private:
    struct Entry {
        std::int64_t time;
        std::uint64_t tie; // sequence << 32 | slot

        std::uint32_t slot() const { return static_cast<std::uint32_t>(tie); }
        std::uint32_t sequence() const { return static_cast<std::uint32_t>(tie >> 32); }
        bool operator<(const Entry& o) const
        {
            // (time, tie) lexicographically as one unsigned 128-bit key (the sign bit of
            // time flipped keeps signed order): a cmp/sbb pair, no branches.
            return key() < o.key();
        }
        unsigned __int128 key() const
        {
            constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
            return (static_cast<unsigned __int128>(static_cast<std::uint64_t>(time) ^ kSign) << 64) | tie;
        }
    };

    // A slot is split in two parallel tables: the 8-byte bookkeeping that cancel(),
    // isPending() and the staleness test touch (dense: 8 slots per cache line, so the
    // random accesses of cancellations mostly hit L2), and the 32-byte payload only
    // pop() reads (32-byte aligned: never straddles a cache line).
    struct SlotMeta {
        std::uint32_t sequence = kFreeSequence; // of the live entry; kFreeSequence when free
        std::uint32_t generation = 0;           // bumped whenever the slot is released
    };
    struct alignas(32) SlotPayload {
        EventHandler* target = nullptr;
        EventData data;
    };
    static_assert(sizeof(SlotMeta) == 8 && sizeof(SlotPayload) == 32);

    static constexpr std::uint32_t kFreeSequence = 0xFFFF'FFFFu;
    // The root lives at index 3 (0..2 are padding) so that the children of node p,
    // at 4p - 8 .. 4p - 5, start on a multiple of four entries = 64 bytes.
    static constexpr std::size_t kRoot = 3;
    static constexpr std::size_t parentOf(std::size_t p) { return p / 4 + 2; }
    static constexpr std::size_t firstChildOf(std::size_t p) { return 4 * p - 8; }

    bool isStale(const Entry& e) const { return m_meta[e.slot()].sequence != e.sequence(); }
    struct Lane {
        std::vector<Entry> entries; // [head, size) is the lane, nondecreasing (time, tie)
        std::size_t head = 0;
        bool empty() const { return head == entries.size(); }
        const Entry& front() const { return entries[head]; }
    };
    // Lane whose front is the next event, or -1 for the heap's top (all fronts are live).
    int firstLane() const
    {
        if (m_laneMask == 0) [[likely]]
            return -1;
        int best = -1;
        const Entry* e = m_heap.size() > kRoot ? &m_heap[kRoot] : nullptr;
        for (std::size_t l = 0; l < kFifoLanes; ++l) {
            if ((m_laneMask >> l) & 1u) {
                const Entry& f = m_lanes[l].front();
                if (!e || f < *e) {
                    e = &f;
                    best = static_cast<int>(l);
                }
            }
        }
        return best;
    }
    const Entry& front() const
    {
        const int lane = firstLane();
        return lane < 0 ? m_heap[kRoot] : m_lanes[static_cast<std::size_t>(lane)].front();
    }
    std::uint32_t newEntry(EventHandler* target, const EventData& data, std::uint64_t& tie);
    void popFifoFront(std::size_t lane);
    std::uint32_t allocateSlot();
    void releaseSlot(std::uint32_t slot);
    void removeTopEntry();
    void discardStaleTop();
    void siftUp(std::size_t pos, Entry e);
    void siftDown(std::size_t pos, Entry e);
    [[gnu::always_inline]] std::size_t minChild(std::size_t first, std::size_t end) const;
    void heapify();
    void dropStaleEntries();
    void compact();
    void renumber();

    std::vector<Entry, AlignedAllocator<Entry, 64>> m_heap; // [kRoot, size) is the heap
    std::vector<SlotMeta> m_meta;
    std::vector<SlotPayload, AlignedAllocator<SlotPayload, 32>> m_payload;
    std::vector<std::uint32_t> m_freeSlots;
    std::array<Lane, kFifoLanes> m_lanes;
    std::uint32_t m_laneMask = 0; // bit l: lane l is not empty
    std::size_t m_live = 0;
    std::size_t m_stale = 0;
    std::uint32_t m_nextSequence = 0;
    std::uint32_t m_sequenceLimit;
    std::uint64_t m_compactions = 0;
    std::uint64_t m_renumberings = 0;
};

} // namespace otalab::sim
