// SPDX-License-Identifier: Apache-2.0
// NwkModelConfig: which parts of a real Zigbee PRO stack the network model runs (APS ACKs and
// retries, NWK/APS security on the air, mesh routing, rejoin, address filtering, idle polls).
// Scenario key "network" of a Zigbee fleet (sim/scenario/networkreader.cpp); copied into
// NwkConfig::model, shared by every node of a network.
#pragma once


#include <array>
#include <cstddef>
#include <cstdint>

namespace otalab::sim {

// APS acknowledgements, retries and duplicate rejection (Zigbee R22 2.2.8.4.2 / 2.2.8.4.4;
// values: Silicon Labs EmberZNet defaults, cited where they are set).
// "network": {"aps": {...}}
struct ApsReliabilityConfig {
    // "ack": unicast APS data frames ask for an APS ACK (EmberZNet's ZCL default
    // EMBER_AF_DEFAULT_APS_OPTIONS includes EMBER_APS_OPTION_RETRY). false = no APS ACKs
    // (delivery = first hop's MAC ACK, the pre-issue-15 model).
    bool ack = false;
    // "maxRetries": retransmissions after the first attempt (apscMaxFrameRetries).
    std::uint8_t maxRetries = 3;
    // "ackWaitMs": wait for the APS ACK to a frame for a rx-on-when-idle destination
    // (ms; apscAckWaitDuration as EmberZNet computes it). 0 = the stack's formula (1600).
    std::int64_t ackWaitMs = 0;
    // "sleepyAckWaitExtraMs": added when the destination is a sleepy end device (ms;
    // the indirect transmission timeout). 0 = the stack's value (7680).
    std::int64_t sleepyAckWaitExtraMs = 0;
    // "duplicateTableSize": entries of the APS duplicate rejection table (0 = the stack's
    // value, 5: SL_ZIGBEE_APS_DUPLICATE_REJECTION_MAX_ENTRIES).
    std::size_t duplicateTableSize = 0;
    // "duplicateTimeoutMs": how long an entry rejects a repeated (source, APS counter) (ms;
    // 0 = the stack's value, 10 000). All "0 = the stack's value" fields are resolved in
    // ApsReliability::resolve (sim/zigbee/apsreliability.h), where the sources are cited.
    std::int64_t duplicateTimeoutMs = 0;
};

// NWK security on the air (Zigbee R22 4.3.1, 4.5.1) and optional APS link-key security.
// "network": {"security": {...}}
struct NwkSecuritySettings {
    enum class Mode : std::uint8_t {
        None,     // "none": unsecured frames, no overhead
        Modelled, // "modelled": unsecured bytes, 18 octets charged as airtime (before issue 15)
        Real,     // "real": auxiliary header, frame counter, AES-CCM* encryption and MIC-32
    };
    Mode mode = Mode::Modelled;                 // "mode"
    // "networkKey": 32 hex digits, the key Wireshark needs; default 01030507090B0D0F00020406080A0C0D
    // (the well-known default network key of zigbee2mqtt / Z-Stack sample apps: a lab value).
    std::array<std::uint8_t, 16> networkKey{0x01, 0x03, 0x05, 0x07, 0x09, 0x0B, 0x0D, 0x0F,
                                            0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0D};
    std::uint8_t keySequence = 0;               // "keySequence": active network key sequence number
    bool apsEncryption = false;                 // "apsEncryption": OTA cluster frames also APS-encrypted with the link key
    // "linkKey": 32 hex digits, the trust-center link key; default "ZigBeeAlliance09" in ASCII
    // (Zigbee 3.0's global default TC link key).
    std::array<std::uint8_t, 16> linkKey{0x5A, 0x69, 0x67, 0x42, 0x65, 0x65, 0x41, 0x6C,
                                         0x6C, 0x69, 0x61, 0x6E, 0x63, 0x65, 0x30, 0x39};
};

// Routing (Zigbee R22 3.6.3): tree only, or mesh with route discovery and many-to-one.
// "network": {"routing": {...}}
struct MeshRoutingSettings {
    enum class Mode : std::uint8_t {
        Tree, // "tree": parent/child links only (TreeRouting), no discovery
        Mesh, // "mesh": AODV-style route discovery between routers, routing tables
    };
    Mode mode = Mode::Tree;                     // "mode"
    bool manyToOne = false;                     // "manyToOne": the coordinator is a concentrator (MTORR + route records + source routes)
    std::int64_t concentratorIntervalS = 60;    // "concentratorIntervalS": MTORR period (s)
    std::int64_t routeDiscoveryTimeoutMs = 0;   // "routeDiscoveryTimeoutMs": 0 = the stack's default
};

// A parent that stops answering: its sleepy children re-join another parent in range.
// "network": {"rejoin": {...}}
struct RejoinSettings {
    bool enabled = false;                       // "enabled"
    std::uint8_t pollFailuresBeforeRejoin = 0;  // "pollFailures": consecutive failed polls (0 = the stack's default)
    // "attemptsMax": sequential moves (one pass over the candidate parents each) before the
    // device gives up, orphaned; 0 = the stack's default (EMBER_AF_REJOIN_ATTEMPTS_MAX, 3),
    // 255 = never give up. (rejoin helper)
    std::uint8_t attemptsMax = 0;
    // "retryDelayMs": wait before the next move after one failed (ms); 0 = the stack's
    // default (EmberZNet end-device-move.c MOVE_DELAY_QS = 10 s). (rejoin helper)
    std::int64_t retryDelayMs = 0;
};

struct NwkModelConfig {
    ApsReliabilityConfig aps;                   // "aps"
    NwkSecuritySettings security;               // "security"
    MeshRoutingSettings routing;                // "routing"
    RejoinSettings rejoin;                      // "rejoin"
    // "addressFiltering": a listening radio stops receiving a frame once its MAC header
    // shows it is addressed to another node (real transceivers' frame filtering).
    bool addressFiltering = false;
    enum class IdlePolls : std::uint8_t {
        OnAir,      // "onAir": every Data Request is a frame on the channel
        ClosedForm, // "closedForm": polls that find nothing pending are counted and charged, not simulated
    };
    IdlePolls idlePolls = IdlePolls::OnAir;     // "idlePolls"
};

} // namespace otalab::sim
