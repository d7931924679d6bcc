// SPDX-License-Identifier: Apache-2.0
// LoRaWAN Application Layer Clock Synchronization v1.0.0 (TS003), FPort 202.
// Every integer is little-endian on the wire. Times are GPS epoch seconds modulo 2^32
// (LoRaWAN's DeviceTime). RFU bits are written as 0 and ignored on decode.
//   down 0x00 PackageVersionReq            (no payload)
//   up   0x00 PackageVersionAns            PackageIdentifier u8 (1) | PackageVersion u8 (1)
//   up   0x01 AppTimeReq                   DeviceTime u32 | Param u8 (bit 4 AnsRequired, 3..0 TokenReq)
//   down 0x01 AppTimeAns                   TimeCorrection i32 | Param u8 (3..0 TokenAns)
//   down 0x02 DeviceAppTimePeriodicityReq  Periodicity u8 (3..0 Period: AppTimeReq every 128·2^Period s ±30 s)
//   up   0x02 DeviceAppTimePeriodicityAns  Status u8 (bit 0 NotSupported) | Time u32 (device's clock)
//   down 0x03 ForceDeviceResyncReq         ForceConf u8 (2..0 NbTransmissions)
#pragma once

#include "core/common/error.h"
#include "core/lorawan/phypayload.h"

#include <QByteArray>
#include <cstdint>
#include <variant>
#include <vector>

namespace otalab::core::lorawan::clocksync {

constexpr std::uint8_t kPort = 202;
constexpr std::uint8_t kPackageIdentifier = 1;
constexpr std::uint8_t kPackageVersion = 1;

struct PackageVersionReq {
    bool operator==(const PackageVersionReq&) const = default;
};
struct PackageVersionAns {
    std::uint8_t packageIdentifier = kPackageIdentifier;
    std::uint8_t packageVersion = kPackageVersion;
    bool operator==(const PackageVersionAns&) const = default;
};
struct AppTimeReq {
    std::uint32_t deviceTime = 0;  // GPS seconds mod 2^32, the device's clock when it sent the frame
    std::uint8_t tokenReq = 0;     // 4 bits, incremented by the device after each correction
    bool ansRequired = false;      // the server must answer even if no correction is needed
    bool operator==(const AppTimeReq&) const = default;
};
struct AppTimeAns {
    std::int32_t timeCorrection = 0;  // seconds to add to the device's clock
    std::uint8_t tokenAns = 0;        // 4 bits, the TokenReq being answered
    bool operator==(const AppTimeAns&) const = default;
};
struct DeviceAppTimePeriodicityReq {
    std::uint8_t period = 0;  // 4 bits: AppTimeReq every 128·2^period seconds
    bool operator==(const DeviceAppTimePeriodicityReq&) const = default;
};
struct DeviceAppTimePeriodicityAns {
    bool notSupported = false;
    std::uint32_t time = 0;  // the device's clock (GPS seconds mod 2^32) when it answered
    bool operator==(const DeviceAppTimePeriodicityAns&) const = default;
};
struct ForceDeviceResyncReq {
    std::uint8_t nbTransmissions = 0;  // 3 bits: AppTimeReq frames to send now (0: none)
    bool operator==(const ForceDeviceResyncReq&) const = default;
};

using Command = std::variant<PackageVersionReq, PackageVersionAns, AppTimeReq, AppTimeAns, DeviceAppTimePeriodicityReq,
                             DeviceAppTimePeriodicityAns, ForceDeviceResyncReq>;

// CID | payload. Errors: a field wider than its bits (TokenReq > 15 ...).
Result<QByteArray> encodeCommand(const Command& command);
Result<QByteArray> encodeCommands(const std::vector<Command>& commands);  // concatenated, in order
Direction directionOf(const Command& command);
QString commandName(const Command& command);  // "AppTimeReq", ...

// Every command in one FRMPayload of the given direction. An error names the command,
// the field and the offset of the first bad byte (an unknown CID is bad at its own offset;
// a truncated command at the end of the payload).
Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload);

// Period in seconds for DeviceAppTimePeriodicityReq.period (128·2^period).
constexpr std::uint64_t periodicitySeconds(std::uint8_t period) { return std::uint64_t(128) << period; }

} // namespace otalab::core::lorawan::clocksync
