// SPDX-License-Identifier: Apache-2.0
// LoRaWAN 1.0.x data frames (LoRaWAN 1.0.4 §4): PHYPayload = MHDR | FHDR | [FPort] |
// [FRMPayload] | MIC, with FHDR = DevAddr (u32 LE) | FCtrl | FCnt (low 16 bits, LE) |
// FOpts (0..15 B, plain in 1.0.x). Sans-IO: bytes in, values out.
//
// Crypto (§4.3.3, §4.4): FRMPayload is XORed with AES-128(K, A_i), i = 1..⌈len/16⌉,
// A_i = 01 | 00×4 | Dir | DevAddr (LE) | FCnt (32-bit LE) | 00 | i, K = AppSKey for
// FPort 1..255 and NwkSKey for FPort 0. MIC = first 4 bytes of AES-CMAC(NwkSKey, B0 | msg),
// B0 = 49 | 00×4 | Dir | DevAddr | FCnt (32-bit) | 00 | len(msg), msg = PHYPayload
// without the MIC. Dir is 0 for uplinks, 1 for downlinks. Multicast downlinks are the
// same frames with McAddr as DevAddr and McNwkSKey / McAppSKey as the keys.
//
// Frame counters are 32-bit in the session and 16-bit on the wire: parseDataFrame
// leaves the wire value in DataFrame::fCnt; reconstructFCnt() gives the full counter
// (and rejects replays) before verifyMic() and decryptPayload() use it. openDataFrame()
// does all four steps.
#pragma once

#include "core/common/error.h"
#include "core/lorawan/keys.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <cstdint>
#include <optional>

namespace otalab::core::lorawan {

// MHDR bits 7..5 (LoRaWAN 1.0.x names; 6 is RFU in 1.0.x, RejoinRequest in 1.1).
enum class MType : std::uint8_t {
    JoinRequest = 0,
    JoinAccept = 1,
    UnconfirmedDataUp = 2,
    UnconfirmedDataDown = 3,
    ConfirmedDataUp = 4,
    ConfirmedDataDown = 5,
    Rfu = 6,
    Proprietary = 7,
};
QString mtypeName(MType type);  // "UnconfirmedDataUp", ...

enum class Direction : std::uint8_t { Uplink = 0, Downlink = 1 };  // the Dir byte of A_i / B0
QString directionName(Direction d);  // "uplink" / "downlink"

bool isDataFrame(MType type);                 // the four data MTypes
Direction directionOf(MType type);            // data MTypes only (others: Uplink for Join/Rfu, Downlink for JoinAccept)

// FCtrl without FOptsLen (that is the size of DataFrame::fOpts). Bit meaning depends on
// the direction: uplink 7 ADR, 6 ADRACKReq, 5 ACK, 4 ClassB (1.0.2+; RFU in 1.0.0/1.0.1);
// downlink 7 ADR, 6 RFU, 5 ACK, 4 FPending. Setting an uplink-only bit on a downlink or
// a downlink-only bit on an uplink is an encode error.
struct FCtrl {
    bool adr = false;
    bool adrAckReq = false;  // uplink only
    bool ack = false;
    bool fPending = false;   // downlink only
    bool classB = false;     // uplink only
    bool operator==(const FCtrl&) const = default;
};

struct DataFrame {
    MType mtype = MType::UnconfirmedDataDown;  // one of the four data MTypes
    std::uint8_t major = 0;                    // MHDR bits 1..0; only 0 (LoRaWAN R1) exists
    std::uint32_t devAddr = 0;                 // DevAddr, or McAddr for a multicast downlink
    FCtrl fctrl;
    // Encode: the full 32-bit session counter (the low 16 bits go on the air; all 32
    // enter A_i and B0). After parseDataFrame: the 16 wire bits only; after
    // openDataFrame: the reconstructed 32-bit counter.
    std::uint32_t fCnt = 0;
    QByteArray fOpts;                          // MAC commands, ≤ 15 bytes, not encrypted in 1.0.x
    std::optional<std::uint8_t> fPort;         // absent when there is no FRMPayload
    // Encode: plaintext. After parseDataFrame: as on the air (encrypted). After
    // openDataFrame / decryptPayload: plaintext.
    QByteArray frmPayload;
    std::array<std::uint8_t, 4> mic{};         // as on the air (set by parse; ignored by encode)

