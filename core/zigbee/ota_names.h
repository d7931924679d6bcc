// SPDX-License-Identifier: Apache-2.0
// Human names for the coded values of a Zigbee OTA file header and its sub-elements.
#pragma once

#include <QString>
#include <cstdint>

namespace otalab::core::zigbee {

// 0x0000 "ZigBee 2006", 0x0001 "ZigBee 2007", 0x0002 "ZigBee PRO", 0x0003 "ZigBee IP",
// anything else "reserved".
QString stackVersionName(std::uint16_t stackVersion);
bool isKnownStackVersion(std::uint16_t stackVersion);

// 0xFFC0 "security credential", 0xFFC1 "configuration", 0xFFC2 "log", 0xFFC3 "picture",
// 0xFFFF "wildcard", 0xFFC4..0xFFFE "reserved", below 0xFFC0 "manufacturer specific".
QString imageTypeName(std::uint16_t imageType);

// 0x00 "SE 1.0", 0x01 "SE 1.1", 0x02 "SE 2.0", otherwise "reserved".
QString securityCredentialVersionName(std::uint8_t version);

// "Upgrade image", "ECDSA signature (crypto suite 1)", ..., "Manufacturer specific",
// "Reserved".
QString tagName(std::uint16_t tag);

// Hardware version u16 as "version 1 revision 2" (high byte, low byte).
QString hardwareVersionText(std::uint16_t hw);

} // namespace otalab::core::zigbee
