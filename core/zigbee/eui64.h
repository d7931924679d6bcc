// SPDX-License-Identifier: Apache-2.0
// IEEE EUI-64 addresses: text form and the two byte orders Zigbee OTA files use.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>

namespace otalab::core::zigbee {

// Accepts "0011223344556677", "0x0011223344556677" and "00:11:22:33:44:55:66:77" (or with
// '-'); the first byte written is the most significant. Fails naming `what`.
Result<std::uint64_t> parseEui64(const QString& text, const QString& what = QStringLiteral("EUI64"));

// "00:11:22:33:44:55:66:77", most significant byte first.
QString formatEui64(std::uint64_t eui);

// Wire encodings: OTA header destination and signature signer use little-endian (Zigbee
// frame order); Smart Energy certificates store subject/issuer big-endian.
QByteArray eui64LittleEndian(std::uint64_t eui);
QByteArray eui64BigEndian(std::uint64_t eui);
std::uint64_t eui64FromLittleEndian(QByteArrayView eightBytes);
std::uint64_t eui64FromBigEndian(QByteArrayView eightBytes);

} // namespace otalab::core::zigbee
