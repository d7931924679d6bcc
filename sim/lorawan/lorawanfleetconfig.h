// SPDX-License-Identifier: Apache-2.0
// LorawanFleetConfig: a LoRaWAN network (gateways, class A devices) and one FUOTA campaign
// (seed 004): multicast group + fragmentation session set up by unicast, one class C or
// class B multicast session carrying the image with FEC, a per-device image MIC check.
// Scenario key: a fleet with "family": "lorawan"; the JSON key of each field is named
// beside it (sim/scenario/lorawanfleetreader.h reads them).
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

enum class LorawanRegion : std::uint8_t { EU868, US915 };

struct LorawanPoint {
    double xM = 0;
    double yM = 0;
};

// Gateways: 8-demodulator, half-duplex, duty cycle per sub-band. Placement: "grid"
// (square grid over the devices' disc), "ring" (evenly on a circle at half the disc's
// radius; one gateway sits in the centre) or "explicit" (positions).
struct LorawanGatewaysConfig {
    enum class Placement : std::uint8_t { Grid, Ring, Explicit };
    int count = 1;                                 // "count" (1..1000)
    Placement placement = Placement::Grid;         // "placement": "grid" | "ring" | "explicit"
    std::vector<LorawanPoint> positions;           // "positions": [{"x", "y"}] metres, with "explicit"
    double txPowerDbm = 14;                        // "txPowerDbm": conducted downlink power (0..30)
    double antennaGainDbi = 2.15;                  // "antennaGainDbi": on uplink and downlink (0..15)
    // "rx2DataRate": data rate of RX2 downlinks; nullopt = the region's default (EU868 DR0,
    // as LoRaWAN RP002 and ChirpStack; TTN uses DR3).
    std::optional<int> rx2DataRate;
};

// Devices: class A sensors spread uniformly over a disc around the origin.
struct LorawanDevicesConfig {
    int count = 1000;                              // "count" (1..200000)
    double areaRadiusM = 2000;                     // "areaRadiusM": disc radius, metres
    QString deviceClass = QStringLiteral("A");     // "deviceClass": class of normal operation ("A")
    double uplinkIntervalS = 600;                  // "uplinkIntervalS": mean time between uplinks
    double jitterS = 60;                           // "jitterS": uniform ± jitter on each interval
    int appPayloadBytes = 12;                      // "appPayloadBytes": sensor payload of an uplink
    std::optional<int> dataRate;                   // "dataRate": "auto" (nullopt: by link budget, like ADR) | DR
    double txPowerDbm = 14;                        // "txPowerDbm": device transmit power
    QString preset = QStringLiteral("SX1276");     // "preset": radio "SX1276" | "SX1262"
    QString mcu = QStringLiteral("STM32L072");     // "mcu": "STM32L072" | "STM32WL55"
    QString battery = QStringLiteral("2xAA");      // "battery": "2xAA" | "CR2032" | "" (mains)
    double clockDriftPpm = 20;                     // "clockDriftPpm": each device drifts uniformly in ±this
    std::uint32_t flashBytes = 256 * 1024;         // "flashBytes": flash for update storage (≥ 2× the image)
    QString runningVersion = QStringLiteral("1.0.0");  // "runningVersion": what every device runs first
};

// Log-distance path loss with log-normal shadowing: PL(d) = referenceLossDb +
// 10·n·log10(d / referenceDistanceM) + X(σ), X drawn once per device–gateway pair.
// Defaults: the ns-3 lorawan module's urban model (Magrin et al. 2017: n = 3.76,
// PL(1 m) = 7.7 dB, i.e. 120.5 dB at 1 km) with σ = 4 dB shadowing.
struct LorawanRadioConfig {
    double pathLossExponent = 3.76;                // "pathLossExponent"
    double referenceLossDb = 7.7;                  // "referenceLossDb": loss at referenceDistanceM
    double referenceDistanceM = 1;                 // "referenceDistanceM"
    double shadowingSigmaDb = 4;                   // "shadowingSigmaDb": per device–gateway pair, fixed for the run
    double noiseFigureDb = 6;                      // "noiseFigureDb": receiver noise figure
    // "extraLossPercent": extra loss of every downlink frame (interference), 0..100; with
    // "burstFrames" > 1 losses come in bursts of that mean length (Gilbert–Elliott, same mean).
    double extraLossPercent = 0;
    double burstFrames = 1;                        // "burstFrames"
};

