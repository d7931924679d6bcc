// SPDX-License-Identifier: Apache-2.0
// FrameBudget: how many APS payload octets fit one 802.15.4 frame, given the modelled overheads.
#pragma once

#include "core/common/error.h"
#include "sim/radio/macframe.h"
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/nwkmodelconfig.h"

#include <cstddef>

namespace otalab::sim {

// Per-frame octets between aMaxPHYPacketSize (127, IEEE 802.15.4-2006 6.4.1) and the
// APS payload (the ZCL frame):
//   MAC header + FCS   11  (sim/radio/macframe.h: FCF 2, DSN 1, PAN 2, dst 2, src 2, FCS 2)
//   NWK header          8  (NwkHeader)
//   NWK security        nwkSecurityOverheadBytes: 0 unsecured (what this model puts on
//                       the air by default); 18 for Zigbee PRO network-key security:
//                       auxiliary header 14 (security control 1, frame counter 4,
//                       source IEEE 8, key sequence 1; Zigbee R22 4.5.1) + MIC-32 4
//                       (security level 5, 4.3.1.1)
//   APS header          8  (ApsHeader)
//   APS security        apsSecurityOverheadBytes: 0 unless link-key APS security is
//                       modelled (aux header 5..13 + MIC 4)
// With the defaults 127 − 27 = 100 payload octets fit; with 18 NWK security octets 82
// (the figure Silicon Labs' emberMaximumApsPayloadLength reports for NWK security only).
//
// The security octets are modelled as airtime only: the bytes of a frame (what
// receivers, the pcap and the trace get) are a real unsecured frame — NWK security
// flag clear, nothing after the APS payload — while its airtime and the 127-octet
// limit are those of the secured frame (ZigbeeNode sends every NWK data frame with
// Mac::send airOnlyOctets = securityBytes()). Every node of a network uses the same
// budget.
//
// With NwkSecuritySettings::Mode::Real (forSecurity) the security octets are carried:
// securityCarried = true, airOnlyBytes() = 0, the frame's bytes hold the auxiliary
// header(s) and MIC(s) (sim/zigbee/nwksecurity.h). NWK 18 octets as above; APS link-key
// security (apsEncryption, OTA cluster unicasts only) 17 = APS aux header 13 (security
// control 1, frame counter 4, source IEEE 8 — extended nonce; no key sequence for the
// data key, Zigbee R22 4.5.1) + MIC-32 4. 127 − 45 − 17 = 65 payload octets remain,
// so an OTA Image Block Response (17 octets + data, maxOtaBlockDataBytes) carries at
// most 48 data octets: the default 64-octet block does not fit.
struct FrameBudget {
    static constexpr std::size_t kMacOverheadBytes = MacFrame::kOverheadBytes; // 11
    static constexpr std::size_t kNwkHeaderBytes = NwkHeader::kBytes;           // 8
    static constexpr std::size_t kApsHeaderBytes = ApsHeader::kBytes;           // 8
    // Zigbee PRO NWK security (aux header 14 + MIC 4).
    static constexpr std::size_t kRealisticNwkSecurityBytes = 18;
    // APS link-key security with extended nonce (aux header 13 + MIC 4).
    static constexpr std::size_t kRealisticApsSecurityBytes = 17;
    // ZCL OTA Image Block Response (ZCL 11.13.8) before its data: ZCL header 3 (frame
    // control, sequence, command 0x05) + status 1 + manufacturer 2 + image type 2 +
    // file version 4 + file offset 4 + data size 1.
    static constexpr std::size_t kOtaBlockResponseOverheadBytes = 17;

    std::size_t nwkSecurityOverheadBytes = 0;
    std::size_t apsSecurityOverheadBytes = 0;
    // true (Real security): the security octets are in the bytes, not airtime-only.
    bool securityCarried = false;

    // The budget a network with `security` uses: `base` unchanged unless the mode is Real,
    // then 18 NWK octets, 17 APS octets when apsEncryption, carried.
    static FrameBudget forSecurity(const FrameBudget& base, const NwkSecuritySettings& security);

    // Octets of security overhead (charged as airtime; in the bytes when securityCarried).
    std::size_t securityBytes() const { return nwkSecurityOverheadBytes + apsSecurityOverheadBytes; }
    // Octets a sender charges as airtime without carrying them (Mac::send airOnlyOctets).
    std::size_t airOnlyBytes() const { return securityCarried ? 0 : securityBytes(); }
    // Largest OTA Image Block Response data size that fits (0 if none).
    std::size_t maxOtaBlockDataBytes() const
    {
        const std::size_t room = maxApsPayloadBytes();
        return room > kOtaBlockResponseOverheadBytes ? room - kOtaBlockResponseOverheadBytes : 0;
    }
    // All octets of a frame that are not APS payload (27 unsecured, 45 with NWK security).
    std::size_t overheadBytes() const;
    // Largest APS payload that fits aMaxPHYPacketSize (0 if the overheads alone do not).
    std::size_t maxApsPayloadBytes() const;
    // PSDU length on the air of a frame carrying `apsPayloadBytes`, security octets
    // included (may exceed 127: oversize). Its MPDU bytes are securityBytes() fewer.
    std::size_t psduBytes(std::size_t apsPayloadBytes) const { return overheadBytes() + apsPayloadBytes; }
    // Error (field "aps.payload") naming the sizes when the payload does not fit.
    Result<void> check(std::size_t apsPayloadBytes) const;
};

} // namespace otalab::sim
