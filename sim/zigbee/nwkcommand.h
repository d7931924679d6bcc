// SPDX-License-Identifier: Apache-2.0
// NwkCommand: Zigbee NWK command frame payloads (Zigbee R22 3.4) — encode and bounds-checked decode.
#pragma once

#include "core/common/error.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

namespace otalab::sim {

// Zigbee R22 3.4 / Table 3-40: NWK command identifiers (the first octet of a NWK
// command frame's payload, after the NWK header). Wireshark: packet-zbee-nwk.h
// ZBEE_NWK_CMD_*.
enum class NwkCommandId : std::uint8_t {
    RouteRequest = 0x01,
    RouteReply = 0x02,
    NetworkStatus = 0x03,
    Leave = 0x04,
    RouteRecord = 0x05,
    RejoinRequest = 0x06,  // 3.4.6
    RejoinResponse = 0x07, // 3.4.7
    LinkStatus = 0x08,
};

// Route request command options, many-to-one sub-field (3.4.1.3.1, bits 3-4,
// Table 3-41; Wireshark ZBEE_NWK_CMD_ROUTE_OPTION_MANY_MASK 0x18).
enum class ManyToOne : std::uint8_t {
    No = 0,            // an ordinary (AODV) route request
    WithRecords = 1,   // concentrator with a route record table (wants route records)
    WithoutRecords = 2 // concentrator without one (no route records)
};

// 3.4.1: route request. Payload: options (1) | request id (1) | destination (2) |
// path cost (1). The destination-IEEE and multicast options are not produced (decode
// refuses them). A many-to-one request's destination is 0xFFFC (3.6.3.5.1).
struct NwkRouteRequest {
    ManyToOne manyToOne = ManyToOne::No;
    std::uint8_t requestId = 0;
    std::uint16_t dst = 0;
    std::uint8_t pathCost = 0; // accumulated link costs so far (0 at the originator)
};

// 3.4.2: route reply. Payload: options (1) | request id (1) | originator (2) |
// responder (2) | path cost (1). No IEEE options (decode refuses them).
struct NwkRouteReply {
    std::uint8_t requestId = 0;
    std::uint16_t originator = 0; // who sent the route request
    std::uint16_t responder = 0;  // the destination of the route request
    std::uint8_t pathCost = 0;    // accumulated from the responder back towards the originator
};

// 3.4.3.3.1 / Table 3-42: network status codes this model sends.
enum class NwkStatusCode : std::uint8_t {
    NoRouteAvailable = 0x00,
    TreeLinkFailure = 0x01,
    NonTreeLinkFailure = 0x02,
    SourceRouteFailure = 0x0B,
    ManyToOneRouteFailure = 0x0C,
};

// 3.4.3: network status. Payload: status code (1) | destination address (2).
struct NwkNetworkStatus {
    NwkStatusCode status = NwkStatusCode::NoRouteAvailable;
    std::uint16_t dst = 0; // the destination the failure concerns
};

// 3.4.5: route record. Payload: relay count (1) | relay list (2 × count); each relay
// on the way to the concentrator appends its address (3.6.3.5.2).
struct NwkRouteRecord {
    static constexpr std::size_t kMaxRelays = 30; // nwkMaxDepth × 2 (the radius)
    std::uint8_t relayCount = 0;
    std::array<std::uint16_t, kMaxRelays> relays{}; // [0] nearest to the originator
};

// 3.4.6: rejoin request. Payload: capability information (1), the MAC association's
// bits (3.4.6.3.1, IEEE 802.15.4-2006 7.3.1.2): alternate PAN coordinator (0), device type
// (1: router), power source (2: mains), receiver on when idle (3), security (6), allocate
// address (7). Carried as the octet it is.
struct NwkRejoinRequest {
    // A sleepy end device's: device type 0 (end device), power source 0 (battery), receiver
    // on when idle 0, security 0, allocate address 1 (bit 7).
    static constexpr std::uint8_t kSleepyEndDeviceCapability = 0x80;
    std::uint8_t capability = kSleepyEndDeviceCapability;
};

// 3.4.7: rejoin response. Payload: network address (2) | rejoin status (1), the MAC
// association status values (3.4.7.3.2, IEEE 802.15.4-2006 Table 83).
struct NwkRejoinResponse {
    static constexpr std::uint8_t kStatusSuccess = 0x00;    // association successful
    static constexpr std::uint8_t kStatusAtCapacity = 0x01; // PAN at capacity
    std::uint16_t networkAddress = 0xFFFF;
    std::uint8_t status = kStatusSuccess;
};

using NwkCommandPayload = std::variant<NwkRouteRequest, NwkRouteReply, NwkNetworkStatus, NwkRouteRecord,
                                       NwkRejoinRequest, NwkRejoinResponse>;

struct NwkCommand {
    // Octets of the command id + payload of each command.
    static constexpr std::size_t kRouteRequestBytes = 6;
    static constexpr std::size_t kRouteReplyBytes = 8;
    static constexpr std::size_t kNetworkStatusBytes = 4;
    static constexpr std::size_t kRejoinRequestBytes = 2;
    static constexpr std::size_t kRejoinResponseBytes = 4;

    NwkCommandPayload payload;

    NwkCommandId id() const;
    // Writes command id + payload to `out`; returns the octets written, 0 if `out` is too short.
    std::size_t encode(std::span<std::uint8_t> out) const;
    // Parses the NWK payload of a command frame (starts with the command id). Errors
    // (field "nwk.command.*", offset within `bytes`): truncated, an id this model does
    // not carry, an option it does not produce, a relay count above kMaxRelays.
    static Result<NwkCommand> decode(std::span<const std::uint8_t> bytes);
};

} // namespace otalab::sim
