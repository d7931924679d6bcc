// SPDX-License-Identifier: Apache-2.0
#include "compare/comparecontroller.h"

#include "compare/faultscomparerows.h"
#include "rollout/rolloutcomparerows.h"

#include "sim/report/fleetsummary.h"

#include <QRegularExpression>

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

CompareRow textRow(const QString& figure, const QString& a, const QString& b)
{
    const bool differs = a != b;
    return CompareRow{figure, a.isEmpty() ? kNone : a, b.isEmpty() ? kNone : b,
                      differs ? QStringLiteral("different") : QStringLiteral("same"), differs};
}

// "failed" (or "refused") with its summary as tool tips, then one indented row per
// reason (the union of both runs' groups, largest first), at most kMaxReasonRows.
void outcomeRows(std::vector<CompareRow>& rows, const QString& what, int a, int b, const std::vector<FailureGroup>& ga,
                 const std::vector<FailureGroup>& gb)
{
    constexpr int kMaxReasonRows = 6;
    CompareRow head = countRow(what, a, b);
    head.tipA = failureSummary(ga, what, 10);
    head.tipB = failureSummary(gb, what, 10);
    rows.push_back(head);
    struct Reason {
        QString text;
        int a = 0, b = 0;
    };
    std::vector<Reason> reasons;
    auto add = [&reasons](const std::vector<FailureGroup>& groups, int Reason::*side) {
        for (const FailureGroup& g : groups) {
            auto it = std::find_if(reasons.begin(), reasons.end(), [&g](const Reason& r) { return r.text == g.reason; });
            if (it == reasons.end())
                it = reasons.insert(reasons.end(), Reason{g.reason});
            (*it).*side += g.count;
        }
    };
    add(ga, &Reason::a);
    add(gb, &Reason::b);
    std::stable_sort(reasons.begin(), reasons.end(), [](const Reason& x, const Reason& y) { return x.a + x.b > y.a + y.b; });
    int otherA = 0, otherB = 0;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        if (int(i) < kMaxReasonRows - 1 || reasons.size() == std::size_t(kMaxReasonRows)) {
            CompareRow r = countRow(reasons[i].text, reasons[i].a, reasons[i].b);
            r.detail = true;
            r.tipA = r.tipB = reasons[i].text;
            rows.push_back(r);
        } else {
            otherA += reasons[i].a;
            otherB += reasons[i].b;
        }
    }
    if (otherA + otherB > 0) {
        CompareRow r = countRow(QStringLiteral("other reasons"), otherA, otherB);
        r.detail = true;
        rows.push_back(r);
    }
}

// A fleet figure's value split into a leading number and what follows ("12121 s" → 12121, " s").
std::optional<std::pair<double, QString>> leadingNumber(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(-?[0-9]+(?:\\.[0-9]+)?)( \\S{1,6})?$"));
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return std::pair{m.captured(1).toDouble(), m.captured(2)};
}

// One family row by name: seconds as durations, "<number> <unit>" with their difference,
// anything else as text (long values elided, whole in the tool tip); "—" where a run lacks it.
CompareRow fleetFigureRow(const QString& name, const std::optional<QString>& a, const std::optional<QString>& b)
{
    constexpr qsizetype kMaxCell = 64;  // the table wraps what fits its column
    const auto na = a ? leadingNumber(*a) : std::nullopt;
    const auto nb = b ? leadingNumber(*b) : std::nullopt;
    CompareRow row;
    if (na && nb && na->second == nb->second) {
        const bool counts = na->second.isEmpty() && na->first == std::trunc(na->first) && nb->first == std::trunc(nb->first);
        if (na->second == QLatin1String(" s"))
            row = durationRow(name, na->first, nb->first);
        else if (counts)
            row = countRow(name, na->first, nb->first);
        else
            row = valueRow(name, na->first, nb->first, na->second.trimmed());
    } else {
        row = textRow(name, a.value_or(QString()), b.value_or(QString()));
        if (!a || !b)
            row.difference = kNone;
        for (QString* cell : {&row.a, &row.b})
            if (cell->size() > kMaxCell)
                *cell = cell->left(kMaxCell - 1) + QStringLiteral("…");
        row.tipA = a.value_or(QString());
        row.tipB = b.value_or(QString());
    }
    row.detail = false;
    return row;
}

