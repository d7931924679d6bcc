// SPDX-License-Identifier: Apache-2.0
#include "sim/sweep/sweepplan.h"

#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariopatch.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <climits>
#include <cmath>

namespace otalab::sim {

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: seeds are JSON numbers

QJsonArray seedsJson(const std::vector<std::uint64_t>& seeds)
{
    QJsonArray array;
    for (std::uint64_t s : seeds)
        array.append(QJsonValue(double(s)));
    return array;
}

QJsonArray axesJson(const QList<SweepAxis>& axes)
{
    QJsonArray array;
    for (const SweepAxis& axis : axes)
        array.append(axis.toJson());
    return array;
}

// The product of the axes' sizes, or nullopt beyond `cap`.
std::optional<std::size_t> productOf(const QList<SweepAxis>& axes, std::size_t seeds, std::size_t cap)
{
    std::size_t product = seeds;
    for (const SweepAxis& axis : axes) {
        const std::size_t n = std::size_t(axis.values.size());
        if (n == 0)
            return std::size_t(0);
        if (product > cap / n)
            return std::nullopt;
        product *= n;
    }
    return product;
}

// "blockSize=64, pollIntervalMs=0"
QString pointText(const QList<SweepAxis>& axes, const QList<QJsonValue>& point)
{
    QStringList parts;
    for (int i = 0; i < axes.size() && i < point.size(); ++i)
        parts << QStringLiteral("%1=%2").arg(axes[i].label(), SweepAxis::valueText(point[i]));
    return parts.join(QStringLiteral(", "));
}

// "campus.json, blockSize=32..128 (4 values), seeds 1..10"
QString planDescription(const SweepPlan& plan)
{
    QStringList parts;
    parts << (plan.scenarioPath.isEmpty() ? plan.scenario.value(QStringLiteral("name")).toString() : plan.scenarioPath);
    for (const SweepAxis& axis : plan.axes) {
        QStringList values;
        for (int i = 0; i < axis.values.size() && i < 4; ++i)
            values << SweepAxis::valueText(axis.values[i]);
        if (axis.values.size() > 4)
            values << QString::fromUtf8("…");
        parts << QStringLiteral("%1=%2").arg(axis.label(), values.join(QLatin1Char(',')));
    }
    if (!plan.seeds.empty())
        parts << QStringLiteral("%1 seed(s) from %2").arg(plan.seeds.size()).arg(plan.seeds.front());
    return parts.join(QStringLiteral(", "));
}

Result<void> writeAtomically(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fail(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    return {};
}

} // namespace

std::size_t SweepPlan::pointCount() const
{
    std::size_t product = 1;
    for (const SweepAxis& axis : axes)
        product *= std::size_t(axis.values.size());
    return product;
}

QList<QJsonValue> SweepPlan::point(int pointIndex) const
{
    QList<QJsonValue> values;
    values.resize(axes.size());
    std::size_t rest = std::size_t(pointIndex);
    for (qsizetype a = axes.size() - 1; a >= 0; --a) {  // the last axis varies fastest
        const std::size_t n = std::size_t(axes[a].values.size());
        values[a] = axes[a].values[qsizetype(rest % n)];
        rest /= n;
    }
    return values;
}

SweepRunSpec SweepPlan::run(int index) const
{
    SweepRunSpec spec;
    const std::size_t seedCount = seeds.size();
    spec.index = index;
    spec.pointIndex = int(std::size_t(index) / seedCount);
    spec.point = point(spec.pointIndex);
    spec.seed = seeds[std::size_t(index) % seedCount];
    return spec;
}

Result<QJsonObject> SweepPlan::scenarioFor(const SweepRunSpec& run) const
{
    QJsonObject doc = scenario;
    for (int a = 0; a < axes.size() && a < run.point.size(); ++a) {
        if (auto set = setScenarioValue(doc, axes[a].path, run.point[a]); !set)
            return fail(Error{QStringLiteral("%1=%2: %3").arg(axes[a].path, SweepAxis::valueText(run.point[a]), set.error().message),
                              axes[a].path, -1});
    }
    doc.insert(QStringLiteral("seed"), QJsonValue(double(run.seed)));
    return doc;
}

QString SweepPlan::identity() const
{
    // QJsonObject keeps its keys sorted, so the compact form is canonical.
    const QJsonObject canonical{
        {QStringLiteral("format"), kFormatVersion},
        {QStringLiteral("scenario"), scenario},
        {QStringLiteral("axes"), axesJson(axes)},
        {QStringLiteral("seeds"), seedsJson(seeds)},
        {QStringLiteral("untilS"), untilS ? QJsonValue(*untilS) : QJsonValue(QJsonValue::Null)},
    };
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(canonical).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256).toHex());
}

