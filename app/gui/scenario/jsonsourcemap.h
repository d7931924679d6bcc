// SPDX-License-Identifier: Apache-2.0
// JsonSourceMap: where each value of a JSON text sits, by JSON path ("$.server.maxBlockDataSize").
#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace otalab::app {

// Positions are QString (UTF-16) indices into the text the map was built from.
struct JsonSpan {
    int keyStart = -1;    // the opening quote of the member's key; -1 for array elements and "$"
    int valueStart = -1;  // first character of the value
    int valueEnd = -1;    // one past the last character of the value
    int start() const { return keyStart >= 0 ? keyStart : valueStart; }
};

// A tolerant, recursive scan of a JSON text that records every value's span under the
// same path syntax as sim::loadScenario's Error::field: "$", "$.key", "$.list[3].key".
// On a syntax error it stops and keeps what it has seen so far (complete() is false),
// so a half-typed document still maps its earlier keys. Pure; no Qt GUI.
class JsonSourceMap final {
public:
    static JsonSourceMap build(const QString& text);

    bool complete() const { return m_complete; }
    int errorPosition() const { return m_errorPosition; }  // -1 when complete
    std::optional<JsonSpan> find(const QString& path) const;
    // The span of `path`, or of its nearest recorded ancestor ("$.server.foo" → "$.server").
    std::optional<JsonSpan> locate(const QString& path) const;
    int size() const { return int(m_spans.size()); }

    // "$.a.b[2]" → "$.a.b"; "$.a" → "$"; "$" → "".
    static QString parentPath(const QString& path);

private:
    QHash<QString, JsonSpan> m_spans;
    bool m_complete = false;
    int m_errorPosition = -1;
    friend class JsonScanner;
};

// Converts a byte offset into the UTF-8 encoding of `text` to a QString index (clamped).
int utf8OffsetToIndex(const QString& text, qint64 byteOffset);

// 1-based line and column of QString index `position` in `text`.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition textPositionOf(const QString& text, int position);

} // namespace otalab::app
