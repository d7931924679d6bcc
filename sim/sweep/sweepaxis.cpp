// SPDX-License-Identifier: Apache-2.0
#include "sim/sweep/sweepaxis.h"

#include "sim/scenario/scenariopatch.h"

#include <QJsonArray>
#include <QSet>

#include <optional>
#include <variant>
#include <vector>

#include <cmath>

namespace otalab::sim {

namespace {

// "server.blockSize" → "$.server.blockSize"; "[0].x" → "$[0].x"; "$.a" stays.
QString normalisedPath(const QString& key)
{
    const QString k = key.trimmed();
    if (k.startsWith(QLatin1Char('$')))
        return k;
    if (k.startsWith(QLatin1Char('.')) || k.startsWith(QLatin1Char('[')))
        return QLatin1Char('$') + k;
    return QStringLiteral("$.") + k;
}

// The path without its last step ("$.a.b[2].c" → "$.a.b[2]"); "$" for a top-level key.
QString parentPath(const QString& path)
{
    const int dot = path.lastIndexOf(QLatin1Char('.'));
    const int bracket = path.lastIndexOf(QLatin1Char('['));
    const int cut = std::max(dot, bracket);
    return cut <= 0 ? QStringLiteral("$") : path.left(cut);
}

QString jsonTypeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    default: return QStringLiteral("null");
    }
}

std::optional<double> parseNumber(const QString& text)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

bool isInteger(double v) { return std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9007199254740992.0; }

Error varyError(const QString& argument, const QString& field, const QString& message)
{
    return Error{QStringLiteral("--vary %1: %2").arg(argument, message), field, -1};
}

QString valueTextOf(const QJsonValue& v) { return (v.isBool() ? QStringLiteral("b") : QString()) + SweepAxis::valueText(v); }

using Step = ScenarioPathStep;

// A path's steps as scenariopatch.h reads them (scenarioPathSteps).
Result<std::vector<Step>> pathSteps(const QString& path) { return scenarioPathSteps(path); }

QString pathSyntaxError(const QString& path)
{
    auto steps = pathSteps(path);
    return steps ? QString() : steps.error().message;
}

// The value after the first `count` steps; nullopt where a step is missing.
std::optional<QJsonValue> valueAt(const QJsonObject& root, const std::vector<Step>& steps, std::size_t count)
{
    QJsonValue node(root);
    for (std::size_t i = 0; i < count; ++i) {
        if (const QString* key = std::get_if<QString>(&steps[i])) {
            if (!node.isObject() || !node.toObject().contains(*key))
                return std::nullopt;
            node = node.toObject().value(*key);
        } else {
            const int index = std::get<int>(steps[i]);
            if (!node.isArray() || index >= node.toArray().size())
                return std::nullopt;
            node = node.toArray().at(index);
        }
    }
    return node;
}

} // namespace

QString SweepAxis::label() const
{
    const int dot = path.lastIndexOf(QLatin1Char('.'));
    QString last = dot >= 0 ? path.mid(dot + 1) : path;
    if (last.isEmpty() || last == QLatin1String("$"))
        return path;
    return last;
}

QString SweepAxis::valueText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double v = value.toDouble();
        if (isInteger(v))
            return QString::number(qint64(v));
        return QString::number(v, 'g', 15);
    }
    case QJsonValue::String: return value.toString();
    case QJsonValue::Null: return QStringLiteral("null");
    default: return QString::fromUtf8(value.isArray() ? "[…]" : "{…}");
    }
}

QJsonObject SweepAxis::toJson() const
{
    QJsonArray array;
    for (const QJsonValue& v : values)
        array.append(v);
    return QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("values"), array}};
}

Result<SweepAxis> SweepAxis::fromJson(const QJsonObject& object)
{
    SweepAxis axis;
    const QJsonValue path = object.value(QStringLiteral("path"));
    if (!path.isString() || path.toString().isEmpty())
        return fail(Error{QStringLiteral("expected a non-empty string (a JSON path such as \"$.server.blockSize\")"),
                          QStringLiteral("path"), -1});
    axis.path = normalisedPath(path.toString());
    if (const QString syntax = pathSyntaxError(axis.path); !syntax.isEmpty())
        return fail(Error{syntax, QStringLiteral("path"), -1});
    const QJsonValue values = object.value(QStringLiteral("values"));
    if (!values.isArray() || values.toArray().isEmpty())
        return fail(Error{QStringLiteral("expected a non-empty array of values"), QStringLiteral("values"), -1});
    const QJsonArray array = values.toArray();
    if (array.size() > kMaxAxisValues)
        return fail(Error{QStringLiteral("more than %1 values").arg(kMaxAxisValues), QStringLiteral("values"), -1});
    for (int i = 0; i < array.size(); ++i) {
        const QJsonValue v = array.at(i);
        if (!v.isDouble() && !v.isBool() && !v.isString())
            return fail(Error{QStringLiteral("expected a number, a boolean or a string, not %1").arg(jsonTypeName(v)),
                              QStringLiteral("values[%1]").arg(i), -1});
        axis.values.append(v);
    }
    return axis;
}

