// SPDX-License-Identifier: Apache-2.0
// DutyCycleTracker: per-sub-band transmit "time off" (ETSI EN 300 220), for devices and gateways.
#pragma once

#include "sim/lorawan/airtime.h"
#include "sim/lorawan/region.h"

#include <array>
#include <cstdint>

namespace otalab::sim::lorawan {

// After a transmission of airtime T in a band with duty cycle d, the band stays off for
// T/d − T (LoRaMac-node's band TimeOff = T · DutyCycle − T with DutyCycle = 1/d), i.e. it
// is free again at start + T/d. Bands are the region's duty-cycle bands (EU868: 6; US915:
// none, always free). Times are exact integers (T · (1/d) with 1/d an integer).
// Small value type (7 words): every device and gateway holds one. Not thread-safe.
class DutyCycleTracker {
public:
    static constexpr int kMaxBands = 6;

    explicit DutyCycleTracker(const Region& region = Region::eu868()) : m_region(&region) {}

    // Earliest time >= now at which a transmission on `freqHz` may start. SimTime::max()
    // when the frequency is in no band where the region allows transmitting.
    SimTime earliestStart(std::uint32_t freqHz, SimTime now) const;
    // Records a transmission on `freqHz` starting at `start` lasting `airtime`.
    // Recording on a frequency outside every band does nothing.
    void record(std::uint32_t freqHz, SimTime start, SimDuration airtime);

    // T/d − T for a transmission of `airtime` on `freqHz` (zero without duty cycle).
    SimDuration timeOff(std::uint32_t freqHz, SimDuration airtime) const;
    // When band `band` (Region::dutyCycleBand) is free again.
    SimTime bandFreeAt(int band) const;
    const Region& region() const { return *m_region; }

private:
    const Region* m_region;
    std::array<SimTime, kMaxBands> m_freeAt{};
};

} // namespace otalab::sim::lorawan
