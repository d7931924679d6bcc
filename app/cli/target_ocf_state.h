// SPDX-License-Identifier: Apache-2.0
// What an emulated OCF device (`target serve --ocf --state DIR`) keeps across restarts, in
// DIR: the MCUboot flash (slot0.bin, slot1.bin: FlashStateStore), the software update record
// (swupdate.cbor: SwUpdatePersisted as a CBOR map) and the user data the update must not
// touch (userdata.bin). Files are replaced atomically (temporary file + rename), so killing
// the process at any moment is a power cut: the next start reads the last complete record.
#pragma once

#include "core/common/error.h"
#include "core/ocf/swupdate_device.h"

#include <QByteArray>
#include <QCborMap>
#include <QString>

#include <optional>

namespace otalab::cli {

QCborMap persistedToCbor(const core::ocf::SwUpdatePersisted& record);
// Errors name the key and the type expected.
Result<core::ocf::SwUpdatePersisted> persistedFromCbor(const QCborValue& value);

class OcfStateFiles final {
public:
    explicit OcfStateFiles(QString dir) : m_dir(std::move(dir)) {}
    bool enabled() const { return !m_dir.isEmpty(); }
    const QString& dir() const { return m_dir; }

    // nullopt when there is no record yet (or no folder); an error for an unreadable one.
    Result<std::optional<core::ocf::SwUpdatePersisted>> loadRecord() const;
    // Writes the record when it differs from the last one written (no-op without a folder).
    Result<void> saveRecord(const core::ocf::SwUpdatePersisted& record);
    Result<std::optional<QByteArray>> loadUserData() const;
    Result<void> saveUserData(const QByteArray& data) const;

private:
    QString m_dir;
    std::optional<core::ocf::SwUpdatePersisted> m_saved;
};

} // namespace otalab::cli
