// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportwriter.h"

#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportplots.h"

#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>

#include <utility>

namespace otalab::sim {

Result<QStringList> writeReport(const RunResult& result, const QString& outDir)
{
    QDir dir(outDir);
    if (!dir.mkpath(QStringLiteral(".")))
        return fail(Error{QStringLiteral("cannot create the report folder %1").arg(QDir::toNativeSeparators(outDir)), outDir, -1});

    const std::pair<const char*, QByteArray> files[] = {
        {"report.json", QJsonDocument(reportToJson(result)).toJson(QJsonDocument::Indented)},
        {"devices.csv", devicesCsv(result)},
        {"progress.csv", progressCsv(result)},
        {"completion-cdf.svg", completionCdfSvg(result).toUtf8()},
        {"progress.svg", progressSvg(result).toUtf8()},
        {"energy.svg", energySvg(result).toUtf8()},
        {"report.html", reportHtml(result).toUtf8()},
    };
    QStringList written;
    for (const auto& [name, bytes] : files) {
        const QString path = dir.absoluteFilePath(QLatin1String(name));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return fail(Error{QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), path, -1});
        written << path;
    }
    return written;
}

} // namespace otalab::sim
