// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/boot_flash.h"

#include "core/mcuboot/image_trailer.h"

#include <algorithm>
#include <optional>

namespace otalab::core::mcuboot {
namespace {

constexpr std::uint8_t kFlagSet = 0x01;
constexpr int kMagicSize = 16;   // BOOT_MAGIC_SZ

qint64 alignDown(qint64 v, qint64 a) { return v - v % a; }
qint64 alignUp(qint64 v, qint64 a) { return (v + a - 1) / a * a; }
bool isPow2(qint64 v) { return v > 0 && (v & (v - 1)) == 0; }

Flag decodeFlag(std::uint8_t byte)
{
    if (byte == 0xff)
        return Flag::Unset;
    return byte == kFlagSet ? Flag::Set : Flag::Bad;
}

// boot_write_trailer(): `data` padded with the erased value to the write alignment.
bool writeTrailer(BootFlash& flash, int slot, qint64 offset, QByteArray data)
{
    const int align = flash.geometry().writeAlign;
    data.append(alignUp(data.size(), align) - data.size(), char(0xff));
    return flash.write(slot, offset, data);
}

} // namespace

Result<void> FlashGeometry::check() const
{
    if (sectorSize <= 0 || !isPow2(sectorSize))
        return fail(QStringLiteral("sector size %1 must be a power of two").arg(sectorSize));
    if (!isPow2(writeAlign) || writeAlign > 32)
        return fail(QStringLiteral("write alignment %1 must be 1, 2, 4, 8, 16 or 32").arg(writeAlign));
    for (qint64 size : {primarySize, secondarySize})
        if (size <= 0 || size % sectorSize != 0)
            return fail(QStringLiteral("slot size 0x%1 is not a multiple of the 0x%2-byte sector")
                            .arg(size, 0, 16).arg(sectorSize, 0, 16));
    if (primarySize != secondarySize && primarySize != secondarySize + sectorSize)
        return fail(QStringLiteral("the primary slot must be as large as the secondary slot or one sector larger"));
    if (maxImageSectors <= 0)
        return fail(QStringLiteral("the swap status needs at least one sector entry"));
    if (primarySize / sectorSize > maxImageSectors)
        return fail(QStringLiteral("the primary slot has %1 sectors, more than the %2 the swap status can track")
                        .arg(primarySize / sectorSize).arg(maxImageSectors));
    auto trailer = trailerSize(TrailerOptions{writeAlign, maxImageSectors, false, maxAlign()}, false);
    if (!trailer)
        return fail(trailer.error());
    if (*trailer >= secondarySize)
        return fail(QStringLiteral("the 0x%1-byte trailer does not fit in the slot").arg(*trailer, 0, 16));
    return {};
}

QString swapTypeText(SwapType type)
{
    switch (type) {
    case SwapType::None: return QStringLiteral("none");
    case SwapType::Test: return QStringLiteral("test");
    case SwapType::Perm: return QStringLiteral("perm");
    case SwapType::Revert: return QStringLiteral("revert");
    case SwapType::Fail: return QStringLiteral("fail");
    case SwapType::Panic: return QStringLiteral("panic");
    }
    return QStringLiteral("unknown");
}

BootFlash::BootFlash(FlashGeometry geometry)
    : m_geometry(geometry)
{
    m_slots[kPrimarySlot] = QByteArray(geometry.primarySize, char(0xff));
    m_slots[kSecondarySlot] = QByteArray(geometry.secondarySize, char(0xff));
}

TrailerLayout BootFlash::trailer(int slot) const
{
    const qint64 size = slotSize(slot);
    const int maxAlign = m_geometry.maxAlign();
    TrailerLayout t;
    t.magic = size - kMagicSize;
    t.imageOk = alignDown(t.magic - maxAlign, maxAlign);
    t.copyDone = t.imageOk - maxAlign;
    t.swapInfo = t.copyDone - maxAlign;
    t.swapSize = t.swapInfo - maxAlign;
    t.size = trailerSize(TrailerOptions{m_geometry.writeAlign, m_geometry.maxImageSectors, false, maxAlign}, false)
                 .value_or(0);
    t.status = size - t.size;
    return t;
}

bool BootFlash::inRange(int slot, qint64 offset, qint64 length) const
{
    return slot >= 0 && slot < 2 && offset >= 0 && length >= 0 && offset + length <= slotSize(slot);
}

QByteArray BootFlash::read(int slot, qint64 offset, qint64 length) const
{
    if (slot < 0 || slot > 1 || offset < 0 || offset >= slotSize(slot) || length <= 0)
        return {};
    return m_slots[slot].mid(offset, std::min(length, slotSize(slot) - offset));
}

bool BootFlash::isErased(int slot, qint64 offset, qint64 length) const
{
    const QByteArray bytes = read(slot, offset, length);
    return std::all_of(bytes.begin(), bytes.end(), [](char c) { return std::uint8_t(c) == 0xff; });
}

bool BootFlash::consumeOperation()
{
    if (m_powerLost)
        return false;
    if (m_operationsLeft == 0) {
        m_operationsLeft = -1;
        m_powerLost = true;
        return false;
    }
    if (m_operationsLeft > 0)
        --m_operationsLeft;
    return true;
}

bool BootFlash::write(int slot, qint64 offset, QByteArrayView data)
{
    const int align = m_geometry.writeAlign;
    if (!inRange(slot, offset, data.size()) || offset % align != 0 || data.size() % align != 0)
        return false;
    if (!consumeOperation())
        return false;
    char* out = m_slots[slot].data() + offset;
    bool overwrite = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const auto before = std::uint8_t(out[i]);
        const auto wanted = std::uint8_t(data[i]);
        if ((before & wanted) != wanted)
            overwrite = true;
        out[i] = char(before & wanted);
    }
    ++m_stats.writes;
    m_stats.bytesWritten += data.size();
    if (overwrite)
        ++m_stats.overwrites;
    return true;
}

