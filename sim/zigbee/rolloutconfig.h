// SPDX-License-Identifier: Apache-2.0
// RolloutConfig: the plain-data input of one simulated Zigbee OTA rollout (filled from a scenario file).
#pragma once

#include "sim/zigbee/nwkmodelconfig.h"

#include "sim/energy/devicepreset.h"
#include "sim/zigbee/topologygenerator.h"
#include "sim/zigbee/topologyspec.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::sim {

// Units: times in the scenario are seconds (double, "S" suffix) or milliseconds
// (int64, "Ms" suffix) as named; sizes in bytes; probabilities 0..1. Nodes are named
// by their NWK short address (for a generated topology short address == NodeId:
// coordinator 0x0000, routers 0x0001.., then ZEDs). Every default below is what a
// scenario gets when it omits the key. runRollout() validates everything and returns
// Error{field = "<json path>"} (e.g. "topology.nodes[3].parent", "images[0].path").

// --- Link loss -----------------------------------------------------------------------

enum class LossKind : std::uint8_t {
    None,           // "none": only collisions and cuts lose frames
    Bernoulli,      // "bernoulli": independent loss (BernoulliLoss)
    GilbertElliott, // "gilbert-elliott": bursty two-state loss per directed link (GilbertElliottLoss)
    Distance,       // "distance": log-distance path loss → O-QPSK PER (DistanceLoss; uses node x/y)
};

struct LossModelConfig {
    LossKind kind = LossKind::None;          // "kind": "none" | "bernoulli" | "gilbert-elliott" | "distance"
    // bernoulli
    double p = 0.0;                          // "p": loss probability per frame per receiver (0..1)
    // gilbert-elliott (probabilities per frame on that directed link)
    double pGoodToBad = 0.01;                // "pGoodToBad": P(Good→Bad) → GilbertElliottLoss::Params::p
    double pBadToGood = 0.3;                 // "pBadToGood": P(Bad→Good) → Params::r (mean burst 1/r frames)
    double lossGood = 0.0;                   // "lossGood": P(lost | Good) → Params::k = 1 − lossGood
    double lossBad = 1.0;                    // "lossBad": P(lost | Bad)  → Params::h = 1 − lossBad
    // distance (DistanceLoss::Params; positions from the topology, metres)
    double txPowerDbm = 0.0;                 // "txPowerDbm": transmit power (dBm)
    double referenceLossDb = 40.2;           // "referenceLossDb": PL(d0) (dB), free space at 1 m, 2.45 GHz
    double referenceDistanceM = 1.0;         // "referenceDistanceM": d0 (m)
    double exponent = 3.0;                   // "exponent": path-loss exponent n (2 free space, ~3 indoor)
    double shadowingSigmaDb = 0.0;           // "shadowingSigmaDb": σ of log-normal shadowing (dB), 0 = static
    double noiseFloorDbm = -100.0;           // "noiseFloorDbm": receiver noise floor (dBm)
};

// Link a–b down in both directions during [fromS, toS) (LinkCutSchedule::addCut).
struct LinkCutConfig {
    std::uint16_t a = 0;                     // "a": short address of one end
    std::uint16_t b = 0;                     // "b": short address of the other end
    double fromS = 0.0;                      // "from": start of the cut (virtual s)
    double toS = 0.0;                        // "to": restore time (virtual s); ignored when <= from
};

// A different loss model on every link that touches one router (its links to its
// parent and to each child, both directions) during [fromS, toS). User story: QA
// reproducing a field stall — bursty loss on router 0x1A2B from minute 20.
struct RouterLossOverride {
    std::uint16_t router = 0;                // "router": short address of a router (or 0x0000, the coordinator)
    double fromS = 0.0;                      // "from": override active from (virtual s), default 0
    std::optional<double> toS;               // "to": until (virtual s); absent = to the end of the run
    LossModelConfig loss;                    // "loss": same keys as the top-level "loss"
};