struct LorawanImageConfig {
    enum class Format : std::uint8_t { Raw, Signed, Delta, SignedDelta };
    std::optional<QString> path;                   // "path": a file (relative: to the scenario)
    std::uint32_t sizeBytes = 64 * 1024;           // "sizeBytes": generated image size
    QString version = QStringLiteral("1.1.0");     // "version"
    Format format = Format::Raw;                   // "format": "raw" | "signed" | "delta" | "signed-delta"
    // "basePath": the image the devices run now (a delta is made against it); without it a
    // generated image's running version differs from it in "changePercent" % (256-byte runs).
    std::optional<QString> basePath;
    double changePercent = 5;                      // "changePercent": 0..100
};

struct LorawanCampaignConfig {
    enum class SessionClass : std::uint8_t { C, B };
    SessionClass sessionClass = SessionClass::C;   // "sessionClass": "C" | "B"
    int multicastDataRate = 5;                     // "multicastDataRate"
    // "multicastFrequencyHz": nullopt = the region's RX2 frequency (EU868 869.525 MHz, 10 % band)
    std::optional<std::uint32_t> multicastFrequencyHz;
    int pingSlotPeriodicity = 0;                   // "pingSlotPeriodicity": class B, ping every 2^k s (0..7)
    std::optional<int> fragmentSize;               // "fragmentSize": "auto" (nullopt) | bytes
    std::optional<double> redundancyPercent = 10;  // "redundancyPercent": % | "adaptive" (nullopt)
    int fecVersion = 2;                            // "fecVersion": TS004 1 | 2
    int unicastRetries = 3;                        // "unicastRetries": re-sends of each unicast step
    double unicastRetryIntervalS = 0;              // "unicastRetryIntervalS": 0 = the devices' uplink interval
    bool clockSync = true;                         // "clockSync": TS003 AppTimeReq/Ans before the session
    double sessionStartDelayS = 0;                 // "sessionStartDelayS": 0 = (retries + 1) × retry interval (ChirpStack)
    double timeoutMarginS = 5;                     // "timeoutMarginS": class C timeout = 2^i s ≥ margin × (M + 1)
    // "groupDeletion": "afterSession" (nullopt) | {"afterQueueS": N}: the server deletes
    // the multicast group N s after queueing the fragments (the real server's bug).
    std::optional<double> groupDeleteAfterQueueS;
    bool repairRound = true;                       // "repairRound"
    double repairRedundancyPercent = 20;           // "repairRedundancyPercent": extra parity over the worst need
    double startAtS = 60;                          // "startAtS": when the campaign begins
};

struct LorawanGatewayDown {
    int gateway = 0;                               // "gateway": index (0-based)
    double atS = 0;                                // "atS"
    double forS = 0;                               // "forS"
};

struct LorawanForgedFragments {
    int count = 1;                                 // "count": forged frames injected
    int atFragment = 1;                            // "atFragment": they carry this index (1-based) onward
};

struct LorawanFaultsConfig {
    std::vector<LorawanGatewayDown> gatewayDown;   // "gatewayDown"
    std::optional<LorawanForgedFragments> forgedFragments;  // "forgedFragments"
};

struct LorawanFleetConfig {
    LorawanRegion region = LorawanRegion::EU868;   // "region": "EU868" | "US915"
    LorawanGatewaysConfig gateways;                // "gateways"
    LorawanDevicesConfig devices;                  // "devices"
    LorawanRadioConfig radio;                      // "radio"
    LorawanImageConfig image;                      // "image"
    LorawanCampaignConfig campaign;                // "campaign"
    LorawanFaultsConfig faults;                    // "faults"
};

} // namespace otalab::sim
