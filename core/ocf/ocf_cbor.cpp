// SPDX-License-Identifier: Apache-2.0
#include "core/ocf/ocf_cbor.h"

namespace otalab::core::ocf {

QString cborTypeName(const QCborValue& value)
{
    switch (value.type()) {
    case QCborValue::Integer: return QStringLiteral("an integer");
    case QCborValue::ByteArray: return QStringLiteral("a byte string");
    case QCborValue::String: return QStringLiteral("a text string");
    case QCborValue::Array: return QStringLiteral("an array");
    case QCborValue::Map: return QStringLiteral("a map");
    case QCborValue::Tag: return QStringLiteral("a tagged item");
    case QCborValue::False:
    case QCborValue::True: return QStringLiteral("a boolean");
    case QCborValue::Null: return QStringLiteral("null");
    case QCborValue::Undefined: return QStringLiteral("undefined (absent)");
    case QCborValue::Double: return QStringLiteral("a floating-point number");
    default: break;
    }
    if (value.isSimpleType())
        return QStringLiteral("a simple value");
    if (value.isTag() || value.isDateTime() || value.isUrl() || value.isRegularExpression() || value.isUuid())
        return QStringLiteral("a tagged item");
    return QStringLiteral("an invalid item");
}

} // namespace otalab::core::ocf
