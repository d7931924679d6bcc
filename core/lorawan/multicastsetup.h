// SPDX-License-Identifier: Apache-2.0
// LoRaWAN Remote Multicast Setup v1.0.0 (TS005), FPort 200, and its key derivation.
// Integers are little-endian; McAddr is a u32 like DevAddr. RFU bits are written as 0
// and ignored on decode.
//   down 0x00 PackageVersionReq    up 0x00 PackageVersionAns   PackageIdentifier (2) | PackageVersion (1)
//   down 0x01 McGroupStatusReq     CmdMask u8 (3..0 ReqGroupMask)
//   up   0x01 McGroupStatusAns     Status u8 (6..4 NbTotalGroups, 3..0 AnsGroupMask) |
//                                  per set mask bit, ascending: McGroupID u8 | McAddr u32
//   down 0x02 McGroupSetupReq      McGroupIDHeader u8 (1..0) | McAddr u32 | McKey_encrypted 16 B |
//                                  minMcFCnt u32 | maxMcFCnt u32
//   up   0x02 McGroupSetupAns      bit 2 IDerror | 1..0 McGroupID
//   down 0x03 McGroupDeleteReq     McGroupIDHeader u8       up 0x03 McGroupDeleteAns bit 2 McGroupUndefined | 1..0 ID
//   down 0x04 McClassCSessionReq   McGroupIDHeader | SessionTime u32 | SessionTimeOut u8 (3..0) |
//                                  DLFrequency u24 (100 Hz units) | DR u8
//   down 0x05 McClassBSessionReq   McGroupIDHeader | SessionTime u32 | TimeOutPeriodicity u8
//                                  (6..4 Periodicity, 3..0 TimeOut) | DLFrequency u24 | DR u8
//   up   0x04/0x05 McClassC/BSessionAns  Status u8 (bit 4 McGroupUndefined, 3 FreqError,
//                                  2 DRError, 1..0 McGroupID) | TimeToStart u24 (only when no error bit)
#pragma once

#include "core/common/error.h"
#include "core/lorawan/keys.h"
#include "core/lorawan/phypayload.h"

#include <QByteArray>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::lorawan::multicastsetup {

constexpr std::uint8_t kPort = 200;
constexpr std::uint8_t kPackageIdentifier = 2;
constexpr std::uint8_t kPackageVersion = 1;

struct PackageVersionReq {
    bool operator==(const PackageVersionReq&) const = default;
};
struct PackageVersionAns {
    std::uint8_t packageIdentifier = kPackageIdentifier;
    std::uint8_t packageVersion = kPackageVersion;
    bool operator==(const PackageVersionAns&) const = default;
};
struct McGroupStatusReq {
    std::uint8_t reqGroupMask = 0;  // 4 bits: bit i asks about group i
    bool operator==(const McGroupStatusReq&) const = default;
};
struct McGroupStatusItem {
    std::uint8_t mcGroupId = 0;  // 0..3
    std::uint32_t mcAddr = 0;
    bool operator==(const McGroupStatusItem&) const = default;
};
struct McGroupStatusAns {
    std::uint8_t nbTotalGroups = 0;  // 3 bits: groups defined on the device
    std::vector<McGroupStatusItem> groups;  // ascending McGroupID; these form AnsGroupMask
    bool operator==(const McGroupStatusAns&) const = default;
};
struct McGroupSetupReq {
    std::uint8_t mcGroupId = 0;  // 0..3
    std::uint32_t mcAddr = 0;
    AesKey mcKeyEncrypted{};     // encryptMcKey(McKEKey, McKey)
    std::uint32_t minMcFCnt = 0; // first multicast FCnt the device accepts
    std::uint32_t maxMcFCnt = 0; // the group expires after this FCnt
    bool operator==(const McGroupSetupReq&) const = default;
};
struct McGroupSetupAns {
    std::uint8_t mcGroupId = 0;
    bool idError = false;  // McGroupID not supported by the device
    bool operator==(const McGroupSetupAns&) const = default;
};
struct McGroupDeleteReq {
    std::uint8_t mcGroupId = 0;
    bool operator==(const McGroupDeleteReq&) const = default;
};
struct McGroupDeleteAns {
    std::uint8_t mcGroupId = 0;
    bool mcGroupUndefined = false;
    bool operator==(const McGroupDeleteAns&) const = default;
};
struct McClassCSessionReq {
    std::uint8_t mcGroupId = 0;
    std::uint32_t sessionTime = 0;     // session start, GPS seconds mod 2^32
    std::uint8_t sessionTimeOut = 0;   // 4 bits: the session lasts at most 2^sessionTimeOut seconds
    std::uint32_t dlFrequencyHz = 0;   // multiple of 100 Hz, < 2^24 · 100 Hz (sent in 100 Hz units)
    std::uint8_t dataRate = 0;         // region DR index
    bool operator==(const McClassCSessionReq&) const = default;
};
struct McClassBSessionReq {
    std::uint8_t mcGroupId = 0;
    std::uint32_t sessionTime = 0;     // GPS seconds mod 2^32 (a beacon period start, multiple of 128 s)
    std::uint8_t timeOut = 0;          // 4 bits: 2^timeOut beacon periods
    std::uint8_t periodicity = 0;      // 3 bits: a ping slot every 2^periodicity seconds
    std::uint32_t dlFrequencyHz = 0;
    std::uint8_t dataRate = 0;
    bool operator==(const McClassBSessionReq&) const = default;
};
// McClassCSessionAns and McClassBSessionAns share this layout.
struct McSessionAnsFields {
    std::uint8_t mcGroupId = 0;
    bool drError = false;
    bool freqError = false;
    bool mcGroupUndefined = false;
    std::optional<std::uint32_t> timeToStart;  // seconds (24 bits); present exactly when no error bit is set
    bool hasError() const { return drError || freqError || mcGroupUndefined; }
    bool operator==(const McSessionAnsFields&) const = default;
};
struct McClassCSessionAns : McSessionAnsFields {
    bool operator==(const McClassCSessionAns&) const = default;
};
struct McClassBSessionAns : McSessionAnsFields {
    bool operator==(const McClassBSessionAns&) const = default;
};

