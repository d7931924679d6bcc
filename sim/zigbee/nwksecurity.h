// SPDX-License-Identifier: Apache-2.0
// Zigbee NWK / APS security on the air: auxiliary security header codec, CCM* nonce, AES-CCM*
// sealing (OpenSSL) and the FrameSealer that turns carried plaintext frames into on-air frames.
#pragma once

#include "core/common/error.h"
#include "sim/kernel/observerrecords.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/nwkmodelconfig.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace otalab::sim {

// Zigbee R22 4.5.1.1 (Figure 4-14 / Table 4-29): the security control octet.
//   bits 0-2 security level, bits 3-4 key identifier, bit 5 extended nonce.
// Security level 5 = ENC-MIC-32 (Table 4-30), the only level Zigbee PRO uses
// (nwkSecurityLevel default 0x05, Table 3-58). 4.3.1.1 step 7 (NWK) and 4.4.1.1 (APS):
// after securing, the sender overwrites the level subfield with 0 ("000") on the air;
// a receiver substitutes nwkSecurityLevel before checking the MIC. Wireshark does the
// same (packet-zbee-security.c: dissect_zbee_secure reads the level from the frame and,
// when it is 0, uses its "Security Level" preference, default ENC-MIC-32 = 5).
namespace zbsec {
inline constexpr std::uint8_t kLevelEncMic32 = 5;      // Table 4-30
inline constexpr std::uint8_t kLevelMask = 0x07;
inline constexpr std::uint8_t kKeyIdShift = 3;
inline constexpr std::uint8_t kKeyIdMask = 0x18;
inline constexpr std::uint8_t kExtendedNonce = 0x20;   // bit 5
// Table 4-28 key identifier: 0 data key (link key), 1 network key, 2 key-transport, 3 key-load.
inline constexpr std::uint8_t kKeyIdData = 0;
inline constexpr std::uint8_t kKeyIdNetwork = 1;
inline constexpr std::size_t kMicBytes = 4;           // ENC-MIC-32
inline constexpr std::size_t kNonceBytes = 13;        // 4.5.2.2: source 8 | counter 4 | control 1
// NWK frame control bit 9 (3.3.1.1.5) and APS frame control bit 5 (2.2.5.1.1.4).
inline constexpr std::uint16_t kNwkFcfSecurity = 0x0200;
inline constexpr std::uint8_t kApsFcfSecurity = 0x20;
// The OTA Upgrade cluster (ZCL 11.2): the frames apsEncryption secures with the link key.
inline constexpr std::uint16_t kOtaClusterId = 0x0019;
// Deterministic EUI-64 of a simulated node: the same the OTA clients report
// (ZigbeeFleet: OtaClientConfig::ieeeAddress = 0x00124B0000000000 | node; 00:12:4B is
// Texas Instruments' OUI, as on CC2530/CC2652 modules).
inline constexpr std::uint64_t kEuiBase = 0x00124B0000000000ull;
inline constexpr std::uint64_t euiOf(std::uint32_t node) { return kEuiBase | node; }
} // namespace zbsec

// The auxiliary security header as Zigbee PRO sends it (4.5.1): security control (1) |
// frame counter (4, LE) | source address (8, LE, present with extended nonce) | key
// sequence number (1, present when the key identifier is the network key).
struct ZigbeeAuxHeader {
    static constexpr std::size_t kNwkBytes = 14; // level 0, key id 1, extended nonce
    static constexpr std::size_t kApsBytes = 13; // level 0, key id 0 (data key), extended nonce

    std::uint8_t level = 0;       // as carried on the air (0)
    std::uint8_t keyId = zbsec::kKeyIdNetwork;
    bool extendedNonce = true;
    std::uint32_t frameCounter = 0;
    std::uint64_t source = 0;     // EUI-64
    std::uint8_t keySequence = 0; // network key only

    std::size_t size() const { return 5 + (extendedNonce ? 8 : 0) + (keyId == zbsec::kKeyIdNetwork ? 1 : 0); }
    std::uint8_t control() const;
    // Writes size() octets; 0 if `out` is too short.
    std::size_t encode(std::span<std::uint8_t> out) const;
    // Errors (field "<field>.auxHeader"): truncated, or no extended nonce (this model always
    // sends the source address; a receiver would need its address map otherwise).
    static Result<ZigbeeAuxHeader> decode(std::span<const std::uint8_t> bytes, const char* field);
};

// CCM* nonce (Zigbee R22 4.5.2.2, Figure 4-19): source EUI-64 | frame counter | security
// control, with the level subfield set to `level` (the real one, 5, not the on-air 0).
// Integers little-endian, as in the frame (Wireshark's zbee_sec_make_nonce does the same).
std::array<std::uint8_t, zbsec::kNonceBytes> zigbeeCcmNonce(std::uint64_t source, std::uint32_t frameCounter,
                                                            std::uint8_t control, std::uint8_t level);

