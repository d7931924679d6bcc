// SPDX-License-Identifier: Apache-2.0
// The three report plots of a RunResult as standalone SVG documents.
#pragma once

#include "sim/report/runresult.h"

#include <QString>

namespace otalab::sim {

// Series colours shared by the plots and report.html.
namespace plotcolors {
inline const QString upgraded = QStringLiteral("#2e8b57");
inline const QString downloading = QStringLiteral("#3b75af");
inline const QString failed = QStringLiteral("#d1495b");
inline const QString other = QStringLiteral("#9a9a9a");
inline const QString accent = QStringLiteral("#e08a1e");
} // namespace plotcolors

// Completion-time CDF: share of all listed devices (%) that had upgraded by each virtual
// time (step line, series "upgraded"), with dashed p50 / p95 markers. Devices that never
// upgraded keep the curve below 100 %.
QString completionCdfSvg(const RunResult& result);

// Fleet progress over virtual time from RunResult::progress: series "upgraded",
// "downloading" and "failed" (devices).
QString progressSvg(const RunResult& result);

// Update energy per device (DeviceResult::updateEnergyJ, in mJ or J): up to 150 devices
// one bar each, sorted ascending and coloured by outcome (series "devices"); more as a
// 40-bin histogram (series "histogram"). A dashed marker shows the mean.
QString energySvg(const RunResult& result);

} // namespace otalab::sim