struct ChannelConfig {
    LossModelConfig loss;                    // "loss": the model on every link (default none)
    std::vector<LinkCutConfig> cuts;         // "cuts": scheduled cuts, any order
    std::vector<RouterLossOverride> routerOverrides; // "routerOverrides": per-router loss overrides
    std::uint16_t panId = 0x1A62;            // "panId": PAN identifier (MAC/pcap only)
    std::uint8_t channel = 15;               // "channel": 802.15.4 channel 11..26 (labels only)
    bool treeLinksOnly = true;               // "treeLinksOnly": nodes hear only parent/children
                                             // (ZigbeeNetwork::connectTreeLinks); false = everyone hears everyone
    // "hearingRangeM": with treeLinksOnly, nodes also hear every node within this distance
    // (metres, topology x/y): neighbouring routers contend through CSMA instead of being
    // hidden terminals. Absent = tree links only. Ignored when treeLinksOnly is false.
    std::optional<double> hearingRangeM;
    std::uint8_t macQueueCapacity = 32;      // "macQueueCapacity": frames queued per MAC (MacConfig::queueCapacity)
};

// --- Devices -------------------------------------------------------------------------

struct DeviceConfig {
    QString preset = QStringLiteral("EFR32MG24"); // "preset": "EFR32MG24" | "CC2652R" | "nRF52840" (DevicePreset::builtin)
    std::optional<DevicePreset> customPreset; // "preset" given as an object (DevicePreset::fromJson); wins over the name
    QString battery = QStringLiteral("CR2032");   // "battery": "CR2032" | "2xAA" (Battery::byName)
    std::optional<double> batteryMilliampHours;   // "batteryMilliampHours": custom capacity (mAh), overrides the named one
    std::optional<double> batteryVoltageV;        // "batteryVoltageV": custom nominal voltage (V)
    bool routersOnMains = true;              // "routersOnMains": routers are mains powered: their batteryShare is 0 (energy still reported)
    std::int64_t pollIntervalMs = 7'500;     // "pollIntervalMs": ZED long poll (NwkConfig::pollInterval)
    std::int64_t fastPollIntervalMs = 250;   // "fastPollIntervalMs": ZED poll while downloading (setPollInterval), 0 = never switch
    std::uint8_t nwkSecurityOverheadBytes = 18; // "nwkSecurityOverheadBytes": 0 or 18 (FrameBudget; 18 = Zigbee PRO network key)
    std::uint8_t apsSecurityOverheadBytes = 0;  // "apsSecurityOverheadBytes": link-key APS security octets (0 = none)
    std::int64_t bootTimeMs = 2'000;         // "bootTimeMs": reboot duration into the new image (CPU active, radio off)
    // Flash model: energy of erasing and writing the received image.
    std::uint32_t flashPageBytes = 8'192;    // "flashPageBytes": erase unit (bytes); erased on first write into a page
    double flashEraseMsPerPage = 30.0;       // "flashEraseMsPerPage": erase time per page (ms, CPU flashErase state)
    double flashWriteUsPerByte = 10.0;       // "flashWriteUsPerByte": program time per byte (µs, CPU flashWrite state)
};

// --- Images --------------------------------------------------------------------------

// Either a path to an OTA file or a generated one (no binary in the scenario).
struct ImageConfig {
    QString path;                            // "path": OTA upgrade file (relative to the scenario file); empty = generate
    // "generate": {...} (used when path is empty)
    std::uint32_t sizeBytes = 65'536;        // "generate.size": payload size (bytes) of the upgrade image element
    std::uint16_t manufacturer = 0x1037;     // "generate.manufacturer": manufacturer code
    std::uint16_t imageType = 0x0001;        // "generate.imageType": image type
    std::uint32_t fileVersion = 0x00000002;  // "generate.fileVersion": Zigbee file version of the new image
    bool integrityCode = true;               // "generate.integrityCode": append the AES-MMO hash TLV (so the client can detect corruption)
    // Fault injection: bytes of the *served* file XOR-ed with 0xFF (offset in the OTA file),
    // e.g. to rehearse a corrupted upload. Applied after loading/generating.
    std::vector<std::uint32_t> corruptOffsets; // "corruptOffsets": [offset, ...]
};

// --- Server (coordinator) ------------------------------------------------------------

