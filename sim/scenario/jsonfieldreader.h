// SPDX-License-Identifier: Apache-2.0
// JsonFieldReader: strict, typed reading of one JSON object of a scenario, with JSON-path errors.
#pragma once

#include "core/common/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>

namespace otalab::sim {

// Reads the keys of one object. Every accessor marks its key as known; finish() then
// reports the first key nobody asked for. Errors go to a sink shared by all readers of
// one document: the first error wins and later ones are dropped, so callers can read a
// whole section unconditionally and check failed() at section boundaries. Accessors
// leave `out` unchanged when the key is absent (the caller's default stays) or invalid.
// Error::field is the JSON path ("$.topology.generate.routers"); Error::message says
// what was expected and what was found.
class JsonFieldReader {
public:
    JsonFieldReader(QJsonObject object, QString path, std::optional<Error>& sink);

    const QString& path() const { return m_path; }
    QString pathOf(const QString& key) const { return m_path + QLatin1Char('.') + key; }
    bool failed() const { return m_sink.has_value(); }
    bool contains(const char* key);  // marks the key known

    // An integral JSON number in [min, max].
    void integer(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max);
    template <typename Int>
    void integer(const char* key, Int& out, std::int64_t min, std::int64_t max)
    {
        std::int64_t v = std::int64_t(out);
        integer(key, v, min, max);
        out = Int(v);
    }
    // An integer given as a JSON number or as a string ("0x1A2B" or decimal), in [0, max].
    void hexInteger(const char* key, std::uint64_t& out, std::uint64_t max);
    template <typename Int>
    void hexInteger(const char* key, Int& out, std::uint64_t max)
    {
        std::uint64_t v = std::uint64_t(out);
        hexInteger(key, v, max);
        out = Int(v);
    }
    template <typename Int>
    void hexInteger(const char* key, std::optional<Int>& out, std::uint64_t max)
    {
        if (!contains(key))
            return;
        std::uint64_t v = 0;
        hexInteger(key, v, max);
        out = Int(v);
    }
    // A finite number in [min, max] (or (min, max] when minExclusive).
    void number(const char* key, double& out, double min, double max, bool minExclusive = false);
    void number(const char* key, std::optional<double>& out, double min, double max, bool minExclusive = false);
    void probability(const char* key, double& out) { number(key, out, 0.0, 1.0); }
    void boolean(const char* key, bool& out);
    void boolean(const char* key, std::optional<bool>& out);
    void text(const char* key, QString& out, bool allowEmpty = false);
    // A file named relative to baseDir: stored absolute; "no <what> file at PATH" when it is
    // not a file (not checked when baseDir is empty: the caller has no folder to resolve in).
    void filePath(const char* key, std::optional<QString>& out, const QString& baseDir, const QString& what);
    // A string out of `names`; out = the matching value.
    template <typename E>
    void choice(const char* key, E& out, std::initializer_list<std::pair<const char*, E>> names)
    {
        QString s;
        if (!contains(key))
            return;
        text(key, s, true);
        if (failed())
            return;
        QStringList expected;
        for (const auto& [name, value] : names) {
            if (s == QLatin1String(name)) {
                out = value;
                return;
            }
            expected << QLatin1Char('"') + QLatin1String(name) + QLatin1Char('"');
        }
        fail(pathOf(QLatin1String(key)), QStringLiteral("expected one of %1, got \"%2\"").arg(expected.join(QStringLiteral(", ")), s));
    }
    // Nested containers: nullopt when absent or of the wrong type (then an error is set).
    std::optional<QJsonObject> object(const char* key);
    std::optional<QJsonArray> array(const char* key);
    // Raw value (marks known); nullopt when absent.
    std::optional<QJsonValue> value(const char* key);
    // The object at key, when present, read by read(JsonFieldReader&) at "<path>.<key>"
    // (same sink). False when absent or not an object (then an error is set).
    template <typename Read>
    bool section(const char* key, Read&& read)
    {
        const auto o = object(key);
        if (!o)
            return false;
        JsonFieldReader sub(*o, pathOf(QLatin1String(key)), m_sink);
        read(sub);
        return true;
    }
    // The array's elements in order, each an object read by read(JsonFieldReader&) at
    // "<arrayPath>[i]"; stops at the first error. An element that is no object fails with
    // "expected <expected>, got <what it is>".
    template <typename Read>
    void eachObject(const QJsonArray& list, const QString& arrayPath, const QString& expected, Read&& read)
    {
        for (qsizetype i = 0; i < list.size() && !failed(); ++i) {
            const QString at = arrayPath + QStringLiteral("[%1]").arg(i);
            if (!list.at(i).isObject()) {
                fail(at, QStringLiteral("expected %1, got %2").arg(expected, describe(list.at(i))));
                break;
            }
            JsonFieldReader element(list.at(i).toObject(), at, m_sink);
            read(element);
        }
    }

    // Reports the first key (in key order) that no accessor asked for.
    void finish();

    // Records an error unless one is already recorded.
    void fail(const QString& path, const QString& message);

    // Helpers for array elements and free-standing values.
    static QString describe(const QJsonValue& value);  // "a string", "the number 3", ...
    static std::optional<std::uint64_t> parseHex(const QJsonValue& value, std::uint64_t max);

private:
    QJsonObject m_object;
    QString m_path;
    std::optional<Error>& m_sink;
    QSet<QString> m_known;
};

// Records `message` at `path` into `sink` unless an error is already there.
void recordScenarioError(std::optional<Error>& sink, const QString& path, const QString& message);

} // namespace otalab::sim
