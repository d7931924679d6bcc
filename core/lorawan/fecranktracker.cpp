// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fecranktracker.h"

#include <cassert>

namespace otalab::core::lorawan {

namespace {
constexpr auto kIgnore = [](std::uint32_t) {};
} // namespace

bool FecRankTracker::addUncoded(std::uint32_t n, bool forged)
{
    assert(n >= 1 && n <= m_system.fragmentCount());
    m_system.addUncoded(n - 1, kIgnore, forged);
    if (m_system.complete() && m_system.started())
        m_system.releaseElimination();
    return m_system.complete();
}

bool FecRankTracker::addParity(const ParityLine& line, bool forged)
{
    assert(line.fragmentCount == m_system.fragmentCount());
    using Outcome = FecSystem::Outcome;
    const Outcome outcome = m_system.addParity<false>(line, kIgnore, kIgnore, forged).outcome;
    m_tooManyLosses = outcome == Outcome::TooManyLosses;
    if (outcome == Outcome::Pivot || outcome == Outcome::Redundant)
        ++m_parityReceived;
    if (m_system.complete() && m_system.started())
        m_system.releaseElimination();
    return m_system.complete();
}

} // namespace otalab::core::lorawan
