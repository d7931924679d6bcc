// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/cbormapreader.h"

#include <QCborStreamReader>
#include <QStringList>

namespace otalab::core::awsota::detail {
namespace {

QString typeName(QCborStreamReader::Type t)
{
    switch (t) {
    case QCborStreamReader::UnsignedInteger: return QStringLiteral("an unsigned integer");
    case QCborStreamReader::NegativeInteger: return QStringLiteral("a negative integer");
    case QCborStreamReader::ByteArray: return QStringLiteral("a byte string");
    case QCborStreamReader::String: return QStringLiteral("a text string");
    case QCborStreamReader::Array: return QStringLiteral("an array");
    case QCborStreamReader::Map: return QStringLiteral("a map");
    case QCborStreamReader::Tag: return QStringLiteral("a tag");
    case QCborStreamReader::SimpleType: return QStringLiteral("a simple value");
    case QCborStreamReader::Float16:
    case QCborStreamReader::Float:
    case QCborStreamReader::Double: return QStringLiteral("a float");
    case QCborStreamReader::Invalid: return QStringLiteral("nothing (truncated or invalid)");
    }
    return QStringLiteral("an unknown item");
}

Error streamError(QCborStreamReader& r, const QString& field)
{
    return Error::at(r.currentOffset(), field, QStringLiteral("malformed CBOR: %1").arg(r.lastError().toString()));
}

// Reads a (possibly chunked) text or byte string; limit in bytes.
template <typename T, typename ChunkFn>
Result<T> readChunks(QCborStreamReader& r, const QString& field, qint64 limit, ChunkFn readChunk)
{
    T out;
    qint64 total = 0;
    const qint64 start = r.currentOffset();
    auto chunk = readChunk(r);
    while (chunk.status == QCborStreamReader::Ok) {
        total += chunk.data.size();
        if (total > limit)
            return fail(Error::at(start, field, QStringLiteral("string longer than %1 bytes").arg(limit)));
        out += chunk.data;
        chunk = readChunk(r);
    }
    if (chunk.status == QCborStreamReader::Error)
        return fail(streamError(r, field));
    return out;
}

} // namespace

Result<std::map<QString, CborField>> readFlatMap(const QByteArray& cbor, qint64 maxStringBytes)
{
    if (cbor.isEmpty())
        return fail(Error::at(0, {}, QStringLiteral("empty message (expected a CBOR map)")));
    QCborStreamReader r(cbor);
    if (!r.isMap())
        return fail(Error::at(0, {}, QStringLiteral("top-level item is %1 (expected a map)").arg(typeName(r.type()))));
    if (!r.enterContainer())
        return fail(streamError(r, {}));
    std::map<QString, CborField> out;
    while (r.lastError() == QCborError::NoError && r.hasNext()) {
        const qint64 keyOffset = r.currentOffset();
        if (!r.isString())
            return fail(Error::at(keyOffset, {}, QStringLiteral("map key is %1 (expected a text string)").arg(typeName(r.type()))));
        auto key = readChunks<QString>(r, QStringLiteral("key"), 64, [](QCborStreamReader& s) { return s.readString(); });
        if (!key)
            return fail(key.error());
        if (out.contains(*key))
            return fail(Error::at(keyOffset, *key, QStringLiteral("duplicate key")));
        CborField field;
        field.offset = r.currentOffset();
        switch (r.type()) {
        case QCborStreamReader::UnsignedInteger:
            field.value = std::uint64_t(r.toUnsignedInteger());
            r.next();
            break;
        case QCborStreamReader::String: {
            auto s = readChunks<QString>(r, *key, maxStringBytes, [](QCborStreamReader& s) { return s.readString(); });
            if (!s)
                return fail(s.error());
            field.value = *s;
            break;
        }
        case QCborStreamReader::ByteArray: {
            auto b = readChunks<QByteArray>(r, *key, maxStringBytes, [](QCborStreamReader& s) { return s.readByteArray(); });
            if (!b)
                return fail(b.error());
            field.value = *b;
            break;
        }
        default:
            return fail(Error::at(field.offset, *key,
                                  QStringLiteral("value is %1 (expected an unsigned integer, a text or a byte string)")
                                      .arg(typeName(r.type()))));
        }
        out.emplace(*key, std::move(field));
    }
    if (r.lastError() != QCborError::NoError)
        return fail(streamError(r, {}));
    if (!r.leaveContainer())
        return fail(streamError(r, {}));
    if (r.currentOffset() != cbor.size())
        return fail(Error::at(r.currentOffset(), {},
                              QStringLiteral("%1 trailing bytes after the map").arg(cbor.size() - r.currentOffset())));
    return out;
}

Result<std::uint32_t> takeInt(const std::map<QString, CborField>& map, const char* key, std::uint32_t max)
{
    const auto it = map.find(QString::fromLatin1(key));
    if (it == map.end())
        return fail(Error::at(-1, QString::fromLatin1(key), QStringLiteral("missing")));
    const auto* v = std::get_if<std::uint64_t>(&it->second.value);
    if (!v)
        return fail(Error::at(it->second.offset, it->first, QStringLiteral("expected an unsigned integer")));
    if (*v > max)
        return fail(Error::at(it->second.offset, it->first, QStringLiteral("%1 is out of range (at most %2)").arg(*v).arg(max)));
    return std::uint32_t(*v);
}

Result<QString> takeText(const std::map<QString, CborField>& map, const char* key)
{
    const auto it = map.find(QString::fromLatin1(key));
    if (it == map.end())
        return fail(Error::at(-1, QString::fromLatin1(key), QStringLiteral("missing")));
    const auto* v = std::get_if<QString>(&it->second.value);
    if (!v)
        return fail(Error::at(it->second.offset, it->first, QStringLiteral("expected a text string")));
    return *v;
}

Result<QByteArray> takeBytes(const std::map<QString, CborField>& map, const char* key)
{
    const auto it = map.find(QString::fromLatin1(key));
    if (it == map.end())
        return fail(Error::at(-1, QString::fromLatin1(key), QStringLiteral("missing")));
    const auto* v = std::get_if<QByteArray>(&it->second.value);
    if (!v)
        return fail(Error::at(it->second.offset, it->first, QStringLiteral("expected a byte string")));
    return *v;
}

Result<void> rejectUnknownKeys(const std::map<QString, CborField>& map, std::initializer_list<const char*> allowed)
{
    for (const auto& [key, field] : map) {
        bool known = false;
        for (const char* a : allowed)
            known = known || key == QLatin1String(a);
        if (!known) {
            QStringList names;
            for (const char* a : allowed)
                names << QString::fromLatin1(a);
            return fail(Error::at(field.offset, key, QStringLiteral("unexpected key (expected only %1)").arg(names.join(u", "))));
        }
    }
    return {};
}

} // namespace otalab::core::awsota::detail
