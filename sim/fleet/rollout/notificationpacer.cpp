// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/rollout/notificationpacer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace otalab::sim::rollout {

NotificationPacer::NotificationPacer(double ratePerMinute, std::vector<MaintenanceWindow> windows)
    : m_rate(ratePerMinute), m_windows(std::move(windows))
{
}

double NotificationPacer::nextSlotS(double notBeforeS) const
{
    double t = notBeforeS;
    if (m_rate > 0 && m_any)
        t = std::max(t, m_segmentStartS + double(m_segmentCount) * (60.0 / m_rate));
    return windowOpenAtOrAfter(t);
}

void NotificationPacer::released(double atS)
{
    if (m_any && m_rate > 0 && atS == m_segmentStartS + double(m_segmentCount) * (60.0 / m_rate)) {
        ++m_segmentCount;
    } else {
        m_segmentStartS = atS;
        m_segmentCount = 1;
    }
    m_any = true;
    m_lastS = atS;
}

void NotificationPacer::setRate(double ratePerMinute)
{
    m_rate = ratePerMinute;
    if (m_any) {
        m_segmentStartS = m_lastS;
        m_segmentCount = 1;
    }
}

double NotificationPacer::windowOpenAtOrAfter(double t) const
{
    if (m_windows.empty())
        return t;
    double best = std::numeric_limits<double>::infinity();
    for (const MaintenanceWindow& w : m_windows) {
        if (t < w.startS) {
            best = std::min(best, w.startS);
            continue;
        }
        const double k = std::floor((t - w.startS) / w.periodS);
        const double open = w.startS + k * w.periodS;
        if (t < open + w.durationS)
            return t;  // inside this window
        best = std::min(best, open + w.periodS);
    }
    return best;
}

} // namespace otalab::sim::rollout
