// SPDX-License-Identifier: Apache-2.0
// LorawanFleet: the neutral view of its devices (status, results) and the campaign's figures.
#include "sim/lorawan/lorawanfleet.h"

#include "sim/fleet/deviceresults.h"

#include "sim/kernel/simulator.h"

#include <QLocale>

#include <algorithm>
#include <array>
#include <numeric>

namespace otalab::sim {

namespace {

QString seconds(SimTime t) { return QString::number(t.toSeconds(), 'f', 1); }
QString kib(std::uint64_t bytes) { return QString::number(double(bytes) / 1024.0, 'g', 4); }
QString grouped(qint64 n) { return QLocale(QLocale::English).toString(n); }
constexpr const char* kPhaseTimeNames[5] = {"waiting", "downloading", "verifying", "waiting to apply", "applying"};

} // namespace

std::pair<double, double> LorawanFleet::energy(std::size_t i) const
{
    const LorawanDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    const double txDbm = m_config.devices.txPowerDbm;
    const double total = lorawanJoules(m_preset, d.energy, now, txDbm, m_volts);
    if (d.campaignStart == SimTime::max() || d.campaignStart > now)
        return {total, 0.0};
    LorawanEnergyTimes delta = d.energy;
    delta.txNs -= d.energyAtStart.txNs;
    delta.rxNs -= d.energyAtStart.rxNs;
    delta.mcuNs -= d.energyAtStart.mcuNs;
    delta.flashNs -= d.energyAtStart.flashNs;
    const SimTime end = std::min(now, d.finishedAt);
    return {total, lorawanJoules(m_preset, delta, end - d.campaignStart, txDbm, m_volts)};
}

QString LorawanFleet::failureReason(std::size_t i) const
{
    const LorawanDevice& d = m_devices[i];
    using S = LorawanDeviceState;
    if (d.faultWatch)
        if (QString words = faultReason(i); !words.isEmpty())
            return words;   // a scenario fault or attack's (lorawanfleetfaults.cpp)
    switch (d.state) {
    case S::Missed: {
        const int m = m_plan.fragments;
        const int missing = d.fec.fragments() ? d.fec.missingCount() : m;
        QString text = QStringLiteral("missing %1 of %2 fragments after the session (received %3, needed %2)")
                           .arg(missing).arg(m).arg(d.framesReceived);
        if (m_server->groupDeleted() && m_server->groupDeletedAt() < m_server->framesDoneAt())
            text += QStringLiteral("; the multicast group was deleted at %1 s, %2 s after the fragments were queued, so the "
                                   "frames after it were never sent")
                        .arg(seconds(m_server->groupDeletedAt()))
                        .arg(seconds(m_server->groupDeletedAt() - m_server->sessionStart()));
        if (d.framesMissedClosed > 0)
            text += QStringLiteral("; %1 frames came while its session window was closed (clock or the %2 s session timeout)")
                        .arg(d.framesMissedClosed).arg(seconds(m_plan.sessionTimeout));
        if (d.gatewayCount == 0)
            text += QStringLiteral("; no gateway in range");
        return text;
    }
    case S::Rejected:
        return QStringLiteral("image MIC mismatch: the server's data-block MIC does not match the reassembled image (its decoder "
                              "kept a forged fragment that carried a valid multicast MIC); the device dropped the image and keeps "
                              "the running one");
    case S::Unreachable:
        return QStringLiteral("did not answer %1 after %2 attempts (uplinks %3, %4 not heard by any gateway; %5 downlinks received)")
            .arg(lorawanCommandName(d.failedStep, m_plan.classB))
            .arg(m_config.campaign.unicastRetries + 1)
            .arg(d.uplinks).arg(d.uplinksLost).arg(d.downlinks);
    case S::NoSpace:
        return QStringLiteral("refused the fragmentation session: its %1 KiB of flash cannot hold twice the %2 KiB image (needs %3 KiB)")
            .arg(kib(m_config.devices.flashBytes), kib(m_plan.imageBytes), kib(2ull * m_plan.imageBytes));
    default: return QString();
    }
}

DeviceFigures LorawanFleet::figures(std::size_t i) const
{
    const LorawanDevice& d = m_devices[i];
    DeviceFigures f;
    f.bytesTotal = m_plan.imageBytes;
    const int known = d.fec.fragments() ? d.fec.fragments() - d.fec.missingCount() : 0;
    f.bytesReceived = d.state == LorawanDeviceState::Upgraded ? f.bytesTotal
                                                              : std::min<std::uint64_t>(f.bytesTotal, std::uint64_t(known) * std::uint64_t(m_plan.fragmentSize));
    f.requests = d.framesReceived;
    f.retries = d.attempts > 1 ? d.attempts - 1 : 0;
    std::tie(f.energyJ, f.updateEnergyJ) = energy(i);
    return f;
}

DeviceStatus LorawanFleet::status(std::size_t i) const
{
    const LorawanDevice& d = m_devices[i];
    const DeviceFigures f = figures(i);
    DeviceStatus st;
    st.phase = lorawanDevicePhase(d.state);
    st.phaseSinceS = d.stateSince.toSeconds();
    copyFigures(f, st);
    st.version = d.state == LorawanDeviceState::Upgraded ? m_config.image.version : m_config.devices.runningVersion;
    st.machineStates = {{kLorawanDeviceMachine, std::uint16_t(d.state)}};
    const LorawanDataRate rate = *m_phy.dataRate(d.dataRate);
    auto& rows = st.attributes;
    rows.push_back({QStringLiteral("FUOTA step"), lorawanDeviceStateName(d.state)});
    if (m_server->heldForRollout())
        rows.push_back({QStringLiteral("Rollout"), m_server->rolloutText(i)});
    rows.push_back({QStringLiteral("Data rate"), QStringLiteral("DR%1 (SF%2, %3 kHz)").arg(d.dataRate).arg(rate.spreadingFactor).arg(rate.bandwidthHz / 1000)});
    if (d.gatewayCount) {
        rows.push_back({QStringLiteral("Best gateway"), QStringLiteral("%1 (%2 in range)").arg(m_gateways[d.gateway[0]].name).arg(d.gatewayCount)});
        rows.push_back({QStringLiteral("RSSI / SNR"), QStringLiteral("%1 dBm / %2 dB").arg(double(d.rssiDbm), 0, 'f', 1).arg(double(d.uplinkSnrDb[0]), 0, 'f', 1)});
    } else {
        rows.push_back({QStringLiteral("Best gateway"), QStringLiteral("none in range")});
    }
    rows.push_back({QStringLiteral("Multicast link PER"), QStringLiteral("%1 % at DR%2 (before interference)").arg(double(d.multicastLoss) * 100.0, 0, 'f', 2).arg(m_plan.multicastDataRate)});
    const int missing = d.fec.fragments() ? d.fec.missingCount() : m_plan.fragments;
    rows.push_back({QStringLiteral("Fragments"), QStringLiteral("received %1, lost %2, needed %3, missing %4")
                                                    .arg(d.framesReceived).arg(d.framesLost).arg(m_plan.fragments).arg(missing)});
    if (d.fec.fragments())
        rows.push_back({QStringLiteral("Decoder memory"), QStringLiteral("%1 bytes").arg(d.fec.memoryBytes())});
    rows.push_back({QStringLiteral("Uplinks"), QStringLiteral("%1 (%2 heard by no gateway)").arg(d.uplinks).arg(d.uplinksLost)});
    rows.push_back({QStringLiteral("Downlinks received"), QString::number(d.downlinks)});
    rows.push_back({QStringLiteral("Clock"), d.timeSynced ? QStringLiteral("synced (AppTimeAns) at %1 s, drift %2 ppm").arg(seconds(d.syncedAt)).arg(double(d.driftPpm), 0, 'f', 1)
                                                          : QStringLiteral("not synced, drift %1 ppm").arg(double(d.driftPpm), 0, 'f', 1)});
    if (d.sessionOpen > SimTime())
        rows.push_back({QStringLiteral("Session window"), QStringLiteral("%1 s to %2 s (its clock)").arg(seconds(d.sessionOpen), seconds(d.sessionClose))});
    for (int k = 0; k < 5; ++k) {
        double s = double(d.phaseSeconds[std::size_t(k)]);
        if (lorawanDevicePhase(d.state) == FleetPhase(int(FleetPhase::Waiting) + k))
            s += (m_sim.now() - d.stateSince).toSeconds();
        if (s > 0)
            rows.push_back({QStringLiteral("Time %1").arg(QLatin1String(kPhaseTimeNames[k])), QStringLiteral("%1 s").arg(s, 0, 'f', 1)});
    }
    const double mah = f.energyJ / m_volts / 3.6;
    rows.push_back({QStringLiteral("Energy"), QStringLiteral("%1 mAh (update %2 mAh)").arg(mah, 0, 'f', 3).arg(f.updateEnergyJ / m_volts / 3.6, 0, 'f', 3)});
    if (isFinalPhase(st.phase) && st.phase != FleetPhase::Upgraded) {
        st.failureReason = failureReason(i);
        st.failedAtS = d.finishedAt.toSeconds();
    }
    // The fragment bar: received, recovered by FEC, lost (sent by its gateway while it
    // listened, not received), not sent yet.
    if (d.fec.fragments() > 0) {
        PieceMap& p = st.pieces;
        p.unit = QStringLiteral("fragment");
        p.total = d.fec.fragments();
        p.state.assign(std::size_t(p.total), PieceMap::Missing);
        const int sent = d.gatewayCount ? std::min(p.total, m_gateways[d.gateway[0]].lastFrameSent) : 0;
        const bool complete = d.fec.complete() || d.state == LorawanDeviceState::Upgraded;
        for (int k = 0; k < p.total; ++k) {
            if (d.fec.holds(k))
                p.state[std::size_t(k)] = PieceMap::Received;
            else if (complete)
                p.state[std::size_t(k)] = PieceMap::Recovered;
            else if (k < sent)
                p.state[std::size_t(k)] = PieceMap::Lost;
        }
    }
    return st;
}

std::optional<DeviceStatus> LorawanFleet::nodeStatus(NodeId node) const
{
    if (node == m_serverNode) {
        DeviceStatus st;
        st.phase = FleetPhase::Idle;
        st.phaseSinceS = m_server->stepStarted(m_server->state()) == SimTime::max() ? 0.0 : m_server->stepStarted(m_server->state()).toSeconds();
        st.machineStates = {{kFuotaServerMachine, std::uint16_t(m_server->state())}};
        for (NamedValue& row : fleetFigures())
            if (!row.name.endsWith(QLatin1String(" airtime")))
                st.attributes.push_back(std::move(row));
        return st;
    }
    for (const LorawanGateway& g : m_gateways) {
        if (g.node != node)
            continue;
        DeviceStatus st;
        st.phase = FleetPhase::Idle;
        auto& rows = st.attributes;
        rows.push_back({QStringLiteral("State"), g.down ? QStringLiteral("down") : g.sending ? QStringLiteral("sending fragments") : QStringLiteral("up")});
        rows.push_back({QStringLiteral("Devices served"), QString::number(g.served.size())});
        rows.push_back({QStringLiteral("Multicast"), QStringLiteral("%1 frames, %2 s on air (%3 while down)").arg(g.framesSent).arg(g.multicastAirtimeS, 0, 'f', 1).arg(g.framesWhileDown)});
        if (g.beacons)
            rows.push_back({QStringLiteral("Class B beacons"), QString::number(g.beacons)});
        rows.push_back({QStringLiteral("Unicast downlinks"), QStringLiteral("%1, %2 s on air; %3 times no RX1/RX2 slot was free").arg(g.unicastDownlinks).arg(g.unicastAirtimeS, 0, 'f', 1).arg(g.downlinksBlocked)});
        rows.push_back({QStringLiteral("Uplinks heard"), QStringLiteral("%1 (lost: %2 collided, %3 while it transmitted, %4 no free demodulator)").arg(g.uplinksHeard).arg(g.uplinksCollided).arg(g.uplinksWhileTransmitting).arg(g.uplinksNoDemodulator)});
        return st;
    }
    return std::nullopt;
}

std::vector<MachineDescription> LorawanFleet::machines() const
{
    return {lorawanDeviceMachine(), fuotaServerMachine()};
}

FleetFacts LorawanFleet::facts() const
{
    FleetFacts f;
    f.imageBytes = m_plan.imageBytes;
    f.batteryName = m_batteryName;
    f.batteryCapacityMah = m_batteryMah;
    f.batteryVoltageV = m_batteryVolts;
    const QString redundancy = m_config.campaign.redundancyPercent
                                   ? QStringLiteral("%1 %").arg(*m_config.campaign.redundancyPercent)
                                   : QStringLiteral("%1 parity (adaptive)").arg(m_plan.redundancy);
    f.linkDescription = QStringLiteral("%1, %2 gateway%3, class %4 at DR%5, %6 KiB in %7 fragments (%8 B) + %9")
                            .arg(m_phy.regionName())
                            .arg(m_gateways.size())
                            .arg(m_gateways.size() == 1 ? QString() : QStringLiteral("s"))
                            .arg(m_plan.classB ? QStringLiteral("B") : QStringLiteral("C"))
                            .arg(m_plan.multicastDataRate)
                            .arg(kib(m_plan.imageBytes))
                            .arg(grouped(m_plan.fragments))
                            .arg(m_plan.fragmentSize)
                            .arg(redundancy);
    return f;
}

void LorawanFleet::appendResults(std::vector<DeviceResult>& out) const
{
    out.reserve(out.size() + m_devices.size());
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const LorawanDevice& d = m_devices[i];
        const FleetNodeInfo& info = m_nodes[i];
        DeviceResult r = deviceResultFor(*this, info);
        r.parent = d.gatewayCount ? m_gateways[d.gateway[0]].name : QString();
        r.hops = 1;
        const FleetPhase p = lorawanDevicePhase(d.state);
        // Only a scenario's bad image rolls a LoRaWAN device back (LorawanDeviceState::RolledBack).
        r.outcome = outcomeOfPhase(p, d.campaignStart != SimTime::max());
        if (d.campaignStart != SimTime::max())
            r.startS = d.campaignStart.toSeconds();
        if (d.state == LorawanDeviceState::Upgraded)
            r.finishS = d.finishedAt.toSeconds();
        if (r.outcome == DeviceOutcome::Failed || r.outcome == DeviceOutcome::Refused || r.outcome == DeviceOutcome::RolledBack) {
            r.failureReason = failureReason(i);
            r.failedAtS = d.finishedAt.toSeconds();
        }
        const DeviceFigures f = figures(i);
        copyFigures(f, r);
        const double batteryJ = m_batteryMah * 3.6 * m_batteryVolts;
        r.batteryShare = batteryJ > 0 ? r.updateEnergyJ / batteryJ : 0.0;
        r.versionBefore = m_config.devices.runningVersion;
        r.versionAfter = d.state == LorawanDeviceState::Upgraded ? m_config.image.version : r.versionBefore;
        const LorawanDataRate rate = *m_phy.dataRate(d.dataRate);
        auto& a = r.attributes;
        a.push_back({QStringLiteral("Spreading factor"), QString::number(rate.spreadingFactor)});
        a.push_back({QStringLiteral("Best gateway"), r.parent});
        a.push_back({QStringLiteral("RSSI dBm"), QString::number(double(d.rssiDbm), 'f', 1)});
        a.push_back({QStringLiteral("SNR dB"), d.gatewayCount ? QString::number(double(d.uplinkSnrDb[0]), 'f', 1) : QString()});
        a.push_back({QStringLiteral("Fragments received"), QString::number(d.framesReceived)});
        a.push_back({QStringLiteral("Fragments lost"), QString::number(d.framesLost)});
        a.push_back({QStringLiteral("Fragments needed"), QString::number(m_plan.fragments)});
        a.push_back({QStringLiteral("Uplinks"), QString::number(d.uplinks)});
        a.push_back({QStringLiteral("Downlinks"), QString::number(d.downlinks)});
        for (int k = 0; k < 5; ++k)
            a.push_back({QStringLiteral("Time %1 s").arg(QLatin1String(kPhaseTimeNames[k])), QString::number(double(d.phaseSeconds[std::size_t(k)]), 'f', 1)});
        a.push_back({QStringLiteral("Energy mAh"), QString::number(r.energyJ / m_volts / 3.6, 'f', 4)});
        out.push_back(std::move(r));
    }
}

