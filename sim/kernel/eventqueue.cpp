// SPDX-License-Identifier: Apache-2.0
// EventQueue: 4-ary heap operations, lazy cancellation, compaction and renumbering.
#include "sim/kernel/eventqueue.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace otalab::sim {

EventQueue::EventQueue(std::uint32_t sequenceLimit)
    : m_heap(kRoot, Entry{})
    , m_sequenceLimit(std::min(sequenceLimit, kDefaultSequenceLimit))
{
}

std::uint32_t EventQueue::newEntry(EventHandler* target, const EventData& data, std::uint64_t& tie)
{
    if (m_nextSequence >= m_sequenceLimit)
        renumber();
    const std::uint32_t slot = allocateSlot();
    SlotPayload& p = m_payload[slot];
    p.target = target;
    p.data = data;
    const std::uint32_t sequence = m_nextSequence++;
    m_meta[slot].sequence = sequence;
    ++m_live;
    tie = (static_cast<std::uint64_t>(sequence) << 32) | slot;
    return slot;
}

EventHandle EventQueue::push(SimTime time, EventHandler* target, const EventData& data)
{
    std::uint64_t tie = 0;
    const std::uint32_t slot = newEntry(target, data, tie);
    m_heap.push_back(Entry{});
    siftUp(m_heap.size() - 1, Entry{time.nanos(), tie});
    return EventHandle{slot, m_meta[slot].generation};
}

EventHandle EventQueue::pushFifo(SimTime time, EventHandler* target, const EventData& data, std::size_t lane)
{
    if (lane >= kFifoLanes || (!m_lanes[lane].empty() && time.nanos() < m_lanes[lane].entries.back().time))
        return push(time, target, data);
    std::uint64_t tie = 0;
    const std::uint32_t slot = newEntry(target, data, tie); // may renumber: after the test above
    Lane& l = m_lanes[lane];
    if (l.empty()) {
        l.entries.clear();
        l.head = 0;
        m_laneMask |= 1u << lane;
    }
    l.entries.push_back(Entry{time.nanos(), tie});
    return EventHandle{slot, m_meta[slot].generation};
}

void EventQueue::popFifoFront(std::size_t lane)
{
    Lane& l = m_lanes[lane];
    ++l.head;
    if (l.empty()) {
        l.entries.clear();
        l.head = 0;
        m_laneMask &= ~(1u << lane);
    } else if (l.head >= 1024 && l.head * 2 >= l.entries.size()) {
        l.entries.erase(l.entries.begin(), l.entries.begin() + static_cast<std::ptrdiff_t>(l.head));
        l.head = 0;
    }
}

std::size_t EventQueue::fifoEntries() const
{
    std::size_t n = 0;
    for (const Lane& l : m_lanes)
        n += l.entries.size() - l.head;
    return n;
}

bool EventQueue::cancel(EventHandle handle)
{
    if (!isPending(handle))
        return false;
    releaseSlot(handle.slot);
    --m_live;
    ++m_stale;
    discardStaleTop();
    if (m_stale > m_live && m_stale >= kMinCompactEntries)
        compact();
    return true;
}

EventQueue::Popped EventQueue::pop()
{
    assert(!empty());
    const int lane = firstLane();
    const Entry top = lane < 0 ? m_heap[kRoot] : m_lanes[static_cast<std::size_t>(lane)].front();
    const std::uint32_t slot = top.slot();
    const SlotPayload& p = m_payload[slot];
    Popped popped{Event{SimTime::fromNanos(top.time), EventHandle{slot, m_meta[slot].generation}, p.data},
                  p.target};
    releaseSlot(slot);
    --m_live;
    if (lane >= 0)
        popFifoFront(static_cast<std::size_t>(lane));
    else
        removeTopEntry();
    discardStaleTop();
    return popped;
}

void EventQueue::clear()
{
    for (std::size_t p = kRoot; p < m_heap.size(); ++p) {
        if (!isStale(m_heap[p]))
            releaseSlot(m_heap[p].slot());
    }
    m_heap.resize(kRoot);
    for (Lane& l : m_lanes) {
        for (std::size_t p = l.head; p < l.entries.size(); ++p) {
            if (!isStale(l.entries[p]))
                releaseSlot(l.entries[p].slot());
        }
        l.entries.clear();
        l.head = 0;
    }
    m_laneMask = 0;
    m_live = 0;
    m_stale = 0;
}

void EventQueue::reserve(std::size_t events)
{
    m_heap.reserve(kRoot + events * 2);
    m_meta.reserve(events);
    m_payload.reserve(events);
    m_freeSlots.reserve(events);
}

std::uint32_t EventQueue::allocateSlot()
{
    if (!m_freeSlots.empty()) {
        const std::uint32_t slot = m_freeSlots.back();
        m_freeSlots.pop_back();
        return slot;
    }
    assert(m_meta.size() < EventHandle::kInvalidSlot);
    m_meta.emplace_back();
    m_payload.emplace_back();
    return static_cast<std::uint32_t>(m_meta.size() - 1);
}

void EventQueue::releaseSlot(std::uint32_t slot)
{
    SlotMeta& m = m_meta[slot];
    m.sequence = kFreeSequence;
    ++m.generation;
    m_freeSlots.push_back(slot);
}

inline std::size_t EventQueue::minChild(std::size_t first, std::size_t end) const
{
    const Entry* const h = m_heap.data();
    if (first + 4 <= end) [[likely]] {
        // Full group (the common case): a branch-free tournament.
        const std::size_t a = h[first + 1] < h[first] ? first + 1 : first;
        const std::size_t b = h[first + 3] < h[first + 2] ? first + 3 : first + 2;
        return h[b] < h[a] ? b : a;
    }
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c) {
        if (h[c] < h[best])
            best = c;
    }
    return best;
}

