// SPDX-License-Identifier: Apache-2.0
// What a JSON value is, in words, for parse errors ("is a string (expected an object)").
#pragma once

#include <QJsonValue>
#include <QString>

namespace otalab {

// "null", "a boolean", "a number", "a string", "an array", "an object"; "missing" for an
// undefined value (a key that is not there).
QString jsonTypeName(const QJsonValue& value);

} // namespace otalab