std::vector<NamedValue> LorawanFleet::fleetFigures() const
{
    std::vector<NamedValue> rows;
    const FuotaServer& s = *m_server;
    const auto at = [](SimTime t) { return t == SimTime::max() ? QStringLiteral("—") : QStringLiteral("%1 s").arg(seconds(t)); };
    const auto span = [](SimTime a, SimTime b) {
        return a == SimTime::max() || b == SimTime::max() || b < a ? QStringLiteral("—") : QStringLiteral("%1 s").arg(seconds(b - a));
    };
    using S = FuotaServerState;
    rows.push_back({QStringLiteral("Server step"), fuotaServerStateName(s.state())});
    rows.push_back({QStringLiteral("Data block"), QStringLiteral("%1 B — %2").arg(m_plan.imageBytes).arg(m_dataBlock.description())});
    rows.push_back({QStringLiteral("Fragments"), QStringLiteral("%1 × %2 B + %3 parity (FEC v%4), padding %5 B")
                                                    .arg(m_plan.fragments).arg(m_plan.fragmentSize).arg(m_plan.redundancy)
                                                    .arg(m_plan.fecVersion).arg(m_plan.paddingBytes)});
    if (s.repairFrames() > 0)
        rows.push_back({QStringLiteral("Repair frames"), QString::number(s.repairFrames())});
    rows.push_back({QStringLiteral("Frame airtime"), QStringLiteral("%1 ms (%2 B PHYPayload at DR%3)")
                                                        .arg(m_plan.frameAirtime.toMillis(), 0, 'f', 1).arg(m_plan.framePhyBytes).arg(m_plan.multicastDataRate)});
    rows.push_back({QStringLiteral("Session airtime"), QStringLiteral("%1 s per gateway").arg(seconds(m_plan.sessionAirtime()))});
    rows.push_back({QStringLiteral("Lower bound"), QStringLiteral("%1 s (airtime / %2 % duty cycle at %3 MHz)")
                                                      .arg(seconds(m_plan.lowerBound())).arg(m_plan.dutyCycle * 100.0)
                                                      .arg(double(m_plan.frequencyHz) / 1e6, 0, 'f', 3)});
    rows.push_back({QStringLiteral("Session timeout"), QStringLiteral("%1 s (TimeOut %2)").arg(seconds(m_plan.sessionTimeout)).arg(m_plan.timeoutExponent)});
    rows.push_back({QStringLiteral("Campaign start"), at(campaignStartTime())});
    if (s.heldForRollout())
        appendWaveFigures(rows);   // the rows below describe the running (or last) wave
    rows.push_back({QStringLiteral("Setup"), span(s.stepStarted(S::McGroupSetup), s.stepStarted(S::SendingFragments))});
    rows.push_back({QStringLiteral("Session (first frame to last)"), span(s.stepStarted(S::SendingFragments), s.framesDoneAt())});
    rows.push_back({QStringLiteral("Status and repair"), span(s.stepStarted(S::FragStatus), s.completeAt())});
    SimTime lastDone;
    for (const LorawanDevice& d : m_devices)
        if (d.finishedAt != SimTime::max())
            lastDone = std::max(lastDone, d.finishedAt);
    rows.push_back({QStringLiteral("Last device final"), lastDone > SimTime() ? at(lastDone) : QStringLiteral("—")});
    if (s.groupDeleted())
        rows.push_back({QStringLiteral("Group deleted"), at(s.groupDeletedAt())});
    // Per-device figures in aggregate (the per-device values are in the results' attributes).
    int upgraded = 0, missed = 0, rejected = 0, unreachable = 0, refused = 0;
    std::vector<float> received, lost, uplinks, downlinks, mah;
    std::array<std::vector<float>, 5> phase;
    received.reserve(m_devices.size());
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const LorawanDevice& d = m_devices[i];
        switch (d.state) {
        case LorawanDeviceState::Upgraded: ++upgraded; break;
        case LorawanDeviceState::Missed: ++missed; break;
        case LorawanDeviceState::Rejected: ++rejected; break;
        case LorawanDeviceState::Unreachable: ++unreachable; break;
        case LorawanDeviceState::NoSpace: ++refused; break;
        default: break;
        }
        if (d.campaignStart == SimTime::max())
            continue;
        received.push_back(float(d.framesReceived));
        lost.push_back(float(d.framesLost));
        uplinks.push_back(float(d.uplinks));
        downlinks.push_back(float(d.downlinks));
        mah.push_back(float(energy(i).second / m_volts / 3.6));
        for (std::size_t k = 0; k < phase.size(); ++k)
            if (d.phaseSeconds[k] > 0)
                phase[k].push_back(d.phaseSeconds[k]);
    }
    const auto spread = [](std::vector<float>& v, int decimals) {
        if (v.empty())
            return QStringLiteral("—");
        std::sort(v.begin(), v.end());
        const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
        return QStringLiteral("median %1, mean %2, p95 %3, max %4")
            .arg(double(v[v.size() / 2]), 0, 'f', decimals).arg(mean, 0, 'f', decimals)
            .arg(double(v[std::min(v.size() - 1, v.size() * 95 / 100)]), 0, 'f', decimals).arg(double(v.back()), 0, 'f', decimals);
    };
    rows.push_back({QStringLiteral("Devices"), QStringLiteral("%1 upgraded; failed: %2 missed fragments, %3 MIC mismatch, %4 unreachable; %5 refused (flash)")
                                                  .arg(upgraded).arg(missed).arg(rejected).arg(unreachable).arg(refused)});
    rows.push_back({QStringLiteral("Frames received per device"), spread(received, 0)});
    rows.push_back({QStringLiteral("Frames lost per device"), spread(lost, 1)});
    rows.push_back({QStringLiteral("Uplinks per device"), spread(uplinks, 0)});
    rows.push_back({QStringLiteral("Downlinks per device"), spread(downlinks, 1)});
    for (std::size_t k = 0; k < phase.size(); ++k)
        if (!phase[k].empty())
            rows.push_back({QStringLiteral("Time %1 (s)").arg(QLatin1String(kPhaseTimeNames[k])), spread(phase[k], 0)});
    rows.push_back({QStringLiteral("Update energy per device (mAh)"), spread(mah, 3)});
    const SimTime from = campaignStartTime();
    const double elapsed = from == SimTime::max() ? 0.0 : (m_sim.now() - from).toSeconds();
    const int band = m_phy.subBand(m_plan.frequencyHz);
    for (const LorawanGateway& g : m_gateways) {
        const double used = elapsed > 0 ? g.bandAirtimeS[std::size_t(band)] / (elapsed * m_plan.dutyCycle) : 0.0;
        rows.push_back({QStringLiteral("%1 airtime").arg(g.name),
                        QStringLiteral("multicast %1 s (%2 frames), unicast %3 s (%4 downlinks, %5 blocked), %6 % of the %7 % budget since the campaign began")
                            .arg(g.multicastAirtimeS, 0, 'f', 1).arg(g.framesSent).arg(g.unicastAirtimeS, 0, 'f', 1)
                            .arg(g.unicastDownlinks).arg(g.downlinksBlocked).arg(used * 100.0, 0, 'f', 1).arg(m_plan.dutyCycle * 100.0)});
    }
    return rows;
}

} // namespace otalab::sim
