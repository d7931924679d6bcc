// SPDX-License-Identifier: Apache-2.0
// NotificationPacer: when the next job notification may go out under a rate limit and
// maintenance windows. Notifications are spaced evenly, one every 60 / rate seconds, so
// at most `rate` fall in any minute; a window closed at the due time moves it to the next
// opening. Clock-free and deterministic: times are the caller's seconds.
#pragma once

#include "sim/fleet/rollout/rolloutconfig.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim::rollout {

class NotificationPacer {
public:
    // ratePerMinute 0: no limit (every due notification goes out at once).
    NotificationPacer(double ratePerMinute, std::vector<MaintenanceWindow> windows);

    double ratePerMinute() const { return m_rate; }
    bool limited() const { return m_rate > 0; }
    // The earliest time ≥ notBeforeS the next notification may go out: the next slot of
    // the current rate segment (segment start + count × interval, no accumulated rounding),
    // then moved into a maintenance window.
    double nextSlotS(double notBeforeS) const;
    // A notification went out at `atS` (a time nextSlotS returned, or later).
    void released(double atS);
    // A new rate from now on: the next slot is the last notification + 60 / rate.
    void setRate(double ratePerMinute);
    // The earliest time ≥ t inside a maintenance window (t itself when there are none).
    double windowOpenAtOrAfter(double t) const;

private:
    double m_rate = 0;
    std::vector<MaintenanceWindow> m_windows;
    bool m_any = false;
    double m_segmentStartS = 0;
    std::int64_t m_segmentCount = 0;  // notifications since m_segmentStartS (that one included)
    double m_lastS = 0;
};

} // namespace otalab::sim::rollout
