// SPDX-License-Identifier: Apache-2.0
// What a LoRaWAN FUOTA server multicasts as the TS004 data block, and what the device
// checks before it commits. Three kinds:
//  - raw:    the image itself (only the transport's integrity checks protect it);
//  - signed: a container whose ECDSA P-256 signature (the repo's signing, core/mcuboot
//            signDigest/verifyDigest) covers header and payload;
//  - delta:  a container whose payload is a zstd "patch-from" frame against the image the
//            device runs (byte-compatible with `zstd --patch-from=OLD`); the header names
//            the base by SHA-256 so a device on another base refuses it. Delta may be signed.
//
// Container (little-endian):
//   0  4  magic "OLFU"
//   4  1  container version = 1
//   5  1  flags: bit 0 delta, bit 1 signed; others 0
//   6  2  reserved, 0
//   8  4  image length (bytes of the image the device ends up with)
//  12  4  payload length
//  16 32  SHA-256 of the resulting image
//  48 32  SHA-256 of the base image (delta) or zeros
//  80  …  payload (the image, or the zstd frame)
//   …  signed only: signature length u16 | DER ECDSA-P256 signature over SHA-256(bytes 0 .. 80+payload)
// Nothing may follow (a data block padded to whole fragments must be cut to its length
// first; TS004 Padding says how much to cut).
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <cstdint>
#include <optional>

namespace otalab::core::lorawan {

using Sha256 = std::array<std::uint8_t, 32>;
Sha256 sha256Of(QByteArrayView data);
QString sha256Hex(const Sha256& hash);

constexpr std::uint8_t kFuotaContainerVersion = 1;
constexpr int kFuotaHeaderSize = 80;

enum class FuotaImageKind { Raw, Signed, Delta, SignedDelta };
QString fuotaImageKindName(FuotaImageKind kind);  // "raw", "signed", "delta", "signed delta"
// From the command line / scenario spelling: "raw", "signed", "delta", "signed-delta".
Result<FuotaImageKind> fuotaImageKindFromName(const QString& name);

struct FuotaContainer {
    bool delta = false;
    bool isSigned = false;
    std::uint32_t imageLength = 0;
    Sha256 imageSha256{};
    Sha256 baseSha256{};       // zeros unless delta
    QByteArray payload;        // image or zstd frame
    QByteArray signature;      // DER, signed only
    qsizetype signedLength = 0;  // bytes the signature covers (header + payload)
    FuotaImageKind kind() const;
};

struct FuotaPackOptions {
    FuotaImageKind kind = FuotaImageKind::Raw;
    const crypto::PKey* signingKey = nullptr;  // an ECDSA P-256 private key, for Signed/SignedDelta
    QByteArray base;                            // the running image, for Delta/SignedDelta
    int zstdLevel = 19;                         // 1..22 (≥ 20 are zstd's "ultra" levels)
};
// Builds the data block. Errors: signing kind without an ECDSA P-256 private key, delta
// without a base, an image over 4 GiB.
Result<QByteArray> packFuotaImage(QByteArrayView image, const FuotaPackOptions& options);

// Structure only: magic, version, flags, reserved bytes, lengths against the data size,
// signature length. A data block that does not start with the magic is an error here.
Result<FuotaContainer> parseFuotaContainer(QByteArrayView dataBlock);
bool looksLikeFuotaContainer(QByteArrayView dataBlock);  // starts with the magic

// What the device knows when it checks a received data block.
struct FuotaDeviceContext {
    QByteArrayView runningImage;                 // the base for deltas
    const crypto::PKey* trustedKey = nullptr;    // verifies signed containers
    qint64 flashCapacity = 0;                    // bytes available for the new image (> 0)
    bool requireSignature = false;               // refuse raw and unsigned containers
    bool acceptRaw = true;                       // a block without the magic is a raw image
};
// The image the device may commit, or why not: bad container, "signature does not verify",
// "signed image but no public key configured", unsigned when a signature is required,
// "image of N bytes does not fit the flash (M bytes)", "delta is for base <hash>, this
// device runs <hash>", a patch that decodes to more than the flash holds or to another
// length than the header says, "image SHA-256 mismatch". Never returns a wrong image.
Result<QByteArray> unpackFuotaImage(QByteArrayView dataBlock, const FuotaDeviceContext& device);

// zstd patch-from, as `zstd --patch-from=BASE` writes and reads it: one zstd frame
// compressed with BASE as a referenced prefix (ZSTD_CCtx_refPrefix / ZSTD_DCtx_refPrefix),
// long-distance matching on and a window covering base and target.
Result<QByteArray> zstdPatchCreate(QByteArrayView base, QByteArrayView target, int level = 19);
// Decodes at most maxOutput bytes; more is an error (checked while decoding, not only
// from the frame header). windowLogMax bounds the decoder's memory (2^windowLogMax B).
Result<QByteArray> zstdPatchApply(QByteArrayView base, QByteArrayView patch, qint64 maxOutput, int windowLogMax = 27);

} // namespace otalab::core::lorawan
