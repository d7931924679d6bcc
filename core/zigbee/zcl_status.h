// SPDX-License-Identifier: Apache-2.0
// ZCL status codes used by the OTA Upgrade cluster, and the MinimumBlockPeriod unit rule.
#pragma once

#include <QString>
#include <cstdint>

namespace otalab::core::zigbee {

// ZCL status (u8 on the wire). Any byte decodes: unknown values keep their number.
enum class ZclStatus : std::uint8_t {
    Success = 0x00,
    Failure = 0x01,
    NotAuthorized = 0x7E,
    MalformedCommand = 0x80,
    UnsupClusterCommand = 0x81,  // "UNSUP_COMMAND" in the OTA chapter
    Abort = 0x95,
    InvalidImage = 0x96,
    WaitForData = 0x97,
    NoImageAvailable = 0x98,
    RequireMoreImage = 0x99,
};

// "SUCCESS", "WAIT_FOR_DATA", ... or "0x42" for an unknown value.
QString zclStatusName(ZclStatus status);

// The unit of the MinimumBlockPeriod attribute (0x0009) and of the field of the same name
// in Image Block Request / WAIT_FOR_DATA responses: milliseconds in OTA cluster revisions 1
// and 3, seconds in revision 2 (as Silicon Labs' ota-client notes; shared/PROTOCOLS.md).
// Every machine here is configured with a cluster revision and converts through this
// function; times inside the machines are always milliseconds.
inline std::int64_t minimumBlockPeriodMs(std::uint16_t wireValue, int clusterRevision)
{
    return clusterRevision == 2 ? std::int64_t(wireValue) * 1000 : std::int64_t(wireValue);
}
// Inverse of minimumBlockPeriodMs, saturating at 0xFFFF (rounds seconds up).
inline std::uint16_t minimumBlockPeriodWire(std::int64_t ms, int clusterRevision)
{
    if (ms <= 0)
        return 0;
    const std::int64_t v = clusterRevision == 2 ? (ms + 999) / 1000 : ms;
    return v > 0xFFFF ? std::uint16_t(0xFFFF) : std::uint16_t(v);
}

} // namespace otalab::core::zigbee
