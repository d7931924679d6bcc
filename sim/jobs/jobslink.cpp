// SPDX-License-Identifier: Apache-2.0
// Typical figures of the jobs family's links.
//
// Wi-Fi (ESP32 in a home/office network to a cloud broker): one-way latency 5–20 ms
//   (15 ms used); ESP-IDF's iperf example gives 20+ Mbit/s TCP on an ESP32, MQTT over TLS
//   through mbedTLS sustains a few Mbit/s (4 Mbit/s down, 2 Mbit/s up used); DTIM 3 ×
//   102.4 ms beacon interval = 307.2 ms listen interval in modem/light sleep (ESP-IDF
//   "Wi-Fi power saving": the station wakes at each DTIM to hear buffered frames).
// LTE-M (3GPP Rel-13 Cat-M1, TR 36.888 / TS 36.306): PHY peaks ≈ 1 Mbit/s; the nRF9160
//   product specification gives ≈ 300 kbit/s down / 375 kbit/s up for Cat-M1 in HD-FDD,
//   250/250 kbit/s application throughput used; one-way latency 50–150 ms (100 ms used);
//   RRC connection set-up (random access + RRCConnectionSetup) ≈ 150 ms; operators release
//   RRC after 10–20 s without data (10 s used); DRX paging cycle 2.56 s (TS 36.304 default
//   paging cycle 128–256 frames).
// NB-IoT (Rel-13 Cat-NB1, TR 45.820 targets ≤ 10 s latency at 164 dB MCL): one-way latency
//   1.6–10 s (2 s used), ≈ 26 kbit/s down / 62 kbit/s up PHY peak in Cat-NB1 (25 / 50 kbit/s
//   used), RRC set-up ≈ 1.5 s in normal coverage, 10 s inactivity, DRX 2.56 s.
// Loss: messages the agent never gets an answer to (TCP resets, broker throttling):
//   0.1 % Wi-Fi, 0.5 % LTE-M, 1 % NB-IoT.
#include "sim/jobs/jobslink.h"

#include <algorithm>

namespace otalab::sim {

QString jobsLinkName(JobsLinkKind kind)
{
    switch (kind) {
    case JobsLinkKind::Wifi: return QStringLiteral("wifi");
    case JobsLinkKind::LteM: return QStringLiteral("lte-m");
    case JobsLinkKind::NbIot: return QStringLiteral("nb-iot");
    }
    return QStringLiteral("wifi");
}

JobsLinkDefaults jobsLinkDefaults(JobsLinkKind kind)
{
    JobsLinkDefaults d;
    switch (kind) {
    case JobsLinkKind::Wifi:
        d = {15.0, 4000.0, 2000.0, 0.1, 0.0, 0.0, 0.0, 307.2};
        break;
    case JobsLinkKind::LteM:
        d = {100.0, 250.0, 250.0, 0.5, 150.0, 10.0, 2.56, 0.0};
        break;
    case JobsLinkKind::NbIot:
        d = {2000.0, 25.0, 50.0, 1.0, 1500.0, 10.0, 2.56, 0.0};
        break;
    }
    return d;
}

namespace {

// The first instant ≥ t of the grid phase + k × cycle.
SimTime nextOnGrid(SimTime t, std::int64_t phase, std::int64_t cycle)
{
    if (cycle <= 0)
        return t;
    std::int64_t k = (t.nanos() - phase) / cycle;
    std::int64_t at = phase + k * cycle;
    while (at < t.nanos())
        at += cycle;
    return SimTime::fromNanos(at);
}

} // namespace

SimTime JobsPowerSaving::reachableAt(SimTime t, SimTime connectedUntil, std::int64_t phase) const
{
    if (t <= connectedUntil)
        return t;
    if (kind == JobsLinkKind::Wifi)
        return nextOnGrid(t, phase % std::max<std::int64_t>(1, pagingCycle.nanos()), pagingCycle.nanos());
    // Idle: reachable by paging until the active timer runs out (PSM), else always.
    bool listening = true;
    if (psmTau)
        listening = connectedUntil != SimTime::min() && t <= connectedUntil + psmActive;
    if (listening) {
        const SimTime page = nextOnGrid(t, phase % std::max<std::int64_t>(1, pagingCycle.nanos()), pagingCycle.nanos());
        if (!psmTau || page <= connectedUntil + psmActive)
            return page + rrcSetup;
    }
    // Asleep in PSM: the next periodic TAU wakes it (the device connects, the broker
    // delivers the QoS 1 message it held for the persistent session).
    return nextOnGrid(t, phase % psmTau->nanos(), psmTau->nanos()) + rrcSetup;
}

bool JobsPowerSaving::inPsm(SimTime t, SimTime connectedUntil) const
{
    if (!psmTau || t <= connectedUntil)
        return false;
    return connectedUntil == SimTime::min() || t > connectedUntil + psmActive;
}

QString JobsPowerSaving::describe() const
{
    if (kind == JobsLinkKind::Wifi)
        return pagingCycle > SimTime() ? QStringLiteral("power save, DTIM listen interval %1 ms").arg(pagingCycle.toMillis(), 0, 'f', 1)
                                       : QStringLiteral("always awake");
    QString s;
    if (psmTau)
        s = QStringLiteral("PSM (T3412 %1 s, T3324 %2 s), ").arg(psmTau->toSeconds(), 0, 'f', 0).arg(psmActive.toSeconds(), 0, 'f', 0);
    s += QStringLiteral("paging every %1 s, RRC set-up %2 ms, release after %3 s")
             .arg(pagingCycle.toSeconds(), 0, 'f', 2).arg(rrcSetup.toMillis(), 0, 'f', 0).arg(inactivity.toSeconds(), 0, 'f', 0);
    return s;
}

} // namespace otalab::sim
