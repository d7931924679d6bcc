// SPDX-License-Identifier: Apache-2.0
// The swap trailer imgtool writes when padding an image to its slot (--pad): size and
// layout follow imgtool's _trailer_size()/pad_to(), which mirror bootutil's trailer.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <optional>

namespace otalab::core::mcuboot {

struct TrailerOptions {
    int align = 1;            // --align: flash write size, 1/2/4/8/16/32
    int maxSectors = 128;     // --max-sectors: swap status entries per image
    bool overwriteOnly = false;  // --overwrite-only: no swap status area
    std::optional<int> maxAlign; // --max-align; default max(8, align)

    int effectiveMaxAlign() const { return maxAlign ? *maxAlign : std::max(8, align); }
};

// Bytes the trailer occupies at the end of the slot (imgtool _trailer_size):
//   overwrite-only: 2 * maxAlign + magicAlign
//   swap:  maxSectors * 3 * align + (encrypted ? 2 * align_up(16, maxAlign) : 0)
//          + 4 * maxAlign + magicAlign,   magicAlign = align_up(16, maxAlign).
// Note imgtool reserves 16-byte key slots even for AES-256 unless --save-enctlv.
Result<qint64> trailerSize(const TrailerOptions& options, bool encrypted);

// The 16-byte trailer magic: the classic one for maxAlign 8, otherwise the
// maxAlign (u16 LE) followed by the aligned-magic tail.
QByteArray trailerMagic(int maxAlign);

// Pads `image` to `slotSize` with `erased` and ends it with the trailer magic; with
// confirm (not overwrite-only) image_ok = 0x01 at slotEnd - magicAlign - maxAlign.
Result<QByteArray> padToSlot(const QByteArray& image, qint64 slotSize, const TrailerOptions& options,
                             bool encrypted, bool confirm, char erased = char(0xff));

} // namespace otalab::core::mcuboot
