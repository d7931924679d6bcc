// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_model.h"

#include "core/common/bytes.h"

namespace otalab::core::mcuboot {

QByteArray ImageHeader::serialize() const
{
    ByteWriter w(Endian::Little);
    w.u32(magic).u32(loadAddr).u16(hdrSize).u16(protectedTlvSize).u32(imgSize).u32(flags);
    w.u8(version.major).u8(version.minor).u16(version.revision).u32(version.build).u32(pad);
    return w.take();
}

const Tlv* TlvArea::find(std::uint16_t type) const
{
    for (const Tlv& t : tlvs)
        if (t.type == type)
            return &t;
    return nullptr;
}

const Tlv* McubootImage::findAny(std::uint16_t type) const
{
    if (protectedTlvs)
        if (const Tlv* t = protectedTlvs->find(type))
            return t;
    return unprotectedTlvs.find(type);
}

QString swapTypeName(std::uint8_t swapInfo)
{
    if (swapInfo == 0xff)
        return QStringLiteral("unset");
    switch (swapInfo & 0x0f) {
    case 1: return QStringLiteral("none");
    case 2: return QStringLiteral("test");
    case 3: return QStringLiteral("perm");
    case 4: return QStringLiteral("revert");
    default: break;
    }
    return hex(swapInfo, 2);
}

} // namespace otalab::core::mcuboot