Result<SweepAxis> parseVaryArgument(const QString& argument, const QJsonObject& baseScenario)
{
    const int eq = argument.indexOf(QLatin1Char('='));
    if (eq < 0)
        return fail(varyError(argument, {}, QStringLiteral("expected KEY=V1,V2,... or KEY=A..B[:STEP] (no '=')")));
    const QString key = argument.left(eq).trimmed();
    const QString text = argument.mid(eq + 1).trimmed();
    if (key.isEmpty() || key == QLatin1String("$") || key == QLatin1String("$."))
        return fail(varyError(argument, {}, QStringLiteral("empty KEY before '='")));
    SweepAxis axis;
    axis.path = normalisedPath(key);
    if (text.isEmpty())
        return fail(varyError(argument, axis.path, QStringLiteral("no values after '='")));

    // The path's syntax (as setScenarioValue reads it) and its parent in the base.
    if (const QString syntax = pathSyntaxError(axis.path); !syntax.isEmpty())
        return fail(varyError(argument, axis.path, syntax));
    const std::vector<Step> steps = *pathSteps(axis.path);
    const QString parent = parentPath(axis.path);
    if (parent != QLatin1String("$")) {
        // Walk the parent steps. A missing object key is fine: the section is left at its
        // defaults in the base and setScenarioValue creates it (the loader then refuses a key
        // it does not know, with the keys it expects: that is where a typo is named). A
        // missing array element, or a step through a value that is not an object, is refused.
        bool parentExists = true;
        for (std::size_t n = 1; n < steps.size(); ++n) {
            if (valueAt(baseScenario, steps, n))
                continue;
            QString prefix = QStringLiteral("$");
            for (std::size_t k = 0; k < n; ++k) {
                if (const QString* key = std::get_if<QString>(&steps[k]))
                    prefix += QLatin1Char('.') + *key;
                else
                    prefix += QStringLiteral("[%1]").arg(std::get<int>(steps[k]));
            }
            if (std::holds_alternative<int>(steps[n - 1]))
                return fail(varyError(argument, axis.path, QStringLiteral("%1 does not exist in the scenario").arg(prefix)));
            if (n >= 2) {
                const QJsonValue container = *valueAt(baseScenario, steps, n - 1);
                if (!container.isObject())
                    return fail(varyError(argument, axis.path,
                                          QStringLiteral("%1 is %2, not an object").arg(prefix.left(prefix.lastIndexOf(QLatin1Char('.'))), jsonTypeName(container))));
            }
            // Below a missing section only object keys can be created, not array elements.
            for (std::size_t k = n; k < steps.size(); ++k) {
                if (std::holds_alternative<int>(steps[k]))
                    return fail(varyError(argument, axis.path, QStringLiteral("%1 does not exist in the scenario, so it has no element [%2]")
                                                                   .arg(prefix).arg(std::get<int>(steps[k]))));
            }
            parentExists = false;
            break;
        }
        if (parentExists) {
            const QJsonValue parentValue = *valueAt(baseScenario, steps, steps.size() - 1);
            if (!parentValue.isObject())
                return fail(varyError(argument, axis.path, QStringLiteral("%1 is %2, not an object").arg(parent, jsonTypeName(parentValue))));
        }
    }
    std::optional<QJsonValue> current;
    if (auto v = valueAt(baseScenario, steps, steps.size()); v && !v->isNull())
        current = *v;
    if (current && (current->isObject() || current->isArray()))
        return fail(varyError(argument, axis.path,
                              QStringLiteral("%1 is %2 in the scenario; vary one of its values instead")
                                  .arg(axis.path, jsonTypeName(*current))));
    if (axis.path == QLatin1String("$.seed"))
        return fail(varyError(argument, axis.path, QStringLiteral("the seed is varied with --seeds N, not --vary")));

    // A range unless the key holds a string ("../images/a.ota" is a value) or, where the
    // base has no value, the ends are not numbers.
    const int dots = text.indexOf(QStringLiteral(".."));
    const bool rangeLike = dots >= 0 && !text.contains(QLatin1Char(','))
        && !(current && current->isString())
        && (current || (parseNumber(text.left(dots)) && parseNumber(text.mid(dots + 2).section(QLatin1Char(':'), 0, 0))));
    if (rangeLike) {
        // A numeric range A..B[:STEP].
        if (current && !current->isDouble())
            return fail(varyError(argument, axis.path,
                                  QStringLiteral("a range needs a number, but %1 is %2 in the scenario").arg(axis.path, jsonTypeName(*current))));
        const QString aText = text.left(dots);
        QString rest = text.mid(dots + 2);
        QString stepText;
        if (const int colon = rest.indexOf(QLatin1Char(':')); colon >= 0) {
            stepText = rest.mid(colon + 1);
            rest = rest.left(colon);
        }
        const auto a = parseNumber(aText);
        const auto b = parseNumber(rest);
        const auto step = stepText.isNull() ? std::optional<double>(1.0) : parseNumber(stepText);
        if (!a || !b || !step)
            return fail(varyError(argument, axis.path,
                                  QStringLiteral("expected a numeric range A..B or A..B:STEP (e.g. 10..50:10), got \"%1\"").arg(text)));
        if (*step <= 0)
            return fail(varyError(argument, axis.path, QStringLiteral("the range %1 has no points: STEP must be > 0").arg(text)));
        if (*a > *b)
            return fail(varyError(argument, axis.path, QStringLiteral("the range %1 has no points: A > B").arg(text)));
        const double span = (*b - *a) / *step;
        const double countD = std::floor(span + 1e-9 * std::max(1.0, std::fabs(span))) + 1.0;
        if (!(countD <= double(kMaxAxisValues)))
            return fail(varyError(argument, axis.path,
                                  QStringLiteral("the range %1 has %2 values, more than %3").arg(text).arg(countD, 0, 'g', 6).arg(kMaxAxisValues)));
        const bool integers = isInteger(*a) && isInteger(*b) && isInteger(*step);
        const int count = int(countD);
        for (int i = 0; i < count; ++i) {
            double v = *a + double(i) * *step;
            if (integers)
                v = std::round(v);
            else
                v = QString::number(v, 'g', 12).toDouble();  // 0.1 + 2 × 0.1 → 0.3, not 0.30000000000000004
            axis.values.append(QJsonValue(v));
        }
        return axis;
    }

    const QStringList items = text.split(QLatin1Char(','));
    if (items.size() > kMaxAxisValues)
        return fail(varyError(argument, axis.path, QStringLiteral("more than %1 values").arg(kMaxAxisValues)));
    QSet<QString> seen;
    for (const QString& raw : items) {
        const QString item = raw.trimmed();
        if (item.isEmpty())
            return fail(varyError(argument, axis.path, QStringLiteral("an empty value in \"%1\"").arg(text)));
        QJsonValue value;
        if (current && current->isDouble()) {
            const auto n = parseNumber(item);
            if (!n)
                return fail(varyError(argument, axis.path,
                                      QStringLiteral("\"%1\" is not a number (%2 is a number in the scenario)").arg(item, axis.path)));
            value = QJsonValue(*n);
        } else if (current && current->isBool()) {
            if (item == QLatin1String("true"))
                value = QJsonValue(true);
            else if (item == QLatin1String("false"))
                value = QJsonValue(false);
            else
                return fail(varyError(argument, axis.path,
                                      QStringLiteral("\"%1\" is not true or false (%2 is a boolean in the scenario)").arg(item, axis.path)));
        } else if (current && current->isString()) {
            value = QJsonValue(item);
        } else if (item == QLatin1String("true") || item == QLatin1String("false")) {
            value = QJsonValue(item == QLatin1String("true"));
        } else if (const auto n = parseNumber(item)) {
            value = QJsonValue(*n);
        } else {
            value = QJsonValue(item);
        }
        const QString seenKey = value.isDouble() ? QStringLiteral("n") + QString::number(value.toDouble(), 'g', 17)
                                                 : QStringLiteral("s") + valueTextOf(value);
        if (seen.contains(seenKey))
            return fail(varyError(argument, axis.path, QStringLiteral("the value %1 is given twice").arg(item)));
        seen.insert(seenKey);
        axis.values.append(value);
    }
    return axis;
}

} // namespace otalab::sim