QJsonObject SweepPlan::toJson() const
{
    return QJsonObject{
        {QStringLiteral("format"), kFormatVersion},
        {QStringLiteral("identity"), identity()},
        {QStringLiteral("scenario"), scenario},
        {QStringLiteral("scenarioPath"), scenarioPath},
        {QStringLiteral("baseDir"), baseDir},
        {QStringLiteral("axes"), axesJson(axes)},
        {QStringLiteral("seeds"), seedsJson(seeds)},
        {QStringLiteral("untilS"), untilS ? QJsonValue(*untilS) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("points"), double(pointCount())},
        {QStringLiteral("runs"), double(runCount())},
    };
}

Result<SweepPlan> SweepPlan::fromJson(const QJsonObject& object)
{
    auto error = [](const QString& field, const QString& message) { return fail(Error{message, field, -1}); };
    const QJsonValue format = object.value(QStringLiteral("format"));
    if (!format.isDouble() || format.toDouble() != kFormatVersion)
        return error(QStringLiteral("format"), QStringLiteral("expected %1 (a plan of another otalab version?)").arg(kFormatVersion));
    SweepPlan plan;
    const QJsonValue scenario = object.value(QStringLiteral("scenario"));
    if (!scenario.isObject())
        return error(QStringLiteral("scenario"), QStringLiteral("expected the scenario document (an object)"));
    plan.scenario = scenario.toObject();
    const QJsonValue path = object.value(QStringLiteral("scenarioPath"));
    if (!path.isUndefined() && !path.isString())
        return error(QStringLiteral("scenarioPath"), QStringLiteral("expected a string"));
    plan.scenarioPath = path.toString();
    const QJsonValue baseDir = object.value(QStringLiteral("baseDir"));
    if (!baseDir.isUndefined() && !baseDir.isString())
        return error(QStringLiteral("baseDir"), QStringLiteral("expected a string"));
    plan.baseDir = baseDir.toString();

    const QJsonValue axes = object.value(QStringLiteral("axes"));
    if (!axes.isUndefined() && !axes.isArray())
        return error(QStringLiteral("axes"), QStringLiteral("expected an array"));
    const QJsonArray axesArray = axes.toArray();
    QSet<QString> paths;
    for (int i = 0; i < axesArray.size(); ++i) {
        const QString field = QStringLiteral("axes[%1]").arg(i);
        if (!axesArray.at(i).isObject())
            return error(field, QStringLiteral("expected an object {\"path\", \"values\"}"));
        auto axis = SweepAxis::fromJson(axesArray.at(i).toObject());
        if (!axis)
            return error(field + QLatin1Char('.') + axis.error().field, axis.error().message);
        if (paths.contains(axis->path))
            return error(field + QStringLiteral(".path"), QStringLiteral("%1 is varied twice").arg(axis->path));
        paths.insert(axis->path);
        plan.axes.append(*axis);
    }

    const QJsonValue seeds = object.value(QStringLiteral("seeds"));
    if (!seeds.isArray() || seeds.toArray().isEmpty())
        return error(QStringLiteral("seeds"), QStringLiteral("expected a non-empty array of seeds"));
    const QJsonArray seedArray = seeds.toArray();
    for (int i = 0; i < seedArray.size(); ++i) {
        const double s = seedArray.at(i).toDouble(-1);
        if (!seedArray.at(i).isDouble() || s < 0 || std::floor(s) != s || s >= kMaxExactInteger)
            return error(QStringLiteral("seeds[%1]").arg(i), QStringLiteral("expected an integer 0 ≤ seed < 2^53"));
        plan.seeds.push_back(std::uint64_t(s));
    }

    const QJsonValue until = object.value(QStringLiteral("untilS"));
    if (until.isDouble()) {
        if (!(until.toDouble() > 0) || !std::isfinite(until.toDouble()))
            return error(QStringLiteral("untilS"), QStringLiteral("expected a number of seconds > 0"));
        plan.untilS = until.toDouble();
    } else if (!until.isUndefined() && !until.isNull()) {
        return error(QStringLiteral("untilS"), QStringLiteral("expected a number of seconds or null"));
    }

    if (!productOf(plan.axes, plan.seeds.size(), std::size_t(INT_MAX)))
        return error(QStringLiteral("axes"), QStringLiteral("more than %1 runs").arg(INT_MAX));

    const QJsonValue identity = object.value(QStringLiteral("identity"));
    if (!identity.isUndefined()) {
        if (!identity.isString())
            return error(QStringLiteral("identity"), QStringLiteral("expected a string"));
        if (identity.toString() != plan.identity())
            return error(QStringLiteral("identity"),
                         QStringLiteral("does not match the plan's contents (plan.json was edited?); plan again with otalab-cli sweep"));
    }
    return plan;
}