// AES-128-CCM* with an authentication tag (Zigbee R22 Annex A; for security levels with
// encryption and a MIC it is CCM of NIST SP 800-38C / RFC 3610 with L = 2, 13-octet nonce).
// Encrypts `text` in place and writes the encrypted tag (tag.size() = M: 4, 6, 8, ..., 16)
// authenticating `aad` and the plaintext. OpenSSL EVP aes-128-ccm. False on an OpenSSL failure.
bool ccmStarSeal(std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t, zbsec::kNonceBytes> nonce,
                 std::span<const std::uint8_t> aad, std::span<std::uint8_t> text, std::span<std::uint8_t> tag);
// The inverse: decrypts `text` in place; true when the tag matches.
bool ccmStarOpen(std::span<const std::uint8_t, 16> key, std::span<const std::uint8_t, zbsec::kNonceBytes> nonce,
                 std::span<const std::uint8_t> aad, std::span<std::uint8_t> text, std::span<const std::uint8_t> tag);

// Where the NWK auxiliary header starts in a NWK frame (the MAC payload): after the
// 8-octet header and, when frame control bit 10 is set, the source route subframe
// (relay count | relay index | 2 × count relays, 3.3.1.9) — the aux header follows the
// complete NWK header (Zigbee R22 4.3.1.1 / Figure 4-5 secured NWK frame; Wireshark packet-zbee-nwk.c parses the
// source route before it calls dissect_zbee_secure). 0 when the frame is too short.
std::size_t nwkAuxOffset(std::span<const std::uint8_t> nwkFrame);

// NWK command frames with Real security (Zigbee R22 3.4 / 4.3.1.1: the NWK layer secures
// every outgoing frame, commands included, with the active network key when
// nwkSecurityLevel is non-zero). The exception is a rejoin request of a device that has
// no network key (the unsecured "trust centre" rejoin, R22 3.6.1.4.2 / 4.6.3.1: the
// NLME-JOIN.request SecurityEnable parameter is TRUE only if the joiner has the network
// key; EmberZNet EmberJoinMethod EMBER_USE_NWK_REJOIN sends it "withOUT NWK security",
// EMBER_USE_NWK_REJOIN_HAVE_NWK_KEY secured) and the rejoin response to it. This model
// only runs secure rejoins (the device keeps the key and its address), so every command
// it sends is secured; `haveNetworkKey` false is the unsecured rejoin's case.
bool nwkCommandSecured(std::uint8_t commandId, bool haveNetworkKey);

// A NWK command frame (NWK header [| source route] | command) turned into the carried
// secured layout: security bit set, NWK aux header (14, level 0, key id network key,
// extended nonce, `counter`, `source`, `keySequence`) after the header, a 4-octet MIC
// placeholder (sealed in captures by sealZigbeeMpdu). False (frame unchanged) when it is
// not an unsecured command frame or the result would not fit the MAC payload.
bool secureNwkCommand(NwkFrameBuffer& frame, std::uint64_t source, std::uint32_t frameCounter,
                      std::uint8_t keySequence);
// The inverse, for a receiver: a NWK-secured command frame in the carried layout copied
// into `plain` without the aux header and MIC and with the security bit clear (what the
// command handlers parse); returns the aux header (frame counter check). nullopt for
// anything else (data frames, unsecured or malformed commands).
std::optional<ZigbeeAuxHeader> openNwkCommand(std::span<const std::uint8_t> carried, NwkFrameBuffer& plain);

// The carried layout of a Real-security NWK data frame, inside the MAC payload:
//   NWK header (security bit set) | NWK aux header (14) | APS frame | MIC (4, zero)
// where the APS frame is APS header | payload, or with APS security (APS FCF bit 5)
//   APS header | APS aux header (13) | payload | APS MIC (4, zero).
// A source-routed frame carries the source route subframe between the NWK header and the
// aux header; a NWK command frame carries the command where the APS frame would be
// (no APS layer). The authentication data is the whole NWK header as transmitted on that
// hop — frame control through the source route subframe, with the relay index the
// transmitting relay wrote — followed by the aux header: NWK security is hop by hop
// (R22 4.3.1.1: each relay re-secures with its own frame counter and EUI-64), and
// Wireshark's dissect_zbee_secure (packet-zbee-security.c) authenticates the received
// bytes from the NWK frame control to the end of the aux header as they are.
// ZigbeeFrameSealer::seal produces the on-air frame: APS part sealed with the link key
// (if APS-secured), then the whole NWK payload sealed with the network key — the
// auxiliary headers' level stays 0, the nonce and authentication data use level 5 —
// and the MAC FCS recomputed.
class ZigbeeFrameSealer final : public FrameSealer {
public:
    explicit ZigbeeFrameSealer(const NwkSecuritySettings& settings);
    bool seal(std::span<const std::uint8_t> carried, std::span<std::uint8_t> out) const override;

private:
    std::array<std::uint8_t, 16> m_networkKey;
    std::array<std::uint8_t, 16> m_linkKey;
};

// Seals an MPDU carried in plaintext (the layout above) into `out` with the given keys:
// false when it is not a NWK-secured Zigbee frame (ACKs, MAC commands, unsecured frames)
// or is malformed.
bool sealZigbeeMpdu(std::span<const std::uint8_t> carried, std::span<std::uint8_t> out,
                    std::span<const std::uint8_t, 16> networkKey, std::span<const std::uint8_t, 16> linkKey);

} // namespace otalab::sim
