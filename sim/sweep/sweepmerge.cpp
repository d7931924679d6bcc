// SPDX-License-Identifier: Apache-2.0
#include "sim/sweep/sweepmerge.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

// Student t, two-sided 95 % (the 97.5 % quantile), for 1..30 degrees of freedom.
constexpr std::array<double, 30> kStudentT975{
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

double studentT975(int dof)
{
    if (dof < 1)
        return 0;
    return dof <= 30 ? kStudentT975[std::size_t(dof - 1)] : 1.96;
}

// Nearest rank: the smallest value with at least p % of the values ≤ it.
double nearestRank(const std::vector<double>& sorted, double p)
{
    const std::size_t n = sorted.size();
    std::size_t rank = std::size_t(std::ceil(p / 100.0 * double(n) - 1e-9));
    rank = std::clamp<std::size_t>(rank, 1, n);
    return sorted[rank - 1];
}

QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(const std::optional<double>& v) { return v && std::isfinite(*v) ? QString::number(*v, 'g', 17) : QString(); }

QJsonValue jsonNumber(const std::optional<double>& v) { return v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); }

QString hex16(std::uint64_t v) { return QStringLiteral("%1").arg(v, 16, 16, QLatin1Char('0')); }

// Column names of the axes: their labels, or their paths where two labels collide.
QStringList axisColumns(const SweepPlan& plan)
{
    QStringList labels;
    for (const SweepAxis& axis : plan.axes)
        labels << axis.label();
    QStringList out;
    for (int i = 0; i < plan.axes.size(); ++i)
        out << (labels.count(labels[i]) > 1 ? plan.axes[i].path.mid(2) : labels[i]);
    return out;
}

std::vector<SweepMetric> metricsWritten(bool withWallTime)
{
    std::vector<SweepMetric> out;
    for (int i = 0; i < kSweepMetricCount; ++i)
        if (withWallTime || SweepMetric(i) != SweepMetric::WallS)
            out.push_back(SweepMetric(i));
    return out;
}

Result<QString> writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    return QFileInfo(path).absoluteFilePath();
}

QJsonObject paramsObject(const QStringList& columns, const QList<QJsonValue>& point)
{
    QJsonObject params;
    for (int a = 0; a < columns.size() && a < point.size(); ++a)
        params.insert(columns[a], point[a]);
    return params;
}

constexpr std::array<const char*, 6> kStatColumns{"mean", "p5", "p50", "p95", "ci_low", "ci_high"};

std::array<double, 6> statValues(const SweepStats& s) { return {s.mean, s.p5, s.p50, s.p95, s.ciLow, s.ciHigh}; }

} // namespace

int SweepTable::failedRuns() const
{
    return int(std::count_if(runs.begin(), runs.end(), [](const SweepRunResult& r) { return !r.ok; }));
}

Result<SweepTable> readSweepTable(const SweepPlan& plan, const QString& sweepDir)
{
    SweepTable table;
    // One listing instead of a stat per run: the folders present.
    const QDir runsDir(QDir(sweepDir).filePath(QStringLiteral("runs")));
    QSet<QString> present;
    for (const QString& name : runsDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        present.insert(name);
    const int runs = int(plan.runCount());
    for (int i = 0; i < runs; ++i) {
        if (!present.contains(QStringLiteral("%1").arg(i, 6, 10, QLatin1Char('0')))) {
            table.missing.push_back(i);
            continue;
        }
        auto r = readSweepRunResult(plan, sweepDir, i);
        if (!r)
            return fail(r.error());
        if (r->has_value())
            table.runs.push_back(std::move(**r));
        else
            table.missing.push_back(i);
    }
    return table;
}

SweepStats sweepStatsOf(std::vector<double> values)
{
    SweepStats s;
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty())
        return s;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    s.n = int(n);
    double sum = 0;
    for (double v : values)
        sum += v;
    s.mean = sum / double(n);
    s.min = values.front();
    s.max = values.back();
    s.p5 = nearestRank(values, 5);
    s.p50 = nearestRank(values, 50);
    s.p95 = nearestRank(values, 95);
    s.ciLow = s.ciHigh = s.mean;
    if (n >= 2) {
        double squares = 0;
        for (double v : values)
            squares += (v - s.mean) * (v - s.mean);
        const double sd = std::sqrt(squares / double(n - 1));
        const double half = studentT975(int(n - 1)) * sd / std::sqrt(double(n));
        s.ciLow = s.mean - half;
        s.ciHigh = s.mean + half;
    }
    return s;
}

