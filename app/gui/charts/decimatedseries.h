// SPDX-License-Identifier: Apache-2.0
// DecimatedSeries: an append-only chart series with a bounded number of points.
#pragma once

#include <QList>
#include <QPointF>

#include <cstdint>

namespace otalab::app {

// Points are appended in x order (one per sample). At most capacity() points are kept
// on a regular stride of samples; when the capacity would be exceeded every other point
// is dropped and the stride doubles (the generation() changes). The latest sample is
// always the last point: if it is not on the stride it is "provisional" and replaced by
// the next append. Contract for incremental views: while generation() stays the same,
// points [0, stableCount()) never change — a view removes its points from its previous
// stableCount() on and appends points().mid(thatCount).
class DecimatedSeries {
public:
    explicit DecimatedSeries(int capacity = 2000);

    void clear();
    void append(QPointF point);
    // Multiplies every x by `factor` (time-unit change); starts a new generation.
    void scaleX(double factor);

    const QList<QPointF>& points() const { return m_points; }
    int stableCount() const { return m_stable; }
    int generation() const { return m_generation; }
    int capacity() const { return m_capacity; }
    std::int64_t samplesAppended() const { return m_samples; }
    int stride() const { return m_stride; }

private:
    QList<QPointF> m_points;
    int m_capacity;
    int m_stable = 0;
    bool m_provisional = false;
    std::int64_t m_samples = 0;
    int m_stride = 1;
    int m_generation = 0;
};

} // namespace otalab::app
