// SPDX-License-Identifier: Apache-2.0
// CBOR the way Zephyr's SMP server (zcbor) reads and writes it: responses with
// indefinite-length maps and arrays (`bf … ff`, `9f … ff`), and request maps decoded by
// key with zcbor_map_decode_bulk() rules.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCborMap>
#include <QCborValue>
#include <span>

namespace otalab::core::smp {

// Maps and arrays (nested too) with indefinite length; keys in insertion order; integers,
// strings and byte strings in their shortest definite form.
QByteArray encodeIndefinite(const QCborMap& map);

enum class CborKind {
    Uint32,   // zcbor_uint32_decode: 0 … 2^32-1
    Bool,     // zcbor_bool_decode
    Text,     // zcbor_tstr_decode
    Bytes,    // zcbor_bstr_decode
};

struct BulkField {
    BulkField(const char* k, CborKind t) : key(k), kind(t) {}
    const char* key;
    CborKind kind;
    bool found = false;
    QCborValue value;
};

// zcbor_map_decode_bulk(): `payload` must start with a map whose text keys select
// `fields`; other keys are skipped, a selected key of the wrong type fails, a repeated
// key is skipped. False (the handler answers MGMT_ERR_EINVAL) when the payload is empty,
// not CBOR, not a map or has a wrong-typed field.
bool decodeBulk(QByteArrayView payload, std::span<BulkField> fields);

} // namespace otalab::core::smp
