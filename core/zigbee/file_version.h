// SPDX-License-Identifier: Apache-2.0
// The 32-bit OTA file version split into application and stack release/build bytes.
#pragma once

#include <QString>
#include <compare>
#include <cstdint>

namespace otalab::core::zigbee {

// Bytes from most to least significant: application release, application build, stack
// release, stack build. Releases are shown as two nibbles ("1.0" for 0x10), builds as
// two hex digits ("05" for 0x05), as the cluster specification's examples do. Versions
// order as the unsigned 32-bit value: 0x10053519 < 0x10103519 < 0x10103701.
struct FileVersion {
    std::uint32_t value = 0;

    std::uint8_t applicationRelease() const { return std::uint8_t(value >> 24); }
    std::uint8_t applicationBuild() const { return std::uint8_t(value >> 16); }
    std::uint8_t stackRelease() const { return std::uint8_t(value >> 8); }
    std::uint8_t stackBuild() const { return std::uint8_t(value); }

    // "app 1.0 build 05, stack 3.5 build 19"
    QString toString() const;

    friend auto operator<=>(const FileVersion&, const FileVersion&) = default;
};

} // namespace otalab::core::zigbee
