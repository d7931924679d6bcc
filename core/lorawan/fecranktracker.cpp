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
    const FecSystem::Step step = m_system.addUncoded(n - 1, kIgnore);
    if (forged && (step.outcome == FecSystem::Outcome::Stored || step.outcome == FecSystem::Outcome::Pivot))
        m_corrupted = true;
    if (m_system.complete() && m_system.started())
        m_system.releaseElimination();
    return m_system.complete();
}

bool FecRankTracker::addParity(const ParityLine& line, bool forged)
{
    assert(line.fragmentCount == m_system.fragmentCount());
    const FecSystem::Step step = m_system.addParity<false>(line, kIgnore, kIgnore);
    m_tooManyLosses = step.outcome == FecSystem::Outcome::TooManyLosses;
    if (step.outcome == FecSystem::Outcome::Pivot || step.outcome == FecSystem::Outcome::Redundant)
        ++m_parityReceived;
    if (forged && step.outcome == FecSystem::Outcome::Pivot)
        m_corrupted = true;
    if (m_system.complete() && m_system.started())
        m_system.releaseElimination();
    return m_system.complete();
}

} // namespace otalab::core::lorawan
