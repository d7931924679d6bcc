// SPDX-License-Identifier: Apache-2.0
#include "core/smp/server_cbor.h"

#include <QCborArray>
#include <QCborStreamWriter>
#include <cstring>

namespace otalab::core::smp {
namespace {

void writeValue(QCborStreamWriter& w, const QCborValue& v)
{
    if (v.isMap()) {
        w.startMap();
        const QCborMap map = v.toMap();
        for (auto it = map.begin(); it != map.end(); ++it) {
            writeValue(w, it.key());
            writeValue(w, it.value());
        }
        w.endMap();
    } else if (v.isArray()) {
        w.startArray();
        for (const QCborValue& item : v.toArray())
            writeValue(w, item);
        w.endArray();
    } else if (v.isInteger()) {
        w.append(v.toInteger());
    } else if (v.isString()) {
        w.append(v.toString());
    } else if (v.isByteArray()) {
        w.appendByteString(v.toByteArray().constData(), v.toByteArray().size());
    } else if (v.isBool()) {
        w.append(v.toBool());
    } else if (v.isNull()) {
        w.appendNull();
    } else if (v.isDouble()) {
        w.append(v.toDouble());
    } else {
        w.appendUndefined();
    }
}

bool kindMatches(CborKind kind, const QCborValue& v)
{
    switch (kind) {
    case CborKind::Uint32:
        return v.isInteger() && v.toInteger() >= 0 && v.toInteger() <= 0xffffffffLL;
    case CborKind::Bool:
        return v.isBool();
    case CborKind::Text:
        return v.isString();
    case CborKind::Bytes:
        return v.isByteArray();
    }
    return false;
}

} // namespace

QByteArray encodeIndefinite(const QCborMap& map)
{
    QByteArray out;
    QCborStreamWriter w(&out);
    writeValue(w, map);
    return out;
}

bool decodeBulk(QByteArrayView payload, std::span<BulkField> fields)
{
    if (payload.isEmpty())
        return false;
    QCborParserError error;
    const QCborValue root = QCborValue::fromCbor(payload.toByteArray(), &error);
    if (error.error != QCborError::NoError || !root.isMap())
        return false;
    const QCborMap map = root.toMap();
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it.key().isString())
            return false;
        const QString key = it.key().toString();
        for (BulkField& f : fields) {
            if (f.found || key != QLatin1String(f.key))
                continue;
            if (!kindMatches(f.kind, it.value()))
                return false;
            f.found = true;
            f.value = it.value();
            break;
        }
    }
    return true;
}

} // namespace otalab::core::smp
