// SPDX-License-Identifier: Apache-2.0
// Jobs family device presets: a module's currents, flash, boot and crypto times; and the
// energy of a device from its time per state.
#pragma once

#include "sim/jobs/jobslink.h"
#include "sim/kernel/simtime.h"

#include <QString>

#include <optional>

namespace otalab::sim {

// Sources in jobspreset.cpp. Currents in A at `volts`; times in seconds.
struct JobsDevicePreset {
    QString name;                  // "esp32-wifi"
    QString module;                // "ESP32-WROOM-32 (Wi-Fi)"
    JobsLinkKind link = JobsLinkKind::Wifi;
    double volts = 3.3;
    double txA = 0;                // radio transmitting
    double rxA = 0;                // radio receiving
    double connectedIdleA = 0;     // connected between messages (Wi-Fi active, LTE C-DRX)
    double sleepA = 0;             // deepest sleep between wakes (PSM floor, light sleep)
    double pagingA = 0;            // radio on for one paging occasion / DTIM beacon
    double pagingS = 0;            // how long one paging occasion / beacon keeps it on
    double cpuA = 0;               // CPU busy (hashing, verifying, booting, self-test)
    double flashA = 0;             // extra while erasing / programming flash
    double flashEraseSPer4K = 0;   // sector/page erase time per 4 KiB
    double flashWriteSPer4K = 0;   // programming time per 4 KiB
    double hashBytesPerS = 0;      // SHA-256 over the image (close file)
    double verifyS = 0;            // ECDSA P-256 signature verification
    double rebootS = 0;            // reset + bootloader (+ swap) into the new image
    double reconnectS = 0;         // network attach/association + TLS + MQTT CONNECT after boot
    double selfTestS = 0;          // the application's self-test (agent config may override)

    static std::optional<JobsDevicePreset> byName(const QString& name);
    static QString names();        // "\"esp32-wifi\", \"nrf9160-ltem\", \"nrf9160-nbiot\""
};

// Time a device spent in each drawing state since t = 0 (integer ns; sleep is the rest).
struct JobsEnergyTimes {
    std::int64_t txNs = 0;
    std::int64_t rxNs = 0;
    std::int64_t connectedNs = 0;  // connected (radio on, includes tx and rx)
    std::int64_t cpuNs = 0;        // CPU busy with the radio off (verify, reboot, self-test)
    std::int64_t flashNs = 0;
    std::uint32_t pagings = 0;     // paging occasions / beacons that woke it for a downlink
    std::uint32_t connections = 0; // RRC connections set up (each costs rrcSetup at rx/tx current)
};

// Energy (J) over `elapsed`: the states of `t` plus the idle floor `idleA` for the rest.
double jobsJoules(const JobsDevicePreset& p, const JobsEnergyTimes& t, SimTime elapsed, double idleA, SimTime rrcSetup);

// Mean current (A) of a device that sits idle under `ps` (no data): sleep floor plus
// paging occasions / DTIM beacons; with PSM, the active-time listening is spread over TAU.
double jobsIdleCurrentA(const JobsDevicePreset& p, const JobsPowerSaving& ps);

} // namespace otalab::sim
