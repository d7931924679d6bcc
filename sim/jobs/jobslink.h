// SPDX-License-Identifier: Apache-2.0
// Jobs family links: Wi-Fi, LTE-M and NB-IoT as seen by an MQTT client — latency, rates,
// loss, and when a sleeping device can hear a downlink (DTIM, DRX/eDRX paging, PSM).
#pragma once

#include "sim/jobs/jobsfleetconfig.h"
#include "sim/kernel/simtime.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace otalab::sim {

enum class JobsLinkKind : std::uint8_t { Wifi, LteM, NbIot };
inline constexpr int kJobsLinkKindCount = 3;

QString jobsLinkName(JobsLinkKind kind);   // "wifi" | "lte-m" | "nb-iot"
inline bool isCellular(JobsLinkKind kind) { return kind != JobsLinkKind::Wifi; }

// A link type's typical figures (sources in jobslink.cpp). Rates are application
// throughput over MQTT/TLS/TCP, not PHY peak rates.
struct JobsLinkDefaults {
    double latencyMs = 0;        // one-way broker ↔ device
    double downlinkKbps = 0;
    double uplinkKbps = 0;
    double lossPercent = 0;      // MQTT messages lost (connection hiccups the agent sees as a missing answer)
    double rrcSetupMs = 0;       // random access + RRC connection set-up (cellular; 0 for Wi-Fi)
    double rrcInactivityS = 0;   // network's RRC inactivity release timer (cellular)
    double drxCycleS = 0;        // idle-mode paging cycle without eDRX (cellular)
    double dtimMs = 0;           // Wi-Fi listen interval in power save (DTIM 3 × 102.4 ms)
};
JobsLinkDefaults jobsLinkDefaults(JobsLinkKind kind);

// One device's link, drawn at build: 24 bytes. Times in integer nanoseconds.
struct JobsLinkDraw {
    std::int64_t latencyNs = 0;      // one-way
    float downBytesPerS = 0;         // capped by the broker's per-connection throughput
    float upBytesPerS = 0;
    float loss = 0;                  // probability, each message, each way
    float pad = 0;
};

// A group's power saving, resolved from its config and the link defaults (shared by every
// device of the group). A downlink that reaches a device not RRC-connected waits for its
// next paging occasion (active time, eDRX or DRX) or, asleep in PSM, for its next periodic
// TAU; every device has its own phase in those cycles (JobsDevice::wakePhaseNs).
struct JobsPowerSaving {
    JobsLinkKind kind = JobsLinkKind::Wifi;
    SimTime rrcSetup;            // cellular: added to a transfer that starts a connection
    SimTime inactivity;          // cellular: connection kept this long after the last message; Wi-Fi: 0
    SimTime pagingCycle;         // eDRX cycle, DRX cycle, or the Wi-Fi DTIM interval (0: always listening)
    std::optional<SimTime> psmTau;    // T3412 with PSM
    SimTime psmActive;           // T3324
    // When a downlink arriving at `t` is heard, for a device whose connection lasts until
    // `connectedUntil` and whose cycles are offset by `phase` (0 .. cycle): t itself when
    // connected, else the next paging occasion (+ RRC set-up), or the next TAU in PSM.
    SimTime reachableAt(SimTime t, SimTime connectedUntil, std::int64_t phase) const;
    // Whether the device is asleep in PSM at `t` (for status rows).
    bool inPsm(SimTime t, SimTime connectedUntil) const;
    QString describe() const;    // "PSM (TAU 3600 s, active 10 s), eDRX 20.48 s"
};

} // namespace otalab::sim