// Share upgraded (0..1) and span from the first device's start to the last one's final
// state, over the devices of `fleet`.
struct FleetSpan {
    double upgradedShare = 0;
    std::optional<double> spanS;
};
FleetSpan fleetSpan(const sim::RunResult& r, const QString& fleet)
{
    int devices = 0, upgraded = 0;
    std::optional<double> first, last;
    for (const sim::DeviceResult& d : r.devices) {
        if (d.fleet != fleet)
            continue;
        ++devices;
        upgraded += d.outcome == sim::DeviceOutcome::Upgraded;
        if (d.startS)
            first = std::min(first.value_or(*d.startS), *d.startS);
        for (const std::optional<double>& end : {d.finishS, d.failedAtS})
            if (end)
                last = std::max(last.value_or(*end), *end);
    }
    FleetSpan s;
    s.upgradedShare = devices > 0 ? double(upgraded) / devices : 0.0;
    if (first && last && *last >= *first)
        s.spanS = *last - *first;
    return s;
}

// A section per fleet with family figures in either run (A's order, then B's others).
void fleetRows(std::vector<CompareRow>& rows, const sim::RunResult& a, const sim::RunResult& b)
{
    std::vector<const sim::FleetFiguresResult*> fleets;
    for (const auto* run : {&a, &b})
        for (const sim::FleetFiguresResult& f : run->fleetFigures)
            if (std::none_of(fleets.begin(), fleets.end(), [&f](const auto* g) { return g->fleet == f.fleet; }))
                fleets.push_back(&f);
    const auto figuresOf = [](const sim::RunResult& r, const QString& fleet) -> const sim::FleetFiguresResult* {
        for (const sim::FleetFiguresResult& f : r.fleetFigures)
            if (f.fleet == fleet)
                return &f;
        return nullptr;
    };
    for (const sim::FleetFiguresResult* fleet : fleets) {
        CompareRow heading{QStringLiteral("fleet “%1” (%2)").arg(fleet->fleet, fleet->family), {}, {}, {}, false};
        heading.heading = true;
        rows.push_back(heading);
        const FleetSpan sa = fleetSpan(a, fleet->fleet), sb = fleetSpan(b, fleet->fleet);
        rows.push_back(valueRow(QStringLiteral("completion"), sa.upgradedShare, sb.upgradedShare, QStringLiteral("%"), 100.0,
                                QStringLiteral("pp")));
        CompareRow span = durationRow(QStringLiteral("campaign span"), sa.spanS, sb.spanS);
        span.tipA = span.tipB = QStringLiteral("first device's start to the last device's final state");
        rows.push_back(span);
        const sim::FleetFiguresResult* fa = figuresOf(a, fleet->fleet);
        const sim::FleetFiguresResult* fb = figuresOf(b, fleet->fleet);
        QStringList names;
        for (const auto* f : {fa, fb})
            if (f)
                for (const sim::ResultAttribute& row : f->rows)
                    if (!names.contains(row.name))
                        names << row.name;
        const auto valueOf = [](const sim::FleetFiguresResult* f, const QString& name) -> std::optional<QString> {
            if (f)
                for (const sim::ResultAttribute& row : f->rows)
                    if (row.name == name)
                        return row.value;
            return std::nullopt;
        };
        for (const QString& name : std::as_const(names))
            rows.push_back(fleetFigureRow(name, valueOf(fa, name), valueOf(fb, name)));
    }
}

} // namespace

