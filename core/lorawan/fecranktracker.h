// SPDX-License-Identifier: Apache-2.0
// FecRankTracker: the FragDecoder's elimination without payloads, for the simulator —
// per device only "which frames arrived" and the triangle over the fragments it lost,
// so 100,000 devices can follow one multicast session. It runs the very same FecSystem
// as FragDecoder, so it reports completion on exactly the frame the byte decoder would.
//
// A frame may be flagged forged (an attacker holding the multicast key): if it is kept
// (stored as an uncoded fragment or as a row of the triangle) the decoded image is
// wrong — every stored row feeds the solution — and corrupted() says so; the device's
// image MIC check is what must catch it. A forged frame reduced to nothing changes
// nothing.
#pragma once

#include "core/lorawan/fecsystem.h"

namespace otalab::core::lorawan {

class FecRankTracker {
public:
    // fragmentCount M (1..16383); maxLosses as FecSystem (the device's decoder budget).
    explicit FecRankTracker(std::uint32_t fragmentCount, std::uint32_t maxLosses = kMaxFragmentCounter)
        : m_system(fragmentCount, maxLosses)
    {
    }

    // Uncoded frame counter n in 1..M. Returns true when the image is complete.
    bool addUncoded(std::uint32_t n, bool forged = false);
    // Parity frame M + line.index (line.fragmentCount must be M). True when complete.
    bool addParity(const ParityLine& line, bool forged = false);

    bool isComplete() const { return m_system.complete(); }
    // Fragments still unknown (what FragSessionStatusAns reports as missing).
    std::uint32_t missingCount() const { return m_system.missingCount(); }
    // Frames taken in: distinct uncoded fragments plus parity frames processed
    // (including ones that brought nothing new), not frames ignored after completion.
    std::uint32_t receivedCount() const { return m_system.uncodedReceived() + m_parityReceived; }
    std::uint32_t parityReceived() const { return m_parityReceived; }
    std::uint32_t lossCount() const { return m_system.lossCount(); }
    // Last parity frame refused because more fragments were missing than maxLosses.
    bool tooManyLosses() const { return m_tooManyLosses; }
    bool corrupted() const { return m_system.tainted(); }
    std::size_t memoryBytes() const { return sizeof(*this) + m_system.memoryBytes(); }
    const FecSystem& system() const { return m_system; }

private:
    FecSystem m_system;
    std::uint32_t m_parityReceived = 0;
    bool m_tooManyLosses = false;
};

} // namespace otalab::core::lorawan
