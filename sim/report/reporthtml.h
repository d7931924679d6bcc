// SPDX-License-Identifier: Apache-2.0
// report.html: one self-contained page (inline CSS and SVG, no scripts, no external files).
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// Key figures table (outcomes, completion percentiles, energy in J / mAh / battery
// share, run facts), the three plots inline (completion CDF, fleet progress, energy),
// and the devices that did not upgrade with their reasons (the first
// kMaxListedDevices; the rest are counted and left to devices.csv).
QString reportHtml(const RunResult& result);

inline constexpr int kMaxListedDevices = 500;

} // namespace otalab::sim