RunFigures RunFigures::of(const sim::RunResult& r, const QJsonObject& scenario)
{
    RunFigures f;
    const sim::FleetSummary s = sim::summarizeRun(r);
    f.devices = s.devices;
    f.upgraded = s.count(sim::DeviceOutcome::Upgraded);
    f.failed = s.count(sim::DeviceOutcome::Failed);
    f.refused = s.count(sim::DeviceOutcome::Refused);
    f.p50S = r.completionPercentile(50);
    f.p90S = r.completionPercentile(90);
    f.p95S = r.completionPercentile(95);
    f.p100S = r.completionPercentile(100);
    f.meanUpdateEnergyJ = s.updateEnergyJ.mean;
    f.maxBatteryShare = s.batteryShare.max;
    f.batteryName = r.batteryName;
    // A custom voltage ("batteryVoltageV") is not in the battery's name: the scenario has it.
    const double custom = scenario.value(QStringLiteral("device")).toObject().value(QStringLiteral("batteryVoltageV")).toDouble(0);
    f.batteryVoltageV = custom > 0 ? custom : s.batteryVoltageV;
    f.meanUpdateChargeMah = f.meanUpdateEnergyJ / (3.6 * f.batteryVoltageV);
    f.failedReasons = groupFailures(r, sim::DeviceOutcome::Failed);
    f.refusedReasons = groupFailures(r, sim::DeviceOutcome::Refused);
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
    m_differences.clear();
    m_hiddenDifferences = 0;
    if (m_runs.empty() || m_a < 0 || m_b < 0)
        return;
    m_differences = diffScenarios(m_runs[std::size_t(m_a)].scenario, m_runs[std::size_t(m_b)].scenario, kMaxDifferences,
                                  &m_hiddenDifferences);
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
    const LabRunRecord& ra = m_runs[std::size_t(m_a)];
    const LabRunRecord& rb = m_runs[std::size_t(m_b)];
    const RunFigures a = RunFigures::of(ra.result, ra.scenario);
    const RunFigures b = RunFigures::of(rb.result, rb.scenario);
    std::vector<CompareRow> rows;
    rows.push_back(countRow(QStringLiteral("devices"), a.devices, b.devices));
    rows.push_back(countRow(QStringLiteral("upgraded"), a.upgraded, b.upgraded));
    outcomeRows(rows, QStringLiteral("failed"), a.failed, b.failed, a.failedReasons, b.failedReasons);
    if (a.refused + b.refused > 0)
        outcomeRows(rows, QStringLiteral("refused"), a.refused, b.refused, a.refusedReasons, b.refusedReasons);
    rows.push_back(durationRow(QStringLiteral("p50 completion"), a.p50S, b.p50S));
    rows.push_back(durationRow(QStringLiteral("p90 completion"), a.p90S, b.p90S));
    rows.push_back(durationRow(QStringLiteral("p95 completion"), a.p95S, b.p95S));
    rows.push_back(durationRow(QStringLiteral("p100 completion"), a.p100S, b.p100S));
    rows.push_back(valueRow(QStringLiteral("mean update energy"), a.meanUpdateEnergyJ, b.meanUpdateEnergyJ, QStringLiteral("J")));
    CompareRow charge = valueRow(QStringLiteral("mean update charge"), a.meanUpdateChargeMah, b.meanUpdateChargeMah,
                                 QStringLiteral("mAh"));
    charge.tipA = QStringLiteral("update energy ÷ (3.6 × %1 V)").arg(a.batteryVoltageV);
    charge.tipB = QStringLiteral("update energy ÷ (3.6 × %1 V)").arg(b.batteryVoltageV);
    rows.push_back(charge);
    rows.push_back(textRow(QStringLiteral("battery"), a.batteryName, b.batteryName));
    // The share names its battery when both runs use the same one (else the row above differs).
    const QString shareFigure = a.batteryName == b.batteryName && !a.batteryName.isEmpty()
                                    ? QStringLiteral("max share of %1").arg(a.batteryName)
                                    : QStringLiteral("max battery share");
    rows.push_back(valueRow(shareFigure, a.maxBatteryShare, b.maxBatteryShare, QStringLiteral("%"), 100.0, QStringLiteral("pp")));
    rows.push_back(countRow(QStringLiteral("block requests"), double(a.blockRequests), double(b.blockRequests)));
    rows.push_back(countRow(QStringLiteral("retries"), double(a.retries), double(b.retries)));
    rows.push_back(durationRow(QStringLiteral("virtual end time"), a.endTimeS, b.endTimeS));
    rows.push_back(valueRow(QStringLiteral("wall time"), a.wallSeconds, b.wallSeconds, QStringLiteral("s")));
    CompareRow fp{QStringLiteral("trace fingerprint"), hex64(a.fingerprint), hex64(b.fingerprint), QStringLiteral("identical"),
                  a.fingerprint != b.fingerprint};
    if (fp.differs)
        fp.difference = QStringLiteral("different");
    rows.push_back(fp);
    fleetRows(rows, ra.result, rb.result);
    appendRolloutRows(rows, ra.result, rb.result);  // app/gui/rollout
    appendFaultsRows(rows, ra.result, rb.result);   // app/gui/compare/faultscomparerows.h
    return rows;
}

QString CompareController::differenceSummary() const
{
    if (!canCompare() || m_a < 0 || m_b < 0)
        return {};
    if (m_a == m_b)
        return QStringLiteral("Run A and run B are the same run.");
    const LabRunRecord& a = m_runs[std::size_t(m_a)];
    const LabRunRecord& b = m_runs[std::size_t(m_b)];
    if (a.scenario.isEmpty() || b.scenario.isEmpty())
        return QStringLiteral("The scenario of run %1 was not kept: cannot tell which parameters differ.")
            .arg(a.scenario.isEmpty() ? QStringLiteral("A") : QStringLiteral("B"));
    const int n = int(m_differences.size()) + m_hiddenDifferences;
    if (n == 0)
        return QStringLiteral("Same scenario and seed: the runs should be identical (compare the trace fingerprints).");
    QStringList shown;
    for (std::size_t i = 0; i < m_differences.size() && i < 3; ++i)
        shown.append(m_differences[i].text());
    QString text = n == 1 ? QStringLiteral("1 scenario parameter differs: ")
                          : QStringLiteral("%1 scenario parameters differ: ").arg(n);
    text += shown.join(QStringLiteral("; "));
    if (n > int(shown.size()))
        text += QStringLiteral("; …");
    return text;
}

} // namespace otalab::app
