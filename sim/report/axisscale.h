// SPDX-License-Identifier: Apache-2.0
// AxisScale: "nice" axis ranges and tick positions for the report plots.
#pragma once

#include <QString>

#include <vector>

namespace otalab::sim {

// Ticks at multiples of 1, 2 or 5 × 10^k covering [min, max] (Heckbert, "Nice numbers
// for graph labels", Graphics Gems, 1990). The axis range is widened to the outer ticks.
struct AxisScale {
    double min = 0;
    double max = 1;
    double step = 0.2;
    std::vector<double> ticks;

    // `targetTicks` is a wish (typically 5..8); min == max is widened around the value.
    static AxisScale nice(double dataMin, double dataMax, int targetTicks = 6);
    // Tick label with just enough decimals for `step` ("0.25", "1,000" → "1000").
    QString label(double value) const;
};

// A unit for virtual-time axes chosen from the largest value: s up to 180 s, min up to
// 3 h, h beyond. value / divisor is in `unit`.
struct TimeUnit {
    double divisor = 1;
    QString unit = QStringLiteral("s");
    static TimeUnit forMaximum(double seconds);
};

} // namespace otalab::sim
