// SPDX-License-Identifier: Apache-2.0
// OcfFleet: the neutral view of its devices (status, results), its machines as data and
// the fleet's figures.
#include "sim/ocf/ocffleet.h"
#include "sim/ocf/ocfplatform.h"

#include "sim/fleet/deviceresults.h"
#include "sim/kernel/simulator.h"

#include <QLocale>

#include <algorithm>

namespace otalab::sim {

namespace {

QString grouped(qint64 n) { return QLocale(QLocale::English).toString(n); }

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t k = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    return v[k];
}

} // namespace

FleetPhase ocfStepPhase(OcfStep step)
{
    using S = OcfStep;
    switch (step) {
    case S::Unconfigured:
    case S::Scheduled: return FleetPhase::Waiting;
    case S::Downloading: return FleetPhase::Downloading;
    case S::Verifying: return FleetPhase::Verifying;
    case S::WaitingToApply: return FleetPhase::WaitingToApply;
    case S::Applying: return FleetPhase::Applying;
    case S::Upgraded: return FleetPhase::Upgraded;
    case S::Failed: return FleetPhase::Failed;
    case S::Refused: return FleetPhase::Refused;
    case S::RolledBack: return FleetPhase::RolledBack;
    }
    return FleetPhase::Waiting;
}

QString ocfStepName(OcfStep step)
{
    static const char* const names[kOcfStepCount] = {"not configured", "scheduled", "downloading (svv)", "verifying (svv)",
                                                     "waiting for updatetime (sva)", "upgrading", "upgraded", "failed",
                                                     "refused (SVV fail)", "rolled back"};
    return QString::fromLatin1(names[int(step)]);
}

