// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/dutycycle.h"

#include <algorithm>

namespace otalab::sim::lorawan {

SimTime DutyCycleTracker::earliestStart(std::uint32_t freqHz, SimTime now) const
{
    const int divisor = m_region->dutyCycleDivisor(freqHz);
    if (divisor == 0)
        return SimTime::max();
    const int band = m_region->dutyCycleBand(freqHz);
    if (band < 0 || band >= kMaxBands)
        return now; // no duty cycle (US915)
    return std::max(now, m_freeAt[std::size_t(band)]);
}

void DutyCycleTracker::record(std::uint32_t freqHz, SimTime start, SimDuration airtime)
{
    const int band = m_region->dutyCycleBand(freqHz);
    const int divisor = m_region->dutyCycleDivisor(freqHz);
    if (band < 0 || band >= kMaxBands || divisor <= 0)
        return;
    SimTime& freeAt = m_freeAt[std::size_t(band)];
    freeAt = std::max(freeAt, start + airtime * divisor);
}

SimDuration DutyCycleTracker::timeOff(std::uint32_t freqHz, SimDuration airtime) const
{
    const int divisor = m_region->dutyCycleDivisor(freqHz);
    if (divisor <= 1)
        return SimDuration::zero();
    return airtime * (divisor - 1);
}

SimTime DutyCycleTracker::bandFreeAt(int band) const
{
    if (band < 0 || band >= kMaxBands)
        return SimTime::zero();
    return m_freeAt[std::size_t(band)];
}

} // namespace otalab::sim::lorawan
