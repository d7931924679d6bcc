// SPDX-License-Identifier: Apache-2.0
#include "charts/decimatedseries.h"

#include <algorithm>

namespace otalab::app {

DecimatedSeries::DecimatedSeries(int capacity) : m_capacity(std::max(2, capacity)) {}

void DecimatedSeries::clear()
{
    m_points.clear();
    m_stable = 0;
    m_provisional = false;
    m_samples = 0;
    m_stride = 1;
    ++m_generation;
}

void DecimatedSeries::append(QPointF point)
{
    const std::int64_t index = m_samples++;
    if (m_provisional) {
        m_points.removeLast();
        m_provisional = false;
    }
    if (index % m_stride != 0) {
        m_points.append(point);
        m_provisional = true;
        return;
    }
    m_points.append(point);
    if (m_points.size() > m_capacity) {
        // Keep the points on the doubled stride (even positions), then the latest sample.
        QList<QPointF> kept;
        kept.reserve(m_points.size() / 2 + 2);
        for (qsizetype i = 0; i < m_points.size(); i += 2)
            kept.append(m_points[i]);
        const bool lastKept = (m_points.size() - 1) % 2 == 0;
        m_points = std::move(kept);
        m_stride *= 2;
        ++m_generation;
        m_stable = int(m_points.size());
        if (!lastKept) {
            m_points.append(point);
            m_provisional = true;
        }
        return;
    }
    m_stable = int(m_points.size());
}

void DecimatedSeries::scaleX(double factor)
{
    for (QPointF& p : m_points)
        p.setX(p.x() * factor);
    ++m_generation;
}

} // namespace otalab::app
