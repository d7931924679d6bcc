// SPDX-License-Identifier: Apache-2.0
// The emulated board's flash in DIR/slot0.bin and DIR/slot1.bin.
#include "app/cli/target_flash_store.h"

#include "app/cli/cli.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cstring>

namespace otalab::cli {

QString FlashStateStore::slotFileName(int slot)
{
    return QStringLiteral("slot%1.bin").arg(slot);
}

Result<bool> FlashStateStore::load(core::mcuboot::BootFlash& flash)
{
    if (!enabled())
        return false;
    const QDir dir(m_dir);
    std::array<QByteArray, 2> slots;
    for (int slot = 0; slot < 2; ++slot) {
        const QString path = dir.filePath(slotFileName(slot));
        if (!QFileInfo::exists(path))
            return false;   // nothing saved yet: a fresh board
        auto bytes = readFile(path);
        if (!bytes)
            return fail(bytes.error());
        if (bytes->size() != flash.slotSize(slot))
            return fail(QStringLiteral("%1 holds %2 bytes but the slot has %3: it was saved with another "
                                       "--slot-size; pass the same size or delete the folder's slot files")
                            .arg(path).arg(bytes->size()).arg(flash.slotSize(slot)));
        slots[slot] = *bytes;
    }
    for (int slot = 0; slot < 2; ++slot) {
        if (auto ok = flash.program(slot, slots[slot]); !ok)
            return fail(ok.error());
        m_saved[slot] = flash.slotBytes(slot);
    }
    return true;
}

Result<void> FlashStateStore::save(const core::mcuboot::BootFlash& flash)
{
    if (!enabled())
        return {};
    if (!QDir().mkpath(m_dir))
        return fail(QStringLiteral("cannot create %1").arg(m_dir));
    const QDir dir(m_dir);
    for (int slot = 0; slot < 2; ++slot) {
        const QByteArray& now = flash.slotBytes(slot);
        if (m_saved[slot].size() == now.size() && QFileInfo::exists(dir.filePath(slotFileName(slot)))) {
            if (auto ok = writeChangedSectors(slot, now, flash.geometry().sectorSize); !ok)
                return ok;
        } else if (auto ok = writeFileAtomic(dir.filePath(slotFileName(slot)), now); !ok) {
            return ok;
        }
        m_saved[slot] = now;   // implicitly shared: the flash's next write detaches it
    }
    return {};
}

Result<void> FlashStateStore::writeChangedSectors(int slot, const QByteArray& now, int sectorSize)
{
    const QByteArray& before = m_saved[slot];
    if (before.constData() == now.constData())
        return {};   // still the same buffer: nothing written since
    const qint64 size = now.size();
    const qint64 step = std::max(1, sectorSize);
    QFile file(QDir(m_dir).filePath(slotFileName(slot)));
    for (qint64 start = 0; start < size;) {
        const auto differs = [&](qint64 at) {
            const qint64 length = std::min(step, size - at);
            return std::memcmp(before.constData() + at, now.constData() + at, size_t(length)) != 0;
        };
        if (!differs(start)) {
            start += step;
            continue;
        }
        qint64 end = start + step;   // one write for a run of changed sectors
        while (end < size && differs(end))
            end += step;
        end = std::min(end, size);
        if (!file.isOpen() && !file.open(QIODevice::ReadWrite))
            return fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
        if (!file.seek(start) || file.write(now.constData() + start, end - start) != end - start || !file.flush())
            return fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
        start = end;
    }
    return {};
}

} // namespace otalab::cli
