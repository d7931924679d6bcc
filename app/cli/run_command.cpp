// SPDX-License-Identifier: Apache-2.0
// otalab-cli run SCENARIO [--seed N] [--until SECONDS] --out DIR [--pcap] [--trace] [--progress] [--fail-on-accepted]
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "sim/kernel/tracewriter.h"
#include "sim/fleet/fleetrun.h"
#include "sim/pcap/pcapwriter.h"
#include "sim/report/faultssummary.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/rolloutsummary.h"
#include "sim/report/reportwriter.h"
#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace otalab::cli {

namespace {

constexpr int kExitAttackAccepted = 4;   // --fail-on-accepted: a device accepted an attack

QString clock(double seconds)
{
    const auto s = qint64(seconds);
    return QStringLiteral("%1:%2:%3").arg(s / 3600, 2, 10, QLatin1Char('0')).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString rate(double perSecond)
{
    if (perSecond >= 1e6)
        return QStringLiteral("%1 M").arg(perSecond / 1e6, 0, 'f', 1);
    if (perSecond >= 1e3)
        return QStringLiteral("%1 k").arg(perSecond / 1e3, 0, 'f', 0);
    return QString::number(perSecond, 'f', 0) + QLatin1Char(' ');
}

// One progress line: virtual time, % upgraded, events/s, ETA from the share of finished clients.
QString progressLine(const sim::FleetRunSnapshot& s, double untilS, double wallS, std::uint64_t lastEvents, double sliceWallS)
{
    using P = sim::FleetPhase;
    const int upgraded = s.count(P::Upgraded);
    const int failed = s.count(P::Failed) + s.count(P::RolledBack);
    const int done = upgraded + failed + s.count(P::Refused);
    const int clients = s.devices;
    const double upgradedPct = clients > 0 ? 100.0 * upgraded / clients : 0.0;
    const double eventsPerS = sliceWallS > 0 ? double(s.eventsExecuted - lastEvents) / sliceWallS : 0.0;
    // ETA: the larger of "by finished clients" and nothing when no client finished yet;
    // capped by the time limit's share.
    QString eta = QStringLiteral("--");
    const double byTime = s.timeS > 0 ? wallS * (untilS - s.timeS) / s.timeS : -1;
    if (done > 0 && clients > 0) {
        double remaining = wallS * double(clients - done) / done;
        if (byTime >= 0)
            remaining = std::min(remaining, byTime);
        eta = sim::formatDuration(remaining);
    } else if (byTime >= 0) {
        eta = QStringLiteral("≤ ") + sim::formatDuration(byTime);
    }
    return QStringLiteral("\r  t=%1  %2 % upgraded (%3/%4), %5 downloading, %6 waiting, %7 failed  %8events/s  ETA %9\x1b[K")
        .arg(clock(s.timeS)).arg(upgradedPct, 5, 'f', 1).arg(upgraded).arg(clients).arg(s.count(P::Downloading))
        .arg(s.count(P::Waiting)).arg(failed)
        .arg(rate(eventsPerS), eta);
}

} // namespace

int runCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("Scenario file (JSON, see resources/scenario.schema.json)."));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Master seed (decimal or 0x hex); overrides the scenario's."), QStringLiteral("N"));
    const QCommandLineOption untilOption(QStringLiteral("until"), QStringLiteral("Stop at this virtual time (seconds); overrides stop.until."), QStringLiteral("SECONDS"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Folder for the report (created if needed)."), QStringLiteral("DIR"));
    const QCommandLineOption pcapOption(
        QStringLiteral("pcap"),
        QStringLiteral("Also write captures for Wireshark: DIR/capture.pcap (802.15.4 frames; only when some fleet sends them) "
                       "and each family's own, e.g. LoRaWAN: DIR/capture-lorawan.pcap (LoRaTap) with DIR/lorawan-keys.uat "
                       "(its session keys; a fleet's files go in DIR/FLEET/ when a scenario has several fleets of one family)."));
    const QCommandLineOption traceOption(QStringLiteral("trace"), QStringLiteral("Also write DIR/trace.jsonl (state changes, frames, energy; one JSON object per line)."));
    const QCommandLineOption progressOption(QStringLiteral("progress"), QStringLiteral("Show the live progress line even when stderr is not a terminal."));
    const QCommandLineOption failOnAcceptedOption(
        QStringLiteral("fail-on-accepted"),
        QStringLiteral("Exit with status 4 when a device accepted any attack of the scenario's \"attacks\" section (a CI gate); "
                       "the report is written first."));
    parser.addOptions({seedOption, untilOption, outOption, pcapOption, traceOption, progressOption, failOnAcceptedOption});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Run a simulated OTA rollout (any family: zigbee, smp, lorawan, jobs) and write its report "
                                                "(report.html, report.json, devices.csv, progress.csv, SVG plots; "
                                                "rollout.csv and rollout-executions.svg under a rollout section).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one SCENARIO file (see --help)"), ExitUsage);
    if (!parser.isSet(outOption) || parser.value(outOption).isEmpty())
        return reportError(io, QStringLiteral("--out DIR is required"), ExitUsage);
    const QString scenarioPath = parser.positionalArguments().first();
    const QString outDir = parser.value(outOption);

    auto config = sim::loadScenarioConfigFile(scenarioPath);
    if (!config)
        return reportError(io, QStringLiteral("%1: %2").arg(scenarioPath, config.error().toString()),
                           config.error().message.startsWith(QStringLiteral("cannot read")) ? ExitIo : ExitInvalid);
    if (parser.isSet(seedOption)) {
        auto seed = parseUnsigned(parser.value(seedOption), QStringLiteral("seed"), ~quint64(0));
        if (!seed)
            return reportError(io, seed.error().message, ExitUsage);
        config->seed = *seed;
    }
    if (parser.isSet(untilOption)) {
        bool ok = false;
        const double until = parser.value(untilOption).toDouble(&ok);
        if (!ok || !std::isfinite(until) || until <= 0 || until > 1e9)
            return reportError(io, QStringLiteral("--until: '%1' is not a time in seconds (0 < T <= 1e9)").arg(parser.value(untilOption)), ExitUsage);
        config->stop.untilS = until;
    }
    if (!QDir().mkpath(outDir))
        return reportError(io, QStringLiteral("cannot create %1").arg(outDir), ExitIo);

    auto rollout = sim::FleetRun::build(*config);
    if (!rollout)
        return reportError(io, QStringLiteral("%1: %2").arg(scenarioPath, rollout.error().toString()), ExitInvalid);

    std::ofstream pcapStream, traceStream;
    std::unique_ptr<sim::PcapWriter> pcap;
    std::unique_ptr<sim::TraceWriter> trace;
    const QString pcapPath = QDir(outDir).absoluteFilePath(QStringLiteral("capture.pcap"));
    const QString tracePath = QDir(outDir).absoluteFilePath(QStringLiteral("trace.jsonl"));
    if (parser.isSet(pcapOption)) {
        pcapStream.open(pcapPath.toStdString(), std::ios::binary | std::ios::trunc);
        if (!pcapStream)
            return reportError(io, QStringLiteral("cannot write %1").arg(pcapPath), ExitIo);
        pcap = std::make_unique<sim::PcapWriter>(pcapStream);
        (*rollout)->addObserver(pcap.get());
    }
    QStringList captureFiles;   // the families' own captures (sim::Fleet::startCapture)
    if (parser.isSet(pcapOption)) {
        auto files = (*rollout)->startCaptures(outDir);
        if (!files)
            return reportError(io, files.error().message, ExitIo);
        captureFiles = *files;
    }
    if (parser.isSet(traceOption)) {
        traceStream.open(tracePath.toStdString(), std::ios::trunc);
        if (!traceStream)
            return reportError(io, QStringLiteral("cannot write %1").arg(tracePath), ExitIo);
        trace = std::make_unique<sim::TraceWriter>(&traceStream, sim::TraceWriter::Detail::ModelRecordsOnly);
        (*rollout)->addObserver(trace.get());
    }

    // Run in virtual-time slices sized so that one slice takes ~50 ms of wall time; the
    // progress line is redrawn at most every 100 ms (≤ 10×/s) and only on a terminal or
    // with --progress.
    const bool live = parser.isSet(progressOption) || ::isatty(STDERR_FILENO) == 1;
    const double untilS = config->stop.untilS;
    QElapsedTimer wall;
    wall.start();
    double sliceS = std::max(1.0, config->sampleIntervalS);
    double target = 0;
    qint64 lastDrawMs = -1000;
    std::uint64_t lastEvents = 0;
    qint64 lastSliceMs = 0;
    while (!(*rollout)->finished() && target < untilS) {
        target = std::min(untilS, target + sliceS);
        const qint64 before = wall.elapsed();
        (*rollout)->runUntil(target);
        const qint64 took = std::max<qint64>(1, wall.elapsed() - before);
        sliceS = std::clamp(sliceS * 50.0 / double(took), 0.01, 3600.0);
        if (live && wall.elapsed() - lastDrawMs >= 100) {
            const sim::FleetRunSnapshot snap = (*rollout)->snapshot();
            io.err << progressLine(snap, untilS, wall.elapsed() / 1000.0, lastEvents, (wall.elapsed() - lastSliceMs) / 1000.0);
            io.err.flush();
            lastEvents = snap.eventsExecuted;
            lastSliceMs = wall.elapsed();
            lastDrawMs = wall.elapsed();
        }
    }
    if (live) {
        io.err << "\r\x1b[K";
        io.err.flush();
    }

    sim::RunResult result = (*rollout)->result();
    if (result.wallSeconds <= 0)
        result.wallSeconds = wall.elapsed() / 1000.0;
    (*rollout)->finishCaptures();
    if (pcap)
        pcapStream.flush();
    if (trace)
        traceStream.flush();
    if ((pcap && !pcapStream) || (trace && !traceStream))
        return reportError(io, QStringLiteral("writing %1 failed").arg(pcap && !pcapStream ? pcapPath : tracePath), ExitIo);

    const auto written = sim::writeReport(result, outDir);
    if (!written)
        return reportError(io, written.error().message, ExitIo);

    const sim::FleetSummary s = sim::summarizeRun(result);
    using O = sim::DeviceOutcome;
    io.out << result.scenarioName << " (seed " << result.seed << "): " << s.count(O::Upgraded) << "/" << s.devices
           << " upgraded, " << s.count(O::Failed) << " failed, " << s.count(O::Refused) << " refused, "
           << s.count(O::RolledBack) << " rolled back, "
           << s.count(O::Unfinished) << " unfinished, " << s.count(O::NotStarted) << " not started\n";
    io.out << "  stopped: " << result.stopReason << " at " << sim::formatDuration(result.endTimeS) << " virtual ("
           << QString::number(result.wallSeconds, 'f', 2) << " s wall, " << result.eventsExecuted << " events)\n";
    for (const QString& line : sim::rolloutSummaryLines(result))
        io.out << "  " << line << "\n";
    for (const QString& line : sim::faultsSummaryLines(result))
        io.out << "  " << line << "\n";
    if (s.p50)
        io.out << "  completion: p50 " << sim::formatDuration(*s.p50) << ", p95 " << sim::formatDuration(*s.p95) << ", max " << sim::formatDuration(*s.max) << "\n";
    io.out << "  update energy per device: mean " << QString::number(s.updateEnergyJ.mean, 'g', 4) << " J ("
           << QString::number(s.updateChargeMah.mean, 'g', 3) << " mAh";
    if (result.batteryName.isEmpty()) {  // no battery to take a share of (e.g. the jobs family's presets)
        io.out << "), max " << QString::number(s.updateEnergyJ.max, 'g', 4) << " J\n";
    } else {
        io.out << ", " << QString::number(s.batteryShare.mean * 100, 'g', 3) << " % of " << result.batteryName << "), max "
               << QString::number(s.updateEnergyJ.max, 'g', 4) << " J (" << QString::number(s.batteryShare.max * 100, 'g', 3)
               << " %)\n";
    }
    io.out << "  fingerprint 0x" << QString::number(result.traceFingerprint, 16).rightJustified(16, QLatin1Char('0'))
           << " (model 0x" << QString::number(result.modelFingerprint, 16).rightJustified(16, QLatin1Char('0')) << ")\n";
    QStringList others;
    for (const QString& file : *written)
        if (QFileInfo(file).fileName() != QLatin1String("report.html"))
            others << QFileInfo(file).fileName();
    io.out << "  report: " << QDir(outDir).absoluteFilePath(QStringLiteral("report.html")) << " (also " << others.join(QStringLiteral(", "))
           << ")\n";
    if (pcap && pcap->recordsWritten() == 0) {
        // No fleet put 802.15.4 frames on the air: no empty capture.pcap to mislead.
        pcapStream.close();
        QFile::remove(pcapPath);
    } else if (pcap) {
        io.out << "  pcap: " << pcapPath << " (" << pcap->recordsWritten() << " frames)\n";
    }
    for (const QString& file : captureFiles)
        io.out << "  capture: " << file << "\n";
    if (trace)
        io.out << "  trace: " << tracePath << "\n";
    io.out.flush();
    if (parser.isSet(failOnAcceptedOption) && result.attacksAccepted() > 0) {
        // Exit 4 (the value ExitConnection has elsewhere): a CI gate, not a connection error.
        io.err << "otalab-cli run: " << result.attacksAccepted() << " attack(s) accepted (--fail-on-accepted)\n";
        io.err.flush();
        return kExitAttackAccepted;
    }
    return ExitOk;
}

} // namespace otalab::cli
