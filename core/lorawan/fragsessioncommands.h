// SPDX-License-Identifier: Apache-2.0
// LoRaWAN Fragmented Data Block Transport (TS004) session commands, FPort 201, for
// v1.0.0 and v2.0.0. DataFragment (CID 0x08) is core/lorawan/datafragment.h's codec; it
// appears here so one parser reads any port-201 payload. Integers little-endian;
// RFU bits written as 0, ignored on decode.
//   down 0x00 PackageVersionReq     up 0x00 PackageVersionAns  PackageIdentifier (3) | PackageVersion (1 or 2)
//   down 0x01 FragSessionStatusReq  FragStatusReqParam u8 (2..1 FragIndex, 0 Participants)
//   up   0x01 FragSessionStatusAns  v1: ReceivedAndIndex u16 (15..14 FragIndex, 13..0 NbFragReceived) |
//                                       MissingFrag u8 | Status u8 (bit 0 NotEnoughMatrixMemory)
//                                   v2: Status u8 (bit 0 MemoryError, 1 MicError, 2 SessionDoesNotExist) |
//                                       ReceivedAndIndex u16 | MissingFrag u8
//                                       (ChirpStack v4 applayer/fragmentation v2, LBM lorawan_fragmentation_package_v2.0.0;
//                                       LBM sends the Status byte alone when the session does not exist — accepted)
//   down 0x02 FragSessionSetupReq   FragSession u8 (5..4 FragIndex, 3..0 McGroupBitMask) | NbFrag u16 |
//                                   FragSize u8 | Control u8 (6 AckReception [v2], 5..3 FragAlgo,
//                                   2..0 BlockAckDelay) | Padding u8 | Descriptor u32
//                                   v2 adds: SessionCnt u16 | MIC 4 B (the data block MIC, dataBlockMic())
//   up   0x02 FragSessionSetupAns   7..6 FragIndex | 4 SessionCntReplay [v2] | 3 WrongDescriptor |
//                                   2 FragIndexUnsupported | 1 NotEnoughMemory | 0 EncodingUnsupported
//   down 0x03 FragSessionDeleteReq  Param u8 (1..0 FragIndex)
//   up   0x03 FragSessionDeleteAns  2 SessionDoesNotExist | 1..0 FragIndex
//   up   0x04 FragDataBlockReceivedReq (v2 only; the device asks)  2 MicError | 1..0 FragIndex
//   down 0x04 FragDataBlockReceivedAns (v2 only)                   1..0 FragIndex
//   down 0x08 DataFragment          IndexAndN u16 | payload: always the last command, it takes the rest
#pragma once

#include "core/common/error.h"
#include "core/lorawan/datafragment.h"
#include "core/lorawan/keys.h"
#include "core/lorawan/phypayload.h"

#include <QByteArray>
#include <array>
#include <cstdint>
#include <variant>
#include <vector>

