// SPDX-License-Identifier: Apache-2.0
#include "topology/spatialgrid.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

void SpatialGrid::clear()
{
    m_points.clear();
    m_cellStart.clear();
    m_ids.clear();
    m_bounds = {};
    m_columns = m_rows = 0;
}

void SpatialGrid::build(const std::vector<QPointF>& points)
{
    clear();
    if (points.empty())
        return;
    m_points = points;
    double minX = points[0].x(), maxX = minX, minY = points[0].y(), maxY = minY;
    for (const QPointF& p : points) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    m_bounds = QRectF(QPointF(minX, minY), QPointF(maxX, maxY));
    // About four points per cell; a degenerate (line or point) set still gets >= 1 cell.
    const double w = std::max(maxX - minX, 1e-9), h = std::max(maxY - minY, 1e-9);
    const double cells = std::max(1.0, double(points.size()) / 4.0);
    m_cellSize = std::max(std::sqrt(w * h / cells), std::max(w, h) / 2048.0);
    m_columns = std::clamp(int(w / m_cellSize) + 1, 1, 4096);
    m_rows = std::clamp(int(h / m_cellSize) + 1, 1, 4096);

    const std::size_t cellCount = std::size_t(m_columns) * std::size_t(m_rows);
    std::vector<std::uint32_t> cellOf(points.size());
    m_cellStart.assign(cellCount + 1, 0);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const int c = std::clamp(int((points[i].x() - minX) / m_cellSize), 0, m_columns - 1);
        const int r = std::clamp(int((points[i].y() - minY) / m_cellSize), 0, m_rows - 1);
        cellOf[i] = std::uint32_t(r * m_columns + c);
        ++m_cellStart[cellOf[i] + 1];
    }
    for (std::size_t k = 0; k < cellCount; ++k)
        m_cellStart[k + 1] += m_cellStart[k];
    m_ids.resize(points.size());
    std::vector<std::uint32_t> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t i = 0; i < points.size(); ++i)
        m_ids[fill[cellOf[i]]++] = std::uint32_t(i);
}

bool SpatialGrid::cellRange(const QRectF& rect, int& c0, int& r0, int& c1, int& r1) const
{
    const QRectF r = rect.normalized();
    if (r.right() < m_bounds.left() || r.left() > m_bounds.right() || r.bottom() < m_bounds.top()
        || r.top() > m_bounds.bottom())
        return false;
    auto column = [&](double x) { return std::clamp(int(std::floor((x - m_bounds.left()) / m_cellSize)), 0, m_columns - 1); };
    auto row = [&](double y) { return std::clamp(int(std::floor((y - m_bounds.top()) / m_cellSize)), 0, m_rows - 1); };
    c0 = column(r.left());
    c1 = column(r.right());
    r0 = row(r.top());
    r1 = row(r.bottom());
    return true;
}

std::vector<std::uint32_t> SpatialGrid::pointsIn(const QRectF& rect) const
{
    std::vector<std::uint32_t> out;
    forEachIn(rect.normalized(), [&](std::uint32_t id) { out.push_back(id); });
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<std::uint32_t> SpatialGrid::nearest(QPointF at, double radius) const
{
    std::optional<std::uint32_t> best;
    double bestD2 = radius * radius;
    forEachIn(QRectF(at.x() - radius, at.y() - radius, 2 * radius, 2 * radius), [&](std::uint32_t id) {
        const double dx = m_points[id].x() - at.x(), dy = m_points[id].y() - at.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= bestD2 && (!best || d2 < bestD2 || id < *best)) {
            bestD2 = d2;
            best = id;
        }
    });
    return best;
}

} // namespace otalab::app
