// SPDX-License-Identifier: Apache-2.0
#include "compare/comparecontroller.h"

#include "sim/report/fleetsummary.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

const QString kNone = QStringLiteral("—");

QString signedText(double d, const QString& magnitude)
{
    return (d > 0 ? QStringLiteral("+") : QStringLiteral("−")) + magnitude;
}

QString percentSuffix(double a, double d)
{
    if (a == 0 || !std::isfinite(d / a))
        return {};
    return QStringLiteral(" (%1%2 %)").arg(d > 0 ? QStringLiteral("+") : QStringLiteral("−")).arg(std::abs(100.0 * d / a), 0, 'g', 3);
}

CompareRow countRow(const QString& figure, double a, double b)
{
    const double d = b - a;
    CompareRow row{figure, QString::number(a, 'f', 0), QString::number(b, 'f', 0), QStringLiteral("same"), d != 0};
    if (d != 0)
        row.difference = signedText(d, QString::number(std::abs(d), 'f', 0)) + percentSuffix(a, d);
    return row;
}

CompareRow durationRow(const QString& figure, std::optional<double> a, std::optional<double> b)
{
    CompareRow row{figure, a ? sim::formatDuration(*a) : kNone, b ? sim::formatDuration(*b) : kNone, kNone, a.has_value() != b.has_value()};
    if (a && b) {
        const double d = *b - *a;
        row.differs = d != 0;
        row.difference = d == 0 ? QStringLiteral("same") : signedText(d, sim::formatDuration(std::abs(d))) + percentSuffix(*a, d);
    }
    return row;
}

// Values with `unit`, `scale` applied for display (e.g. 100 for a share in %).
// `differenceUnit` defaults to `unit` ("pp" for a difference of percentages).
CompareRow valueRow(const QString& figure, double a, double b, const QString& unit, double scale = 1,
                    QString differenceUnit = {})
{
    auto text = [&](double v, const QString& u) { return QStringLiteral("%1 %2").arg(v * scale, 0, 'g', 3).arg(u); };
    if (differenceUnit.isEmpty())
        differenceUnit = unit;
    const double d = b - a;
    CompareRow row{figure, text(a, unit), text(b, unit), QStringLiteral("same"), d != 0};
    if (d != 0)
        row.difference = signedText(d, text(std::abs(d), differenceUnit)) + percentSuffix(a, d);
    return row;
}

QString hex64(std::uint64_t v)
{
    return QStringLiteral("0x%1").arg(v, 16, 16, QLatin1Char('0'));
}

} // namespace

RunFigures RunFigures::of(const sim::RunResult& r)
{
    RunFigures f;
    const sim::FleetSummary s = sim::summarizeRun(r);
    f.devices = s.devices;
    f.upgraded = s.count(sim::DeviceOutcome::Upgraded);
    f.failed = s.count(sim::DeviceOutcome::Failed);
    f.p50S = r.completionPercentile(50);
    f.p90S = r.completionPercentile(90);
    f.p100S = r.completionPercentile(100);
    f.meanUpdateEnergyJ = s.updateEnergyJ.mean;
    f.maxBatteryShare = s.batteryShare.max;
    for (const sim::DeviceResult& d : r.devices) {
        f.blockRequests += d.requests;
        f.retries += d.retries;
    }
    f.endTimeS = r.endTimeS;
    f.wallSeconds = r.wallSeconds;
    f.fingerprint = r.traceFingerprint;
    return f;
}

void CompareController::setRuns(std::vector<LabRunRecord> runs)
{
    m_runs = std::move(runs);
    const int n = int(m_runs.size());
    m_a = n >= 2 ? n - 2 : n - 1;
    m_b = n - 1;
    rebuild();
}

QStringList CompareController::labels() const
{
    QStringList out;
    for (const LabRunRecord& r : m_runs)
        out.append(r.label);
    return out;
}

void CompareController::select(int a, int b)
{
    const int last = int(m_runs.size()) - 1;
    m_a = std::clamp(a, std::min(0, last), last);
    m_b = std::clamp(b, std::min(0, last), last);
    rebuild();
}