namespace otalab::core::lorawan::fragmentation {

constexpr std::uint8_t kPort = 201;
constexpr std::uint8_t kPackageIdentifier = 3;

// Which TS004 the session speaks: the wire differs (SetupReq 10 vs 16 bytes, the
// StatusAns layout, CID 0x04) and nothing in a frame tells them apart.
enum class Version : std::uint8_t { V1 = 1, V2 = 2 };

struct PackageVersionReq {
    bool operator==(const PackageVersionReq&) const = default;
};
struct PackageVersionAns {
    std::uint8_t packageIdentifier = kPackageIdentifier;
    std::uint8_t packageVersion = 1;  // 1 or 2
    bool operator==(const PackageVersionAns&) const = default;
};
struct FragSessionStatusReq {
    std::uint8_t fragIndex = 0;    // 0..3
    bool allParticipants = false;  // false: only devices still missing fragments answer
    bool operator==(const FragSessionStatusReq&) const = default;
};
struct FragSessionStatusAns {
    std::uint8_t fragIndex = 0;
    std::uint16_t nbFragReceived = 0;  // 14 bits
    std::uint8_t missingFrag = 0;      // saturates at 255
    bool notEnoughMatrixMemory = false;  // v1 bit 0 / v2 MemoryError
    bool micError = false;               // v2 only
    bool sessionDoesNotExist = false;    // v2 only
    bool operator==(const FragSessionStatusAns&) const = default;
};
struct FragSessionSetupReq {
    std::uint8_t fragIndex = 0;       // 0..3
    std::uint8_t mcGroupBitMask = 0;  // 4 bits: the multicast groups that carry the fragments
    std::uint16_t nbFrag = 0;         // uncoded fragments M
    std::uint8_t fragSize = 0;        // bytes per fragment
    std::uint8_t fragAlgo = 0;        // 3 bits: 0 = the LDPC-like parity code of the spec annex
    std::uint8_t blockAckDelay = 0;   // 3 bits: answer after a random delay of 2^(delay+4) s
    bool ackReception = false;        // v2: the device sends FragDataBlockReceivedReq when done
    std::uint8_t padding = 0;         // bytes of padding at the end of the last fragment
    std::uint32_t descriptor = 0;     // application-defined, u32 LE on the wire
    std::uint16_t sessionCnt = 0;     // v2
    std::array<std::uint8_t, 4> mic{};  // v2: dataBlockMic() of the whole data block
    bool operator==(const FragSessionSetupReq&) const = default;
};
struct FragSessionSetupAns {
    std::uint8_t fragIndex = 0;
    bool encodingUnsupported = false;   // FragAlgo not supported
    bool notEnoughMemory = false;
    bool fragIndexUnsupported = false;
    bool wrongDescriptor = false;
    bool sessionCntReplay = false;      // v2
    bool ok() const { return !encodingUnsupported && !notEnoughMemory && !fragIndexUnsupported && !wrongDescriptor && !sessionCntReplay; }
    bool operator==(const FragSessionSetupAns&) const = default;
};
struct FragSessionDeleteReq {
    std::uint8_t fragIndex = 0;
    bool operator==(const FragSessionDeleteReq&) const = default;
};
struct FragSessionDeleteAns {
    std::uint8_t fragIndex = 0;
    bool sessionDoesNotExist = false;
    bool operator==(const FragSessionDeleteAns&) const = default;
};
struct FragDataBlockReceivedReq {  // v2, uplink
    std::uint8_t fragIndex = 0;
    bool micError = false;
    bool operator==(const FragDataBlockReceivedReq&) const = default;
};
struct FragDataBlockReceivedAns {  // v2, downlink
    std::uint8_t fragIndex = 0;
    bool operator==(const FragDataBlockReceivedAns&) const = default;
};
using Command = std::variant<PackageVersionReq, PackageVersionAns, FragSessionStatusReq, FragSessionStatusAns,
                             FragSessionSetupReq, FragSessionSetupAns, FragSessionDeleteReq, FragSessionDeleteAns,
                             FragDataBlockReceivedReq, FragDataBlockReceivedAns, DataFragment>;

// Errors: a field wider than its bits, a v2 field or command (SessionCnt, MIC,
// AckReception, SessionCntReplay, MicError, SessionDoesNotExist, CID 0x04) set under V1,
// a DataFragment encodeDataFragment() refuses, a DataFragment that is not the last command.
Result<QByteArray> encodeCommand(const Command& command, Version version);
Result<QByteArray> encodeCommands(const std::vector<Command>& commands, Version version);
Direction directionOf(const Command& command);
QString commandName(const Command& command);
// A DataFragment must be the last command of a payload (it has no length field).
Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload, Version version);

// v2 data block integrity (TS004 v2.0.0; ChirpStack applayer/fragmentation v2):
// DataBlockIntKey = aes128_encrypt(AppKey (1.1) or GenAppKey (1.0.x), 0x30 | pad16);
// MIC = first 4 bytes of AES-CMAC(DataBlockIntKey, B0 | data block), B0 = 49 |
// SessionCnt u16 | FragIndex u8 | Descriptor u32 | 00×4 | data block length u32.
AesKey dataBlockIntKey(const AesKey& appKey);
std::array<std::uint8_t, 4> dataBlockMic(const AesKey& dataBlockIntKey, std::uint16_t sessionCnt, std::uint8_t fragIndex,
                                         std::uint32_t descriptor, QByteArrayView dataBlock);

} // namespace otalab::core::lorawan::fragmentation
