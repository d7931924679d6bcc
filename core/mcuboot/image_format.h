// SPDX-License-Identifier: Apache-2.0
// MCUboot image wire constants and the image version, as bootutil (image.h) and imgtool define them.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>

namespace otalab::core::mcuboot {

// Header: 32 bytes, little-endian (imgtool's default --endian little).
inline constexpr std::uint32_t kImageMagic = 0x96f3b83d;
inline constexpr int kHeaderSize = 32;
inline constexpr std::uint16_t kTlvInfoMagic = 0x6907;           // unprotected TLV area
inline constexpr std::uint16_t kProtectedTlvInfoMagic = 0x6908;  // protected TLV area
inline constexpr int kTlvInfoSize = 4;  // u16 magic, u16 total length (info header included)
inline constexpr int kTlvHeaderSize = 4;  // u16 type, u16 length (value only)

// Header flags (image_header.ih_flags).
enum ImageFlag : std::uint32_t {
    FlagPic = 0x01,
    FlagEncryptedAes128 = 0x04,
    FlagEncryptedAes256 = 0x08,
    FlagNonBootable = 0x10,
    FlagRamLoad = 0x20,
    FlagRomFixed = 0x100,
};

// TLV types (u16 on the wire; imgtool writes them as u8 type + u8 zero).
enum TlvType : std::uint16_t {
    TlvKeyHash = 0x01,    // SHA-256 of the signing public key (bytes: see keyHashInput())
    TlvPubKey = 0x02,     // the signing public key itself (same bytes keyHashInput() hashes)
    TlvSha256 = 0x10,     // SHA-256 over header + body + protected TLV area (plaintext)
    TlvRsa2048Pss = 0x20,
    TlvEcdsaSig = 0x22,   // ECDSA P-256, DER Ecdsa-Sig-Value
    TlvRsa3072Pss = 0x23,
    TlvEd25519 = 0x24,
    TlvEncRsa2048 = 0x30,
    TlvEncKw = 0x31,      // AES key wrap (RFC 3394) of the image key
    TlvEncEc256 = 0x32,   // ECIES-P256: ephemeral point (65) | HMAC-SHA256 (32) | encrypted key
    TlvEncX25519 = 0x33,
    TlvDependency = 0x40, // u8 image id, 3 pad, version (8)
    TlvSecurityCounter = 0x50,  // u32 LE
};

// Trailer magic for the default max_align 8; other max_align values put the alignment
// (u16 LE) in the first two bytes followed by kTrailerMagicAlignedTail.
inline constexpr unsigned char kTrailerMagic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                                    0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
inline constexpr unsigned char kTrailerMagicAlignedTail[14] = {0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d,
                                                               0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a};

QString tlvTypeName(std::uint16_t type);   // "SHA256", "KEYHASH", ... or "0x00a5"
QString flagsText(std::uint32_t flags);    // "ENCRYPTED_AES128 | RAM_LOAD" or "none"
bool isSignatureTlv(std::uint16_t type);
bool isEncryptionTlv(std::uint16_t type);

// image_version: u8 major, u8 minor, u16 revision, u32 build.
struct ImageVersion {
    std::uint8_t major = 0;
    std::uint8_t minor = 0;
    std::uint16_t revision = 0;
    std::uint32_t build = 0;

    // "maj[.min[.rev[+build]]]" exactly like imgtool's decode_version (later parts optional).
    static Result<ImageVersion> parse(const QString& text);
    QString toString() const;  // "1.2.3+4"
    // imgtool's --security-counter auto: (major << 24) + (minor << 16) + revision.
    std::uint32_t autoSecurityCounter() const { return (std::uint32_t(major) << 24) + (std::uint32_t(minor) << 16) + revision; }
    friend bool operator==(const ImageVersion&, const ImageVersion&) = default;
};

} // namespace otalab::core::mcuboot
