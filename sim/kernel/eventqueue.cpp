// SPDX-License-Identifier: Apache-2.0
// EventQueue: 4-ary heap operations, lazy cancellation, compaction and renumbering.
#include "sim/kernel/eventqueue.h"

#include <algorithm>
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

EventHandle EventQueue::pushFifo(SimTime time, EventHandler* target, const EventData& data)
{
    if (!fifoEmpty() && time.nanos() < m_fifo.back().time)
        return push(time, target, data);
    std::uint64_t tie = 0;
    const std::uint32_t slot = newEntry(target, data, tie); // may renumber: after the test above
    if (m_fifoHead == m_fifo.size()) {
        m_fifo.clear();
        m_fifoHead = 0;
    }
    m_fifo.push_back(Entry{time.nanos(), tie});
    return EventHandle{slot, m_meta[slot].generation};
}

void EventQueue::popFifoFront()
{
    ++m_fifoHead;
    if (m_fifoHead == m_fifo.size()) {
        m_fifo.clear();
        m_fifoHead = 0;
    } else if (m_fifoHead >= 1024 && m_fifoHead * 2 >= m_fifo.size()) {
        m_fifo.erase(m_fifo.begin(), m_fifo.begin() + static_cast<std::ptrdiff_t>(m_fifoHead));
        m_fifoHead = 0;
    }
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
    const bool fromFifo = fifoFirst();
    const Entry top = fromFifo ? m_fifo[m_fifoHead] : m_heap[kRoot];
    const std::uint32_t slot = top.slot();
    const SlotPayload& p = m_payload[slot];
    Popped popped{Event{SimTime::fromNanos(top.time), EventHandle{slot, m_meta[slot].generation}, p.data},
                  p.target};
    releaseSlot(slot);
    --m_live;
    if (fromFifo)
        popFifoFront();
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
    for (std::size_t p = m_fifoHead; p < m_fifo.size(); ++p) {
        if (!isStale(m_fifo[p]))
            releaseSlot(m_fifo[p].slot());
    }
    m_fifo.clear();
    m_fifoHead = 0;
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
    while (!fifoEmpty() && isStale(m_fifo[m_fifoHead])) {
        popFifoFront();
        --m_stale;
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
    m_fifo.erase(std::remove_if(m_fifo.begin() + static_cast<std::ptrdiff_t>(m_fifoHead), m_fifo.end(),
                                [this](const Entry& e) { return isStale(e); }),
                 m_fifo.end());
    m_fifo.erase(m_fifo.begin(), m_fifo.begin() + static_cast<std::ptrdiff_t>(m_fifoHead));
    m_fifoHead = 0;
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
    dropStaleEntries(); // also moves the FIFO lane to the front of m_fifo
    std::sort(m_heap.begin() + static_cast<std::ptrdiff_t>(kRoot), m_heap.end());
    assert(m_heap.size() - kRoot + m_fifo.size() < m_sequenceLimit);
    // Renumber both (each sorted) in their merged order, so that the order between a
    // heap entry and a FIFO entry is kept too.
    std::uint32_t sequence = 0;
    const auto renumberEntry = [&](Entry& e) {
        const std::uint32_t slot = e.slot();
        m_meta[slot].sequence = sequence;
        e.tie = (static_cast<std::uint64_t>(sequence) << 32) | slot;
        ++sequence;
    };
    std::size_t h = kRoot;
    std::size_t f = 0;
    while (h < m_heap.size() || f < m_fifo.size()) {
        if (f == m_fifo.size() || (h < m_heap.size() && m_heap[h] < m_fifo[f]))
            renumberEntry(m_heap[h++]);
        else
            renumberEntry(m_fifo[f++]);
    }
    // A sorted array is a valid heap; the FIFO lane stays in order.
    m_nextSequence = sequence;
    ++m_renumberings;
}

} // namespace otalab::sim
