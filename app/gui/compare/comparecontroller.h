// SPDX-License-Identifier: Apache-2.0
// CompareController: two kept runs → overlaid completion CDFs and a key-figures table.
#pragma once

#include "charts/completioncdf.h"
#include "compare/failuregroups.h"
#include "compare/scenariodiff.h"
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
    bool detail = false;  // a breakdown of the row above (failure reasons): indented
    QString tipA, tipB;   // longer text for the cells' tool tips (failure summaries)
    bool heading = false; // starts a section (a fleet's own figures): figure only, spans the row
};

// Key figures of one run (the rows of the table, as numbers).
struct RunFigures {
    int devices = 0, upgraded = 0, failed = 0, refused = 0;
    std::optional<double> p50S, p90S, p95S, p100S;  // completion percentiles, virtual s
    double meanUpdateEnergyJ = 0;
    double meanUpdateChargeMah = 0;           // meanUpdateEnergyJ / (3.6 × batteryVoltageV)
    double maxBatteryShare = 0;               // 0..1
    QString batteryName;                      // RunResult::batteryName ("CR2032 (225 mAh)")
    double batteryVoltageV = 3.0;             // the scenario's device.batteryVoltageV, else from the name
    std::vector<FailureGroup> failedReasons, refusedReasons;
    std::uint64_t blockRequests = 0, retries = 0;
    double endTimeS = 0, wallSeconds = 0;
    std::uint64_t fingerprint = 0;
    // `scenario`: the run's scenario JSON (may be empty), for a custom battery voltage.
    static RunFigures of(const sim::RunResult& result, const QJsonObject& scenario = {});
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

    // The neutral figures, then for each fleet whose family adds fleet figures
    // (RunResult::fleetFigures) a heading, the fleet's completion and campaign span from
    // its devices' results, and the family's rows matched by name, both runs side by side.
    std::vector<CompareRow> rows() const;
    // Scenario parameters whose values differ between A and B (LabRunRecord::scenario
    // diffed by JSON path), at most kMaxDifferences; hiddenDifferences() counts the rest.
    static constexpr int kMaxDifferences = 200;
    const std::vector<ParameterDifference>& parameterDifferences() const { return m_differences; }
    int hiddenDifferences() const { return m_hiddenDifferences; }
    // One sentence on what differs: "1 scenario parameter differs: server.blockResponseDelayMs
    // 250 → 100", "Same scenario and seed: …", or why it cannot tell. Empty unless canCompare().
    QString differenceSummary() const;
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
    std::vector<ParameterDifference> m_differences;
    int m_hiddenDifferences = 0;
};

} // namespace otalab::app
