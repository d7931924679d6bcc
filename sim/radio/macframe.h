// SPDX-License-Identifier: Apache-2.0
// MacFrame: encoding and parsing of the IEEE 802.15.4 MPDUs the simulated MAC uses.
#pragma once

#include "sim/radio/phytiming.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace otalab::sim {

// 7.2.1.1.1 / Table 79: frame types.
enum class MacFrameType : std::uint8_t {
    Beacon = 0,
    Data = 1,
    Ack = 2,
    Command = 3,
};

// 7.3 / Table 82: MAC command frame identifiers the device models use (first payload
// octet of a MacFrameType::Command frame).
inline constexpr std::uint8_t kMacCommandDataRequest = 0x04;

// The fields of the MAC header (MHR) this model uses.
struct MacHeader {
    MacFrameType type = MacFrameType::Data;
    bool framePending = false;
    bool ackRequest = false;
    std::uint8_t sequence = 0;
    std::uint16_t panId = 0xFFFF; // destination PAN (= source PAN, PAN ID compression)
    std::uint16_t dst = 0xFFFF;   // short destination address, 0xFFFF broadcast
    std::uint16_t src = 0xFFFF;   // short source address
};

using MpduBuffer = std::array<std::uint8_t, PhyTiming::kMaxPhyPacketSize>;

// Data and command frames are written as 2003-version frames with 16-bit short
// addresses and PAN ID compression (7.2.1, the form Zigbee uses for NWK traffic):
//   FCF (2, LE) | DSN (1) | dst PAN (2, LE) | dst (2, LE) | src (2, LE) | payload | FCS
// FCS is the 16-bit ITU-T CRC of 7.2.1.9 (CRC-16/KERMIT: poly 0x1021 reflected,
// init 0), little-endian — what Wireshark's link type 195 expects.
// ACK: FCF (0x0002, | 0x0010 frame pending) | DSN | FCS = 5 octets.
struct MacFrame {
    static constexpr std::size_t kHeaderBytes = 9;
    static constexpr std::size_t kFcsBytes = 2;
    static constexpr std::size_t kOverheadBytes = kHeaderBytes + kFcsBytes; // 11
    // Largest payload that fits aMaxPHYPacketSize: 127 − 11 = 116 octets.
    static constexpr std::size_t kMaxPayloadBytes = PhyTiming::kMaxPhyPacketSize - kOverheadBytes;

    // Writes header + payload + FCS into `out`; returns the MPDU length, or 0 if it
    // would exceed aMaxPHYPacketSize (`payload` longer than kMaxPayloadBytes).
    static std::size_t encode(const MacHeader& header, std::span<const std::uint8_t> payload, MpduBuffer& out);
    static std::size_t encodeAck(std::uint8_t sequence, bool framePending, MpduBuffer& out);

    enum class FcsCheck : std::uint8_t { Verify, Skip };

    // Parses an MPDU written by encode()/encodeAck(): nullopt for other address
    // modes, truncated frames or (with FcsCheck::Verify) a bad FCS. `payload` receives
    // the MAC payload. FcsCheck::Skip is for the simulated channel, which delivers the
    // transmitted bytes intact (bit errors are modelled as loss, never as corruption).
    static std::optional<MacHeader> parse(std::span<const std::uint8_t> mpdu,
                                          std::span<const std::uint8_t>* payload = nullptr,
                                          FcsCheck check = FcsCheck::Verify);

    static std::uint16_t fcs(std::span<const std::uint8_t> bytes);
};

} // namespace otalab::sim
