// SPDX-License-Identifier: Apache-2.0
// SmpFleetConfig: a fleet of simulated MCUboot boards that one host pushes an image to
// (seed 002 "distributed push"). Scenario key: a fleet with "family": "smp"; the JSON
// key of each field is named beside it (sim/scenario/smpfleetreader.h reads them).
#pragma once

#include "sim/smp/smpblelink.h"
#include "sim/smp/smpdevice.h"
#include "sim/smp/smpudplink.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace otalab::sim {

// BLE: one gateway (the host's central) with a few simultaneous connections. Every
// board gets its own SmpBleLink while it is being pushed; connecting takes connectTime
// (scan, connect, MTU/DLE exchange, GATT discovery), and so does reconnecting after the
// board's reset (the board's linkReturn is set to it).
struct SmpFleetBleConfig {
    int gatewayConnections = 6;                        // "connections": simultaneous links (1..20)
    SimTime connectTime = SimTime::fromMillis(1'500);  // "connectMs"
    // "intervalMs", "mtu", "dle", "pdus", "phy" ("1m" | "2m"), "encrypted", "byteErrorRate"
    SmpBleLinkConfig link;
};

// UDP over an IPv6 network: the host pushes `concurrency` boards at once, each over its
// own path (one SmpUdpLink per board: latency, bit rate, loss; paths do not share a
// medium). Defaults: a 1 Mbit/s path with 20 ms one way, datagrams of the IPv6 minimum
// MTU (1280 − 40 IPv6 − 8 UDP), 40 + 8 header bytes counted on the wire.
struct SmpFleetUdpConfig {
    int concurrency = 16;                              // "concurrency": boards pushed at once (1..1000)
    // "latencyMs" (one way), "rateKbps", "mtu" (largest datagram payload), "headerBytes"
    SmpUdpLinkConfig link = defaultLink();
    // "loss": probability that a datagram of `link.maxDatagram` bytes is lost. Smaller
    // datagrams are lost less often: the loss is turned into a per-byte rate (a mesh drops
    // a datagram when any of its link-layer fragments is lost). Added to link.byteErrorRate.
    double datagramLoss = 0;

    static SmpUdpLinkConfig defaultLink()
    {
        SmpUdpLinkConfig c;
        c.latency = SimTime::fromMillis(20);
        c.bitRate = 1e6;
        c.maxDatagram = 1232;   // 1280-byte IPv6 minimum MTU − 40 (IPv6) − 8 (UDP)
        c.headerBytes = 48;
        return c;
    }
};

// The image the host pushes: a file, or a generated MCUboot image (SHA256 TLV; signed too
// with boards.signatureKey).
struct SmpFleetImageConfig {
    std::optional<QString> path;                       // "path": an MCUboot image file (relative: to the scenario)
    std::uint32_t sizeBytes = 256 * 1024;              // "sizeBytes": generated file size (header + body + TLVs)
    QString version = QStringLiteral("1.1.0");         // "version": generated image version
};

// What the boards run and how some of them misbehave. Per-board choices come from the
// board's own RandomStream (scenario seed, board node, purpose), so they do not depend
// on the order of events.
struct SmpFleetBoardsConfig {
    int count = 200;                                   // "count": boards (1..100000)
    QString runningVersion = QStringLiteral("1.0.0");  // "runningVersion": what every board runs first
    // "bufCount", "strategy", "downgradePrevention", "eraseMs", "writeUs", "procUs" (server, boot and timing of
    // every board; the flash layout comes from slotKb).
    SmpSimDeviceConfig device;
    std::uint32_t bufSize = 0;                         // "bufSize": net_buf size; 0 = per link (BLE 2475, UDP 1500)
    int slotKb = 0;                                    // "slotKb": primary slot size; 0 = fit the image
    // Share of boards on which the new image is unhealthy: it faults `faultAfter` after
    // its start (before its SMP server is up), the watchdog resets the board and MCUboot
    // reverts to the old image, which the host then finds running.
    double unhealthyShare = 0;                         // "unhealthyShare": 0..1
    SimTime faultAfter = SimTime::fromMillis(500);     // "faultAfterMs"
    // Share of boards that lose power once during their upload, at a point of the image
    // drawn uniformly from 10..90 %, and stay off for powerOffTime.
    double powerCutShare = 0;                          // "powerCutShare": 0..1
    SimTime powerOffTime = SimTime::fromSecondsInt(10); // "powerOffS"
    // "signatureKey": "" = MCUboot built without signature verification (the images carry a
    // SHA256 TLV only); "ed25519" = the fleet's images are signed (KEYHASH + ED25519 TLVs)
    // by an Ed25519 key derived from the scenario seed and the fleet's first node, and the
    // boards' MCUboot trusts only that key (MCUBOOT_SIGN_ED25519). Only Ed25519: its
    // signatures are deterministic, so the same seed gives the same image bytes.
    QString signatureKey;
    QString preset = QStringLiteral("nRF52840");       // "preset": energy figures (sim/energy presets)
    QString battery;                                   // "battery": "CR2032" | "2xAA"; empty = mains/USB powered
    double spacingM = 2.0;                             // "spacingM": grid pitch of the drawing, metres
};

// How the host runs the push: read state → upload → test → reset → wait → check →
// confirm (core/smp UpgradeOperation, test-and-confirm), K boards at a time, in board order.
struct SmpFleetHostConfig {
    // "resetWaitS": how long a reset board may take to answer again (MCUboot swaps the
    // slots first: ~25 s for 256 KiB on an nRF52840, twice that when it reverts).
    SimTime resetWait = SimTime::fromSecondsInt(120);
    int uploadAttempts = 3;                            // "uploadAttempts": attempts per board (1..20)
    SimTime retryDelay = SimTime::fromSecondsInt(15);  // "retryDelayS": pause before the next attempt
};

struct SmpFleetConfig {
    enum class Link : std::uint8_t { Ble, Udp };
    Link link = Link::Ble;                             // "link": "ble" | "udp"
    SmpFleetBleConfig ble;                             // "ble"
    SmpFleetUdpConfig udp;                             // "udp"
    SmpFleetImageConfig image;                         // "image"
    SmpFleetBoardsConfig boards;                       // "boards"
    SmpFleetHostConfig host;                           // "host"

    // Boards pushed at once: ble.gatewayConnections or udp.concurrency.
    int concurrency() const { return link == Link::Ble ? ble.gatewayConnections : udp.concurrency; }
};

} // namespace otalab::sim
