// SPDX-License-Identifier: Apache-2.0
// ApsHeader: the Zigbee APS data frame header (Zigbee R22 2.2.5) — encode and bounds-checked decode.
#pragma once

#include "core/common/error.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace otalab::sim {

// Zigbee R22 2.2.5.1.1.2 / Table 2-21: APS delivery modes this model produces.
enum class ApsDeliveryMode : std::uint8_t {
    Unicast = 0,
    Broadcast = 2,
};

// Zigbee R22 2.2.5.1.1.1 / Table 2-20: APS frame types this model produces.
enum class ApsFrameType : std::uint8_t {
    Data = 0,
    Ack = 2, // APS acknowledgement (2.2.5.2.2)
};

// Home Automation / Zigbee 3.0 application profile: what ZCL clusters travel under,
// and what Wireshark's packet-zbee-aps.c hands to the ZCL dissector.
inline constexpr std::uint16_t kProfileHomeAutomation = 0x0104;
// Zigbee R22 2.2.4.1.1: endpoint 0xFF addresses every endpoint (broadcast endpoint).
inline constexpr std::uint8_t kApsBroadcastEndpoint = 0xFF;

// The 8-octet APS data frame header, little-endian on the wire:
//   frame control (1) | dst endpoint (1) | cluster id (2) | profile id (2) |
//   src endpoint (1) | APS counter (1)
// Frame control (2.2.5.1.1): bits 0-1 frame type (0 = data), 2-3 delivery mode,
// 4 ACK format, 5 security, 6 ACK request, 7 extended header. Group delivery (mode 3,
// a group address instead of the destination endpoint), APS security and the
// extended header (fragmentation) are not modelled: encode never sets them, decode
// refuses them.
//
// An APS acknowledgement of a data frame (frame type 2, ACK format 0; Zigbee R22
// 2.2.5.2.2, Figure 2-9) has the same 8 octets and no payload: frame control |
// dst endpoint (= the acknowledged frame's source endpoint) | cluster | profile |
// src endpoint (= its destination endpoint) | APS counter (= its counter). ACK format 1
// (acknowledging an APS command: no endpoints, cluster, profile) is refused.
struct ApsHeader {
    static constexpr std::size_t kBytes = 8;

    ApsFrameType frameType = ApsFrameType::Data;
    ApsDeliveryMode deliveryMode = ApsDeliveryMode::Unicast;
    bool ackRequest = false;
    std::uint8_t dstEndpoint = 1;
    std::uint16_t clusterId = 0;
    std::uint16_t profileId = kProfileHomeAutomation;
    std::uint8_t srcEndpoint = 1;
    std::uint8_t counter = 0; // per-sender APS counter (duplicate rejection, 2.2.8.4.2)

    // Writes the 8 header octets; returns kBytes, or 0 if `out` is too short.
    std::size_t encode(std::span<std::uint8_t> out) const;

    // Parses the header at the start of `frame` (the NWK payload). Errors (field
    // "aps.*", offset within `frame`): fewer than 8 octets, a command frame or an
    // ACK in format 1,
    // group delivery, the security or extended-header flag.
    static Result<ApsHeader> decode(std::span<const std::uint8_t> frame);

    // The APS ACK (format 0) answering the unicast data frame `data`.
    static ApsHeader ackFor(const ApsHeader& data);
};

} // namespace otalab::sim
