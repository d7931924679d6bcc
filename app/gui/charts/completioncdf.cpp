// SPDX-License-Identifier: Apache-2.0
#include "charts/completioncdf.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

CdfCurve completionCdf(std::vector<double> times, int total, int maxSteps)
{
    std::erase_if(times, [](double t) { return !std::isfinite(t) || t < 0; });
    std::sort(times.begin(), times.end());
    CdfCurve curve;
    curve.completions = int(times.size());
    curve.total = std::max(total, curve.completions);
    curve.points.append(QPointF(0, 0));
    if (times.empty() || curve.total == 0)
        return curve;
    curve.lastCompletionS = times.back();
    const auto n = times.size();
    const auto steps = std::min<std::size_t>(n, std::size_t(std::max(1, maxSteps)));
    const double scale = 100.0 / curve.total;
    double previousY = 0;
    std::size_t previousRank = 0;
    for (std::size_t j = 1; j <= steps; ++j) {
        // rank (1-based) of the j-th plotted completion; the last one is rank n
        const std::size_t rank = steps == n ? j : std::max<std::size_t>(previousRank + 1, (j * n + steps - 1) / steps);
        const double t = times[rank - 1];
        const double y = scale * double(rank);
        curve.points.append(QPointF(t, previousY));
        curve.points.append(QPointF(t, y));
        previousY = y;
        previousRank = rank;
    }
    return curve;
}

double nearestRank(const std::vector<double>& sortedTimes, double percentile)
{
    if (sortedTimes.empty())
        return 0;
    const double p = std::clamp(percentile, 0.0, 100.0);
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(sortedTimes.size())));
    return sortedTimes[rank == 0 ? 0 : std::min(rank, sortedTimes.size()) - 1];
}

} // namespace otalab::app