using Command = std::variant<PackageVersionReq, PackageVersionAns, McGroupStatusReq, McGroupStatusAns, McGroupSetupReq,
                             McGroupSetupAns, McGroupDeleteReq, McGroupDeleteAns, McClassCSessionReq, McClassCSessionAns,
                             McClassBSessionReq, McClassBSessionAns>;

Result<QByteArray> encodeCommand(const Command& command);
Result<QByteArray> encodeCommands(const std::vector<Command>& commands);
Direction directionOf(const Command& command);
QString commandName(const Command& command);
Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload);

// Multicast frame counters: a group accepts FCnt in [minMcFCnt, maxMcFCnt] and expires
// after maxMcFCnt. The full counter of a multicast downlink from its 16 wire bits, the
// last counter accepted on the group (nullopt before the first frame: the window start
// anchors the reconstruction) and the group's window. Errors: a replay (see
// reconstructFCnt), "multicast FCnt N is before the group's window [min, max]",
// "multicast FCnt N is past the group's window [min, max]: the group has expired".
Result<std::uint32_t> reconstructMcFCnt(std::uint16_t wireFCnt, std::optional<std::uint32_t> lastFCnt, const McGroupSetupReq& group);

// --- Keys (TS005 v1.0.0 §3.3 / "McKey" derivation) ---
// LoRaWAN 1.0.x: McRootKey = aes128_encrypt(GenAppKey, 0x00 | pad16).
AesKey mcRootKeyFromGenAppKey(const AesKey& genAppKey);
// LoRaWAN 1.1: McRootKey = aes128_encrypt(AppKey, 0x20 | pad16).
AesKey mcRootKeyFromAppKey11(const AesKey& appKey);
// McKEKey = aes128_encrypt(McRootKey, 0x00 | pad16).
AesKey mcKEKey(const AesKey& mcRootKey);
// The device recovers McKey = aes128_encrypt(McKEKey, McKey_encrypted), so the server
// sends McKey_encrypted = aes128_decrypt(McKEKey, McKey) (only the AES encrypt direction
// is needed on the device).
AesKey encryptMcKey(const AesKey& mcKEKey, const AesKey& mcKey);          // server side
AesKey decryptMcKey(const AesKey& mcKEKey, const AesKey& mcKeyEncrypted); // device side
// McAppSKey = aes128_encrypt(McKey, 0x01 | McAddr (LE) | pad16),
// McNwkSKey = aes128_encrypt(McKey, 0x02 | McAddr (LE) | pad16).
AesKey mcAppSKey(const AesKey& mcKey, std::uint32_t mcAddr);
AesKey mcNwkSKey(const AesKey& mcKey, std::uint32_t mcAddr);
// The session keys of a multicast group, for encodeDataFrame / openDataFrame.
SessionKeys multicastSessionKeys(const AesKey& mcKey, std::uint32_t mcAddr);

} // namespace otalab::core::lorawan::multicastsetup
