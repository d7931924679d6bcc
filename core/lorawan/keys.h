// SPDX-License-Identifier: Apache-2.0
// AES-128 keys and the two primitives LoRaWAN 1.0.x builds on: one AES-128 block
// (ECB, no padding) and AES-CMAC (RFC 4493), both through OpenSSL 3 EVP.
// Hex forms: keys are 32 hex digits in wire order (the order LoRaWAN tools print and
// LoRaWAN servers store); DevAddr/McAddr are 8 hex digits, most significant first
// ("26011BDA" is the 32-bit value 0x26011BDA, sent on the air as DA 1B 01 26).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <cstdint>

namespace otalab::core::lorawan {

using AesKey = std::array<std::uint8_t, 16>;
using AesBlock = std::array<std::uint8_t, 16>;

// One AES-128 block encryption / decryption (ECB). Never fails for a 16-byte key.
AesBlock aes128Encrypt(const AesKey& key, const AesBlock& block);
AesBlock aes128Decrypt(const AesKey& key, const AesBlock& block);

// AES-128-ECB over whole 16-byte blocks in one call (blocks.size() must be a multiple
// of 16; a shorter tail is left out): the FRMPayload keystream without one context per block.
QByteArray aes128EncryptBlocks(const AesKey& key, QByteArrayView blocks);

// AES-CMAC (RFC 4493) of any number of bytes: the full 16-byte tag.
AesBlock aesCmac(const AesKey& key, QByteArrayView data);

// Keys as 32 hex digits (upper or lower case, no separators) and back (lower case).
Result<AesKey> parseKey(QStringView hex, const QString& field = QStringLiteral("key"));
QString formatKey(const AesKey& key);

// DevAddr / McAddr as 8 hex digits, most significant first, optional "0x" prefix.
Result<std::uint32_t> parseDevAddr(QStringView hex, const QString& field = QStringLiteral("devAddr"));
QString formatDevAddr(std::uint32_t devAddr);  // "26011bda"

// A key from 16 raw bytes (wire order); an error names the field and the size found.
Result<AesKey> keyFromBytes(QByteArrayView bytes, const QString& field = QStringLiteral("key"));
QByteArray keyBytes(const AesKey& key);

} // namespace otalab::core::lorawan
