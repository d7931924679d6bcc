// SPDX-License-Identifier: Apache-2.0
// A parsed MCUboot image: header, body range, protected/unprotected TLV areas with
// their file offsets, and the swap trailer when the file was padded to a slot.
#pragma once

#include "core/mcuboot/image_format.h"

#include <QByteArray>
#include <optional>
#include <vector>

namespace otalab::core::mcuboot {

struct ImageHeader {
    std::uint32_t magic = kImageMagic;
    std::uint32_t loadAddr = 0;
    std::uint16_t hdrSize = kHeaderSize;   // header + padding before the body
    std::uint16_t protectedTlvSize = 0;    // whole protected area incl. its info header; 0 = none
    std::uint32_t imgSize = 0;             // body bytes after hdrSize
    std::uint32_t flags = 0;
    ImageVersion version;
    std::uint32_t pad = 0;

    QByteArray serialize() const;  // 32 bytes, little-endian
};

struct Tlv {
    std::uint16_t type = 0;
    qint64 offset = 0;   // file offset of the 4-byte TLV header
    QByteArray value;    // value bytes (length = value.size())

    qint64 valueOffset() const { return offset + kTlvHeaderSize; }
    qint64 end() const { return valueOffset() + value.size(); }
};

struct TlvArea {
    std::uint16_t magic = kTlvInfoMagic;
    qint64 offset = 0;           // file offset of the info header
    std::uint16_t totalLength = 0;  // info header + all TLVs
    std::vector<Tlv> tlvs;

    qint64 end() const { return offset + totalLength; }
    const Tlv* find(std::uint16_t type) const;
};

// Swap trailer at the end of a padded image (fields counted back from the end).
struct Trailer {
    qint64 magicOffset = 0;
    int maxAlign = 8;              // from the magic: 8 for the classic magic
    qint64 imageOkOffset = 0;      // magic - maxAlign
    qint64 copyDoneOffset = 0;     // image_ok - maxAlign
    qint64 swapInfoOffset = 0;     // copy_done - maxAlign
    qint64 swapSizeOffset = 0;     // swap_info - maxAlign
    std::uint8_t imageOk = 0xff;   // 0x01 set (confirmed), erased otherwise
    std::uint8_t copyDone = 0xff;
    std::uint8_t swapInfo = 0xff;  // low nibble swap type, high nibble image number
    std::uint32_t swapSize = 0xffffffff;
};

struct McubootImage {
    QByteArray bytes;  // the whole file
    ImageHeader header;
    std::optional<TlvArea> protectedTlvs;
    TlvArea unprotectedTlvs;
    std::optional<Trailer> trailer;
    qint64 paddingOffset = -1;  // bytes between the TLV end and the trailer (or file end)
    qint64 paddingSize = 0;

    qint64 bodyOffset() const { return header.hdrSize; }
    qint64 bodyEnd() const { return qint64(header.hdrSize) + header.imgSize; }
    // End of the hashed region: header + body + protected TLV area.
    qint64 hashedEnd() const { return bodyEnd() + (protectedTlvs ? protectedTlvs->totalLength : 0); }
    bool isEncrypted() const { return header.flags & (FlagEncryptedAes128 | FlagEncryptedAes256); }
    int aesKeyBytes() const { return (header.flags & FlagEncryptedAes256) ? 32 : 16; }
    const Tlv* findAny(std::uint16_t type) const;  // protected first, then unprotected
};

QString swapTypeName(std::uint8_t swapInfo);  // "none", "test", "perm", "revert", "unset", "0x.."

} // namespace otalab::core::mcuboot
