// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenariopatch.h"

#include <QJsonArray>

#include <variant>
#include <vector>

namespace otalab::sim {

namespace {

using Step = ScenarioPathStep;

} // namespace

Result<std::vector<ScenarioPathStep>> scenarioPathSteps(const QString& path)
{
    QString p = path.trimmed();
    if (p.startsWith(QLatin1Char('$')))
        p = p.mid(1);
    else if (!p.isEmpty() && p[0] != QLatin1Char('.') && p[0] != QLatin1Char('['))
        p.prepend(QLatin1Char('.'));
    std::vector<Step> steps;
    int i = 0;
    while (i < p.size()) {
        if (p[i] == QLatin1Char('.')) {
            int j = i + 1;
            while (j < p.size() && p[j] != QLatin1Char('.') && p[j] != QLatin1Char('['))
                ++j;
            const QString key = p.mid(i + 1, j - i - 1);
            if (key.isEmpty())
                return std::unexpected(Error{QStringLiteral("empty key at character %1 of \"%2\"").arg(i + 1).arg(path), path, -1});
            steps.emplace_back(key);
            i = j;
        } else if (p[i] == QLatin1Char('[')) {
            const int close = p.indexOf(QLatin1Char(']'), i);
            bool ok = false;
            const int index = close > i ? p.mid(i + 1, close - i - 1).toInt(&ok) : -1;
            if (!ok || index < 0)
                return std::unexpected(Error{QStringLiteral("expected [index] with a number ≥ 0 at character %1 of \"%2\"").arg(i + 1).arg(path), path, -1});
            steps.emplace_back(index);
            i = close + 1;
        } else {
            return std::unexpected(Error{QStringLiteral("expected '.' or '[' at character %1 of \"%2\"").arg(i + 1).arg(path), path, -1});
        }
    }
    if (steps.empty() || !std::holds_alternative<QString>(steps.back()))
        return std::unexpected(Error{QStringLiteral("\"%1\" does not end in a key (e.g. \"$.fleets[0].campaign.redundancyPercent\")").arg(path), path, -1});
    return steps;
}

namespace {

QString prefixOf(const std::vector<Step>& steps, std::size_t count)
{
    QString out = QStringLiteral("$");
    for (std::size_t i = 0; i < count; ++i) {
        if (const QString* key = std::get_if<QString>(&steps[i]))
            out += QLatin1Char('.') + *key;
        else
            out += QStringLiteral("[%1]").arg(std::get<int>(steps[i]));
    }
    return out;
}

// Sets value below `node` (an object or array) along steps[at..]; recursion because
// QJsonObject/QJsonArray are values, written back on the way up.
Result<QJsonValue> setIn(QJsonValue node, const std::vector<Step>& steps, std::size_t at, const QJsonValue& value)
{
    if (at == steps.size())
        return value;
    const QString where = prefixOf(steps, at + 1);
    if (const QString* key = std::get_if<QString>(&steps[at])) {
        if (node.isUndefined() || node.isNull())
            node = QJsonObject{};
        if (!node.isObject())
            return std::unexpected(Error{QStringLiteral("%1 is not an object").arg(prefixOf(steps, at)), prefixOf(steps, at), -1});
        QJsonObject object = node.toObject();
        auto child = setIn(object.value(*key), steps, at + 1, value);
        if (!child)
            return child;
        object.insert(*key, *child);
        return QJsonValue(object);
    }
    const int index = std::get<int>(steps[at]);
    if (!node.isArray())
        return std::unexpected(Error{QStringLiteral("%1 is not an array").arg(prefixOf(steps, at)), prefixOf(steps, at), -1});
    QJsonArray array = node.toArray();
    if (index >= array.size())
        return std::unexpected(Error{QStringLiteral("%1: the array has %2 element(s)").arg(where).arg(array.size()), where, -1});
    auto child = setIn(array.at(index), steps, at + 1, value);
    if (!child)
        return child;
    array.replace(index, *child);
    return QJsonValue(array);
}

} // namespace

Result<void> setScenarioValue(QJsonObject& root, const QString& path, const QJsonValue& value)
{
    auto steps = scenarioPathSteps(path);
    if (!steps)
        return std::unexpected(steps.error());
    auto updated = setIn(QJsonValue(root), *steps, 0, value);
    if (!updated)
        return std::unexpected(updated.error());
    root = updated->toObject();
    return {};
}

Result<QJsonValue> scenarioValue(const QJsonObject& root, const QString& path)
{
    auto steps = scenarioPathSteps(path);
    if (!steps)
        return std::unexpected(steps.error());
    QJsonValue node(root);
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const Step& step = (*steps)[i];
        if (const QString* key = std::get_if<QString>(&step)) {
            if (!node.isObject() || !node.toObject().contains(*key))
                return std::unexpected(Error{QStringLiteral("%1 is not set").arg(prefixOf(*steps, i + 1)), prefixOf(*steps, i + 1), -1});
            node = node.toObject().value(*key);
        } else {
            const int index = std::get<int>(step);
            if (!node.isArray() || index >= node.toArray().size())
                return std::unexpected(Error{QStringLiteral("%1 does not exist").arg(prefixOf(*steps, i + 1)), prefixOf(*steps, i + 1), -1});
            node = node.toArray().at(index);
        }
    }
    return node;
}

} // namespace otalab::sim