std::vector<MachineDescription> OcfFleet::machines() const
{
    std::vector<MachineDescription> out;
    {
        MachineDescription m;
        m.id = kOcfSwUpdateMachine;
        m.name = QStringLiteral("oic.r.softwareupdate swupdatestate");
        m.note = QStringLiteral("core/ocf SwUpdateDevice: upgrade → svv (block-wise download, validate) → sva → upgrading at updatetime → idle with swupdateresult");
        m.states = {QStringLiteral("idle"), QStringLiteral("nsa"), QStringLiteral("svv"), QStringLiteral("sva"), QStringLiteral("upgrading")};
        m.phaseOfState = {FleetPhase::Waiting, FleetPhase::Waiting, FleetPhase::Downloading, FleetPhase::WaitingToApply, FleetPhase::Applying};
        m.transitions = {{MachineTransition::kMachineStart, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {3, 0}, {4, 0}, {2, 4}};
        out.push_back(std::move(m));
    }
    {
        using S = OcfStep;
        MachineDescription m;
        m.id = kOcfPhaseMachine;
        m.name = QStringLiteral("OCF update on the device");
        m.note = QStringLiteral("the client's POST (purl, updatetime, upgrade) → download → verify → wait for updatetime → MCUboot swap → result");
        for (int k = 0; k < kOcfStepCount; ++k) {
            m.states << ocfStepName(S(k));
            m.phaseOfState.push_back(ocfStepPhase(S(k)));
        }
        const auto edge = [&m](S from, S to) { m.transitions.push_back({int(from), int(to)}); };
        m.transitions.push_back({MachineTransition::kMachineStart, int(S::Unconfigured)});
        edge(S::Unconfigured, S::Scheduled);
        edge(S::Unconfigured, S::Downloading);
        edge(S::Scheduled, S::Downloading);
        edge(S::Downloading, S::Verifying);
        edge(S::Downloading, S::Failed);
        edge(S::Verifying, S::WaitingToApply);
        edge(S::Verifying, S::Refused);
        edge(S::WaitingToApply, S::Applying);
        edge(S::Applying, S::Upgraded);
        edge(S::Applying, S::RolledBack);
        for (S retry : {S::Failed, S::Refused, S::RolledBack})
            edge(retry, S::Scheduled);
        out.push_back(std::move(m));
    }
    return out;
}

std::pair<double, double> OcfFleet::energy(std::size_t i) const
{
    const OcfDevice& d = m_devices[i];
    const OcfGroup& g = m_groups[d.group];
    const SimTime now = m_sim.now();
    const double total = ocfJoules(*g.preset, d.energy, now, g.idlePollS);
    if (d.startedAt == SimTime::max() || d.startedAt > now)
        return {total, 0.0};
    OcfEnergyTimes delta = d.energy;
    const OcfEnergyTimes& a = d.energyAtStart;
    delta.txNs -= a.txNs;
    delta.rxNs -= a.rxNs;
    delta.awakeNs -= a.awakeNs;
    delta.cpuNs -= a.cpuNs;
    delta.flashNs -= a.flashNs;
    delta.polls -= a.polls;
    const SimTime end = d.finishedAt != SimTime::max() ? std::min(now, d.finishedAt) : now;
    return {total, ocfJoules(*g.preset, delta, end - d.startedAt, g.idlePollS)};
}

QString OcfFleet::failureReason(std::size_t i) const
{
    const OcfDevice& d = m_devices[i];
    const auto it = m_reasons.find(std::uint32_t(i));
    const QString words = it != m_reasons.end() ? it->second : QString();
    const QString result = core::ocf::swUpdateResultText(core::ocf::SwUpdateResult(d.swResult));
    switch (d.step) {
    case OcfStep::Failed:
        return QStringLiteral("swupdateresult %1: %2").arg(result, words);
    case OcfStep::Refused:
        return QStringLiteral("swupdateresult %1: %2 (image %3 refused; %4 runs on)").arg(result, words, m_images->image(d.storedVariant)->path, runningVersion(i));
    case OcfStep::RolledBack:
        return QStringLiteral("swupdateresult %1: %2 (MCUboot reverted to %3)").arg(result, words, runningVersion(i));
    default: break;
    }
    return QString();
}

DeviceFigures OcfFleet::figures(std::size_t i) const
{
    const OcfDevice& d = m_devices[i];
    DeviceFigures f;
    f.bytesTotal = std::uint64_t(m_images->image(d.storedVariant)->bytes.size());
    f.bytesReceived = d.step == OcfStep::Upgraded ? f.bytesTotal : d.stored;
    f.requests = d.requests;
    f.retries = d.retransmissions;
    std::tie(f.energyJ, f.updateEnergyJ) = energy(i);
    return f;
}

DeviceStatus OcfFleet::status(std::size_t i) const
{
    const OcfDevice& d = m_devices[i];
    const OcfGroup& g = m_groups[d.group];
    const DeviceFigures f = figures(i);
    DeviceStatus st;
    st.phase = ocfStepPhase(d.step);
    st.phaseSinceS = d.stepSince.toSeconds();
    copyFigures(f, st);
    st.version = runningVersion(i);
    st.machineStates = {{kOcfSwUpdateMachine, std::uint16_t(d.swState)}, {kOcfPhaseMachine, std::uint16_t(d.step)}};
    auto& rows = st.attributes;
    const core::ocf::SwUpdateDevice* machine = machineOf(i);
    rows.push_back({QStringLiteral("swupdatestate"), core::ocf::swUpdateStateName(core::ocf::SwUpdateState(d.swState))});
    rows.push_back({QStringLiteral("swupdateresult"), core::ocf::swUpdateResultText(core::ocf::SwUpdateResult(d.swResult))});
    const core::ocf::SwUpdateResource* resource = machine ? &machine->resource() : d.kept ? &d.kept->resource : nullptr;
    rows.push_back({QStringLiteral("nv"), resource ? resource->nv : QString()});
    rows.push_back({QStringLiteral("purl"), resource ? resource->purl : QString()});
    rows.push_back({QStringLiteral("updatetime"), resource ? resource->updateTime.toString() : QStringLiteral("none")});
    rows.push_back({QStringLiteral("lastupdate"), resource ? resource->lastUpdate : QString()});
    rows.push_back({QStringLiteral("Device clock"), core::ocf::rfc3339(deviceClockMs(i))});
    rows.push_back({QStringLiteral("User data"), d.userDataKept ? QStringLiteral("kept (%1 B)").arg(m_config.userDataBytes) : QStringLiteral("LOST")});
    rows.push_back({QStringLiteral("Link"), g.kind == OcfLinkKind::Thread
                                                ? QStringLiteral("Thread SED, %1 hop(s) to %2, polls every %3 ms").arg(d.link.hops).arg(m_nodes[m_devices.size() + d.gateway].name).arg(g.idlePollS * 1000.0)
                                                : QStringLiteral("Wi-Fi via %1: %2 ms one-way, %3 kbit/s").arg(m_nodes[m_devices.size() + d.gateway].name)
                                                      .arg(double(d.link.latencyNs) / 1e6, 0, 'f', 1).arg(double(d.link.bytesPerS) * 8.0 / 1000.0, 0, 'f', 0)});
    rows.push_back({QStringLiteral("CoAP requests"), QStringLiteral("%1 (%2 retransmitted)").arg(d.requests).arg(d.retransmissions)});
    if (d.powerCuts)
        rows.push_back({QStringLiteral("Power cuts"), QString::number(d.powerCuts)});
    rows.push_back({QStringLiteral("Energy"), QStringLiteral("%1 mAh (update %2 mAh)").arg(f.energyJ / g.preset->volts / 3.6, 0, 'f', 4)
                                                 .arg(f.updateEnergyJ / g.preset->volts / 3.6, 0, 'f', 4)});
    if (isFinalPhase(st.phase) && st.phase != FleetPhase::Upgraded) {
        st.failureReason = failureReason(i);
        st.failedAtS = d.finishedAt.toSeconds();
    }
    return st;
}

std::optional<DeviceStatus> OcfFleet::nodeStatus(NodeId node) const
{
    if (node != m_serverNode && node != m_clientNode)
        return std::nullopt;
    DeviceStatus st;
    st.phase = FleetPhase::Idle;
    st.attributes = fleetFigures();
    return st;
}

FleetFacts OcfFleet::facts() const
{
    FleetFacts f;
    f.imageBytes = std::uint64_t(m_images->image(OcfImageVariant::Release)->bytes.size());
    QStringList parts;
    for (const OcfGroup& g : m_groups)
        parts << QStringLiteral("%1 × %2").arg(grouped(g.count), g.preset->module);
    f.linkDescription = QStringLiteral("CoAP over %1; Block2 of %2 B; updatetime %3").arg(parts.join(QStringLiteral(", "))).arg(m_config.image.blockSize).arg(m_updateTimeText);
    if (m_groups.size() == 1 && m_groups.front().kind == OcfLinkKind::Thread) {
        f.batteryName = QStringLiteral("2 × AA (2,500 mAh)");
        f.batteryCapacityMah = 2500;
        f.batteryVoltageV = 3.0;
    }
    return f;
}

void OcfFleet::appendResults(std::vector<DeviceResult>& out) const
{
    out.reserve(out.size() + m_devices.size());
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const OcfDevice& d = m_devices[i];
        const OcfGroup& g = m_groups[d.group];
        DeviceResult r = deviceResultFor(*this, m_nodes[i]);
        r.parent = m_nodes[m_devices.size() + d.gateway].name;
        r.hops = g.kind == OcfLinkKind::Thread ? d.link.hops : 1;
        r.outcome = outcomeOfPhase(ocfStepPhase(d.step), d.startedAt != SimTime::max());
        if (d.startedAt != SimTime::max())
            r.startS = d.startedAt.toSeconds();
        if (d.step == OcfStep::Upgraded)
            r.finishS = d.finishedAt.toSeconds();
        if (r.outcome == DeviceOutcome::Failed || r.outcome == DeviceOutcome::Refused || r.outcome == DeviceOutcome::RolledBack) {
            r.failureReason = failureReason(i);
            r.failedAtS = d.finishedAt.toSeconds();
        }
        copyFigures(figures(i), r);
        r.versionBefore = m_images->runningVersion();
        r.versionAfter = runningVersion(i);
        auto& a = r.attributes;
        a.push_back({QStringLiteral("swupdatestate"), core::ocf::swUpdateStateName(core::ocf::SwUpdateState(d.swState))});
        a.push_back({QStringLiteral("swupdateresult"), QString::number(d.swResult)});
        a.push_back({QStringLiteral("Link"), ocfLinkName(g.kind)});
        a.push_back({QStringLiteral("Applied s"), d.upgradingAt == SimTime::max() ? QString() : QString::number(d.upgradingAt.toSeconds(), 'f', 1)});
        a.push_back({QStringLiteral("Clock offset s"), QString::number(double(d.clockOffsetMs) / 1000.0, 'f', 1)});
        a.push_back({QStringLiteral("Power cuts"), QString::number(d.powerCuts)});
        a.push_back({QStringLiteral("User data"), d.userDataKept ? QStringLiteral("kept") : QStringLiteral("LOST")});
        a.push_back({QStringLiteral("Energy mAh"), QString::number(r.energyJ / g.preset->volts / 3.6, 'f', 4)});
        out.push_back(std::move(r));
    }
}

