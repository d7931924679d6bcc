// SPDX-License-Identifier: Apache-2.0
#include "scenario/jsontextpatch.h"

#include "scenario/jsonsourcemap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace otalab::app {

namespace {

// "$.images[0].generate" → {"images", "[0]", "generate"}; components keep "[i]" for indices.
QStringList components(const QString& path)
{
    QStringList out;
    QString current;
    for (qsizetype i = 1; i < path.size(); ++i) {  // skip '$'
        const QChar c = path[i];
        if (c == u'.' || c == u'[') {
            if (!current.isEmpty())
                out << current;
            current = c == u'[' ? QStringLiteral("[") : QString();
        } else if (c == u']') {
            out << current + c;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        out << current;
    return out;
}

bool isIndex(const QString& component) { return component.startsWith(u'['); }

QString joinPath(const QStringList& parts, qsizetype count)
{
    QString path = QStringLiteral("$");
    for (qsizetype i = 0; i < count; ++i)
        path += isIndex(parts[i]) ? parts[i] : QLatin1Char('.') + parts[i];
    return path;
}

bool isSpace(QChar c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

// Leading whitespace of the line that holds `position`.
QString indentationAt(const QString& text, int position)
{
    int lineStart = position;
    while (lineStart > 0 && text[lineStart - 1] != u'\n')
        --lineStart;
    int end = lineStart;
    while (end < text.size() && (text[end] == u' ' || text[end] == u'\t'))
        ++end;
    return text.mid(lineStart, end - lineStart);
}

// Inserts `member` ("\"key\": value" or an array element) into the container at [start, end).
QString insertInto(const QString& text, const JsonSpan& container, const QString& member)
{
    const int open = container.valueStart;
    const int close = container.valueEnd - 1;
    int first = open + 1;
    while (first < close && isSpace(text[first]))
        ++first;
    QString out = text;
    if (first == close)  // empty container: "{}" → "{\"key\": value}"
        return out.replace(open + 1, close - open - 1, member);
    int last = close;
    while (last > open && isSpace(text[last - 1]))
        --last;
    const bool multiLine = text.mid(open, first - open).contains(u'\n');
    const QString separator = multiLine ? QStringLiteral(",\n") + indentationAt(text, first) : QStringLiteral(", ");
    return out.insert(last, separator + member);
}

} // namespace

QString jsonText(const QJsonValue& value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QStringList members;
        for (auto it = object.begin(); it != object.end(); ++it)
            members << jsonText(QJsonValue(it.key())) + QStringLiteral(": ") + jsonText(it.value());
        return QLatin1Char('{') + members.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue& v : value.toArray())
            items << jsonText(v);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

Result<QString> setJsonValue(const QString& text, const QString& path, const QJsonValue& value)
{
    const JsonSourceMap map = JsonSourceMap::build(text);
    if (!map.complete())
        return fail(Error{QStringLiteral("the JSON text has a syntax error (line %1); fix it before editing %2 in the form")
                              .arg(textPositionOf(text, map.errorPosition()).line).arg(path),
                          path, -1});
    if (const auto span = map.find(path)) {
        QString out = text;
        return out.replace(span->valueStart, span->valueEnd - span->valueStart, jsonText(value));
    }
    const QStringList parts = components(path);
    qsizetype existing = parts.size() - 1;  // number of leading components whose path exists
    while (existing > 0 && !map.find(joinPath(parts, existing)))
        --existing;
    const QString anchorPath = joinPath(parts, existing);
    const auto anchor = map.find(anchorPath);
    if (!anchor || parts.isEmpty())
        return fail(Error{QStringLiteral("cannot place %1 in this document").arg(path), path, -1});
    // Build the missing subtree bottom-up: parts[existing + 1 ..] wrap `value`.
    QJsonValue subtree = value;
    for (qsizetype i = parts.size() - 1; i > existing; --i) {
        if (isIndex(parts[i])) {
            if (parts[i] != QLatin1String("[0]"))
                return fail(Error{QStringLiteral("%1 does not exist; only element [0] of a new list can be created")
                                      .arg(joinPath(parts, i + 1)), path, -1});
            subtree = QJsonArray{subtree};
        } else {
            subtree = QJsonObject{{parts[i], subtree}};
        }
    }
    const QString& child = parts[existing];
    const QChar open = text[anchor->valueStart];
    if (isIndex(child)) {
        const int index = child.mid(1, child.size() - 2).toInt();
        // [index] is absent, so index 0 means an empty list; otherwise [index - 1] must exist.
        const bool appendable = open == u'[' && (index == 0 || map.find(anchorPath + QStringLiteral("[%1]").arg(index - 1)));
        if (!appendable)
            return fail(Error{QStringLiteral("%1 is not a list with %2 elements").arg(anchorPath).arg(index), path, -1});
        return insertInto(text, *anchor, jsonText(subtree));
    }
    if (open != u'{')
        return fail(Error{QStringLiteral("%1 is not an object, so %2 cannot be set; fix it in the JSON text").arg(anchorPath, path),
                          anchorPath, -1});
    return insertInto(text, *anchor, jsonText(QJsonValue(child)) + QStringLiteral(": ") + jsonText(subtree));
}

Result<QString> removeJsonValue(const QString& text, const QString& path)
{
    const JsonSourceMap map = JsonSourceMap::build(text);
    if (!map.complete())
        return fail(Error{QStringLiteral("the JSON text has a syntax error; fix it before editing %1 in the form").arg(path), path, -1});
    const auto span = map.find(path);
    if (!span)
        return text;
    if (path == QLatin1String("$"))
        return fail(Error{QStringLiteral("the whole document cannot be removed"), path, -1});
    const int start = span->start();  // the key of a member, the value of a list element
    QString out = text;
    int after = span->valueEnd;
    while (after < text.size() && isSpace(text[after]))
        ++after;
    if (after < text.size() && text[after] == u',') {  // not the last member: remove up to the next key
        ++after;
        while (after < text.size() && isSpace(text[after]))
            ++after;
        return out.remove(start, after - start);
    }
    int before = start;
    while (before > 0 && isSpace(text[before - 1]))
        --before;
    if (before > 0 && text[before - 1] == u',')  // the last member: remove ", member"
        return out.remove(before - 1, span->valueEnd - (before - 1));
    // The only member: leave "{}".
    return out.remove(before, after - before);
}

Result<QString> applyJsonEdits(const QString& text, const QList<JsonEdit>& edits)
{
    QString current = text;
    for (const JsonEdit& edit : edits) {
        auto next = edit.value ? setJsonValue(current, edit.path, *edit.value) : removeJsonValue(current, edit.path);
        if (!next)
            return next;
        current = std::move(*next);
    }
    return current;
}

} // namespace otalab::app
