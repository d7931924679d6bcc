// SPDX-License-Identifier: Apache-2.0
// The emulated board's flash kept in a folder (`otalab-cli target serve --state-dir DIR`):
// DIR/slot0.bin and DIR/slot1.bin, each exactly one slot's bytes, erased bytes 0xff.
#pragma once

#include "core/common/error.h"
#include "core/mcuboot/boot_flash.h"

#include <QByteArray>
#include <QString>
#include <array>

namespace otalab::cli {

// Contract: after save() returns, the files hold exactly what the flash held at the call,
// so a board that saves before it answers never acknowledges bytes its files lack. The
// bytes are handed to the kernel (write(2), no fsync): they survive the emulator being
// killed, not the host losing power. Threading: one thread.
class FlashStateStore final {
public:
    explicit FlashStateStore(QString dir) : m_dir(std::move(dir)) {}

    bool enabled() const { return !m_dir.isEmpty(); }
    const QString& dir() const { return m_dir; }
    static QString slotFileName(int slot);   // "slot0.bin"

    // Copies the files into `flash` (programmed, not counted as flash operations). False
    // when the folder holds no saved flash yet; an error when a file cannot be read or
    // has another slot size.
    Result<bool> load(core::mcuboot::BootFlash& flash);
    // Makes the files equal to `flash`. The first save writes whole files (atomically);
    // later ones rewrite in place only the sectors that changed since the last save/load,
    // so saving after every request costs a few KiB, not the whole flash. No-op when
    // disabled.
    Result<void> save(const core::mcuboot::BootFlash& flash);

private:
    Result<void> writeChangedSectors(int slot, const QByteArray& now, int sectorSize);

    QString m_dir;
    std::array<QByteArray, 2> m_saved;   // what the files hold; empty = not written yet
};

} // namespace otalab::cli
