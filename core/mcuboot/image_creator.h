// SPDX-License-Identifier: Apache-2.0
// Builds an MCUboot image from a raw binary, byte for byte like imgtool sign
// (mcu-tools/mcuboot scripts/imgtool/image.py Image.load/create/save).
#pragma once

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_format.h"
#include "core/mcuboot/image_trailer.h"

#include <QByteArray>
#include <optional>
#include <vector>

namespace otalab::core::mcuboot {

enum class PublicKeyFormat { Hash, Full };  // imgtool --public-key-format hash|full

struct Dependency {
    std::uint8_t imageId = 0;
    ImageVersion version;
    friend bool operator==(const Dependency&, const Dependency&) = default;
};

struct ImageCreateOptions {
    std::uint16_t headerSize = kHeaderSize;  // -H/--header-size, >= 32
    bool padHeader = false;       // --pad-header: prepend headerSize erased bytes; without it
                                  // the input must start with headerSize zero bytes
    std::uint32_t loadAddr = 0;   // -L/--load-addr; non-zero also sets RAM_LOAD (imgtool does)
    ImageVersion version;         // -v/--version
    bool nonBootable = false;     // --non-bootable
    std::uint32_t extraFlags = 0; // OR-ed into the header flags (e.g. PIC); not in imgtool
    bool securityCounterAuto = false;             // -s auto: version.autoSecurityCounter()
    std::optional<std::uint32_t> securityCounter; // -s N
    std::vector<Dependency> dependencies;         // -d "(id,version)"
    std::optional<crypto::PKey> signingKey;       // -k: ECDSA P-256, Ed25519, RSA-2048/3072
    PublicKeyFormat publicKeyFormat = PublicKeyFormat::Hash;
    std::optional<crypto::PKey> eciesP256Key;     // -E: recipient P-256 key (public part used)
    std::optional<QByteArray> aesKwKek;           // 16- or 32-byte KEK for TLV 0x31
    bool aes256 = false;                          // --encrypt-keylen 256
    QByteArray imageKeyForTest;  // fixed image key instead of a random one (tests only)
    bool pad = false;            // --pad: pad to slotSize and write the trailer
    qint64 slotSize = 0;         // -S/--slot-size; also checked without --pad, like imgtool
    bool confirm = false;        // --confirm: image_ok = 0x01 (ignored for overwrite-only)
    TrailerOptions trailer;      // --align, -M/--max-sectors, --overwrite-only, --max-align
    char erasedValue = char(0xff);  // -R/--erased-val

    bool encrypted() const { return eciesP256Key.has_value() || aesKwKek.has_value(); }
};

// Layout produced (all little-endian):
//   header (32 B) | erased padding to headerSize | body [| zeros to a 16-byte multiple
//   of headerSize+body when encrypted] | protected TLVs: SEC_CNT, DEPENDENCY... |
//   unprotected TLVs: SHA256, KEYHASH or PUBKEY, signature, ENC_KW or ENC_EC256 |
//   [erased fill | trailer].
// SHA256 covers header + plaintext body + protected TLV area; only the body is encrypted.
Result<QByteArray> createImage(const QByteArray& binary, const ImageCreateOptions& options);

} // namespace otalab::core::mcuboot
