// SPDX-License-Identifier: Apache-2.0
// Minimal in-place edits of a JSON text by JSON path, keeping the rest of the user's text as typed.
#pragma once

#include "core/common/error.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace otalab::app {

// One edit: set `path` to `value`, or remove the member when `value` is nullopt.
struct JsonEdit {
    QString path;                     // "$.server.maxBlockDataSize", "$.images[0].generate.size"
    std::optional<QJsonValue> value;  // nullopt = remove the member (no-op when absent)
};

// Replaces the value at `path` (only its characters change), or inserts the member into
// the nearest existing object, creating missing intermediate objects, and "[0]" of a
// missing or empty array; new members follow the indentation of their siblings. Errors
// (field = path) when the text is not valid JSON or an ancestor is not an object/array.
Result<QString> setJsonValue(const QString& text, const QString& path, const QJsonValue& value);
// Removes the object member or list element at `path` with its separating comma (later
// elements move up one index); absent → text unchanged.
Result<QString> removeJsonValue(const QString& text, const QString& path);
// Applies edits in order; the first failure wins and nothing is applied.
Result<QString> applyJsonEdits(const QString& text, const QList<JsonEdit>& edits);

// A value as JSON text: scalars exactly as QJsonDocument writes them ("0.01", "\"a\\n\""),
// containers on one line with ", " and ": " separators.
QString jsonText(const QJsonValue& value);

} // namespace otalab::app
