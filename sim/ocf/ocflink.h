// SPDX-License-Identifier: Apache-2.0
// OCF family links and presets: what one CoAP datagram costs a device in time and energy on
// Thread (IEEE 802.15.4 + 6LoWPAN, sleepy end device polling its parent) or Wi-Fi (a
// station in power save), and the device's currents. Sources in ocflink.cpp.
#pragma once

#include "sim/kernel/simtime.h"

#include <QString>

#include <cstdint>

namespace otalab::sim {

enum class OcfLinkKind : std::uint8_t { Thread, Wifi };
QString ocfLinkName(OcfLinkKind kind);   // "thread" | "wifi"

// A device's currents (A at `volts`) and times (s); one preset per link.
struct OcfPreset {
    QString name;                  // "nrf52840-thread-sed" | "esp32-wifi"
    QString module;                // "nRF52840 (Thread SED)"
    double volts = 3.0;
    double txA = 0, rxA = 0;       // radio transmitting / receiving
    double awakeA = 0;             // Wi-Fi: associated and active between frames while downloading (0 for Thread: it sleeps)
    double sleepA = 0;             // floor between wakes
    double pollA = 0, pollS = 0;   // one data poll (Thread) / DTIM beacon (Wi-Fi)
    double cpuA = 0;               // CPU busy (hashing, verifying, booting)
    double flashA = 0;             // extra while erasing / programming flash
    double flashEraseSPer4K = 0;   // page / sector erase per 4 KiB
    double flashWriteSPer4K = 0;   // programming per 4 KiB
    double hashBytesPerS = 0;      // SHA-256 over the stored image
    double verifyS = 0;            // Ed25519 signature verification
    double bootS = 0;              // reset + MCUboot + application start (without swap)
    double selfTestS = 0;          // the application's first-boot check of a new image
};
const OcfPreset& ocfPreset(OcfLinkKind kind);
// MCUboot swap-move of an image of `bytes` (every 4 KiB sector erased and programmed 3×).
double ocfSwapSeconds(const OcfPreset& preset, std::uint64_t bytes);

// --- Thread: IEEE 802.15.4-2006 O-QPSK 2.4 GHz + 6LoWPAN (RFC 4944 / RFC 6282) -----------
// One CoAP datagram on one 802.15.4 hop: how many frames and PSDU bytes.
struct ThreadFraming {
    int frames = 0;
    int psduBytes = 0;             // sum over the frames (MAC header, 6LoWPAN, payload, MIC, FCS)
};
ThreadFraming threadFraming(int coapBytes);
// Mean time to send one frame of `psduBytes` on one hop: CSMA-CA backoff + CCA + airtime
// + turnaround + ACK. ns.
std::int64_t threadFrameNs(int psduBytes);
std::int64_t threadAirtimeNs(int psduBytes);   // SHR + PHR + PSDU at 32 µs per byte
// Probability that a datagram of `frames` frames over `hops` hops is lost when each
// attempt of a frame is lost with `frameLoss` and the MAC tries 4 times (macMaxFrameRetries 3).
double threadDatagramLoss(int frames, int hops, double frameLoss);

// --- Wi-Fi: bytes on the air of one CoAP datagram (802.11 MAC + LLC/SNAP + IPv6 + UDP) ----
int wifiWireBytes(int coapBytes);

// A device's drawn link.
struct OcfLinkDraw {
    std::int64_t latencyNs = 0;    // Wi-Fi: one-way to the cloud; Thread: the backhaul one-way
    float bytesPerS = 0;           // Wi-Fi throughput
    float loss = 0;                // Wi-Fi: per datagram; Thread: per frame attempt
    std::int64_t pollPhaseNs = 0;  // its offset in the idle poll / DTIM grid (0 .. period)
    std::uint8_t hops = 1;         // Thread hops to the border router
};

// Time a device spent in each drawing state (integer ns; sleep is the rest).
struct OcfEnergyTimes {
    std::int64_t txNs = 0;
    std::int64_t rxNs = 0;
    std::int64_t awakeNs = 0;      // Wi-Fi active between frames
    std::int64_t cpuNs = 0;
    std::int64_t flashNs = 0;
    std::uint32_t polls = 0;       // data polls / beacons beyond the idle cadence (waiting for a response)
};
// Energy (J) over `elapsed` with the idle poll cadence `idlePollS` (0: none) on top of the floor.
double ocfJoules(const OcfPreset& p, const OcfEnergyTimes& t, SimTime elapsed, double idlePollS);

} // namespace otalab::sim
