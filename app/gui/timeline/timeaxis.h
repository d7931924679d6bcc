// SPDX-License-Identifier: Apache-2.0
// Tick spacing and labels of the timeline's virtual-time axis (pure functions, no widgets).
#pragma once

#include <QString>

namespace otalab::app {

// The smallest "nice" step (1, 2, 5 × 10^k s below a minute; 1, 2, 5, 10, 15, 30 min;
// 1, 2, 3, 6, 12, 24 h ...) whose ticks are at least `minPixels` apart when one pixel
// spans `secondsPerPixel` virtual seconds. Always > 0.
double timeAxisStep(double secondsPerPixel, double minPixels);

// Label of the tick at `timeS` (seconds, ≥ 0) on an axis with tick `stepS`, in the
// units the step suggests: "250 ms", "12 s", "1 min 30 s", "45 min", "2 h 15 min", "3 h".
QString timeAxisLabel(double timeS, double stepS);

} // namespace otalab::app
