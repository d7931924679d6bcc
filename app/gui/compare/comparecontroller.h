// SPDX-License-Identifier: Apache-2.0
// CompareController: two kept runs → overlaid completion CDFs and a key-figures table.
#pragma once

#include "charts/completioncdf.h"
#include "lab/labtypes.h"
#include "sim/report/axisscale.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace otalab::app {

// One line of the key-figures table: the figure for run A and run B and B − A.
struct CompareRow {
    QString figure;       // "p50 completion"
    QString a, b;         // formatted values ("24.7 min", "—" when not defined)
    QString difference;   // "+1.2 min (+5 %)", "same", "different", "—"
    bool differs = false; // A and B differ (the view highlights the row)
};

// Key figures of one run (the rows of the table, as numbers).
struct RunFigures {
    int devices = 0, upgraded = 0, failed = 0;
    std::optional<double> p50S, p90S, p100S;  // completion percentiles, virtual s
    double meanUpdateEnergyJ = 0;
    double maxBatteryShare = 0;               // 0..1
    std::uint64_t blockRequests = 0, retries = 0;
    double endTimeS = 0, wallSeconds = 0;
    std::uint64_t fingerprint = 0;
    static RunFigures of(const sim::RunResult& result);
};

// Plain class (any single thread). setRuns() keeps a copy of the records; the selection
// defaults to the last two runs (A = second to last, B = last) and is clamped.
class CompareController {
public:
    void setRuns(std::vector<LabRunRecord> runs);
    const std::vector<LabRunRecord>& runs() const { return m_runs; }
    QStringList labels() const;

    // Indices into runs(); out-of-range values are clamped. A == B is allowed.
    void select(int a, int b);
    int first() const { return m_a; }
    int second() const { return m_b; }

    bool canCompare() const { return m_runs.size() >= 2; }
    // Empty when canCompare(), else what to do.
    QString message() const;

    std::vector<CompareRow> rows() const;
    // side 0 = A, 1 = B; x in cdfUnit(), y percent of the run's devices.
    const QList<QPointF>& cdfPoints(int side) const { return m_cdf[std::size_t(side & 1)]; }
    double upgradedPercent(int side) const { return m_percent[std::size_t(side & 1)]; }
    const sim::TimeUnit& cdfUnit() const { return m_unit; }
    double cdfAxisMax() const { return m_axisMax; }

private:
    void rebuild();

    std::vector<LabRunRecord> m_runs;
    int m_a = -1, m_b = -1;
    std::array<QList<QPointF>, 2> m_cdf;
    std::array<double, 2> m_percent{};
    sim::TimeUnit m_unit;
    double m_axisMax = 1;
};

} // namespace otalab::app