void EventQueue::removeTopEntry()
{
    const Entry last = m_heap.back();
    m_heap.pop_back();
    const std::size_t n = m_heap.size();
    if (n == kRoot)
        return;
    // Bottom-up: walk the hole to a leaf along the smaller children, then place
    // `last` by sifting it up from there.
    Entry* const h = m_heap.data();
    // Only a heap larger than the L1/L2-resident sizes gains from prefetching (PHOLD);
    // in a small one (a rollout's) the prefetches are pure instruction cost.
    const bool prefetch = n > kPrefetchEntries;
    std::size_t hole = kRoot;
    const auto step = [&](std::size_t first) __attribute__((always_inline)) {
        // The next level is four cache lines, one of which we will need: request
        // them all now so the misses overlap with this level's comparisons.
        const std::size_t grandchildren = firstChildOf(first);
        if (prefetch && grandchildren < n) {
            __builtin_prefetch(h + grandchildren);
            __builtin_prefetch(h + grandchildren + 4);
            __builtin_prefetch(h + grandchildren + 8);
            __builtin_prefetch(h + grandchildren + 12);
        }
        const std::size_t child = minChild(first, n);
        h[hole] = h[child];
        hole = child;
    };
    if (firstChildOf(kRoot) < n) {
        step(firstChildOf(kRoot));
        // The new top is now known (unless `last` sifts all the way up): fetch its slot
        // while the walk continues; the next pop or staleness test needs it.
        const std::uint32_t slot = h[kRoot].slot();
        __builtin_prefetch(m_meta.data() + slot);
        __builtin_prefetch(m_payload.data() + slot);
        for (std::size_t first = firstChildOf(hole); first < n; first = firstChildOf(hole))
            step(first);
    }
    siftUp(hole, last);
}

void EventQueue::discardStaleTop()
{
    while (m_heap.size() > kRoot && isStale(m_heap[kRoot])) {
        removeTopEntry();
        --m_stale;
    }
    for (std::uint32_t mask = m_laneMask; mask != 0; mask &= mask - 1) {
        const std::size_t lane = static_cast<std::size_t>(std::countr_zero(mask));
        while ((m_laneMask >> lane) & 1u && isStale(m_lanes[lane].front())) {
            popFifoFront(lane);
            --m_stale;
        }
    }
}

void EventQueue::siftUp(std::size_t pos, Entry e)
{
    Entry* const h = m_heap.data();
    while (pos > kRoot) {
        const std::size_t parent = parentOf(pos);
        if (!(e < h[parent]))
            break;
        h[pos] = h[parent];
        pos = parent;
    }
    h[pos] = e;
}

void EventQueue::siftDown(std::size_t pos, Entry e)
{
    const std::size_t n = m_heap.size();
    Entry* const h = m_heap.data();
    for (std::size_t first = firstChildOf(pos); first < n; first = firstChildOf(pos)) {
        const std::size_t child = minChild(first, n);
        if (!(h[child] < e))
            break;
        h[pos] = h[child];
        pos = child;
    }
    h[pos] = e;
}

void EventQueue::heapify()
{
    // Floyd's bottom-up construction, O(n).
    const std::size_t n = m_heap.size();
    if (n <= kRoot + 1)
        return;
    for (std::size_t p = parentOf(n - 1) + 1; p-- > kRoot;)
        siftDown(p, m_heap[p]);
}

void EventQueue::dropStaleEntries()
{
    const auto heapBegin = m_heap.begin() + static_cast<std::ptrdiff_t>(kRoot);
    m_heap.erase(std::remove_if(heapBegin, m_heap.end(), [this](const Entry& e) { return isStale(e); }),
                 m_heap.end());
    for (std::size_t lane = 0; lane < kFifoLanes; ++lane) {
        Lane& l = m_lanes[lane];
        l.entries.erase(std::remove_if(l.entries.begin() + static_cast<std::ptrdiff_t>(l.head), l.entries.end(),
                                       [this](const Entry& e) { return isStale(e); }),
                        l.entries.end());
        l.entries.erase(l.entries.begin(), l.entries.begin() + static_cast<std::ptrdiff_t>(l.head));
        l.head = 0;
        if (l.entries.empty())
            m_laneMask &= ~(1u << lane);
    }
    m_stale = 0;
}

void EventQueue::compact()
{
    dropStaleEntries();
    ++m_compactions;
    heapify();
}

void EventQueue::renumber()
{
    dropStaleEntries(); // also moves each FIFO lane to the front of its vector
    // Renumber every live entry (heap and lanes) in their merged (time, tie) order, so the
    // order between a heap entry and a lane entry is kept too; each part stays sorted.
    std::vector<std::pair<Entry, std::int32_t>> all; // entry, lane (-1: heap)
    for (std::size_t p = kRoot; p < m_heap.size(); ++p)
        all.emplace_back(m_heap[p], -1);
    for (std::size_t lane = 0; lane < kFifoLanes; ++lane) {
        for (const Entry& e : m_lanes[lane].entries)
            all.emplace_back(e, static_cast<std::int32_t>(lane));
        m_lanes[lane].entries.clear();
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    assert(all.size() < m_sequenceLimit);
    m_heap.resize(kRoot);
    std::uint32_t sequence = 0;
    for (auto& [e, lane] : all) {
        const std::uint32_t slot = e.slot();
        m_meta[slot].sequence = sequence;
        e.tie = (static_cast<std::uint64_t>(sequence) << 32) | slot;
        ++sequence;
        if (lane < 0)
            m_heap.push_back(e); // a sorted array is a valid heap
        else
            m_lanes[static_cast<std::size_t>(lane)].entries.push_back(e);
    }
    m_nextSequence = sequence;
    ++m_renumberings;
}

} // namespace otalab::sim
