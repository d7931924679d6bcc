// SPDX-License-Identifier: Apache-2.0
// The flash of a simulated MCUboot board: a primary and a secondary image slot made of
// equal erase sectors, erased to 0xff, written in aligned blocks (bits only go 1 → 0),
// plus the slot trailer fields exactly where bootutil keeps them (bootutil_public.c):
// magic, image_ok, copy_done, swap_info, swap_size and the swap status area.
// Fault hook: power can be cut after a number of flash operations; later writes and
// erases are dropped until powerOn().
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <array>
#include <cstdint>

namespace otalab::core::mcuboot {

inline constexpr int kPrimarySlot = 0;
inline constexpr int kSecondarySlot = 1;

struct FlashGeometry {
    qint64 primarySize = 0x60000;    // bytes, a multiple of sectorSize
    qint64 secondarySize = 0x60000;  // equal to primarySize or one sector smaller (swap-move)
    int sectorSize = 0x1000;         // erase unit in bytes (same in both slots)
    int writeAlign = 4;              // flash write block size: 1, 2, 4, 8, 16 or 32 bytes
    int maxImageSectors = 128;       // BOOT_MAX_IMG_SECTORS: swap status entries reserved per slot
    std::uint32_t primaryAddress = 0x0000c000;    // slot start addresses, checked against the
    std::uint32_t secondaryAddress = 0x0006c000;  // load address of ROM_FIXED images (direct-xip)

    int maxAlign() const { return writeAlign > 8 ? writeAlign : 8; }   // BOOT_MAX_ALIGN
    // Problems with the layout, e.g. a slot size that is not a multiple of the sector size.
    Result<void> check() const;
};

// bootutil's decoded trailer fields (BOOT_MAGIC_*, BOOT_FLAG_*, BOOT_SWAP_TYPE_*).
enum class Magic { Good, Bad, Unset };
enum class Flag { Set, Bad, Unset };
enum class SwapType : std::uint8_t { None = 1, Test = 2, Perm = 3, Revert = 4, Fail = 5, Panic = 0xff };
QString swapTypeText(SwapType type);   // "none", "test", "perm", "revert", "fail", "panic"

// bootutil return codes (BOOT_E*).
enum class BootRc { Ok = 0, Flash = 1, BadImage = 3, BadVector = 4 };

struct SwapState {
    Magic magic = Magic::Unset;
    SwapType swapType = SwapType::None;   // from swap_info; erased or > revert reads as none
    int imageNum = 0;
    Flag copyDone = Flag::Unset;
    Flag imageOk = Flag::Unset;
};

// Offsets from the start of a slot (boot_magic_off(), boot_image_ok_off(), ...).
struct TrailerLayout {
    qint64 magic = 0;
    qint64 imageOk = 0;
    qint64 copyDone = 0;
    qint64 swapInfo = 0;
    qint64 swapSize = 0;
    qint64 status = 0;     // first swap status entry (slot size - boot_trailer_sz())
    qint64 size = 0;       // boot_trailer_sz(): status entries + trailer info
};

struct FlashStats {
    qint64 writes = 0;         // write calls that reached the flash
    qint64 bytesWritten = 0;
    qint64 sectorErases = 0;
    qint64 overwrites = 0;     // writes that tried to turn a 0 bit back into 1 (a bug in the caller)
};

class BootFlash {
public:
    explicit BootFlash(FlashGeometry geometry = {});

    const FlashGeometry& geometry() const { return m_geometry; }
    qint64 slotSize(int slot) const { return m_slots[slot].size(); }
    int sectorCount(int slot) const { return int(slotSize(slot) / m_geometry.sectorSize); }
    std::uint8_t erasedValue() const { return 0xff; }
    TrailerLayout trailer(int slot) const;

    const QByteArray& slotBytes(int slot) const { return m_slots[slot]; }
    // Bytes [offset, offset + length) clipped to the slot.
    QByteArray read(int slot, qint64 offset, qint64 length) const;
    bool isErased(int slot, qint64 offset, qint64 length) const;

    // Programs `data` at `offset`: both must be multiples of writeAlign and inside the slot.
    // Flash semantics: the stored byte becomes old & new. False when misaligned, out of
    // range or the power is off (nothing written).
    bool write(int slot, qint64 offset, QByteArrayView data);
    // Erases every sector that overlaps [offset, offset + length). False when the power is off
    // (sectors erased before the cut stay erased).
    bool erase(int slot, qint64 offset, qint64 length);
    bool eraseSector(int slot, int sector);
    bool eraseSlot(int slot) { return erase(slot, 0, slotSize(slot)); }

    // A programmer writing the slot directly (west flash): erases the slot, then stores
    // `bytes` (at most the slot size). Not counted as operations, ignores the power state.
    Result<void> program(int slot, const QByteArray& bytes);

    // Fault hook: the next `operations` writes/sector erases succeed, then power is lost.
    // -1 disarms. The cut stays armed across powerOn() until it fires.
    void cutPowerAfterOperations(int operations);
    void cutPowerNow();
    bool powerLost() const { return m_powerLost; }
    void powerOn() { m_powerLost = false; }

    const FlashStats& stats() const { return m_stats; }

private:
    bool consumeOperation();
    bool inRange(int slot, qint64 offset, qint64 length) const;

    FlashGeometry m_geometry;
    std::array<QByteArray, 2> m_slots;
    int m_operationsLeft = -1;
    bool m_powerLost = false;
    FlashStats m_stats;
};

// --- bootutil_public.c ---------------------------------------------------------------
SwapState readSwapState(const BootFlash& flash, int slot);
// boot_swap_type_multi(0): the boot_swap_tables lookup over both trailers.
SwapType swapType(const BootFlash& flash);

bool writeMagic(BootFlash& flash, int slot);
bool writeImageOk(BootFlash& flash, int slot);
bool writeCopyDone(BootFlash& flash, int slot);
bool writeSwapInfo(BootFlash& flash, int slot, SwapType type, int imageNum = 0);
bool writeSwapSize(BootFlash& flash, int slot, std::uint32_t swapSize);
std::uint32_t readSwapSize(const BootFlash& flash, int slot);

// boot_set_next(): mark `slot` to run next. `active`: the slot runs now (then it is
// confirmed); otherwise the slot gets magic + swap_info test, or perm with `confirm`.
// A slot with a corrupt magic is erased and BadImage returned (BadVector when active).
BootRc setNext(BootFlash& flash, int slot, bool active, bool confirm);
// boot_set_pending_multi() / boot_set_confirmed_multi() for the secondary / primary slot.
BootRc setPending(BootFlash& flash, bool permanent);
BootRc setConfirmed(BootFlash& flash);

} // namespace otalab::core::mcuboot
