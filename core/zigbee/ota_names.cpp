// SPDX-License-Identifier: Apache-2.0
// Names for OTA header values (ZCL OTA cluster tables for stack version, image type, tags).
#include "core/zigbee/ota_names.h"

#include "core/zigbee/ota_file.h"

namespace otalab::core::zigbee {

QString stackVersionName(std::uint16_t v)
{
    switch (v) {
    case 0x0000: return QStringLiteral("ZigBee 2006");
    case 0x0001: return QStringLiteral("ZigBee 2007");
    case 0x0002: return QStringLiteral("ZigBee PRO");
    case 0x0003: return QStringLiteral("ZigBee IP");
    default: return QStringLiteral("reserved");
    }
}

bool isKnownStackVersion(std::uint16_t v) { return v <= 0x0003; }

QString imageTypeName(std::uint16_t t)
{
    switch (t) {
    case imagetype::SecurityCredential: return QStringLiteral("security credential");
    case imagetype::Configuration: return QStringLiteral("configuration");
    case imagetype::Log: return QStringLiteral("log");
    case imagetype::Picture: return QStringLiteral("picture");
    case imagetype::Wildcard: return QStringLiteral("wildcard");
    default: break;
    }
    return t > imagetype::Picture ? QStringLiteral("reserved") : QStringLiteral("manufacturer specific");
}

QString securityCredentialVersionName(std::uint8_t v)
{
    switch (v) {
    case 0x00: return QStringLiteral("SE 1.0");
    case 0x01: return QStringLiteral("SE 1.1");
    case 0x02: return QStringLiteral("SE 2.0");
    default: return QStringLiteral("reserved");
    }
}

QString tagName(std::uint16_t t)
{
    switch (t) {
    case tag::UpgradeImage: return QStringLiteral("Upgrade image");
    case tag::SignatureCs1: return QStringLiteral("ECDSA signature (crypto suite 1)");
    case tag::CertificateCs1: return QStringLiteral("ECDSA signing certificate (crypto suite 1)");
    case tag::IntegrityCode: return QStringLiteral("Image integrity code");
    case tag::PictureData: return QStringLiteral("Picture data");
    case tag::SignatureCs2: return QStringLiteral("ECDSA signature (crypto suite 2)");
    case tag::CertificateCs2: return QStringLiteral("ECDSA signing certificate (crypto suite 2)");
    default: break;
    }
    return t >= tag::ManufacturerFirst ? QStringLiteral("Manufacturer specific") : QStringLiteral("Reserved");
}

QString hardwareVersionText(std::uint16_t hw)
{
    return QStringLiteral("0x%1 (version %2 revision %3)").arg(hw, 4, 16, QLatin1Char('0')).arg(hw >> 8).arg(hw & 0xff);
}

} // namespace otalab::core::zigbee
