// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/jsonfieldreader.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace otalab::sim {

void recordScenarioError(std::optional<Error>& sink, const QString& path, const QString& message)
{
    if (!sink)
        sink = Error{message, path, -1};
}

JsonFieldReader::JsonFieldReader(QJsonObject object, QString path, std::optional<Error>& sink)
    : m_object(std::move(object)), m_path(std::move(path)), m_sink(sink)
{
}

void JsonFieldReader::fail(const QString& path, const QString& message)
{
    recordScenarioError(m_sink, path, message);
}

bool JsonFieldReader::contains(const char* key)
{
    const QString k = QLatin1String(key);
    m_known.insert(k);
    return m_object.contains(k);
}

QString JsonFieldReader::describe(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QStringLiteral("the number %1").arg(value.toDouble());
    case QJsonValue::String: return QStringLiteral("the string \"%1\"").arg(value.toString().left(40));
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

std::optional<std::uint64_t> JsonFieldReader::parseHex(const QJsonValue& value, std::uint64_t max)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > double(max) || d > 9007199254740992.0)
            return std::nullopt;
        return std::uint64_t(d);
    }
    if (!value.isString())
        return std::nullopt;
    const QString s = value.toString().trimmed();
    bool ok = false;
    std::uint64_t v = 0;
    if (s.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) && s.size() > 2)
        v = s.mid(2).toULongLong(&ok, 16);
    else if (!s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); }))
        v = s.toULongLong(&ok, 10);
    if (!ok || v > max)
        return std::nullopt;
    return v;
}

void JsonFieldReader::integer(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max)
{
    if (!contains(key))
        return;
    const QJsonValue v = m_object.value(QLatin1String(key));
    const double d = v.toDouble();
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < double(min) || d > double(max)) {
        fail(pathOf(QLatin1String(key)),
             QStringLiteral("expected an integer in [%1, %2], got %3").arg(min).arg(max).arg(describe(v)));
        return;
    }
    out = std::int64_t(d);
}

void JsonFieldReader::hexInteger(const char* key, std::uint64_t& out, std::uint64_t max)
{
    if (!contains(key))
        return;
    const QJsonValue v = m_object.value(QLatin1String(key));
    const auto parsed = parseHex(v, max);
    if (!parsed) {
        fail(pathOf(QLatin1String(key)),
             QStringLiteral("expected an integer in [0, 0x%1] (a number or a string such as \"0x1A2B\"), got %2")
                 .arg(QString::number(max, 16).toUpper(), describe(v)));
        return;
    }
    out = *parsed;
}

void JsonFieldReader::number(const char* key, double& out, double min, double max, bool minExclusive)
{
    if (!contains(key))
        return;
    const QJsonValue v = m_object.value(QLatin1String(key));
    const double d = v.toDouble();
    const bool low = minExclusive ? d > min : d >= min;
    if (!v.isDouble() || !std::isfinite(d) || !low || d > max) {
        fail(pathOf(QLatin1String(key)),
             QStringLiteral("expected a number in %1%2, %3], got %4")
                 .arg(minExclusive ? QStringLiteral("(") : QStringLiteral("["))
                 .arg(min).arg(max).arg(describe(v)));
        return;
    }
    out = d;
}

void JsonFieldReader::number(const char* key, std::optional<double>& out, double min, double max, bool minExclusive)
{
    if (!contains(key))
        return;
    double d = out.value_or(min);
    number(key, d, min, max, minExclusive);
    out = d;
}

void JsonFieldReader::boolean(const char* key, bool& out)
{
    if (!contains(key))
        return;
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isBool()) {
        fail(pathOf(QLatin1String(key)), QStringLiteral("expected true or false, got %1").arg(describe(v)));
        return;
    }
    out = v.toBool();
}

void JsonFieldReader::boolean(const char* key, std::optional<bool>& out)
{
    if (!contains(key))
        return;
    bool b = false;
    boolean(key, b);
    out = b;
}

void JsonFieldReader::filePath(const char* key, std::optional<QString>& out, const QString& baseDir, const QString& what)
{
    if (!m_object.contains(QLatin1String(key)))
        return;
    QString path;
    text(key, path);
    if (failed())
        return;
    if (!baseDir.isEmpty()) {
        path = QDir(baseDir).absoluteFilePath(path);
        if (!QFileInfo(path).isFile())
            fail(pathOf(QLatin1String(key)), QStringLiteral("no %1 file at %2").arg(what, path));
    }
    out = path;
}

void JsonFieldReader::text(const char* key, QString& out, bool allowEmpty)
{
    if (!contains(key))
        return;
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isString() || (!allowEmpty && v.toString().isEmpty())) {
        fail(pathOf(QLatin1String(key)),
             QStringLiteral("expected a%1 string, got %2").arg(allowEmpty ? QString() : QStringLiteral(" non-empty"), describe(v)));
        return;
    }
    out = v.toString();
}

std::optional<QJsonObject> JsonFieldReader::object(const char* key)
{
    if (!contains(key))
        return std::nullopt;
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isObject()) {
        fail(pathOf(QLatin1String(key)), QStringLiteral("expected an object, got %1").arg(describe(v)));
        return std::nullopt;
    }
    return v.toObject();
}

std::optional<QJsonArray> JsonFieldReader::array(const char* key)
{
    if (!contains(key))
        return std::nullopt;
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isArray()) {
        fail(pathOf(QLatin1String(key)), QStringLiteral("expected an array, got %1").arg(describe(v)));
        return std::nullopt;
    }
    return v.toArray();
}

std::optional<QJsonValue> JsonFieldReader::value(const char* key)
{
    if (!contains(key))
        return std::nullopt;
    return m_object.value(QLatin1String(key));
}

void JsonFieldReader::finish()
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (m_known.contains(it.key()))
            continue;
        QStringList known(m_known.begin(), m_known.end());
        known.sort();
        fail(pathOf(it.key()), QStringLiteral("unknown key \"%1\"; expected one of: %2")
                                   .arg(it.key().left(40), known.join(QStringLiteral(", "))));
        return;
    }
}

} // namespace otalab::sim