Result<SweepPlan> buildSweepPlan(QJsonObject scenario, QString scenarioPath, QString baseDir, QList<SweepAxis> axes,
                                 int seedCount, std::uint64_t firstSeed, std::optional<double> untilS,
                                 const SweepLimits& limits)
{
    if (seedCount < 1)
        return fail(Error{QStringLiteral("--seeds must be at least 1 (got %1)").arg(seedCount), QStringLiteral("seeds"), -1});
    if (double(firstSeed) + double(seedCount) > kMaxExactInteger)
        return fail(Error{QStringLiteral("seeds from %1 go beyond 2^53").arg(firstSeed), QStringLiteral("seeds"), -1});
    if (untilS && !(*untilS > 0 && std::isfinite(*untilS)))
        return fail(Error{QStringLiteral("--until must be a number of seconds > 0"), QStringLiteral("untilS"), -1});
    QSet<QString> paths;
    for (const SweepAxis& axis : axes) {
        if (axis.values.isEmpty())
            return fail(Error{QStringLiteral("%1 has no values").arg(axis.path), axis.path, -1});
        if (paths.contains(axis.path))
            return fail(Error{QStringLiteral("%1 is varied twice; give its values in one --vary").arg(axis.path), axis.path, -1});
        if (axis.path == QLatin1String("$.seed"))
            return fail(Error{QStringLiteral("the seed is varied with --seeds N, not --vary"), axis.path, -1});
        paths.insert(axis.path);
    }
    const auto runs = productOf(axes, std::size_t(seedCount), limits.maxRuns);
    if (!runs) {
        // The exact count for the message (saturating: it only has to be readable).
        double count = seedCount;
        QStringList factors;
        for (const SweepAxis& axis : axes) {
            count *= double(axis.values.size());
            factors << QString::number(axis.values.size());
        }
        factors << QStringLiteral("%1 seed(s)").arg(seedCount);
        return fail(Error{QStringLiteral("the sweep has %1 runs (%2), more than the limit of %3; "
                                         "raise it with --max-runs if that is intended")
                              .arg(count, 0, 'f', 0)
                              .arg(factors.join(QStringLiteral(" × ")))
                              .arg(limits.maxRuns),
                          QStringLiteral("runs"), -1});
    }

    SweepPlan plan;
    plan.scenario = std::move(scenario);
    plan.scenarioPath = std::move(scenarioPath);
    plan.baseDir = baseDir.isEmpty() ? QString() : QDir(baseDir).absolutePath();
    plan.axes = std::move(axes);
    plan.untilS = untilS;
    for (int i = 0; i < seedCount; ++i)
        plan.seeds.push_back(firstSeed + std::uint64_t(i));

    // Every parameter point must load (the seed does not change what loads).
    const int points = int(plan.pointCount());
    for (int p = 0; p < points; ++p) {
        const SweepRunSpec spec = plan.run(p * int(plan.seeds.size()));
        const QString where = plan.axes.isEmpty() ? QStringLiteral("the scenario") : pointText(plan.axes, spec.point);
        auto doc = plan.scenarioFor(spec);
        if (!doc)
            return fail(Error{QStringLiteral("%1: %2").arg(where, doc.error().message), doc.error().field, -1});
        auto config = loadScenarioConfig(QJsonDocument(*doc).toJson(QJsonDocument::Compact), plan.baseDir);
        if (!config) {
            const QString field = config.error().field;
            return fail(Error{QStringLiteral("%1: %2%3")
                                  .arg(where, field.isEmpty() ? QString() : field + QStringLiteral(": "), config.error().message),
                              field, -1});
        }
    }
    return plan;
}

