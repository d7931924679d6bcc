// SPDX-License-Identifier: Apache-2.0
#include "app/cli/target_ocf_state.h"

#include "app/cli/cli.h"

#include <QCborValue>
#include <QDir>
#include <QFile>

namespace otalab::cli {

using core::ocf::SwUpdatePersisted;

namespace {

const QString kRecordFile = QStringLiteral("swupdate.cbor");
const QString kUserDataFile = QStringLiteral("userdata.bin");

} // namespace

QCborMap persistedToCbor(const SwUpdatePersisted& record)
{
    QCborMap map;
    map.insert(QStringLiteral("resource"), core::ocf::toCbor(record.resource));
    map.insert(QStringLiteral("bytesStored"), qint64(record.bytesStored));
    if (record.imageBytes)
        map.insert(QStringLiteral("imageBytes"), qint64(*record.imageBytes));
    map.insert(QStringLiteral("etag"), record.etag);
    map.insert(QStringLiteral("validated"), record.validated);
    return map;
}

Result<SwUpdatePersisted> persistedFromCbor(const QCborValue& value)
{
    if (!value.isMap())
        return fail(Error::at(0, QStringLiteral("record"), QStringLiteral("expected a CBOR map")));
    const QCborMap map = value.toMap();
    SwUpdatePersisted record;
    auto resource = core::ocf::swUpdateFromCbor(map.value(QStringLiteral("resource")));
    if (!resource)
        return fail(Error::at(-1, QStringLiteral("resource.") + resource.error().field, resource.error().message));
    record.resource = *resource;
    const QCborValue stored = map.value(QStringLiteral("bytesStored"));
    if (!stored.isInteger() || stored.toInteger() < 0)
        return fail(Error::at(-1, QStringLiteral("bytesStored"), QStringLiteral("expected a non-negative integer")));
    record.bytesStored = std::uint64_t(stored.toInteger());
    const QCborValue image = map.value(QStringLiteral("imageBytes"));
    if (!image.isUndefined()) {
        if (!image.isInteger() || image.toInteger() < 0)
            return fail(Error::at(-1, QStringLiteral("imageBytes"), QStringLiteral("expected a non-negative integer")));
        record.imageBytes = std::uint64_t(image.toInteger());
    }
    const QCborValue etag = map.value(QStringLiteral("etag"));
    if (!etag.isByteArray())
        return fail(Error::at(-1, QStringLiteral("etag"), QStringLiteral("expected a byte string")));
    record.etag = etag.toByteArray();
    const QCborValue validated = map.value(QStringLiteral("validated"));
    if (!validated.isBool())
        return fail(Error::at(-1, QStringLiteral("validated"), QStringLiteral("expected true or false")));
    record.validated = validated.toBool();
    return record;
}

Result<std::optional<SwUpdatePersisted>> OcfStateFiles::loadRecord() const
{
    const QString path = QDir(m_dir).filePath(kRecordFile);
    if (!enabled() || !QFile::exists(path))
        return std::optional<SwUpdatePersisted>();
    auto bytes = readFile(path);
    if (!bytes)
        return fail(bytes.error());
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(*bytes, &error);
    if (error.error != QCborError::NoError)
        return fail(QStringLiteral("%1: not CBOR at byte %2: %3").arg(path).arg(error.offset).arg(error.errorString()));
    auto record = persistedFromCbor(value);
    if (!record)
        return fail(QStringLiteral("%1: %2").arg(path, record.error().toString()));
    return std::optional<SwUpdatePersisted>(*record);
}

Result<void> OcfStateFiles::saveRecord(const SwUpdatePersisted& record)
{
    if (!enabled() || (m_saved && *m_saved == record))
        return {};
    if (auto ok = writeFileAtomic(QDir(m_dir).filePath(kRecordFile), QCborValue(persistedToCbor(record)).toCbor()); !ok)
        return ok;
    m_saved = record;
    return {};
}

Result<std::optional<QByteArray>> OcfStateFiles::loadUserData() const
{
    const QString path = QDir(m_dir).filePath(kUserDataFile);
    if (!enabled() || !QFile::exists(path))
        return std::optional<QByteArray>();
    auto bytes = readFile(path);
    if (!bytes)
        return fail(bytes.error());
    return std::optional<QByteArray>(*bytes);
}

Result<void> OcfStateFiles::saveUserData(const QByteArray& data) const
{
    if (!enabled())
        return {};
    return writeFileAtomic(QDir(m_dir).filePath(kUserDataFile), data);
}

} // namespace otalab::cli
