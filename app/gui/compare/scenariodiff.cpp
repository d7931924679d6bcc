// SPDX-License-Identifier: Apache-2.0
#include "compare/scenariodiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

const QString kDefault = QStringLiteral("default");

QString elide(QString text, int maxChars)
{
    if (text.size() > maxChars)
        text = text.left(std::max(1, maxChars - 1)) + QStringLiteral("…");
    return text;
}

QString valueText(const QJsonValue& v, int maxChars)
{
    switch (v.type()) {
    case QJsonValue::Undefined:
        return kDefault;
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        // Integers without ".0", others in their shortest exact form.
        return d == double(qint64(d)) && std::abs(d) < 1e15 ? QString::number(qint64(d)) : QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String:
        return QLatin1Char('"') + elide(v.toString(), maxChars) + QLatin1Char('"');
    case QJsonValue::Array: {
        const QString compact = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
        if (compact.size() <= maxChars)
            return compact;
        const qsizetype n = v.toArray().size();
        return n == 1 ? QStringLiteral("[1 item]") : QStringLiteral("[%1 items]").arg(n);
    }
    case QJsonValue::Object: {
        const QString compact = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        if (compact.size() <= maxChars)
            return compact;
        const qsizetype n = v.toObject().size();
        return n == 1 ? QStringLiteral("{1 key}") : QStringLiteral("{%1 keys}").arg(n);
    }
    }
    return {};
}

struct Walker {
    int limit;
    int maxChars;
    std::vector<ParameterDifference> out;
    int more = 0;

    void add(const QString& path, const QJsonValue& a, const QJsonValue& b, bool arrayItem)
    {
        if (int(out.size()) >= limit) {
            ++more;
            return;
        }
        // A missing key takes the loader's default; a missing array item is just absent.
        const auto text = [&](const QJsonValue& v) {
            return v.isUndefined() && arrayItem ? QStringLiteral("absent") : valueText(v, maxChars);
        };
        out.push_back({path.isEmpty() ? QStringLiteral("(scenario)") : path, text(a), text(b)});
    }

    void walk(const QString& path, const QJsonValue& a, const QJsonValue& b, bool arrayItem = false)
    {
        if (a == b)
            return;
        if (a.isObject() && b.isObject()) {
            const QJsonObject oa = a.toObject(), ob = b.toObject();
            QStringList keys = oa.keys() + ob.keys();
            keys.sort();
            keys.removeDuplicates();
            for (const QString& key : keys)
                walk(path.isEmpty() ? key : path + QLatin1Char('.') + key, oa.value(key), ob.value(key));
            return;
        }
        if (a.isArray() && b.isArray()) {
            const QJsonArray aa = a.toArray(), ab = b.toArray();
            const qsizetype n = std::max(aa.size(), ab.size());
            for (qsizetype i = 0; i < n; ++i)
                walk(QStringLiteral("%1[%2]").arg(path).arg(i), i < aa.size() ? aa.at(i) : QJsonValue(QJsonValue::Undefined),
                     i < ab.size() ? ab.at(i) : QJsonValue(QJsonValue::Undefined), true);
            return;
        }
        add(path, a, b, arrayItem);
    }
};

} // namespace

QString ParameterDifference::text() const
{
    return QStringLiteral("%1 %2 → %3").arg(path, a, b);
}

std::vector<ParameterDifference> diffScenarios(const QJsonObject& a, const QJsonObject& b, int limit, int* more,
                                               int maxValueChars)
{
    Walker w{std::max(0, limit), std::max(4, maxValueChars), {}, 0};
    w.walk({}, a, b);
    if (more)
        *more = w.more;
    return std::move(w.out);
}

} // namespace otalab::app
