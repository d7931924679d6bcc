// SPDX-License-Identifier: Apache-2.0
#include "export/exportjob.h"

#include "sim/kernel/tracewriter.h"
#include "sim/fleet/fleetrun.h"
#include "sim/pcap/pcapwriter.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportplots.h"
#include "sim/report/reportwriter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <fstream>
#include <memory>

namespace otalab::app {

namespace {

// The selected report files, each written atomically (as sim::writeReport, in its order).
Result<QStringList> writeReportParts(const sim::RunResult& result, const QString& outDir, const ExportSelection& selection)
{
    const QDir dir(outDir);
    QList<std::pair<QString, QByteArray>> files;
    if (selection.has(ExportPart::ReportJson))
        files.append({QStringLiteral("report.json"), QJsonDocument(sim::reportToJson(result)).toJson(QJsonDocument::Indented)});
    if (selection.has(ExportPart::Csv)) {
        files.append({QStringLiteral("devices.csv"), sim::devicesCsv(result)});
        files.append({QStringLiteral("progress.csv"), sim::progressCsv(result)});
    }
    if (selection.has(ExportPart::Plots)) {
        files.append({QStringLiteral("completion-cdf.svg"), sim::completionCdfSvg(result).toUtf8()});
        files.append({QStringLiteral("progress.svg"), sim::progressSvg(result).toUtf8()});
        files.append({QStringLiteral("energy.svg"), sim::energySvg(result).toUtf8()});
        std::vector<std::pair<QString, QByteArray>> fleetCharts;   // campaign timeline, airtime budgets
        sim::appendFleetCharts(result, fleetCharts);
        for (auto& chart : fleetCharts)
            files.append(std::move(chart));
    }
    if (selection.has(ExportPart::ReportHtml))
        files.append({QStringLiteral("report.html"), sim::reportHtml(result).toUtf8()});
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

} // namespace

QString fingerprintHex(std::uint64_t fingerprint)
{
    return QStringLiteral("0x%1").arg(fingerprint, 16, 16, QLatin1Char('0'));
}

QString ExportOutcome::summary(const QString& outDir) const
{
    QString text = wrotePcap ? QStringLiteral("Exported %1 files to %2 (%3 frames in capture.pcap).\n")
                                   .arg(files.size()).arg(QDir::toNativeSeparators(outDir)).arg(pcapFrames)
                             : QStringLiteral("Exported %1 files to %2.\n").arg(files.size()).arg(QDir::toNativeSeparators(outDir));
    text += QStringLiteral("The export re-ran %1 (seed %2) to its stop condition: %3 at %4 virtual.\n")
                .arg(result.scenarioName).arg(result.seed).arg(result.stopReason, sim::formatDuration(result.endTimeS));
    if (expectedFingerprint)
        text += QStringLiteral("Trace fingerprint %1 matches the finished run on screen.").arg(fingerprintHex(fingerprint));
    else
        text += QStringLiteral("Trace fingerprint %1 (the run on screen had not finished, so it was not compared).")
                    .arg(fingerprintHex(fingerprint));
    return text;
}

ExportJob::ExportJob(sim::ScenarioConfig config, QString baseDir, QString outDir, std::optional<std::uint64_t> expectedFingerprint,
                     ExportSelection selection)
    : m_config(std::move(config)), m_baseDir(std::move(baseDir)), m_outDir(std::move(outDir)), m_expected(expectedFingerprint),
      m_selection(selection), m_untilS(m_config.stop.untilS)
{
    m_config.fingerprint = true;  // the report names the run by its fingerprint (no effect on the simulation)
}

void ExportJob::cancel()
{
    std::lock_guard lock(m_mutex);
    m_cancel.store(true);
    if (m_rollout)
        m_rollout->requestStop();
}

Result<ExportOutcome> ExportJob::run()
{
    if (m_selection.isEmpty())
        return fail(Error{QStringLiteral("nothing to export: choose at least one part"), {}, -1});
    const QString absDir = QDir(m_outDir).absolutePath();
    if (m_outDir.isEmpty() || !QDir().mkpath(absDir) || !QFileInfo(absDir).isDir())
        return fail(Error{QStringLiteral("cannot create the folder %1: choose a folder you can write to").arg(QDir::toNativeSeparators(absDir)),
                          QStringLiteral("outDir"), -1});

    auto rollout = sim::FleetRun::build(m_config, m_baseDir);
    if (!rollout)
        return fail(Error{QStringLiteral("the scenario does not build: %1").arg(rollout.error().toString()), rollout.error().field, -1});

    // Same observers and options as `otalab-cli run --pcap --trace` (app/cli/run_command.cpp).
    // Only the selected files are opened and only their observers run.
    const bool wantPcap = m_selection.has(ExportPart::Pcap);
    const bool wantTrace = m_selection.has(ExportPart::Trace);
    const QString pcapPath = QDir(absDir).absoluteFilePath(QStringLiteral("capture.pcap"));
    const QString tracePath = QDir(absDir).absoluteFilePath(QStringLiteral("trace.jsonl"));
    std::ofstream pcapStream;
    std::ofstream traceStream;
    std::unique_ptr<sim::PcapWriter> pcap;
    std::unique_ptr<sim::TraceWriter> trace;
    if (wantPcap) {
        pcapStream.open(pcapPath.toStdString(), std::ios::binary | std::ios::trunc);
        if (!pcapStream)
            return fail(Error{QStringLiteral("cannot write %1: is the folder writable?").arg(QDir::toNativeSeparators(pcapPath)), pcapPath, -1});
        pcap = std::make_unique<sim::PcapWriter>(pcapStream);
        (*rollout)->addObserver(pcap.get());
    }
    if (wantTrace) {
        traceStream.open(tracePath.toStdString(), std::ios::trunc);
        if (!traceStream)
            return fail(Error{QStringLiteral("cannot write %1: is the folder writable?").arg(QDir::toNativeSeparators(tracePath)), tracePath, -1});
        trace = std::make_unique<sim::TraceWriter>(&traceStream, sim::TraceWriter::Detail::ModelRecordsOnly);
        (*rollout)->addObserver(trace.get());
    }

    // The families' own captures (a LoRaWAN fleet's LoRaTap file and key table), as the CLI.
    QStringList captureFiles;
    if (wantPcap) {
        auto files = (*rollout)->startCaptures(absDir);
        if (!files)
            return fail(Error{files.error().message, absDir, -1});
        captureFiles = *files;
    }

    {
        std::lock_guard lock(m_mutex);
        m_rollout = rollout->get();
    }
    // Slices of ~50 ms wall time (as the CLI) so progress and cancel stay responsive.
    QElapsedTimer wall;
    wall.start();
    double sliceS = std::max(1.0, m_config.sampleIntervalS);
    double target = 0;
    while (!m_cancel.load() && !(*rollout)->finished() && target < m_untilS) {
        target = std::min(m_untilS, target + sliceS);
        const qint64 before = wall.elapsed();
        (*rollout)->runUntil(target);
        const qint64 took = std::max<qint64>(1, wall.elapsed() - before);
        sliceS = std::clamp(sliceS * 50.0 / double(took), 0.01, 3600.0);
        m_timeS.store((*rollout)->snapshot().timeS);
    }
    {
        std::lock_guard lock(m_mutex);
        m_rollout = nullptr;
    }
    if (m_cancel.load()) {
        const double reached = m_timeS.load();
        if (wantPcap) {
            pcapStream.close();
            QFile::remove(pcapPath);
            (*rollout)->abandonCaptures();
        }
        if (wantTrace) {
            traceStream.close();
            QFile::remove(tracePath);
        }
        return fail(Error{QStringLiteral("export cancelled at %1 virtual; nothing was written (partial capture and trace removed)")
                              .arg(sim::formatDuration(reached)), {}, -1});
    }

    ExportOutcome outcome;
    outcome.result = (*rollout)->result();
    if (outcome.result.wallSeconds <= 0)
        outcome.result.wallSeconds = wall.elapsed() / 1000.0;
    outcome.fingerprint = outcome.result.traceFingerprint;
    outcome.expectedFingerprint = m_expected;
    outcome.wrotePcap = wantPcap;
    outcome.pcapFrames = pcap ? pcap->recordsWritten() : 0;
    if (wantPcap)
        pcapStream.flush();
    if (wantTrace)
        traceStream.flush();
    if ((wantPcap && !pcapStream) || (wantTrace && !traceStream)) {
        const QString bad = wantPcap && !pcapStream ? pcapPath : tracePath;
        return fail(Error{QStringLiteral("writing %1 failed (disk full?)").arg(QDir::toNativeSeparators(bad)), bad, -1});
    }
    (*rollout)->finishCaptures();
    if (wantPcap)
        pcapStream.close();
    if (wantTrace)
        traceStream.close();
    if (wantPcap && pcap->recordsWritten() == 0 && !captureFiles.isEmpty()) {
        // No fleet put 802.15.4 frames on the air: no empty capture.pcap beside the families' captures.
        QFile::remove(pcapPath);
        outcome.wrotePcap = false;
    }

    auto written = writeReportParts(outcome.result, absDir, m_selection);
    if (!written)
        return fail(written.error());
    outcome.files = *written;
    if (wantTrace)
        outcome.files << tracePath;
    if (outcome.wrotePcap)
        outcome.files << pcapPath;
    outcome.files << captureFiles;

    if (m_expected && *m_expected != outcome.fingerprint)
        return fail(Error{QStringLiteral("the export re-run is not the run on screen: its trace fingerprint %1 differs from the "
                                         "finished run's %2. The files in %3 describe the re-run; check whether the scenario "
                                         "or its image files changed since the run.")
                              .arg(fingerprintHex(outcome.fingerprint), fingerprintHex(*m_expected), QDir::toNativeSeparators(absDir)),
                          QStringLiteral("traceFingerprint"), -1});
    return outcome;
}

} // namespace otalab::app
