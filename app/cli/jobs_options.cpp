// SPDX-License-Identifier: Apache-2.0
// Rollout options of `otalab-cli jobs create` → the scenario "rollout" section.
#include "app/cli/jobs_options.h"

#include "app/cli/cli.h"
#include "app/hw/jobs_rollout.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace otalab::cli {
namespace {

Result<double> number(const QString& text, const QString& what)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok)
        return fail(QStringLiteral("%1: '%2' is not a number").arg(what, text));
    return v;
}

Result<int> integer(const QString& text, const QString& what)
{
    bool ok = false;
    const int v = text.trimmed().toInt(&ok);
    if (!ok)
        return fail(QStringLiteral("%1: '%2' is not a whole number").arg(what, text));
    return v;
}

} // namespace

Result<QJsonObject> parseExponentialOption(const QString& text)
{
    const QString what = QStringLiteral("--exponential");
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 3)
        return fail(QStringLiteral("%1: '%2' is not base,factor,succeeded:N (or notified:N), e.g. 2,1.5,succeeded:3")
                        .arg(what, text));
    auto base = integer(parts[0], what + QStringLiteral(" base rate"));
    if (!base)
        return fail(base.error());
    auto factor = number(parts[1], what + QStringLiteral(" increment factor"));
    if (!factor)
        return fail(factor.error());
    const QStringList criterion = parts[2].trimmed().split(QLatin1Char(':'));
    if (criterion.size() != 2)
        return fail(QStringLiteral("%1: '%2' is not succeeded:N or notified:N").arg(what, parts[2]));
    auto count = integer(criterion[1], what + QStringLiteral(" criterion"));
    if (!count)
        return fail(count.error());
    const QString kind = criterion[0].trimmed().toLower();
    QJsonObject criteria;
    if (kind == QLatin1String("succeeded"))
        criteria.insert(QStringLiteral("numberOfSucceededThings"), *count);
    else if (kind == QLatin1String("notified"))
        criteria.insert(QStringLiteral("numberOfNotifiedThings"), *count);
    else
        return fail(QStringLiteral("%1: '%2' is neither succeeded nor notified").arg(what, criterion[0]));
    return QJsonObject{{QStringLiteral("baseRatePerMinute"), *base},
                       {QStringLiteral("incrementFactor"), *factor},
                       {QStringLiteral("rateIncreaseCriteria"), criteria}};
}

Result<QJsonObject> parseAbortOption(const QString& text)
{
    const QString what = QStringLiteral("--abort");
    const QStringList parts = text.split(QLatin1Char(':'));
    if (parts.size() != 3)
        return fail(QStringLiteral("%1: '%2' is not TYPE:PERCENT:MIN, e.g. FAILED:5:100").arg(what, text));
    const QString type = parts[0].trimmed().toUpper();
    if (type != QLatin1String("FAILED") && type != QLatin1String("REJECTED") && type != QLatin1String("TIMED_OUT")
        && type != QLatin1String("ALL"))
        return fail(QStringLiteral("%1: failure type '%2' is not FAILED, REJECTED, TIMED_OUT or ALL").arg(what, parts[0]));
    auto percent = number(parts[1], what + QStringLiteral(" threshold percentage"));
    if (!percent)
        return fail(percent.error());
    auto min = integer(parts[2], what + QStringLiteral(" minimum executed things"));
    if (!min)
        return fail(min.error());
    return QJsonObject{{QStringLiteral("failureType"), type},
                       {QStringLiteral("action"), QStringLiteral("CANCEL")},
                       {QStringLiteral("thresholdPercentage"), *percent},
                       {QStringLiteral("minNumberOfExecutedThings"), *min}};
}

Result<QJsonObject> readRolloutFile(const QString& path)
{
    auto bytes = readFile(path);
    if (!bytes)
        return fail(bytes.error());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(Error::at(error.offset, {}, QStringLiteral("%1 is not JSON: %2 at byte %3")
                                                    .arg(path, error.errorString())
                                                    .arg(error.offset)));
    if (!doc.isObject())
        return fail(QStringLiteral("%1: expected a JSON object (the rollout section or a scenario)").arg(path));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("rollout")).isObject())
        return root.value(QStringLiteral("rollout")).toObject();
    return root;
}

Result<void> checkRolloutSection(const QJsonObject& section)
{
    auto config = hw::jobs::rolloutPolicyFromSection(section, QStringLiteral("job"), {QStringLiteral("thing")});
    if (!config)
        return fail(config.error());
    return {};
}

Result<QJsonObject> rolloutSectionFromOptions(const JobsRolloutOptions& options)
{
    QJsonObject section = options.file.value_or(QJsonObject{});
    QJsonObject rollout = section.value(QStringLiteral("jobExecutionsRolloutConfig")).toObject();
    if (options.maxPerMinute) {
        auto n = integer(*options.maxPerMinute, QStringLiteral("--max-per-minute"));
        if (!n)
            return fail(n.error());
        rollout.insert(QStringLiteral("maximumPerMinute"), *n);
    }
    if (options.exponential) {
        auto exponential = parseExponentialOption(*options.exponential);
        if (!exponential)
            return fail(exponential.error());
        rollout.insert(QStringLiteral("exponentialRate"), *exponential);
    }
    if (!rollout.isEmpty())
        section.insert(QStringLiteral("jobExecutionsRolloutConfig"), rollout);
    if (!options.abort.isEmpty()) {
        QJsonArray criteria;
        for (const QString& a : options.abort) {
            auto criterion = parseAbortOption(a);
            if (!criterion)
                return fail(criterion.error());
            criteria.append(*criterion);
        }
        section.insert(QStringLiteral("abortConfig"), QJsonObject{{QStringLiteral("criteriaList"), criteria}});
    }
    if (options.timeoutMinutes) {
        auto minutes = number(*options.timeoutMinutes, QStringLiteral("--timeout-minutes"));
        if (!minutes)
            return fail(minutes.error());
        section.insert(QStringLiteral("timeoutConfig"),
                       QJsonObject{{QStringLiteral("inProgressTimeoutInMinutes"), *minutes}});
    }
    if (!section.contains(QStringLiteral("order")))
        section.insert(QStringLiteral("order"), QStringLiteral("index"));
    return section;
}

} // namespace otalab::cli