struct DevicePolicyConfig {
    std::uint16_t device = 0;                // "device": short address this policy is for (per-device overrides only)
    bool authorized = true;                  // "authorized": false → NOT_AUTHORIZED (outcome Refused)
    bool allowUpgrade = true;                // "allowUpgrade": offer newer versions
    bool allowDowngrade = false;             // "allowDowngrade": offer older versions
    bool allowReinstall = false;             // "allowReinstall": offer the running version again
    std::optional<std::uint32_t> pinnedFileVersion; // "pinnedFileVersion": offer only this version
    // Upgrade time sent in Upgrade End Response: "now" | "delay" | "wait" (0xFFFFFFFF).
    enum class UpgradeTime : std::uint8_t { Now, Delay, Wait };
    UpgradeTime upgradeTime = UpgradeTime::Now; // "upgradeTime"
    std::uint32_t upgradeDelayS = 0;         // "upgradeDelayS": seconds for "delay"
    std::optional<double> releaseAtS;        // "releaseAtS": for "wait": server sends the go (releaseUpgrade, 0 s) at this virtual time
};

struct ServerConfig {
    std::uint8_t maxBlockDataSize = 50;      // "maxBlockDataSize": cap on data per Image Block Response (bytes) → OtaServerConfig::maxBlockDataSize
    std::int64_t blockResponseDelayMs = 250; // "blockResponseDelayMs": delay before each block response (ms)
    std::int64_t controlResponseDelayMs = 0; // "controlResponseDelayMs": delay before query/upgrade-end responses (ms)
    std::int64_t minResponseSpacingMs = 0;   // "minResponseSpacingMs": server-wide spacing of block responses (ms), 0 = off
    std::int64_t sessionTimeoutMs = 150'000; // "sessionTimeoutMs": a silent downloading client is dropped (ms)
    std::int64_t dataAvailableAtMs = 0;      // "dataAvailableAtMs": WAIT_FOR_DATA for every block request before this time (ms), 0 = off
    int maxConcurrentDownloads = 0;          // "maxConcurrentDownloads": 0 = unlimited; others get WAIT_FOR_DATA
    std::int64_t busyRetryDelayMs = 60'000;  // "busyRetryDelayMs": requestTime offset for busy WAIT_FOR_DATA (ms)
    std::int64_t minimumBlockPeriodMs = 0;   // "minimumBlockPeriodMs": MinimumBlockPeriod pushed to clients (ms), 0 = off
    int clusterRevision = 3;                 // "clusterRevision": fixes the MinimumBlockPeriod wire unit
    DevicePolicyConfig defaultPolicy;        // "defaultPolicy": policy of every device without an override ("device" ignored)
    std::vector<DevicePolicyConfig> devicePolicies; // "devicePolicies": per-device overrides
    // Image Notify at start: "none" | "broadcast" (0xFFFF; sleepy ZEDs miss it unless awake) | "unicast" (to each client).
    enum class Notify : std::uint8_t { None, Broadcast, Unicast };
    Notify notify = Notify::None;            // "notify"
    double notifyAtS = 1.0;                  // "notifyAtS": when (virtual s)
    std::uint8_t notifyPayloadType = 0;      // "notifyPayloadType": 0..3
    std::uint8_t notifyQueryJitter = 100;    // "notifyQueryJitter": 1..100
};

// --- Clients (every router and ZED hosts one) ---------------------------------------

