// SPDX-License-Identifier: Apache-2.0
// otalab-cli fuota redundancy SCENARIO --out DIR [--from P] [--to P] [--step P] [--seeds N] [--fleet NAME] [--jobs N]
// How FEC redundancy trades against completion: one run per (redundancy, seed) of a
// LoRaWAN scenario, a table, a CSV and two plots.
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include "sim/fleet/fleetrun.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/svgchart.h"
#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariopatch.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace otalab::cli {

namespace {

// One run's headline figures.
struct PointResult {
    double redundancyPct = 0;
    std::uint64_t seed = 0;
    bool ok = false;
    QString error;
    int devices = 0, upgraded = 0, failed = 0, unfinished = 0;
    std::optional<double> p50, p95, max;
    double updateMahMean = 0;
    double endS = 0;
    std::uint64_t fingerprint = 0;
    double upgradedPct() const { return devices > 0 ? 100.0 * upgraded / devices : 0.0; }
};

PointResult runPoint(const QJsonObject& base, const QString& keyPath, const QString& baseDir, double pct, std::uint64_t seed,
                     std::optional<double> untilS)
{
    PointResult r;
    r.redundancyPct = pct;
    r.seed = seed;
    QJsonObject doc = base;
    if (auto set = sim::setScenarioValue(doc, keyPath, pct); !set) {
        r.error = set.error().toString();
        return r;
    }
    doc.insert(QStringLiteral("seed"), QJsonValue(double(seed)));
    auto config = sim::loadScenarioConfig(QJsonDocument(doc).toJson(QJsonDocument::Compact), baseDir);
    if (!config) {
        r.error = config.error().toString();
        return r;
    }
    if (untilS)
        config->stop.untilS = *untilS;
    auto result = sim::runScenario(*config, nullptr, {}, baseDir);
    if (!result) {
        r.error = result.error().toString();
        return r;
    }
    const sim::FleetSummary s = sim::summarizeRun(*result);
    r.ok = true;
    r.devices = s.devices;
    r.upgraded = s.count(sim::DeviceOutcome::Upgraded);
    r.failed = s.count(sim::DeviceOutcome::Failed) + s.count(sim::DeviceOutcome::Refused) + s.count(sim::DeviceOutcome::RolledBack);
    r.unfinished = s.count(sim::DeviceOutcome::Unfinished) + s.count(sim::DeviceOutcome::NotStarted);
    r.p50 = s.p50;
    r.p95 = s.p95;
    r.max = s.max;
    r.updateMahMean = s.updateChargeMah.mean;
    r.endS = result->endTimeS;
    r.fingerprint = result->traceFingerprint;
    return r;
}

// Finds the fleet to vary: --fleet NAME, else the first "lorawan" fleet.
Result<int> lorawanFleetIndex(const QJsonObject& doc, const QString& wanted)
{
    const QJsonArray fleets = doc.value(QStringLiteral("fleets")).toArray();
    for (int i = 0; i < fleets.size(); ++i) {
        const QJsonObject f = fleets.at(i).toObject();
        if (wanted.isEmpty() ? f.value(QStringLiteral("family")).toString() == QLatin1String("lorawan")
                             : f.value(QStringLiteral("name")).toString() == wanted)
            return i;
    }
    if (!wanted.isEmpty())
        return std::unexpected(Error::plain(QStringLiteral("no fleet named \"%1\" in $.fleets").arg(wanted)));
    return std::unexpected(Error::plain(QStringLiteral("the scenario has no LoRaWAN fleet (a $.fleets entry with \"family\": \"lorawan\")")));
}

QString csvNumber(const std::optional<double>& v) { return v ? QString::number(*v, 'f', 3) : QString(); }

QByteArray toCsv(const std::vector<PointResult>& points)
{
    QByteArray out = "redundancy_pct,seed,devices,upgraded,failed,unfinished,upgraded_pct,p50_s,p95_s,max_s,update_mah_mean,end_s,fingerprint,error\n";
    for (const PointResult& p : points) {
        QString err = p.error;
        err.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,0x%13,\"%14\"\n")
                   .arg(p.redundancyPct).arg(p.seed).arg(p.devices).arg(p.upgraded).arg(p.failed).arg(p.unfinished)
                   .arg(p.upgradedPct(), 0, 'f', 3).arg(csvNumber(p.p50), csvNumber(p.p95), csvNumber(p.max))
                   .arg(p.updateMahMean, 0, 'f', 5).arg(p.endS, 0, 'f', 3)
                   .arg(QString::number(p.fingerprint, 16).rightJustified(16, QLatin1Char('0')), err)
                   .toUtf8();
    }
    return out;
}

