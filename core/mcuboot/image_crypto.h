// SPDX-License-Identifier: Apache-2.0
// The cryptography MCUboot images use, byte-compatible with imgtool (scripts/imgtool
// image.py + keys/*.py): signatures over the SHA-256 image digest, key hashes, AES-CTR
// body encryption with a zero nonce, AES key wrap and ECIES-P256 key transport.
#pragma once

#include "core/crypto/pkey.h"

#include <QByteArray>
#include <cstdint>

namespace otalab::core::mcuboot {

QByteArray sha256(QByteArrayView data);

// The public-key bytes imgtool hashes for KEYHASH and embeds as PUBKEY
// (key.get_public_bytes()): DER SubjectPublicKeyInfo for ECDSA P-256 and Ed25519,
// DER PKCS#1 RSAPublicKey for RSA.
Result<QByteArray> keyHashInput(const crypto::PKey& key);
// SHA-256 of keyHashInput(): the KEYHASH TLV value.
Result<QByteArray> keyHash(const crypto::PKey& key);
// The public key carried by a PUBKEY TLV (inverse of keyHashInput; RSA is PKCS#1).
Result<crypto::PKey> publicKeyFromTlv(const QByteArray& value);

// Signature TLV type for a key: 0x22 ECDSA P-256, 0x24 Ed25519, 0x20 RSA-2048, 0x23 RSA-3072.
Result<std::uint16_t> signatureTlvType(const crypto::PKey& key);
QString signatureAlgorithmName(std::uint16_t tlvType);  // "ECDSA P-256", "Ed25519", "RSA-2048-PSS"

// Signs an image whose SHA-256 digest (over header + body + protected TLVs) is
// `digest`, exactly as imgtool does:
//  - ECDSA P-256: ECDSA-SHA256 over the hashed region = ECDSA over `digest`; DER output
//    (random k, so the bytes differ per run).
//  - RSA: RSASSA-PSS, SHA-256, MGF1-SHA256, salt length 32, over the hashed region.
//  - Ed25519: pure Ed25519 over the 32-byte `digest` itself (imgtool's sign_digest),
//    not over the image; deterministic.
Result<QByteArray> signDigest(const crypto::PKey& key, const QByteArray& digest);
// Checks a signature TLV of `tlvType` against `key`. ECDSA signatures padded with
// zeros (imgtool --pad-sig) are accepted, like imgtool's verify.
bool verifyDigest(const crypto::PKey& key, std::uint16_t tlvType, const QByteArray& digest, const QByteArray& signature);

QByteArray randomBytes(int count);

// AES-CTR with a 16-byte all-zero initial counter block (big-endian increment),
// key 16 or 32 bytes. Encryption and decryption are the same operation.
Result<QByteArray> aesCtr(const QByteArray& key, const QByteArray& data);

// RFC 3394 AES key wrap with the default IV; KEK 16 (AES-128-KW) or 32 (AES-256-KW) bytes.
Result<QByteArray> aesKeyWrap(const QByteArray& kek, const QByteArray& key);
Result<QByteArray> aesKeyUnwrap(const QByteArray& kek, const QByteArray& wrapped);

// ECIES-P256 as imgtool's ecies_hkdf(): ephemeral P-256 key, ECDH with the recipient,
// HKDF-SHA256 (no salt, info "MCUBoot_ECIES_v1", keyLen + 32 bytes) → AES key
// (first keyLen bytes) and HMAC-SHA256 key (last 32). Encrypted key = AES-CTR(zero
// nonce) of the image key; MAC = HMAC over the encrypted key.
// TLV value: ephemeral point 04‖X‖Y (65) | MAC (32) | encrypted key (keyLen).
Result<QByteArray> eciesP256Wrap(const crypto::PKey& recipient, const QByteArray& imageKey);
Result<QByteArray> eciesP256Unwrap(const crypto::PKey& privateKey, const QByteArray& tlvValue);

} // namespace otalab::core::mcuboot
