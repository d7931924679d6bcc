// SPDX-License-Identifier: Apache-2.0
#include "app/cli/sweep_merge_report.h"

#include "sim/report/fleetsummary.h"
#include "sim/sweep/sweepplots.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace otalab::cli {

namespace {

constexpr int kMaxPointLines = 40;
constexpr int kMaxFailedLines = 20;

QString pointParams(const sim::SweepPlan& plan, const QList<QJsonValue>& point)
{
    QStringList parts;
    for (int a = 0; a < plan.axes.size() && a < point.size(); ++a)
        parts << QStringLiteral("%1=%2").arg(plan.axes[a].label(), sim::SweepAxis::valueText(point[a]));
    return parts.isEmpty() ? QStringLiteral("(the scenario)") : parts.join(QStringLiteral(", "));
}

// The mean of a metric at a point as people read it, "—" without a value.
QString meanText(const sim::SweepPointSummary& p, sim::SweepMetric metric)
{
    const auto& stats = p.stats[std::size_t(metric)];
    if (!stats || stats->n == 0)
        return QStringLiteral("—");
    const QString unit = sim::sweepMetricUnit(metric);
    if (unit == QLatin1String("s"))
        return sim::formatDuration(stats->mean);
    if (unit == QLatin1String("%"))
        return QStringLiteral("%1 %").arg(stats->mean, 0, 'f', 1);
    if (unit == QLatin1String("J"))
        return QStringLiteral("%1 J").arg(stats->mean, 0, 'g', 3);
    return QString::number(stats->mean, 'g', 4);
}

} // namespace

QString sweepRunParams(const sim::SweepPlan& plan, const sim::SweepRunSpec& run)
{
    QStringList parts;
    for (int a = 0; a < plan.axes.size() && a < run.point.size(); ++a)
        parts << QStringLiteral("%1=%2").arg(plan.axes[a].label(), sim::SweepAxis::valueText(run.point[a]));
    parts << QStringLiteral("seed %1").arg(run.seed);
    return parts.join(QStringLiteral(", "));
}

QString indexRanges(const std::vector<int>& indices, int maxItems)
{
    QStringList items;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
            ++j;
        if (int(items.size()) == maxItems) {
            items << QStringLiteral("…");
            break;
        }
        items << (j == i ? QString::number(indices[i]) : QStringLiteral("%1-%2").arg(indices[i]).arg(indices[j]));
        i = j + 1;
    }
    return items.join(QStringLiteral(", "));
}

Result<SweepMerged> mergeSweepFolder(const sim::SweepPlan& plan, const QString& sweepDir, bool withWallTime)
{
    auto table = sim::readSweepTable(plan, sweepDir);
    if (!table)
        return std::unexpected(table.error());
    SweepMerged merged;
    merged.table = std::move(*table);
    merged.summary = sim::summarizeSweep(plan, merged.table);
    auto tables = sim::writeSweepTables(plan, merged.table, merged.summary, sweepDir, withWallTime);
    if (!tables)
        return std::unexpected(tables.error());
    auto plots = sim::writeSweepPlots(plan, merged.table, merged.summary, sweepDir);
    if (!plots)
        return std::unexpected(plots.error());
    QStringList all = *tables + *plots;
    // sweep.html first: the page people open.
    std::stable_partition(all.begin(), all.end(), [](const QString& f) { return QFileInfo(f).fileName() == QLatin1String("sweep.html"); });
    merged.files = all;
    return merged;
}

void printSweepMerge(const sim::SweepPlan& plan, const SweepMerged& merged, const QString& sweepDir, QTextStream& out)
{
    using M = sim::SweepMetric;
    // The point column as wide as its widest entry (bounded).
    int width = 5;
    for (const sim::SweepPointSummary& p : merged.summary)
        width = std::max(width, int(pointParams(plan, p.point).size()));
    width = std::min(width, 60);
    out << QStringLiteral("point").leftJustified(width) << "  runs failed   upgraded           p95           end  update energy\n";
    int shown = 0;
    for (const sim::SweepPointSummary& p : merged.summary) {
        if (shown++ == kMaxPointLines) {
            out << "… " << (merged.summary.size() - kMaxPointLines) << " more points in "
                << QDir(sweepDir).filePath(QStringLiteral("sweep-summary.csv")) << "\n";
            break;
        }
        out << pointParams(plan, p.point).leftJustified(width) << "  " << QString::number(p.runs).rightJustified(4) << " "
            << QString::number(p.failedRuns).rightJustified(6) << " " << meanText(p, M::UpgradedPct).rightJustified(10) << " "
            << meanText(p, M::P95S).rightJustified(13) << " " << meanText(p, M::EndS).rightJustified(13) << " "
            << meanText(p, M::UpdateEnergyJMean).rightJustified(14) << "\n";
    }
    const int total = int(plan.runCount());
    const int failed = merged.table.failedRuns();
    if (plan.seeds.size() > 1)
        out << "(means over " << plan.seeds.size() << " seeds per point; p5/p50/p95 and 95 % intervals in sweep-summary.csv)\n";
    int listed = 0;
    for (const sim::SweepRunResult& r : merged.table.runs) {
        if (r.ok)
            continue;
        if (listed++ == kMaxFailedLines) {
            out << "… " << (failed - kMaxFailedLines) << " more failed runs in sweep-runs.csv\n";
            break;
        }
        out << "failed: run " << r.run.index << " (" << sweepRunParams(plan, r.run) << "): " << r.error << "\n";
    }
    if (!merged.table.missing.empty())
        out << "missing: " << merged.table.missing.size() << " of " << total << " runs have no result yet: "
            << indexRanges(merged.table.missing) << "\n";
    out << int(merged.table.runs.size()) - failed << " of " << total << " runs ok, " << failed << " failed, "
        << merged.table.missing.size() << " missing\n";
    if (!merged.files.isEmpty()) {
        out << "sweep: " << QFileInfo(merged.files.first()).absoluteFilePath() << "\n";
        QStringList others;
        for (int i = 1; i < merged.files.size(); ++i)
            others << QFileInfo(merged.files[i]).fileName();
        if (!others.isEmpty())
            out << "  also: " << others.join(QStringLiteral(", ")) << "\n";
    }
    out.flush();
}

} // namespace otalab::cli