    Direction direction() const { return directionOf(mtype); }
    bool confirmed() const { return mtype == MType::ConfirmedDataUp || mtype == MType::ConfirmedDataDown; }
};

// Unicast: NwkSKey / AppSKey of the device session. Multicast: McNwkSKey / McAppSKey.
struct SessionKeys {
    AesKey nwkSKey{};
    AesKey appSKey{};
};

constexpr int kMinDataFrameSize = 12;   // MHDR 1 + FHDR 7 + MIC 4
constexpr int kMaxFOptsSize = 15;
// LoRaWAN 1.0.x MAX_FCNT_GAP: a wire counter further ahead than this is taken as a replay.
constexpr std::uint32_t kMaxFCntGap = 16384;

// Encrypts the FRMPayload with the key FPort selects and appends the MIC. Errors: not a
// data MType, major ≠ 0, FOpts > 15 bytes, FOpts with FPort 0, a payload without FPort,
// a bit of the wrong direction in FCtrl.
Result<QByteArray> encodeDataFrame(const DataFrame& frame, const SessionKeys& keys);

// Structure only (no keys): every malformed case is an error with its offset and field.
Result<DataFrame> parseDataFrame(QByteArrayView phyPayload);

// The full 32-bit counter from the 16 wire bits and the last counter accepted on this
// session (nullopt: nothing received yet, the wire value is taken as is). A counter equal
// to or older than the last one — including a wire value more than kMaxFCntGap ahead,
// which can only be an old frame — is "counter replay: got N, last M"; a counter past
// 2^32 - 1 is an error too (the session must be renewed).
Result<std::uint32_t> reconstructFCnt(std::uint16_t wireFCnt, std::optional<std::uint32_t> lastFCnt,
                                      std::uint32_t maxGap = kMaxFCntGap);

// The 4-byte MIC of msg (a PHYPayload without its MIC) for a 32-bit counter.
std::array<std::uint8_t, 4> computeMic(const AesKey& nwkSKey, Direction dir, std::uint32_t devAddr,
                                       std::uint32_t fCnt32, QByteArrayView msg);
// Checks the MIC of a whole PHYPayload (the bytes `frame` was parsed from) with the full
// counter. Error "MIC mismatch: frame has xxxxxxxx, expected yyyyyyyy".
Result<void> verifyMic(QByteArrayView phyPayload, const DataFrame& frame, const AesKey& nwkSKey, std::uint32_t fCnt32);

// The FRMPayload cipher (encryption and decryption are the same XOR).
QByteArray cryptFrmPayload(const AesKey& key, Direction dir, std::uint32_t devAddr, std::uint32_t fCnt32,
                           QByteArrayView payload);
// Plaintext FRMPayload of a parsed frame: AppSKey for FPort > 0, NwkSKey for FPort 0;
// empty when the frame has no FPort.
QByteArray decryptPayload(const DataFrame& frame, const SessionKeys& keys, std::uint32_t fCnt32);

// parse → reconstructFCnt → verifyMic → decrypt. The result has the 32-bit counter in
// fCnt and the plaintext in frmPayload. Also checks DevAddr when expectedDevAddr is set
// ("frame is for DevAddr X, this session is Y").
Result<DataFrame> openDataFrame(QByteArrayView phyPayload, const SessionKeys& keys,
                                std::optional<std::uint32_t> lastFCnt,
                                std::optional<std::uint32_t> expectedDevAddr = std::nullopt);

} // namespace otalab::core::lorawan