QString sweepRunDir(const QString& sweepDir, int index)
{
    return QDir(sweepDir).filePath(QStringLiteral("runs/%1").arg(index, 6, 10, QLatin1Char('0')));
}

QString sweepPlanPath(const QString& sweepDir) { return QDir(sweepDir).filePath(QStringLiteral("plan.json")); }

Result<void> writeSweepPlan(const SweepPlan& plan, const QString& sweepDir)
{
    const QString planPath = sweepPlanPath(sweepDir);
    const QDir dir(sweepDir);
    if (QFileInfo::exists(planPath)) {
        auto existing = readSweepPlan(sweepDir);
        if (existing && existing->identity() == plan.identity())
            return {};  // the same sweep: resumed
        const QString what = existing ? planDescription(*existing)
                                      : QStringLiteral("unreadable: %1").arg(existing.error().toString());
        return fail(Error{QStringLiteral("%1 holds another sweep (plan.json: %2); choose another --out or delete it").arg(sweepDir, what),
                          planPath, -1});
    }
    if (dir.exists()) {
        const bool runs = QFileInfo(dir.filePath(QStringLiteral("runs"))).exists();
        const bool tables = !dir.entryList({QStringLiteral("sweep-*.csv")}, QDir::Files).isEmpty();
        if (runs || tables)
            return fail(Error{QStringLiteral("%1 holds files of another tool (%2 but no plan.json); choose another --out or delete it")
                                  .arg(sweepDir, runs ? QStringLiteral("runs/") : QStringLiteral("sweep-*.csv")),
                              sweepDir, -1});
    }
    if (!QDir().mkpath(sweepDir))
        return fail(Error{QStringLiteral("cannot create the folder %1").arg(sweepDir), sweepDir, -1});
    return writeAtomically(planPath, QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented));
}

Result<SweepPlan> readSweepPlan(const QString& sweepDir)
{
    const QString planPath = sweepPlanPath(sweepDir);
    QFile file(planPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error{QStringLiteral("cannot read %1: %2 (not a sweep folder?)").arg(planPath, file.errorString()), planPath, -1});
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(Error{QStringLiteral("%1: %2").arg(planPath, parseError.errorString()), planPath, parseError.offset});
    if (!doc.isObject())
        return fail(Error{QStringLiteral("%1: expected a JSON object").arg(planPath), planPath, -1});
    auto plan = SweepPlan::fromJson(doc.object());
    if (!plan)
        return fail(Error{QStringLiteral("%1: %2: %3").arg(planPath, plan.error().field, plan.error().message), planPath, -1});
    return plan;
}

} // namespace otalab::sim
