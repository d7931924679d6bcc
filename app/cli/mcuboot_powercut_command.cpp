// SPDX-License-Identifier: Apache-2.0
// `mcuboot powercut`: the exhaustive power-cut campaign of core/mcuboot/powercut_campaign.h
// on a simulated board — every cut point of every swap type, double cuts, random runs —
// printed as a table (and JSON); exit 1 with the failing cuts when a run does not recover.
#include "app/cli/commands.h"

#include "core/mcuboot/powercut_campaign.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace otalab::cli {
namespace {

namespace mb = core::mcuboot;

constexpr int kFailuresPrinted = 10;

struct Request {
    mb::PowerCutConfig config;
    QString jsonPath;
};

struct SwapRow {
    mb::PowerCutSwapResult result;
    double seconds = 0;
};

Result<int> intOption(const QCommandLineParser& p, const QString& name, quint64 lo, quint64 max)
{
    auto v = parseUnsigned(p.value(name), name, max);
    if (!v)
        return fail(v.error());
    if (*v < lo)
        return fail(QStringLiteral("--%1: %2 is below the minimum %3").arg(name, p.value(name)).arg(lo));
    return int(*v);
}

Result<Request> requestFrom(const QCommandLineParser& p)
{
    Request r;
    mb::PowerCutConfig& c = r.config;
    const QString strategy = p.value(QStringLiteral("strategy"));
    bool known = false;
    for (mb::BootStrategy s : {mb::BootStrategy::SwapMove, mb::BootStrategy::OverwriteOnly, mb::BootStrategy::DirectXip,
                               mb::BootStrategy::DirectXipWithRevert})
        if (mb::bootStrategyName(s) == strategy) {
            c.strategy = s;
            known = true;
        }
    if (!known)
        return fail(QStringLiteral("--strategy: '%1' is not swap-move, overwrite-only or direct-xip-revert").arg(strategy));
    const QString swap = p.value(QStringLiteral("swap"));
    if (swap != QStringLiteral("all")) {
        auto one = mb::powerCutSwapFromName(swap);
        if (!one)
            return fail(QStringLiteral("--swap: %1").arg(one.error().toString()));
        c.swaps = {*one};
    }
    auto imageKib = intOption(p, QStringLiteral("image-kib"), 1, 4096);
    auto sectorKib = intOption(p, QStringLiteral("sector-kib"), 1, 128);
    auto align = intOption(p, QStringLiteral("align"), 1, 32);
    auto doubles = intOption(p, QStringLiteral("double-cuts"), 0, 100000);
    auto randoms = intOption(p, QStringLiteral("random-runs"), 0, 100000);
    auto seed = parseUnsigned(p.value(QStringLiteral("seed")), QStringLiteral("seed"), ~quint64(0));
    for (const Result<int>* v : {&imageKib, &sectorKib, &align, &doubles, &randoms})
        if (!*v)
            return fail(v->error());
    if (!seed)
        return fail(seed.error());
    if ((*sectorKib & (*sectorKib - 1)) != 0)
        return fail(QStringLiteral("--sector-kib: %1 is not a power of two").arg(*sectorKib));
    // The new image's body is N KiB; the old one is a quarter smaller and not sector
    // aligned, so the swap size follows the new image and the sizes differ.
    c.newBodyBytes = qint64(*imageKib) * 1024;
    c.oldBodyBytes = c.newBodyBytes * 3 / 4 + 123;
    c.sectorSize = *sectorKib * 1024;
    c.writeAlign = *align;
    c.primaryLarger = p.isSet(QStringLiteral("primary-larger"));
    c.doubleCuts = *doubles;
    c.randomRuns = *randoms;
    c.seed = *seed;
    const QString sabotage = p.value(QStringLiteral("sabotage"));
    if (sabotage == QStringLiteral("lose-swap-status"))
        c.sabotage = mb::PowerCutSabotage::LoseSwapStatus;
    else if (!sabotage.isEmpty() && sabotage != QStringLiteral("none"))
        return fail(QStringLiteral("--sabotage: '%1' is not none or lose-swap-status").arg(sabotage));
    r.jsonPath = p.value(QStringLiteral("json"));
    return r;
}

QString kib(qint64 bytes) { return QString::number(double(bytes) / 1024.0, 'f', bytes % 1024 ? 1 : 0); }

void printTable(QTextStream& out, const std::vector<SwapRow>& rows)
{
    const QStringList header{QStringLiteral("swap"), QStringLiteral("flash ops"), QStringLiteral("cuts tried"),
                             QStringLiteral("recovered"), QStringLiteral("double tried/recovered"),
                             QStringLiteral("random tried/recovered"), QStringLiteral("time")};
    std::vector<QStringList> lines{header};
    for (const SwapRow& row : rows) {
        const mb::PowerCutSwapResult& s = row.result;
        lines.push_back({mb::powerCutSwapName(s.swap), QString::number(s.flashOps), QString::number(s.cutsTried),
                         QString::number(s.cutsRecovered),
                         QStringLiteral("%1/%2").arg(s.doubleTried).arg(s.doubleRecovered),
                         QStringLiteral("%1/%2").arg(s.randomTried).arg(s.randomRecovered),
                         QString::number(row.seconds, 'f', 2) + QStringLiteral(" s")});
    }
    std::vector<qsizetype> widths(header.size(), 0);
    for (const QStringList& l : lines)
        for (qsizetype i = 0; i < l.size(); ++i)
            widths[std::size_t(i)] = std::max(widths[std::size_t(i)], l[i].size());
    for (const QStringList& l : lines) {
        QString text;
        for (qsizetype i = 0; i < l.size(); ++i)
            text += i + 1 < l.size() ? l[i].leftJustified(widths[std::size_t(i)] + 2) : l[i];
        out << text << "\n";
    }
}

QJsonObject swapJson(const SwapRow& row)
{
    const mb::PowerCutSwapResult& s = row.result;
    QJsonObject o;
    o[QStringLiteral("swap")] = mb::powerCutSwapName(s.swap);
    o[QStringLiteral("flashOps")] = s.flashOps;
    o[QStringLiteral("followUpRevertOps")] = s.followUpOps;
    o[QStringLiteral("cutsTried")] = s.cutsTried;
    o[QStringLiteral("cutsRecovered")] = s.cutsRecovered;
    o[QStringLiteral("doubleCutsTried")] = s.doubleTried;
    o[QStringLiteral("doubleCutsRecovered")] = s.doubleRecovered;
    o[QStringLiteral("randomRunsTried")] = s.randomTried;
    o[QStringLiteral("randomRunsRecovered")] = s.randomRecovered;
    o[QStringLiteral("failedRuns")] = s.failureCount;
    o[QStringLiteral("seconds")] = row.seconds;
    QJsonArray failures;
    for (const mb::PowerCutFailure& f : s.failures) {
        QJsonArray cuts;
        for (int c : f.cuts)
            cuts.append(c);
        failures.append(QJsonObject{{QStringLiteral("phase"), f.phase}, {QStringLiteral("cuts"), cuts},
                                    {QStringLiteral("what"), f.what}, {QStringLiteral("text"), f.toString()}});
    }
    o[QStringLiteral("failures")] = failures;
    return o;
}

QByteArray campaignJson(const Request& r, const mb::PowerCutSetup& setup, const std::vector<SwapRow>& rows, bool ok)
{
    QJsonObject geometry{{QStringLiteral("primaryBytes"), setup.geometry.primarySize},
                         {QStringLiteral("secondaryBytes"), setup.geometry.secondarySize},
                         {QStringLiteral("sectorBytes"), setup.geometry.sectorSize},
                         {QStringLiteral("writeAlign"), setup.geometry.writeAlign},
                         {QStringLiteral("maxImageSectors"), setup.geometry.maxImageSectors}};
    QJsonArray swaps;
    for (const SwapRow& row : rows)
        swaps.append(swapJson(row));
    QJsonObject o{{QStringLiteral("strategy"), mb::bootStrategyName(r.config.strategy)},
                  {QStringLiteral("geometry"), geometry},
                  {QStringLiteral("oldImageBytes"), setup.images.oldImage.size()},
                  {QStringLiteral("newImageBytes"), setup.images.newImage.size()},
                  {QStringLiteral("seed"), QString::number(r.config.seed)},
                  {QStringLiteral("swaps"), swaps},
                  {QStringLiteral("ok"), ok}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

int mcubootPowercutCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("strategy"), QStringLiteral("swap-move (default), overwrite-only or direct-xip-revert."),
                 QStringLiteral("name"), QStringLiteral("swap-move")});
    p.addOption({QStringLiteral("swap"), QStringLiteral("test, perm, revert or all (default: every swap the strategy does)."),
                 QStringLiteral("type"), QStringLiteral("all")});
    p.addOption({QStringLiteral("image-kib"), QStringLiteral("Body of the new image in KiB (default 64); the old one is 3/4 of it."),
                 QStringLiteral("n"), QStringLiteral("64")});
    p.addOption({QStringLiteral("sector-kib"), QStringLiteral("Erase sector in KiB, a power of two (default 4)."),
                 QStringLiteral("n"), QStringLiteral("4")});
    p.addOption({QStringLiteral("align"), QStringLiteral("Flash write alignment in bytes: 1, 2, 4 (default), 8, 16 or 32."),
                 QStringLiteral("n"), QStringLiteral("4")});
    p.addOption({QStringLiteral("primary-larger"),
                 QStringLiteral("Make the primary slot one sector larger than the secondary (swap-move layout).")});
    p.addOption({QStringLiteral("double-cuts"), QStringLiteral("Cut pairs (k in the upgrade, j in its resume) per swap type (default 100)."),
                 QStringLiteral("n"), QStringLiteral("100")});
    p.addOption({QStringLiteral("random-runs"), QStringLiteral("Seeded runs of up to 4 successive cuts per swap type (default 20)."),
                 QStringLiteral("n"), QStringLiteral("20")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the images, key and sampled cuts (default 1)."),
                 QStringLiteral("s"), QStringLiteral("1")});
    p.addOption({QStringLiteral("sabotage"),
                 QStringLiteral("lose-swap-status: erase the swap status after every cut, to see failures reported."),
                 QStringLiteral("kind")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Also write the results as JSON to this file."), QStringLiteral("file")});
    if (auto stop = parseCommand(p, args, io,
                                 QStringLiteral("Power-cut a simulated MCUboot upgrade at every flash operation, like MCUboot's "
                                                "own simulator: count the writes and sector erases N of an uninterrupted upgrade, "
                                                "then for each cut point 1..N boot a fresh board, lose power at that operation, "
                                                "reboot and check the board runs a valid (hash + signature) image, the right one, "
                                                "with consistent trailers, and that the next boot is stable (after a test "
                                                "upgrade: a revert, itself cut). Exit 1 when any run does not recover.")))
        return *stop;
    if (!p.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()), ExitUsage);
    auto request = requestFrom(p);
    if (!request)
        return reportError(io, request.error().toString(), ExitUsage);
    auto setup = mb::powerCutSetup(request->config);
    if (!setup)
        return reportError(io, setup.error().toString(), ExitUsage);

    const mb::FlashGeometry& g = setup->geometry;
    io.out << "MCUboot power-cut campaign: " << mb::bootStrategyName(request->config.strategy) << ", slots "
           << kib(g.primarySize) << "/" << kib(g.secondarySize) << " KiB of " << kib(g.sectorSize) << " KiB sectors, write align "
           << g.writeAlign << ", images " << setup->images.oldImage.size() << " B (1.0.0) -> "
           << setup->images.newImage.size() << " B (2.0.0), Ed25519-signed, seed " << request->config.seed << "\n";
    io.out.flush();
    std::vector<SwapRow> rows;
    bool ok = true;
    for (mb::PowerCutSwap swap : setup->swaps) {
        QElapsedTimer timer;
        timer.start();
        auto one = mb::runPowerCutSwap(request->config, *setup, swap);
        if (!one)
            return reportError(io, one.error().toString(), ExitInvalid);
        SwapRow row{std::move(*one), double(timer.nsecsElapsed()) / 1e9};
        const mb::PowerCutSwapResult& s = row.result;
        io.out << "  " << mb::powerCutSwapName(swap) << ": " << s.flashOps << " flash ops; cuts " << s.cutsRecovered << "/"
               << s.cutsTried << ", double " << s.doubleRecovered << "/" << s.doubleTried << ", random " << s.randomRecovered
               << "/" << s.randomTried << " recovered (" << QString::number(row.seconds, 'f', 2) << " s)\n";
        io.out.flush();
        ok = ok && s.ok();
        rows.push_back(std::move(row));
    }
    io.out << "\n";
    printTable(io.out, rows);
    io.out.flush();
    if (!request->jsonPath.isEmpty())
        if (auto written = writeFileAtomic(request->jsonPath, campaignJson(*request, *setup, rows, ok)); !written)
            return reportError(io, written.error().toString(), ExitIo);
    if (ok)
        return ExitOk;
    int failed = 0;
    for (const SwapRow& row : rows)
        failed += row.result.failureCount;
    io.err << "error: " << failed << " run(s) did not recover; the first ones:\n";
    int printed = 0;
    for (const SwapRow& row : rows)
        for (const mb::PowerCutFailure& f : row.result.failures)
            if (printed++ < kFailuresPrinted)
                io.err << "  " << f.toString() << "\n";
    io.err.flush();
    return ExitInvalid;
}

} // namespace otalab::cli