// Per redundancy value: mean, min and max of f over the seeds that ran.
struct Band {
    std::vector<QPointF> mean, low, high;
};

template <typename F>
Band bandOf(const std::vector<double>& values, const std::vector<PointResult>& points, F f)
{
    Band b;
    for (double v : values) {
        double sum = 0, lo = 0, hi = 0;
        int n = 0;
        for (const PointResult& p : points) {
            if (!p.ok || p.redundancyPct != v)
                continue;
            const std::optional<double> y = f(p);
            if (!y)
                continue;
            lo = n == 0 ? *y : std::min(lo, *y);
            hi = n == 0 ? *y : std::max(hi, *y);
            sum += *y;
            ++n;
        }
        if (n == 0)
            continue;
        b.mean.emplace_back(v, sum / n);
        b.low.emplace_back(v, lo);
        b.high.emplace_back(v, hi);
    }
    return b;
}

QString chartOf(const QString& title, const QString& yLabel, const Band& band, int seeds, const QString& subtitle,
                std::optional<double> yMax = std::nullopt)
{
    sim::SvgChart chart(title, QStringLiteral("FEC redundancy (% of the fragment count)"), yLabel);
    if (yMax && !band.low.empty()) {
        // A share: from a little below the lowest point to yMax, so a few % show.
        double lowest = *yMax;
        for (const QPointF& p : band.low)
            lowest = std::min(lowest, p.y());
        chart.setYRange(std::max(0.0, std::floor(lowest / 5.0) * 5.0 - 5.0), *yMax);
    }
    chart.setSubtitle(subtitle);
    chart.addLine({seeds > 1 ? QStringLiteral("mean of %1 seeds").arg(seeds) : QStringLiteral("run"), QStringLiteral("#4e79a7"), band.mean, false, false});
    if (seeds > 1) {
        chart.addLine({QStringLiteral("lowest"), QStringLiteral("#a0cbe8"), band.low, false, false});
        chart.addLine({QStringLiteral("highest"), QStringLiteral("#a0cbe8"), band.high, false, false});
    }
    chart.setEmptyText(QStringLiteral("no run finished"));
    return chart.toSvg();
}

} // namespace

int fuotaRedundancyCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("A scenario with a LoRaWAN fleet (e.g. resources/scenarios/lorawan-demo.json)."));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Folder for redundancy.csv, completion.svg, duration.svg (created if needed)."), QStringLiteral("DIR"));
    const QCommandLineOption fromOption(QStringLiteral("from"), QStringLiteral("First redundancy in percent (default 0)."), QStringLiteral("P"), QStringLiteral("0"));
    const QCommandLineOption toOption(QStringLiteral("to"), QStringLiteral("Last redundancy in percent (default 50)."), QStringLiteral("P"), QStringLiteral("50"));
    const QCommandLineOption stepOption(QStringLiteral("step"), QStringLiteral("Step in percent (default 5)."), QStringLiteral("P"), QStringLiteral("5"));
    const QCommandLineOption seedsOption(QStringLiteral("seeds"), QStringLiteral("Runs per point with seeds S, S+1, ... (S = the scenario's seed; default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption fleetOption(QStringLiteral("fleet"), QStringLiteral("Name of the fleet to vary (default: the first \"lorawan\" fleet)."), QStringLiteral("NAME"));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("Runs at once (default: one per core)."), QStringLiteral("N"));
    const QCommandLineOption untilOption(QStringLiteral("until"), QStringLiteral("Stop each run at this virtual time (seconds); overrides stop.untilS."), QStringLiteral("SECONDS"));
    parser.addOptions({outOption, fromOption, toOption, stepOption, seedsOption, fleetOption, jobsOption, untilOption});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Run a LoRaWAN FUOTA scenario once per FEC redundancy value (and seed) and show how\n"
                                                "redundancy trades against completion, campaign duration and energy.\n"
                                                "Varies $.fleets[i].campaign.redundancyPercent; everything else stays as the file says.\n"
                                                "Example: otalab-cli fuota redundancy resources/scenarios/lorawan-demo.json --to 30 --step 5 --out sweep")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one SCENARIO file (see --help)"), ExitUsage);
    if (!parser.isSet(outOption) || parser.value(outOption).isEmpty())
        return reportError(io, QStringLiteral("--out DIR is required"), ExitUsage);

    auto number = [&](const QCommandLineOption& o, double lo, double hi) -> std::optional<double> {
        bool ok = false;
        const double v = parser.value(o).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < lo || v > hi)
            return std::nullopt;
        return v;
    };
    const auto from = number(fromOption, 0, 1000), to = number(toOption, 0, 1000), step = number(stepOption, 1e-6, 1000);
    if (!from || !to || !step)
        return reportError(io, QStringLiteral("--from/--to must be percentages in 0..1000 and --step > 0"), ExitUsage);
    if (*to < *from)
        return reportError(io, QStringLiteral("--to %1 is below --from %2: no point to run").arg(*to).arg(*from), ExitUsage);
    auto seeds = parseUnsigned(parser.value(seedsOption), QStringLiteral("seeds"), 1000);
    if (!seeds || *seeds == 0)
        return reportError(io, QStringLiteral("--seeds must be 1..1000"), ExitUsage);
    int jobs = std::max(1, QThread::idealThreadCount());
    if (parser.isSet(jobsOption)) {
        auto j = parseUnsigned(parser.value(jobsOption), QStringLiteral("jobs"), 256);
        if (!j || *j == 0)
            return reportError(io, QStringLiteral("--jobs must be 1..256"), ExitUsage);
        jobs = int(*j);
    }
    std::optional<double> untilS;
    if (parser.isSet(untilOption)) {
        untilS = number(untilOption, 1e-3, 1e9);
        if (!untilS)
            return reportError(io, QStringLiteral("--until: '%1' is not a time in seconds").arg(parser.value(untilOption)), ExitUsage);
    }

    const QString scenarioPath = parser.positionalArguments().first();
    auto bytes = readFile(scenarioPath);
    if (!bytes)
        return reportError(io, bytes.error().message, ExitIo);
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (!doc.isObject())
        return reportError(io, QStringLiteral("%1: not a JSON object (%2 at byte %3)").arg(scenarioPath, parseError.errorString()).arg(parseError.offset), ExitInvalid);
    const QString baseDir = QFileInfo(scenarioPath).absolutePath();
    auto fleet = lorawanFleetIndex(doc.object(), parser.value(fleetOption));
    if (!fleet)
        return reportError(io, QStringLiteral("%1: %2").arg(scenarioPath, fleet.error().message), ExitInvalid);
    const QString keyPath = QStringLiteral("$.fleets[%1].campaign.redundancyPercent").arg(*fleet);
    // Validate once before spending minutes: the file as given must load.
    if (auto check = sim::loadScenarioConfig(*bytes, baseDir); !check)
        return reportError(io, QStringLiteral("%1: %2").arg(scenarioPath, check.error().toString()), ExitInvalid);
    const std::uint64_t baseSeed = std::uint64_t(doc.object().value(QStringLiteral("seed")).toDouble(1));

    std::vector<double> values;
    for (int i = 0;; ++i) {
        const double v = *from + i * *step;
        if (v > *to + 1e-9)
            break;
        values.push_back(std::round(v * 1e6) / 1e6);
    }
    if (values.size() * *seeds > 10000)
        return reportError(io, QStringLiteral("%1 runs asked for: use a larger --step or fewer --seeds (limit 10,000)").arg(values.size() * *seeds), ExitUsage);
    if (!QDir().mkpath(parser.value(outOption)))
        return reportError(io, QStringLiteral("cannot create %1").arg(parser.value(outOption)), ExitIo);
    const QDir out(parser.value(outOption));

    // Runs in worker threads (each its own Simulator); results land at their index, so
    // the table's order and content do not depend on scheduling.
    const std::size_t total = values.size() * *seeds;
    std::vector<PointResult> points(total);
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::condition_variable finishedOne;
    std::size_t done = 0;
    const QJsonObject base = doc.object();
    auto worker = [&] {
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= total)
                return;
            PointResult r = runPoint(base, keyPath, baseDir, values[i / *seeds], baseSeed + i % *seeds, untilS);
            std::lock_guard lock(mutex);
            points[i] = std::move(r);
            ++done;
            finishedOne.notify_one();
        }
    };
    const bool live = ::isatty(STDERR_FILENO) == 1;
    QElapsedTimer wall;
    wall.start();
    std::vector<std::thread> threads;
    for (int t = 0; t < std::min<int>(jobs, int(total)); ++t)
        threads.emplace_back(worker);
    {
        std::unique_lock lock(mutex);
        while (done < total) {
            finishedOne.wait(lock);
            const double elapsed = wall.elapsed() / 1000.0;
            const double eta = done > 0 ? elapsed * double(total - done) / double(done) : 0;
            io.err << (live ? "\r" : "") << "  " << done << "/" << total << " runs, " << QString::number(elapsed, 'f', 1)
                   << " s, ETA " << sim::formatDuration(eta) << (live ? "\x1b[K" : "\n");
            io.err.flush();
        }
    }
    for (std::thread& t : threads)
        t.join();
    if (live) {
        io.err << "\r\x1b[K";
        io.err.flush();
    }

    if (auto w = writeFileAtomic(out.filePath(QStringLiteral("redundancy.csv")), toCsv(points)); !w)
        return reportError(io, w.error().message, ExitIo);
    const QString subtitle = QStringLiteral("%1, %2 seed(s) per point").arg(QFileInfo(scenarioPath).fileName()).arg(*seeds);
    const Band completion = bandOf(values, points, [](const PointResult& p) -> std::optional<double> { return p.upgradedPct(); });
    const Band duration = bandOf(values, points, [](const PointResult& p) -> std::optional<double> {
        return p.max ? std::optional<double>(*p.max / 3600.0) : std::nullopt;
    });
    const Band energy = bandOf(values, points, [](const PointResult& p) -> std::optional<double> { return p.updateMahMean; });
    for (const auto& [file, svg] : {std::pair{QStringLiteral("completion.svg"), chartOf(QStringLiteral("Devices that hold the new image"), QStringLiteral("% upgraded"), completion, int(*seeds), subtitle, 100.0)},
                                    std::pair{QStringLiteral("duration.svg"), chartOf(QStringLiteral("Campaign duration (last device upgraded)"), QStringLiteral("hours"), duration, int(*seeds), subtitle)},
                                    std::pair{QStringLiteral("energy.svg"), chartOf(QStringLiteral("Update charge per device"), QStringLiteral("mAh (mean over devices)"), energy, int(*seeds), subtitle)}})
        if (auto w = writeFileAtomic(out.filePath(file), svg.toUtf8()); !w)
            return reportError(io, w.error().message, ExitIo);

    io.out << "redundancy  upgraded        failed  unfinished  last upgrade   mAh/device\n";
    int failedRuns = 0;
    for (const PointResult& p : points) {
        if (!p.ok) {
            ++failedRuns;
            io.out << QStringLiteral("%1 %  seed %2: error: %3\n").arg(p.redundancyPct, 8).arg(p.seed).arg(p.error);
            continue;
        }
        io.out << QStringLiteral("%1 %  %2/%3 (%4 %)  %5  %6  %7  %8\n")
                      .arg(p.redundancyPct, 8).arg(p.upgraded, 6).arg(p.devices, -6).arg(p.upgradedPct(), 5, 'f', 1)
                      .arg(p.failed, 6).arg(p.unfinished, 10).arg(p.max ? sim::formatDuration(*p.max) : QStringLiteral("—"), 12)
                      .arg(p.updateMahMean, 10, 'f', 3);
    }
    io.out << "wrote " << out.filePath(QStringLiteral("redundancy.csv")) << ", completion.svg, duration.svg, energy.svg ("
           << total << " runs in " << QString::number(wall.elapsed() / 1000.0, 'f', 1) << " s)\n";
    return failedRuns == 0 ? ExitOk : ExitInvalid;
}

} // namespace otalab::cli