std::vector<NamedValue> OcfFleet::fleetFigures() const
{
    std::vector<NamedValue> rows;
    const OcfCounters& s = m_counters;
    int thread = 0, wifi = 0;
    for (const OcfGroup& g : m_groups)
        (g.kind == OcfLinkKind::Thread ? thread : wifi) += int(g.count);
    rows.push_back({QStringLiteral("Devices per link"), QStringLiteral("%1 thread, %2 wifi; %3 homes").arg(grouped(thread), grouped(wifi), grouped(qint64(m_gatewayDownUntil.size())))});
    const OcfImage* release = m_images->image(OcfImageVariant::Release);
    rows.push_back({QStringLiteral("Image"), QStringLiteral("%1 %2 B (MCUboot, Ed25519) in Block2 of %3 B").arg(release->path, grouped(release->bytes.size())).arg(m_config.image.blockSize)});
    rows.push_back({QStringLiteral("updatetime"), m_updateAt ? QStringLiteral("%1 (t = %2 s)").arg(m_updateTimeText).arg(m_updateAt->toSeconds(), 0, 'f', 0) : m_updateTimeText});
    if (m_updateAt)
        rows.push_back({QStringLiteral("Devices per state at updatetime"), QStringLiteral("idle %1, nsa %2, svv %3, sva %4, upgrading %5")
                                                                                .arg(m_statesAtUpdate[0]).arg(m_statesAtUpdate[1]).arg(m_statesAtUpdate[2])
                                                                                .arg(m_statesAtUpdate[3]).arg(m_statesAtUpdate[4])});
    std::vector<double> applyS, offsetS, downloadS;
    int counts[kOcfStepCount] = {};
    int dataLost = 0;
    for (const OcfDevice& d : m_devices) {
        ++counts[int(d.step)];
        dataLost += !d.userDataKept;
        if (d.step == OcfStep::Upgraded && d.upgradingAt != SimTime::max()) {
            applyS.push_back((d.finishedAt - d.upgradingAt).toSeconds());
            if (m_updateAt)
                offsetS.push_back((d.upgradingAt - *m_updateAt).toSeconds());
        }
        if (d.startedAt != SimTime::max() && d.validatedAt != SimTime::max())
            downloadS.push_back((d.validatedAt - d.startedAt).toSeconds());
    }
    QStringList steps;
    for (int k = 0; k < kOcfStepCount; ++k)
        if (counts[k])
            steps << QStringLiteral("%1 %2").arg(counts[k]).arg(ocfStepName(OcfStep(k)));
    rows.push_back({QStringLiteral("Devices"), steps.join(QStringLiteral(", "))});
    rows.push_back({QStringLiteral("Apply time (upgrading → result 1)"), QStringLiteral("p50 %1 s, p95 %2 s").arg(percentile(applyS, 0.5), 0, 'f', 1).arg(percentile(applyS, 0.95), 0, 'f', 1)});
    if (!offsetS.empty())
        rows.push_back({QStringLiteral("Apply start vs updatetime"), QStringLiteral("min %1 s, p50 %2 s, max %3 s (device clocks)")
                                                                         .arg(*std::min_element(offsetS.begin(), offsetS.end()), 0, 'f', 1)
                                                                         .arg(percentile(offsetS, 0.5), 0, 'f', 1)
                                                                         .arg(*std::max_element(offsetS.begin(), offsetS.end()), 0, 'f', 1)});
    rows.push_back({QStringLiteral("Download + validate"), QStringLiteral("p50 %1 s, p95 %2 s").arg(percentile(downloadS, 0.5), 0, 'f', 1).arg(percentile(downloadS, 0.95), 0, 'f', 1)});
    rows.push_back({QStringLiteral("User data"), dataLost ? QStringLiteral("LOST on %1 devices").arg(dataLost) : QStringLiteral("kept on every device")});
    rows.push_back({QStringLiteral("Client"), QStringLiteral("%1 POSTs (%2 retransmitted, %3 given up), %4 accepted, %5 devices asked again, %6 refused 4.01")
                                                 .arg(grouped(qint64(s.posts)), grouped(qint64(s.postRetransmissions)), grouped(qint64(s.postsGivenUp)),
                                                      grouped(qint64(s.configured)), grouped(qint64(s.reasked)), grouped(qint64(s.unauthorised)))});
    rows.push_back({QStringLiteral("Image server"), QStringLiteral("%1 block requests, %2 blocks (%3 MB) served, %4 dropped while down; busy %5 s, longest queue %6 s")
                                                       .arg(grouped(qint64(s.blockRequests)), grouped(qint64(s.blocksServed)))
                                                       .arg(double(s.bytesServed) / 1e6, 0, 'f', 1).arg(grouped(qint64(s.droppedAtServer)))
                                                       .arg(s.serverBusyS, 0, 'f', 1).arg(s.maxServerQueueS, 0, 'f', 3)});
    rows.push_back({QStringLiteral("Links"), QStringLiteral("%1 datagrams lost, %2 802.15.4 frames").arg(grouped(qint64(s.datagramsLost)), grouped(qint64(s.frames)))});
    return rows;
}

} // namespace otalab::sim
