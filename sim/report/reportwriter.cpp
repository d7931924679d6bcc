// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportwriter.h"

#include "sim/report/faultscsv.h"
#include "sim/report/fleetplots.h"
#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportplots.h"
#include "sim/report/rolloutcsv.h"
#include "sim/report/rolloutplots.h"

#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>

#include <utility>
#include <vector>

namespace otalab::sim {

void appendFleetCharts(const RunResult& result, std::vector<std::pair<QString, QByteArray>>& files)
{
    int timelines = 0, budgets = 0;
    const auto numbered = [](const char* stem, int n) {
        return n == 1 ? QStringLiteral("%1.svg").arg(QLatin1String(stem)) : QStringLiteral("%1-%2.svg").arg(QLatin1String(stem)).arg(n);
    };
    for (const FleetFiguresResult& f : result.fleetFigures) {
        if (!f.timeline.empty())
            files.emplace_back(numbered("campaign-timeline", ++timelines), campaignTimelineSvg(result, f).toUtf8());
        if (!f.budgets.empty())
            files.emplace_back(numbered("gateway-airtime", ++budgets), transmitBudgetSvg(f).toUtf8());
    }
}

Result<QStringList> writeReport(const RunResult& result, const QString& outDir)
{
    QDir dir(outDir);
    if (!dir.mkpath(QStringLiteral(".")))
        return fail(Error{QStringLiteral("cannot create the report folder %1").arg(QDir::toNativeSeparators(outDir)), outDir, -1});

    std::vector<std::pair<QString, QByteArray>> files = {
        {QStringLiteral("report.json"), QJsonDocument(reportToJson(result)).toJson(QJsonDocument::Indented)},
        {QStringLiteral("devices.csv"), devicesCsv(result)},
        {QStringLiteral("progress.csv"), progressCsv(result)},
        {QStringLiteral("completion-cdf.svg"), completionCdfSvg(result).toUtf8()},
        {QStringLiteral("progress.svg"), progressSvg(result).toUtf8()},
        {QStringLiteral("energy.svg"), energySvg(result).toUtf8()},
    };
    appendFleetCharts(result, files);
    if (result.rollout) {
        files.emplace_back(QStringLiteral("rollout.csv"), rolloutCsv(result));
        files.emplace_back(QStringLiteral("rollout-executions.svg"), rolloutExecutionsSvg(result).toUtf8());
    }
    if (!result.faults.empty())
        files.emplace_back(QStringLiteral("faults.csv"), faultsCsv(result));
    if (!result.attacks.empty())
        files.emplace_back(QStringLiteral("attacks.csv"), attacksCsv(result));
    files.emplace_back(QStringLiteral("report.html"), reportHtml(result).toUtf8());
    QStringList written;
    for (const auto& [name, bytes] : files) {
        const QString path = dir.absoluteFilePath(name);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return fail(Error{QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), path, -1});
        written << path;
    }
    return written;
}

} // namespace otalab::sim
