// SPDX-License-Identifier: Apache-2.0
// SmpFleetConfig: a fleet of simulated MCUboot boards that one host pushes an image to
// (seed 002 "distributed push"). Scenario key: a fleet with "family": "smp".
#pragma once

#include "sim/smp/smpblelink.h"
#include "sim/smp/smpdevice.h"
#include "sim/smp/smpudplink.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// How the host reaches the boards.
struct SmpFleetBleConfig {
    int gatewayConnections = 6;                     // "connections": simultaneous BLE links of the gateway (1..20)
    SimTime connectTime = SimTime::fromMillis(1'500); // "connectMs": scan + connect + MTU/DLE exchange + discovery
    SmpBleLinkConfig link;                          // "intervalMs", "mtu", "dle", "pdus", "phy", "byteErrorRate"
};

struct SmpFleetUdpConfig {
    int concurrency = 16;                           // "concurrency": boards pushed at once
    SmpUdpLinkConfig link;                          // "latencyMs", "rateKbps", "mtu", "byteErrorRate"
    double datagramLoss = 0;                        // "loss": probability a datagram is lost (IPv6 mesh)
};

// The image the host pushes: generated (MCUboot header, TLVs, hash) or a file.
struct SmpFleetImageConfig {
    std::optional<QString> path;                    // "path": a signed MCUboot image; else generated
    std::uint32_t sizeBytes = 256 * 1024;           // "sizeBytes": generated payload size
    QString version = QStringLiteral("1.1.0");      // "version": generated image version
};

// What the boards run and how some of them misbehave.
struct SmpFleetBoardsConfig {
    int count = 200;                                // "count": boards (1..100000)
    QString runningVersion = QStringLiteral("1.0.0"); // "runningVersion"
    SmpSimDeviceConfig device;                      // "bufSize", "strategy", "slotKb", flash timings
    // Fraction of boards whose new image does not come up healthy (never confirmed:
    // MCUboot reverts at the next reset), picked from each board's own random stream.
    double unhealthyShare = 0;                      // "unhealthyShare": 0..1
    double powerCutShare = 0;                       // "powerCutShare": boards that lose power mid-upload once
};

// How the host runs the push: test → reset → wait → confirm, N boards at a time.
struct SmpFleetHostConfig {
    SimTime resetWait = SimTime::fromSeconds(30);   // "resetWaitS": give a reset board this long to come back
    int uploadAttempts = 3;                         // "uploadAttempts": per board, before it counts as failed
    bool confirm = true;                            // "confirm": confirm after a healthy boot (false: leave in test)
};

struct SmpFleetConfig {
    enum class Link : std::uint8_t { Ble, Udp };
    Link link = Link::Ble;                          // "link": "ble" | "udp"
    SmpFleetBleConfig ble;                          // "ble"
    SmpFleetUdpConfig udp;                          // "udp"
    SmpFleetImageConfig image;                      // "image"
    SmpFleetBoardsConfig boards;                    // "boards"
    SmpFleetHostConfig host;                        // "host"
};

} // namespace otalab::sim