QString CompareController::message() const
{
    if (canCompare())
        return {};
    return QStringLiteral("Finish two runs — e.g. change the block size and run again — to compare them "
                          "(%1 kept so far).").arg(m_runs.size());
}

void CompareController::rebuild()
{
    m_cdf = {};
    m_percent = {};
    m_unit = {};
    m_axisMax = 1;
    if (m_runs.empty() || m_a < 0 || m_b < 0)
        return;
    std::array<CdfCurve, 2> curves;
    double lastS = 0;
    for (int side = 0; side < 2; ++side) {
        const sim::RunResult& r = m_runs[std::size_t(side == 0 ? m_a : m_b)].result;
        std::vector<double> times;
        for (const sim::DeviceResult& d : r.devices)
            if (d.outcome == sim::DeviceOutcome::Upgraded && d.finishS)
                times.push_back(*d.finishS);
        curves[std::size_t(side)] = completionCdf(std::move(times), int(r.devices.size()));
        lastS = std::max(lastS, curves[std::size_t(side)].lastCompletionS);
    }
    m_unit = sim::TimeUnit::forMaximum(lastS);
    m_axisMax = sim::AxisScale::nice(0, std::max(lastS / m_unit.divisor, 1e-9), 7).max;
    for (int side = 0; side < 2; ++side) {
        const CdfCurve& c = curves[std::size_t(side)];
        QList<QPointF>& out = m_cdf[std::size_t(side)];
        for (const QPointF& p : c.points)
            out.append(QPointF(p.x() / m_unit.divisor, p.y()));
        // Continue the plateau to the right edge so the curves are comparable at a glance.
        if (c.completions > 0 && c.lastCompletionS / m_unit.divisor < m_axisMax)
            out.append(QPointF(m_axisMax, c.finalPercent()));
        m_percent[std::size_t(side)] = c.finalPercent();
    }
}

std::vector<CompareRow> CompareController::rows() const
{
    if (m_runs.empty() || m_a < 0 || m_b < 0)
        return {};
    const RunFigures a = RunFigures::of(m_runs[std::size_t(m_a)].result);
    const RunFigures b = RunFigures::of(m_runs[std::size_t(m_b)].result);
    std::vector<CompareRow> rows;
    rows.push_back(countRow(QStringLiteral("devices"), a.devices, b.devices));
    rows.push_back(countRow(QStringLiteral("upgraded"), a.upgraded, b.upgraded));
    rows.push_back(countRow(QStringLiteral("failed"), a.failed, b.failed));
    rows.push_back(durationRow(QStringLiteral("p50 completion"), a.p50S, b.p50S));
    rows.push_back(durationRow(QStringLiteral("p90 completion"), a.p90S, b.p90S));
    rows.push_back(durationRow(QStringLiteral("p100 completion"), a.p100S, b.p100S));
    rows.push_back(valueRow(QStringLiteral("mean update energy"), a.meanUpdateEnergyJ, b.meanUpdateEnergyJ, QStringLiteral("J")));
    rows.push_back(valueRow(QStringLiteral("max battery share"), a.maxBatteryShare, b.maxBatteryShare, QStringLiteral("%"), 100.0,
                            QStringLiteral("pp")));
    rows.push_back(countRow(QStringLiteral("block requests"), double(a.blockRequests), double(b.blockRequests)));
    rows.push_back(countRow(QStringLiteral("retries"), double(a.retries), double(b.retries)));
    rows.push_back(durationRow(QStringLiteral("virtual end time"), a.endTimeS, b.endTimeS));
    rows.push_back(valueRow(QStringLiteral("wall time"), a.wallSeconds, b.wallSeconds, QStringLiteral("s")));
    CompareRow fp{QStringLiteral("trace fingerprint"), hex64(a.fingerprint), hex64(b.fingerprint), QStringLiteral("identical"),
                  a.fingerprint != b.fingerprint};
    if (fp.differs)
        fp.difference = QStringLiteral("different");
    rows.push_back(fp);
    return rows;
}

} // namespace otalab::app
