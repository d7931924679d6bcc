// SPDX-License-Identifier: Apache-2.0
// SpatialGrid: a uniform bucket grid over fixed 2-D points for rectangle and nearest queries.
#pragma once

#include <QPointF>
#include <QRectF>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::app {

// Built once from a point set (index = point id); read-only afterwards, so any thread
// may query a built grid. Cells hold about four points on average, so a query costs
// O(points in the cells it overlaps). Points are in any unit (the topology uses scene units).
class SpatialGrid {
public:
    void build(const std::vector<QPointF>& points);
    void clear();

    std::size_t size() const { return m_points.size(); }
    QRectF bounds() const { return m_bounds; }

    // Calls fn(id) for every point inside `rect` (edges included), in cell order.
    template <typename Fn>
    void forEachIn(const QRectF& rect, Fn&& fn) const
    {
        if (m_points.empty() || !rect.isValid())
            return;
        int c0, r0, c1, r1;
        if (!cellRange(rect, c0, r0, c1, r1))
            return;
        for (int r = r0; r <= r1; ++r) {
            for (int c = c0; c <= c1; ++c) {
                const std::size_t cell = std::size_t(r) * std::size_t(m_columns) + std::size_t(c);
                for (std::uint32_t i = m_cellStart[cell]; i < m_cellStart[cell + 1]; ++i) {
                    const std::uint32_t id = m_ids[i];
                    const QPointF& p = m_points[id];
                    if (p.x() >= rect.left() && p.x() <= rect.right() && p.y() >= rect.top() && p.y() <= rect.bottom())
                        fn(id);
                }
            }
        }
    }

    // Ids of the points inside `rect`, ascending.
    std::vector<std::uint32_t> pointsIn(const QRectF& rect) const;
    // The point nearest to `at` no farther than `radius`, if any.
    std::optional<std::uint32_t> nearest(QPointF at, double radius) const;

private:
    bool cellRange(const QRectF& rect, int& c0, int& r0, int& c1, int& r1) const;

    std::vector<QPointF> m_points;
    std::vector<std::uint32_t> m_cellStart;  // CSR: cell k holds m_ids[m_cellStart[k] .. m_cellStart[k+1])
    std::vector<std::uint32_t> m_ids;
    QRectF m_bounds;
    double m_cellSize = 1;
    int m_columns = 0, m_rows = 0;
};

} // namespace otalab::app