bool BootFlash::eraseSector(int slot, int sector)
{
    if (slot < 0 || slot > 1 || sector < 0 || sector >= sectorCount(slot))
        return false;
    if (!consumeOperation())
        return false;
    std::fill_n(m_slots[slot].data() + qint64(sector) * m_geometry.sectorSize, m_geometry.sectorSize, char(0xff));
    ++m_stats.sectorErases;
    return true;
}

bool BootFlash::erase(int slot, qint64 offset, qint64 length)
{
    if (!inRange(slot, offset, length))
        return false;
    if (length == 0)
        return true;
    const int first = int(offset / m_geometry.sectorSize);
    const int last = int((offset + length - 1) / m_geometry.sectorSize);
    for (int s = first; s <= last; ++s)
        if (!eraseSector(slot, s))
            return false;
    return true;
}

Result<void> BootFlash::program(int slot, const QByteArray& bytes)
{
    if (slot < 0 || slot > 1)
        return fail(QStringLiteral("slot %1 does not exist").arg(slot));
    if (bytes.size() > slotSize(slot))
        return fail(QStringLiteral("%1 bytes do not fit in the 0x%2-byte slot").arg(bytes.size()).arg(slotSize(slot), 0, 16));
    m_slots[slot].fill(char(0xff));
    std::copy(bytes.begin(), bytes.end(), m_slots[slot].begin());
    return {};
}

void BootFlash::cutPowerAfterOperations(int operations)
{
    m_operationsLeft = operations < 0 ? -1 : operations;
}

void BootFlash::cutPowerNow()
{
    m_operationsLeft = -1;
    m_powerLost = true;
}

// --- bootutil_public.c ---------------------------------------------------------------

SwapState readSwapState(const BootFlash& flash, int slot)
{
    const TrailerLayout t = flash.trailer(slot);
    SwapState s;
    const QByteArray magic = flash.read(slot, t.magic, kMagicSize);
    if (flash.isErased(slot, t.magic, kMagicSize))
        s.magic = Magic::Unset;
    else
        s.magic = magic == trailerMagic(flash.geometry().maxAlign()) ? Magic::Good : Magic::Bad;

    const auto info = std::uint8_t(flash.read(slot, t.swapInfo, 1).at(0));
    const int type = info & 0x0f;
    if (info == 0xff || type > int(SwapType::Revert)) {
        s.swapType = SwapType::None;
        s.imageNum = 0;
    } else {
        s.swapType = SwapType(type);
        s.imageNum = info >> 4;
    }
    s.copyDone = decodeFlag(std::uint8_t(flash.read(slot, t.copyDone, 1).at(0)));
    s.imageOk = decodeFlag(std::uint8_t(flash.read(slot, t.imageOk, 1).at(0)));
    return s;
}

namespace {

// One row of bootutil's boot_swap_tables; nullopt = ANY.
struct SwapTableRow {
    std::optional<Magic> magicPrimary;
    std::optional<Magic> magicSecondary;
    std::optional<Flag> imageOkPrimary;
    std::optional<Flag> imageOkSecondary;
    std::optional<Flag> copyDonePrimary;
    SwapType type;
};

// Order matters: the secondary slot's settings take priority and come first.
const SwapTableRow kSwapTables[] = {
    {std::nullopt, Magic::Good, std::nullopt, Flag::Unset, std::nullopt, SwapType::Test},
    {std::nullopt, Magic::Good, std::nullopt, Flag::Set, std::nullopt, SwapType::Perm},
    {Magic::Good, Magic::Unset, Flag::Unset, std::nullopt, Flag::Set, SwapType::Revert},
};

template <typename T>
bool matches(const std::optional<T>& want, T have) { return !want || *want == have; }

} // namespace

