// SPDX-License-Identifier: Apache-2.0
// Datasheet figures of the jobs family's device presets.
//
// esp32-wifi — Espressif ESP32-WROOM-32 datasheet v3.4, table "RF Power-Consumption
//   Specifications": TX 802.11b 1 Mbit/s at 19.5 dBm 240 mA, RX 802.11b/g/n 95–100 mA
//   (100 mA used); "Power Consumption by Power Modes": modem-sleep 20–68 mA (CPU 80–240
//   MHz; 30 mA used while connected between frames and busy CPU 50 mA), light-sleep
//   0.8 mA, deep sleep 10 µA. In Wi-Fi power save the station wakes for each DTIM beacon
//   (≈ 2 ms at RX current). 3.3 V. Flash: the module's 4 MB SPI NOR (W25Q32JV class):
//   4 KiB sector erase 45 ms typ., page program 0.4 ms per 256 B (6.4 ms per 4 KiB) at
//   ≈ 15 mA. Hardware SHA ≈ 20 MB/s, mbedTLS ECDSA P-256 verify ≈ 60 ms at 240 MHz;
//   reboot + second-stage bootloader ≈ 0.6 s; Wi-Fi association + DHCP + TLS + MQTT ≈ 2.5 s.
// nrf9160-ltem / nrf9160-nbiot — Nordic nRF9160 Product Specification v2.1: PSM floor
//   2.7 µA; LTE-M TX up to ≈ 250 mA peak at 23 dBm (≈ 120 mA average over a transmission
//   at typical power used), RX ≈ 46 mA; connected DRX ≈ 5 mA between frames; paging
//   occasion ≈ 10 ms at RX current; NB-IoT TX ≈ 220 mA peak (110 mA average used). 3.7 V
//   (Li-ion). Cortex-M33 at 64 MHz ≈ 3 mA busy. Internal flash (NVMC): 4 KiB page erase
//   ≈ 87 ms, word write 41 µs (≈ 42 ms per 4 KiB) at ≈ 7 mA. CryptoCell 310 SHA-256
//   ≈ 8 MB/s, ECDSA verify ≈ 40 ms. MCUboot swap of a 512 KiB image ≈ 15 s (reboot 16 s),
//   LTE attach + TLS + MQTT ≈ 4 s (LTE-M), ≈ 12 s (NB-IoT).
// Self-test: the application's own check after the first boot; 5 s is a lab default.
#include "sim/jobs/jobspreset.h"

#include <algorithm>

namespace otalab::sim {

std::optional<JobsDevicePreset> JobsDevicePreset::byName(const QString& name)
{
    JobsDevicePreset p;
    p.name = name;
    p.selfTestS = 5.0;
    if (name == QLatin1String("esp32-wifi")) {
        p.module = QStringLiteral("ESP32-WROOM-32 (Wi-Fi)");
        p.link = JobsLinkKind::Wifi;
        p.volts = 3.3;
        p.txA = 0.240;
        p.rxA = 0.100;
        p.connectedIdleA = 0.030;
        p.sleepA = 0.8e-3;
        p.pagingA = 0.100;
        p.pagingS = 0.002;
        p.cpuA = 0.050;
        p.flashA = 0.015;
        p.flashEraseSPer4K = 0.045;
        p.flashWriteSPer4K = 0.0064;
        p.hashBytesPerS = 20e6;
        p.verifyS = 0.060;
        p.rebootS = 0.6;
        p.reconnectS = 2.5;
        return p;
    }
    if (name == QLatin1String("nrf9160-ltem") || name == QLatin1String("nrf9160-nbiot")) {
        const bool nb = name == QLatin1String("nrf9160-nbiot");
        p.module = nb ? QStringLiteral("nRF9160 (NB-IoT)") : QStringLiteral("nRF9160 (LTE-M)");
        p.link = nb ? JobsLinkKind::NbIot : JobsLinkKind::LteM;
        p.volts = 3.7;
        p.txA = nb ? 0.110 : 0.120;
        p.rxA = 0.046;
        p.connectedIdleA = 0.005;
        p.sleepA = 2.7e-6;
        p.pagingA = 0.046;
        p.pagingS = 0.010;
        p.cpuA = 0.003;
        p.flashA = 0.007;
        p.flashEraseSPer4K = 0.087;
        p.flashWriteSPer4K = 0.042;
        p.hashBytesPerS = 8e6;
        p.verifyS = 0.040;
        p.rebootS = 16.0;
        p.reconnectS = nb ? 12.0 : 4.0;
        return p;
    }
    return std::nullopt;
}

QString JobsDevicePreset::names()
{
    return QStringLiteral("\"esp32-wifi\", \"nrf9160-ltem\", \"nrf9160-nbiot\"");
}

double jobsJoules(const JobsDevicePreset& p, const JobsEnergyTimes& t, SimTime elapsed, double idleA, SimTime rrcSetup)
{
    const double s = 1e-9;
    const double radioBusy = double(t.txNs + t.rxNs);
    const double connectedIdle = std::max(0.0, double(t.connectedNs) - radioBusy);
    const double rest = std::max(0.0, double(elapsed.nanos() - t.connectedNs - t.cpuNs));
    double coulombs = double(t.txNs) * s * p.txA + double(t.rxNs) * s * p.rxA + connectedIdle * s * p.connectedIdleA +
                      double(t.cpuNs) * s * p.cpuA + double(t.flashNs) * s * p.flashA + rest * s * idleA;
    coulombs += double(t.pagings) * p.pagingS * p.pagingA;
    coulombs += double(t.connections) * rrcSetup.toSeconds() * 0.5 * (p.txA + p.rxA);
    return coulombs * p.volts;
}

double jobsIdleCurrentA(const JobsDevicePreset& p, const JobsPowerSaving& ps)
{
    const double cycle = ps.pagingCycle.toSeconds();
    const double listening = cycle > 0 ? p.sleepA + p.pagingA * p.pagingS / cycle : p.connectedIdleA;
    if (!ps.psmTau)
        return listening;
    const double tau = ps.psmTau->toSeconds();
    const double active = std::min(tau, ps.psmActive.toSeconds());
    return (active * listening + (tau - active) * p.sleepA) / tau;
}

} // namespace otalab::sim
