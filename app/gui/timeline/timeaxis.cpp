// SPDX-License-Identifier: Apache-2.0
#include "timeline/timeaxis.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace otalab::app {

double timeAxisStep(double secondsPerPixel, double minPixels)
{
    const double minStep = std::max(secondsPerPixel * minPixels, 1e-6);
    if (minStep < 1.0) {
        const double decade = std::pow(10.0, std::floor(std::log10(minStep)));
        for (double m : {1.0, 2.0, 5.0, 10.0}) {
            if (m * decade >= minStep * (1 - 1e-9))
                return m * decade;
        }
        return 1.0;
    }
    static constexpr std::array<double, 21> kSteps = {
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
        86400, 172800, 432000, 864000};
    for (double s : kSteps) {
        if (s >= minStep)
            return s;
    }
    return std::ceil(minStep / 864000.0) * 864000.0;
}

QString timeAxisLabel(double timeS, double stepS)
{
    if (stepS < 1.0) {
        const int decimals = std::clamp(int(std::ceil(-std::log10(stepS) - 1e-9)), 1, 6);
        if (timeS < 1.0 && stepS >= 0.001)
            return QStringLiteral("%1 ms").arg(timeS * 1000.0, 0, 'f', std::max(0, decimals - 3));
        return QStringLiteral("%1 s").arg(timeS, 0, 'f', decimals);
    }
    const auto total = static_cast<long long>(std::llround(timeS));
    const long long h = total / 3600, min = (total / 60) % 60, s = total % 60;
    if (stepS < 60.0) {
        if (total < 60)
            return QStringLiteral("%1 s").arg(s);
        if (h == 0)
            return s == 0 ? QStringLiteral("%1 min").arg(min) : QStringLiteral("%1 min %2 s").arg(min).arg(s);
        return QStringLiteral("%1:%2:%3").arg(h).arg(min, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    }
    if (stepS < 3600.0) {
        if (h == 0)
            return QStringLiteral("%1 min").arg(min);
        return min == 0 ? QStringLiteral("%1 h").arg(h) : QStringLiteral("%1 h %2 min").arg(h).arg(min);
    }
    if (h >= 48 && stepS >= 86400.0)
        return QStringLiteral("%1 d").arg(h / 24);
    return QStringLiteral("%1 h").arg(h);
}

} // namespace otalab::app