std::vector<SweepPointSummary> summarizeSweep(const SweepPlan& plan, const SweepTable& table)
{
    const int points = int(plan.pointCount());
    std::vector<SweepPointSummary> out(std::size_t(std::max(points, 0)));
    std::vector<std::vector<const SweepRunResult*>> runsOf(out.size());
    for (const SweepRunResult& r : table.runs)
        if (r.run.pointIndex >= 0 && r.run.pointIndex < points)
            runsOf[std::size_t(r.run.pointIndex)].push_back(&r);
    for (int p = 0; p < points; ++p) {
        SweepPointSummary& s = out[std::size_t(p)];
        s.pointIndex = p;
        s.point = plan.point(p);
        const auto& runs = runsOf[std::size_t(p)];
        s.runs = int(runs.size());
        for (const SweepRunResult* r : runs)
            s.failedRuns += r->ok ? 0 : 1;
        for (int m = 0; m < kSweepMetricCount; ++m) {
            std::vector<double> values;
            for (const SweepRunResult* r : runs)
                if (r->ok && r->metrics[std::size_t(m)])
                    values.push_back(*r->metrics[std::size_t(m)]);
            if (!values.empty())
                s.stats[std::size_t(m)] = sweepStatsOf(std::move(values));
        }
    }
    return out;
}