struct ClientConfig {
    std::uint16_t manufacturer = 0x1037;     // "manufacturer": manufacturer code the clients report
    std::uint16_t imageType = 0x0001;        // "imageType": image type the clients report
    std::uint32_t currentFileVersion = 0x00000001; // "currentFileVersion": running version before the rollout
    std::uint8_t maxDataSize = 64;           // "maxDataSize": Maximum Data Size asked in block requests (bytes)
    bool usePageRequests = false;            // "usePageRequests": Image Page Request instead of Image Block Request
    std::uint16_t pageSize = 1024;           // "pageSize": bytes per page request
    std::uint16_t responseSpacingMs = 100;   // "responseSpacingMs": asked spacing between page responses (ms)
    std::int64_t queryPeriodMs = 300'000;    // "queryPeriodMs": periodic Query Next Image (ms), 0 = only on notify
    std::int64_t firstQueryJitterMs = 60'000; // "firstQueryJitterMs": first query at uniform [0, jitter) (ms, per-node stream)
    std::int64_t requestTimeoutMs = 10'000;  // "requestTimeoutMs": per block request (ms)
    int maxRetries = 9;                      // "maxRetries": retries after the first try before giving up
    std::int64_t minWaitForDataMs = 1'000;   // "minWaitForDataMs": floor on WAIT_FOR_DATA waits (ms)
    std::int64_t upgradeRequeryPeriodMs = 3'600'000; // "upgradeRequeryPeriodMs": re-ask period while told to "wait" (ms)
    int unansweredUpgradeEndLimit = 3;       // "unansweredUpgradeEndLimit": apply after this many silent re-asks
    bool includeRouters = true;              // "includeRouters": routers are OTA clients too (false: only ZEDs)
    // Offer checks of Silicon Labs' ota-client (OtaClientConfig): an offer of the running
    // FileVersion is not downloaded; an older one is refused with Upgrade End INVALID_IMAGE.
    bool ignoreSameVersionOffer = false;     // "ignoreSameVersionOffer"
    bool disableDowngrades = false;          // "disableDowngrades" (its disableOtaDowngrades)
    // Smart Energy image signatures: the fleet's images are signed (crypto suite 1, sect163k1)
    // by a signer derived from the seed, whose certificate names the fleet's CA, and every
    // client trusts that signer's key: a downloaded image without a signature it verifies is
    // refused (Upgrade End INVALID_IMAGE, core/zigbee verifyDownloadedImage). Off: images as
    // configured, no signature checked.
    bool requireSignature = false;           // "requireSignature"
    // Rollout-level give-up: after this many failed downloads (INVALID_IMAGE, retries
    // exhausted, ABORT) the device stops its client for this campaign (outcome Failed).
    int maxAttempts = 3;                     // "maxAttempts": >= 1
};

// Per-device client override (e.g. a device that already runs the new version).
struct ClientOverride {
    std::uint16_t device = 0;                // "device": short address
    std::optional<std::uint32_t> currentFileVersion; // "currentFileVersion"
    std::optional<std::uint8_t> maxDataSize; // "maxDataSize"
    std::optional<bool> enabled;             // "enabled": false = this node runs no OTA client
};

// --- Run control ---------------------------------------------------------------------

struct StopConfig {
    double untilS = 86'400.0;                // "until": hard stop (virtual s); the cap when whenAllFinished
    bool whenAllFinished = true;             // "whenAllFinished": stop once every client upgraded/failed/refused
};

struct RolloutConfig {
    QString name = QStringLiteral("starter"); // "name": scenario name (RunResult::scenarioName)
    std::uint64_t seed = 1;                  // "seed": master seed (per-node streams derive from it)
    // "topology": explicit {"nodes": [...]} or generated {"generate": {...}}.
    // Default: the starter, 1 coordinator + 1 router + 5 ZEDs.
    std::variant<GeneratedTopology, TopologySpec> topology =
        GeneratedTopology{.routers = 1, .branching = 1, .zedsPerRouter = 5};
    ChannelConfig channel;                   // "channel"
    DeviceConfig device;                     // "device"
    NwkModelConfig network;                  // "network": APS, security, routing, rejoin (sim/zigbee/nwkmodelconfig.h)
    std::vector<ImageConfig> images{ImageConfig{}}; // "images": at least one
    ServerConfig server;                     // "server"
    ClientConfig client;                     // "client"
    std::vector<ClientOverride> clientOverrides; // "clientOverrides"
    StopConfig stop;                         // "stop"
    double sampleIntervalS = 10.0;           // "sampleIntervalS": FleetSample period (virtual s), > 0
    // "fingerprint": attach a fingerprint-only TraceWriter (RunResult::traceFingerprint).
    // Costs about half the wall time of a large run (TraceHash over every record);
    // false leaves traceFingerprint 0.
    bool fingerprint = true;
};

} // namespace otalab::sim
