// SPDX-License-Identifier: Apache-2.0
// OcfFleetConfig: OCF devices (oic.r.softwareupdate at /oc/swu, core/ocf's SwUpdateDevice)
// on Thread or Wi-Fi in homes, configured by an OCF client (cloud / onboarding tool) and
// fetching their image block-wise over CoAP from an image server (seed 001, issue 14).
// Scenario key: a fleet with "family": "ocf"; the JSON key of each field is named beside
// it (sim/scenario/ocffleetreader.h reads them; schema $defs.ocfFleet).
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// One group of devices on one link. Thread devices are sleepy end devices (SED) of a
// Thread network whose border router is their home's gateway; Wi-Fi devices are stations
// of their home's access point. Link figures default to the link's (sim/ocf/ocflink.cpp
// cites them).
struct OcfDeviceGroupConfig {
    QString name;                          // "name": label in status rows (default: the link)
    int count = 100;                       // "count": 1 .. 200,000
    QString link = QStringLiteral("thread");   // "link": "thread" | "wifi"
    int devicesPerGateway = 8;             // "devicesPerGateway": devices per home (one border router / AP each), 1 .. 1000
    // Thread only.
    int hops = 1;                          // "hops": 802.15.4 hops to the border router (1: it is the parent), 1 .. 16
    double pollPeriodMs = 2000;            // "pollPeriodMs": SED data poll period when idle (its parent holds downlinks until then)
    double fastPollMs = 100;               // "fastPollMs": poll period while a CoAP response is awaited
    std::optional<double> frameLossPercent;   // "frameLossPercent": 802.15.4 frames lost per attempt (MAC retries them)
    // Wi-Fi only (defaults: sim/jobs/jobslink.cpp's Wi-Fi figures).
    std::optional<double> latencyMs;       // "latencyMs": one-way device ↔ image server
    std::optional<double> throughputKbps;  // "throughputKbps": application throughput, each way
    std::optional<double> lossPercent;     // "lossPercent": UDP datagrams lost, each way
    // Both.
    double backhaulMs = 20;                // "backhaulMs": one-way gateway ↔ cloud (client, image server)
    double spreadPercent = 20;             // "spreadPercent": per-device spread of latency / throughput, 0 .. 90
    friend bool operator==(const OcfDeviceGroupConfig&, const OcfDeviceGroupConfig&) = default;
};

// The image: an MCUboot image built once per fleet (signed with a lab test key) and shared
// by every device, served block-wise (RFC 7959 Block2) by the image server.
struct OcfImageConfig {
    std::uint32_t sizeBytes = 256 * 1024;              // "sizeBytes": body bytes, 1 KiB .. 8 MiB
    QString version = QStringLiteral("2.0.0");         // "version": what an upgraded device runs
    QString runningVersion = QStringLiteral("1.0.0");  // "runningVersion": what every device runs first
    int blockSize = 1024;                              // "blockSize": 16 .. 1024, a power of two (SZX 0..6)
    friend bool operator==(const OcfImageConfig&, const OcfImageConfig&) = default;
};

// When: the device clocks and the update time the client writes.
struct OcfScheduleConfig {
    QString updateTime = QStringLiteral("2026-12-08T02:00:00Z");   // "updateTime": RFC 3339 | "now"
    QString startsAt = QStringLiteral("2026-12-08T00:00:00Z");     // "startsAt": RFC 3339 of virtual t = 0
    double clockSpreadS = 0;               // "clockSpreadS": device clock offsets uniform in ± this, 0 .. 86,400
    friend bool operator==(const OcfScheduleConfig&, const OcfScheduleConfig&) = default;
};

// The OCF client (cloud / onboarding tool): POSTs to /oc/swu of every (released) device.
// validateFirst: {purl, swupdateaction "isvv", updatetime "now"} (the device downloads and
// validates at once: svv → sva), then {purl, "upgrade", updatetime}: it waits in sva and
// applies at updatetime. Without: one POST {purl, "upgrade", updatetime}: the device does
// everything at updatetime (IoTivity-Lite runs the action when updatetime comes).
struct OcfClientConfig {
    bool validateFirst = true;             // "validateFirst"
    double startAtS = 10;                  // "startAtS": without a rollout section it configures every device from then on
    int concurrent = 200;                  // "concurrent": POSTs outstanding at once, 1 .. 100,000
    double spacingMs = 5;                  // "spacingMs": between two POSTs it sends, 0 .. 60,000
    double retryAfterS = 600;              // "retryAfterS": a device that reported connection fail (4) is asked again after
    int maxRetries = 3;                    // "maxRetries": times it asks again, 0 .. 100
    friend bool operator==(const OcfClientConfig&, const OcfClientConfig&) = default;
};

// The image server (a CoAP server in the cloud serving the image block-wise).
struct OcfServerConfig {
    double blocksPerS = 20000;             // "blocksPerS": block responses it serves per second (one queue)
    friend bool operator==(const OcfServerConfig&, const OcfServerConfig&) = default;
};

struct OcfFleetConfig {
    std::vector<OcfDeviceGroupConfig> devices{OcfDeviceGroupConfig{}};   // "devices": [group, ...] (≥ 1)
    OcfImageConfig image;                  // "image"
    OcfScheduleConfig schedule;            // "schedule"
    OcfClientConfig client;                // "client"
    OcfServerConfig server;                // "server"
    std::uint32_t userDataBytes = 4096;    // "userDataBytes": application data each device keeps in its own flash area, 0 .. 1 MiB

    int deviceCount() const
    {
        int n = 0;
        for (const OcfDeviceGroupConfig& g : devices)
            n += g.count;
        return n;
    }
    friend bool operator==(const OcfFleetConfig&, const OcfFleetConfig&) = default;
};

} // namespace otalab::sim
