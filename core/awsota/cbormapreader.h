// SPDX-License-Identifier: Apache-2.0
// A strict reader for the flat CBOR maps of AWS MQTT file delivery: text keys, values
// that are unsigned integers, text strings or byte strings. Internal to core/awsota.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <variant>

namespace otalab::core::awsota::detail {

struct CborField {
    std::variant<std::uint64_t, QString, QByteArray> value;
    qint64 offset = 0;  // byte offset of the value's first byte
};

// Reads one top-level map (definite or indefinite length) that must span the whole
// input. Keys must be text strings and unique; values one of the three kinds above
// (a negative integer, a float, a tag, an array, a map... is an error naming the key);
// maxStringBytes bounds each string value. Errors carry the byte offset.
Result<std::map<QString, CborField>> readFlatMap(const QByteArray& cbor, qint64 maxStringBytes);

// Field access with precise errors. "what" is the message's name for errors ("GetStream").
Result<std::uint32_t> takeInt(const std::map<QString, CborField>& map, const char* key, std::uint32_t max);
Result<QString> takeText(const std::map<QString, CborField>& map, const char* key);
Result<QByteArray> takeBytes(const std::map<QString, CborField>& map, const char* key);
// Fails on the first key not in allowed (with its offset).
Result<void> rejectUnknownKeys(const std::map<QString, CborField>& map, std::initializer_list<const char*> allowed);

} // namespace otalab::core::awsota::detail
