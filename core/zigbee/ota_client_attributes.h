// SPDX-License-Identifier: Apache-2.0
// OTA Upgrade cluster client attributes 0x0000–0x000C (ZCL r8 §11.10).
#pragma once

#include "core/zigbee/ota_cluster_actions.h"

#include <cstdint>
#include <optional>

namespace otalab::core::zigbee {

namespace otaattr {
inline constexpr std::uint16_t UpgradeServerId = 0x0000;               // EUI64
inline constexpr std::uint16_t FileOffset = 0x0001;                    // u32
inline constexpr std::uint16_t CurrentFileVersion = 0x0002;            // u32
inline constexpr std::uint16_t CurrentZigbeeStackVersion = 0x0003;     // u16
inline constexpr std::uint16_t DownloadedFileVersion = 0x0004;         // u32
inline constexpr std::uint16_t DownloadedZigbeeStackVersion = 0x0005;  // u16
inline constexpr std::uint16_t ImageUpgradeStatus = 0x0006;            // enum8
inline constexpr std::uint16_t ManufacturerId = 0x0007;                // u16
inline constexpr std::uint16_t ImageTypeId = 0x0008;                   // u16
inline constexpr std::uint16_t MinimumBlockPeriod = 0x0009;            // u16, ms (rev 1, 3) or s (rev 2)
inline constexpr std::uint16_t ImageStamp = 0x000A;                    // u32
inline constexpr std::uint16_t UpgradeActivationPolicy = 0x000B;       // enum8: 0 server, 1 out-of-band
inline constexpr std::uint16_t UpgradeTimeoutPolicy = 0x000C;          // enum8: 0 apply after timeout, 1 do not
} // namespace otaattr

// Values as the spec defines them; 0xFF.. values mean "not set".
struct OtaClientAttributes {
    std::uint64_t upgradeServerId = 0xFFFFFFFFFFFFFFFF;  // set when a server first answers
    std::uint32_t fileOffset = 0xFFFFFFFF;               // next offset to request while downloading
    std::uint32_t currentFileVersion = 0xFFFFFFFF;
    std::uint16_t currentZigbeeStackVersion = 0xFFFF;
    std::uint32_t downloadedFileVersion = 0xFFFFFFFF;    // image in the download slot
    std::uint16_t downloadedZigbeeStackVersion = 0xFFFF;
    ImageUpgradeStatus imageUpgradeStatus = ImageUpgradeStatus::Normal;
    std::uint16_t manufacturerId = 0;
    std::uint16_t imageTypeId = 0;
    std::uint16_t minimumBlockPeriod = 0;  // wire unit of the configured cluster revision
    std::uint32_t imageStamp = 0;
    std::uint8_t upgradeActivationPolicy = 0;
    std::uint8_t upgradeTimeoutPolicy = 0;

    // The attribute's value widened to u64, or nullopt for an unknown id.
    std::optional<std::uint64_t> value(std::uint16_t attributeId) const
    {
        switch (attributeId) {
        case otaattr::UpgradeServerId: return upgradeServerId;
        case otaattr::FileOffset: return fileOffset;
        case otaattr::CurrentFileVersion: return currentFileVersion;
        case otaattr::CurrentZigbeeStackVersion: return currentZigbeeStackVersion;
        case otaattr::DownloadedFileVersion: return downloadedFileVersion;
        case otaattr::DownloadedZigbeeStackVersion: return downloadedZigbeeStackVersion;
        case otaattr::ImageUpgradeStatus: return std::uint64_t(imageUpgradeStatus);
        case otaattr::ManufacturerId: return manufacturerId;
        case otaattr::ImageTypeId: return imageTypeId;
        case otaattr::MinimumBlockPeriod: return minimumBlockPeriod;
        case otaattr::ImageStamp: return imageStamp;
        case otaattr::UpgradeActivationPolicy: return upgradeActivationPolicy;
        case otaattr::UpgradeTimeoutPolicy: return upgradeTimeoutPolicy;
        default: return std::nullopt;
        }
    }
};

} // namespace otalab::core::zigbee
