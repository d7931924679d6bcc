// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_trailer.h"

#include "core/mcuboot/image_format.h"

namespace otalab::core::mcuboot {
namespace {

qint64 alignUp(qint64 n, qint64 a) { return (n + a - 1) & ~(a - 1); }
bool isPow2(int v) { return v > 0 && (v & (v - 1)) == 0; }

} // namespace

Result<qint64> trailerSize(const TrailerOptions& o, bool encrypted)
{
    const int maxAlign = o.effectiveMaxAlign();
    if (!isPow2(maxAlign) || maxAlign < 8)
        return fail(QStringLiteral("max alignment %1 must be a power of two of at least 8").arg(maxAlign));
    const qint64 magicAlign = alignUp(16, maxAlign);
    if (o.overwriteOnly)
        return maxAlign * 2 + magicAlign;
    if (o.align != 1 && o.align != 2 && o.align != 4 && o.align != 8 && o.align != 16 && o.align != 32)
        return fail(QStringLiteral("invalid alignment %1 (expected 1, 2, 4, 8, 16 or 32)").arg(o.align));
    if (o.maxSectors <= 0)
        return fail(QStringLiteral("max sectors must be positive, got %1").arg(o.maxSectors));
    qint64 size = qint64(o.maxSectors) * 3 * o.align;
    if (encrypted)
        size += alignUp(16, maxAlign) * 2;
    size += maxAlign * 4;
    size += magicAlign;
    return size;
}

QByteArray trailerMagic(int maxAlign)
{
    if (maxAlign == 8)
        return QByteArray(reinterpret_cast<const char*>(kTrailerMagic), 16);
    QByteArray m;
    m.append(char(maxAlign & 0xff)).append(char((maxAlign >> 8) & 0xff));
    m.append(reinterpret_cast<const char*>(kTrailerMagicAlignedTail), 14);
    return m;
}

Result<QByteArray> padToSlot(const QByteArray& image, qint64 slotSize, const TrailerOptions& o, bool encrypted,
                             bool confirm, char erased)
{
    auto tsize = trailerSize(o, encrypted);
    if (!tsize)
        return fail(tsize.error());
    if (image.size() + *tsize > slotSize)
        return fail(QStringLiteral("image size (0x%1) + trailer (0x%2) exceeds the slot size 0x%3")
                        .arg(image.size(), 0, 16).arg(*tsize, 0, 16).arg(slotSize, 0, 16));
    QByteArray out = image;
    out.append(slotSize - image.size() - 16, erased);
    out.append(trailerMagic(o.effectiveMaxAlign()));
    if (confirm && !o.overwriteOnly) {
        const int maxAlign = o.effectiveMaxAlign();
        out[slotSize - alignUp(16, maxAlign) - maxAlign] = char(0x01);
    }
    return out;
}

} // namespace otalab::core::mcuboot
