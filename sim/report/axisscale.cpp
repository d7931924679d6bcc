// SPDX-License-Identifier: Apache-2.0
#include "sim/report/axisscale.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

double niceNumber(double range, bool round)
{
    const double exponent = std::floor(std::log10(range));
    const double fraction = range / std::pow(10.0, exponent);
    double nice = 10;
    if (round)
        nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    else
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * std::pow(10.0, exponent);
}

} // namespace

AxisScale AxisScale::nice(double dataMin, double dataMax, int targetTicks)
{
    if (!std::isfinite(dataMin) || !std::isfinite(dataMax)) {
        dataMin = 0;
        dataMax = 1;
    }
    if (dataMax < dataMin)
        std::swap(dataMin, dataMax);
    if (dataMax - dataMin < 1e-12) {
        const double pad = std::abs(dataMax) > 0 ? std::abs(dataMax) * 0.5 : 1.0;
        dataMin = dataMin >= 0 && dataMin - pad < 0 ? 0 : dataMin - pad;
        dataMax += pad;
    }
    AxisScale s;
    const double range = niceNumber(dataMax - dataMin, false);
    s.step = niceNumber(range / std::max(1, targetTicks - 1), true);
    s.min = std::floor(dataMin / s.step) * s.step;
    s.max = std::ceil(dataMax / s.step) * s.step;
    const int count = int(std::llround((s.max - s.min) / s.step));
    for (int i = 0; i <= count && i <= 1000; ++i) {
        double v = s.min + i * s.step;
        if (std::abs(v) < s.step * 1e-9)
            v = 0;  // no "-0" or 1e-17 labels
        s.ticks.push_back(v);
    }
    return s;
}

QString AxisScale::label(double value) const
{
    const int decimals = std::clamp(int(-std::floor(std::log10(step) + 1e-9)), 0, 6);
    return QString::number(value, 'f', decimals);
}

TimeUnit TimeUnit::forMaximum(double seconds)
{
    if (seconds > 3 * 3600.0)
        return TimeUnit{3600.0, QStringLiteral("h")};
    if (seconds > 180.0)
        return TimeUnit{60.0, QStringLiteral("min")};
    return TimeUnit{};
}

} // namespace otalab::sim