Result<QStringList> writeSweepTables(const SweepPlan& plan, const SweepTable& table,
                                     const std::vector<SweepPointSummary>& summary, const QString& sweepDir,
                                     bool withWallTime)
{
    const QStringList axes = axisColumns(plan);
    const std::vector<SweepMetric> metrics = metricsWritten(withWallTime);
    const QDir dir(sweepDir);
    if (!QDir().mkpath(sweepDir))
        return fail(Error{QStringLiteral("cannot create the folder %1").arg(sweepDir), sweepDir, -1});
    QStringList written;

    // sweep-runs.csv
    {
        QStringList header{QStringLiteral("index"), QStringLiteral("point"), QStringLiteral("seed")};
        for (const QString& a : axes)
            header << csvField(a);
        for (SweepMetric m : metrics)
            header << sweepMetricName(m);
        header << QStringLiteral("fingerprint") << QStringLiteral("ok") << QStringLiteral("error");
        QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
        for (const SweepRunResult& r : table.runs) {
            QStringList row{QString::number(r.run.index), QString::number(r.run.pointIndex), QString::number(r.run.seed)};
            for (int a = 0; a < axes.size(); ++a)
                row << csvField(a < r.run.point.size() ? SweepAxis::valueText(r.run.point[a]) : QString());
            for (SweepMetric m : metrics)
                row << csvNumber(r.metric(m));
            row << hex16(r.fingerprint) << (r.ok ? QStringLiteral("true") : QStringLiteral("false")) << csvField(r.error);
            csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        auto path = writeFile(dir.filePath(QStringLiteral("sweep-runs.csv")), csv.toUtf8());
        if (!path)
            return fail(path.error());
        written << *path;
    }

    // sweep-runs.json
    {
        QJsonArray axesJson;
        for (int a = 0; a < plan.axes.size(); ++a)
            axesJson.append(QJsonObject{{QStringLiteral("path"), plan.axes[a].path}, {QStringLiteral("label"), axes[a]}});
        QJsonArray metricNames;
        for (SweepMetric m : metrics)
            metricNames.append(sweepMetricName(m));
        QJsonArray runs;
        for (const SweepRunResult& r : table.runs) {
            QJsonObject values;
            for (SweepMetric m : metrics)
                values.insert(sweepMetricName(m), jsonNumber(r.metric(m)));
            runs.append(QJsonObject{{QStringLiteral("index"), r.run.index},
                                    {QStringLiteral("point"), r.run.pointIndex},
                                    {QStringLiteral("seed"), double(r.run.seed)},
                                    {QStringLiteral("params"), paramsObject(axes, r.run.point)},
                                    {QStringLiteral("metrics"), values},
                                    {QStringLiteral("fingerprint"), hex16(r.fingerprint)},
                                    {QStringLiteral("ok"), r.ok},
                                    {QStringLiteral("error"), r.error}});
        }
        QJsonArray missing;
        for (int i : table.missing)
            missing.append(i);
        const QJsonObject doc{{QStringLiteral("plan"), plan.identity()},
                              {QStringLiteral("scenario"), plan.scenarioPath},
                              {QStringLiteral("axes"), axesJson},
                              {QStringLiteral("metrics"), metricNames},
                              {QStringLiteral("runCount"), double(plan.runCount())},
                              {QStringLiteral("failed"), table.failedRuns()},
                              {QStringLiteral("missing"), missing},
                              {QStringLiteral("runs"), runs}};
        auto path = writeFile(dir.filePath(QStringLiteral("sweep-runs.json")), QJsonDocument(doc).toJson(QJsonDocument::Indented));
        if (!path)
            return fail(path.error());
        written << *path;
    }

    // sweep-summary.csv
    {
        QStringList header{QStringLiteral("point")};
        for (const QString& a : axes)
            header << csvField(a);
        header << QStringLiteral("runs") << QStringLiteral("failed");
        for (SweepMetric m : metrics)
            for (const char* stat : kStatColumns)
                header << sweepMetricName(m) + QLatin1Char('_') + QLatin1String(stat);
        QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
        for (const SweepPointSummary& p : summary) {
            QStringList row{QString::number(p.pointIndex)};
            for (int a = 0; a < axes.size(); ++a)
                row << csvField(a < p.point.size() ? SweepAxis::valueText(p.point[a]) : QString());
            row << QString::number(p.runs) << QString::number(p.failedRuns);
            for (SweepMetric m : metrics) {
                const auto& s = p.stats[std::size_t(m)];
                for (std::size_t k = 0; k < kStatColumns.size(); ++k)
                    row << (s ? csvNumber(statValues(*s)[k]) : QString());
            }
            csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
        auto path = writeFile(dir.filePath(QStringLiteral("sweep-summary.csv")), csv.toUtf8());
        if (!path)
            return fail(path.error());
        written << *path;
    }

    // sweep-summary.json
    {
        QJsonArray points;
        for (const SweepPointSummary& p : summary) {
            QJsonObject stats;
            for (SweepMetric m : metrics) {
                const auto& s = p.stats[std::size_t(m)];
                if (!s) {
                    stats.insert(sweepMetricName(m), QJsonValue(QJsonValue::Null));
                    continue;
                }
                stats.insert(sweepMetricName(m), QJsonObject{{QStringLiteral("n"), s->n},
                                                             {QStringLiteral("mean"), jsonNumber(s->mean)},
                                                             {QStringLiteral("p5"), jsonNumber(s->p5)},
                                                             {QStringLiteral("p50"), jsonNumber(s->p50)},
                                                             {QStringLiteral("p95"), jsonNumber(s->p95)},
                                                             {QStringLiteral("ci_low"), jsonNumber(s->ciLow)},
                                                             {QStringLiteral("ci_high"), jsonNumber(s->ciHigh)},
                                                             {QStringLiteral("min"), jsonNumber(s->min)},
                                                             {QStringLiteral("max"), jsonNumber(s->max)}});
            }
            points.append(QJsonObject{{QStringLiteral("point"), p.pointIndex},
                                      {QStringLiteral("params"), paramsObject(axes, p.point)},
                                      {QStringLiteral("runs"), p.runs},
                                      {QStringLiteral("failed"), p.failedRuns},
                                      {QStringLiteral("stats"), stats}});
        }
        const QJsonObject doc{{QStringLiteral("plan"), plan.identity()},
                              {QStringLiteral("scenario"), plan.scenarioPath},
                              {QStringLiteral("seeds"), double(plan.seeds.size())},
                              {QStringLiteral("points"), points}};
        auto path = writeFile(dir.filePath(QStringLiteral("sweep-summary.json")), QJsonDocument(doc).toJson(QJsonDocument::Indented));
        if (!path)
            return fail(path.error());
        written << *path;
    }
    return written;
}

} // namespace otalab::sim
