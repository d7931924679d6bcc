// SPDX-License-Identifier: Apache-2.0
// The fleet's FEC view of one device: which frames of a TS004 fragmentation session it
// holds and whether they decode — core/lorawan's FecRankTracker (the FragDecoder's
// elimination without payloads), created when the device accepts the session.
#pragma once

#include "core/lorawan/fec.h"
#include "core/lorawan/fecranktracker.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace otalab::sim {

// Parity line `n` (1-based: frame M + n) of a session of `fragments` fragments, built
// once per transmitted frame and fed to every device that receives it.
using LorawanParityLine = core::lorawan::ParityLine;
LorawanParityLine lorawanParityLine(int n, int fragments, int fecVersion);

// Reception state of one device (empty until the fragmentation session is set up).
// Frames 1..M are uncoded fragments, M+k parity line k; a forged frame that is kept
// makes the result corrupted (the image MIC check must catch it).
class LorawanFecTracker {
public:
    LorawanFecTracker() = default;
    explicit LorawanFecTracker(int fragments) : m_tracker(std::in_place, std::uint32_t(fragments)) {}

    // Fragment `index` (0-based) arrived. Returns true when the block is complete.
    bool addUncoded(int index, bool forged = false) { return m_tracker && m_tracker->addUncoded(std::uint32_t(index) + 1, forged); }
    bool addParity(const LorawanParityLine& line, bool forged = false) { return m_tracker && m_tracker->addParity(line, forged); }
    bool complete() const { return m_tracker && m_tracker->isComplete(); }
    bool holds(int index) const { return m_tracker && m_tracker->system().seen(std::uint32_t(index)); }
    bool parityStarted() const { return m_tracker && m_tracker->system().started(); }
    bool corrupted() const { return m_tracker && m_tracker->corrupted(); }
    int missingCount() const { return m_tracker ? int(m_tracker->missingCount()) : 0; }
    int fragments() const { return m_tracker ? int(m_tracker->system().fragmentCount()) : 0; }
    std::size_t memoryBytes() const { return m_tracker ? m_tracker->memoryBytes() : 0; }

private:
    // mutable: the tracker may settle rows it deferred when asked what is missing.
    mutable std::optional<core::lorawan::FecRankTracker> m_tracker;
};

} // namespace otalab::sim