SwapType swapType(const BootFlash& flash)
{
    const SwapState p = readSwapState(flash, kPrimarySlot);
    const SwapState s = readSwapState(flash, kSecondarySlot);
    for (const SwapTableRow& row : kSwapTables) {
        if (matches(row.magicPrimary, p.magic) && matches(row.magicSecondary, s.magic)
            && matches(row.imageOkPrimary, p.imageOk) && matches(row.imageOkSecondary, s.imageOk)
            && matches(row.copyDonePrimary, p.copyDone))
            return row.type;
    }
    return SwapType::None;
}

bool writeMagic(BootFlash& flash, int slot)
{
    // boot_write_magic(): the magic padded at the front to BOOT_MAGIC_ALIGN_SIZE.
    const int maxAlign = flash.geometry().maxAlign();
    const qint64 magicAlign = alignUp(kMagicSize, maxAlign);
    const qint64 off = alignDown(flash.trailer(slot).magic, maxAlign);
    QByteArray bytes(magicAlign - kMagicSize, char(0xff));
    bytes.append(trailerMagic(maxAlign));
    return flash.write(slot, off, bytes);
}

bool writeImageOk(BootFlash& flash, int slot)
{
    return writeTrailer(flash, slot, flash.trailer(slot).imageOk, QByteArray(1, char(kFlagSet)));
}

bool writeCopyDone(BootFlash& flash, int slot)
{
    return writeTrailer(flash, slot, flash.trailer(slot).copyDone, QByteArray(1, char(kFlagSet)));
}

bool writeSwapInfo(BootFlash& flash, int slot, SwapType type, int imageNum)
{
    const auto info = std::uint8_t(((imageNum & 0x0f) << 4) | (std::uint8_t(type) & 0x0f));
    return writeTrailer(flash, slot, flash.trailer(slot).swapInfo, QByteArray(1, char(info)));
}

bool writeSwapSize(BootFlash& flash, int slot, std::uint32_t swapSize)
{
    QByteArray bytes;
    for (int i = 0; i < 4; ++i)
        bytes.append(char((swapSize >> (8 * i)) & 0xff));
    return writeTrailer(flash, slot, flash.trailer(slot).swapSize, bytes);
}

std::uint32_t readSwapSize(const BootFlash& flash, int slot)
{
    const QByteArray bytes = flash.read(slot, flash.trailer(slot).swapSize, 4);
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | std::uint8_t(bytes.at(i));
    return v;
}

BootRc setNext(BootFlash& flash, int slot, bool active, bool confirm)
{
    if (active)
        confirm = true;
    const SwapState state = readSwapState(flash, slot);
    switch (state.magic) {
    case Magic::Good:
        // Non-active: a swap is already scheduled. Active: confirm when needed (copy_done
        // is not checked so that a padded image programmed by a debugger can be confirmed).
        if (active && state.imageOk == Flag::Unset && !writeImageOk(flash, slot))
            return BootRc::Flash;
        return BootRc::Ok;
    case Magic::Unset:
        if (!active) {
            if (!writeMagic(flash, slot))
                return BootRc::Flash;
            if (confirm && !writeImageOk(flash, slot))
                return BootRc::Flash;
            if (!writeSwapInfo(flash, slot, confirm ? SwapType::Perm : SwapType::Test))
                return BootRc::Flash;
        }
        return BootRc::Ok;
    case Magic::Bad:
        if (active)
            return BootRc::BadVector;
        // The slot is corrupt and cannot be recovered: erase it so a new upload can follow.
        flash.eraseSlot(slot);
        return BootRc::BadImage;
    }
    return BootRc::BadImage;
}

BootRc setPending(BootFlash& flash, bool permanent)
{
    const SwapState state = readSwapState(flash, kSecondarySlot);
    switch (state.magic) {
    case Magic::Good:
        return BootRc::Ok;   // swap already scheduled
    case Magic::Unset:
        if (!writeMagic(flash, kSecondarySlot))
            return BootRc::Flash;
        if (permanent && !writeImageOk(flash, kSecondarySlot))
            return BootRc::Flash;
        if (!writeSwapInfo(flash, kSecondarySlot, permanent ? SwapType::Perm : SwapType::Test))
            return BootRc::Flash;
        return BootRc::Ok;
    case Magic::Bad:
        flash.eraseSlot(kSecondarySlot);
        return BootRc::BadImage;
    }
    return BootRc::BadImage;
}

BootRc setConfirmed(BootFlash& flash)
{
    const SwapState state = readSwapState(flash, kPrimarySlot);
    switch (state.magic) {
    case Magic::Good:
        break;
    case Magic::Unset:
        return BootRc::Ok;   // already confirmed
    case Magic::Bad:
        return BootRc::BadVector;
    }
    if (state.imageOk != Flag::Unset)
        return BootRc::Ok;
    return writeImageOk(flash, kPrimarySlot) ? BootRc::Ok : BootRc::Flash;
}

} // namespace otalab::core::mcuboot
