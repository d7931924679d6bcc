// SPDX-License-Identifier: Apache-2.0
// JobsFleet: the neutral view of its devices (status, results) and the fleet's figures.
#include "sim/jobs/jobsfleet.h"

#include "sim/fleet/deviceresults.h"

#include "sim/kernel/simulator.h"

#include <QLocale>

#include <algorithm>
#include <map>
#include <numeric>

namespace otalab::sim {

namespace {

QString seconds(SimTime t) { return QString::number(t.toSeconds(), 'f', 1); }
QString grouped(qint64 n) { return QLocale(QLocale::English).toString(n); }

} // namespace

std::pair<double, double> JobsFleet::energy(std::size_t i) const
{
    const JobsDevice& d = m_devices[i];
    const JobsGroup& g = m_groups[d.group];
    const SimTime now = m_sim.now();
    JobsEnergyTimes t = d.energy;
    if (d.sessionStart != SimTime::min()) {
        const SimTime end = std::min(now, d.connectedUntil);
        if (end > d.sessionStart)
            t.connectedNs += (end - d.sessionStart).nanos();
    }
    const double total = jobsJoules(g.preset, t, now, g.idleA, g.power.rrcSetup);
    if (d.startedAt == SimTime::max() || d.startedAt > now)
        return {total, 0.0};
    JobsEnergyTimes delta = t;
    const JobsEnergyTimes& a = d.energyAtStart;
    delta.txNs -= a.txNs;
    delta.rxNs -= a.rxNs;
    delta.connectedNs -= a.connectedNs;
    delta.cpuNs -= a.cpuNs;
    delta.flashNs -= a.flashNs;
    delta.pagings -= a.pagings;
    delta.connections -= a.connections;
    const SimTime end = d.finishedAt != SimTime::max() && isFinalPhase(jobsStepPhase(d.step)) ? std::min(now, d.finishedAt) : now;
    return {total, jobsJoules(g.preset, delta, end - d.startedAt, g.idleA, g.power.rrcSetup)};
}

QString JobsFleet::failureReason(std::size_t i) const
{
    const JobsDevice& d = m_devices[i];
    // The agent's own words first (AgentJobEnded::reason / lastFailure), then the model's.
    const auto it = m_reasons.find(std::uint32_t(i));
    const QString agentWords = it != m_reasons.end() && !it->second.isEmpty() ? it->second + QStringLiteral(" — ") : QString();
    switch (d.end) {
    case JobsEnd::SelfTestFailed:
        if (it != m_reasons.end() && it->second == core::awsota::rebootReasonWords(core::awsota::RebootReason::SelfTestTimeout))
            return agentWords + QStringLiteral("the job's self-test confirmation did not come back within the self-test timer (a scenario "
                                               "broker crash or outage): the new image was not committed, rolled back to %1")
                .arg(m_config.image.runningVersion);
        if (d.variant == 1)   // JobsImageVariant::DoesNotBoot (a scenario badImage)
            return agentWords + QStringLiteral("the new image %1 crashed at boot: the bootloader reverted to %2, job execution FAILED")
                .arg(m_config.image.version, m_config.image.runningVersion);
        if (d.variant >= 4)   // JobsImageVariant::Downgrade / Replay (a scenario attack)
            return agentWords + QStringLiteral("the agent's version check refused the image after its test boot: image Rejected, "
                                               "job execution FAILED, rolled back to %1").arg(m_config.image.runningVersion);
        return agentWords + QStringLiteral("the new image %1 failed its self-test: image state Rejected, job execution FAILED, rolled back to %2")
            .arg(m_config.image.version, m_config.image.runningVersion);
    case JobsEnd::SignatureFailed:
        return agentWords + QStringLiteral("0xe3000000 signature check failed: the file's sig-sha256-ecdsa does not verify with the signer "
                              "certificate; job execution FAILED, the file was discarded and %1 runs on")
            .arg(m_config.image.runningVersion);
    case JobsEnd::MomentumExhausted:
        return agentWords + QStringLiteral("%1 GetStream requests in a row went unanswered (otaconfigMAX_NUM_REQUEST_MOMENTUM, %2 s request "
                              "timer): the agent aborted the job with %3 of %4 blocks")
            .arg(m_config.agent.maxRequestMomentum).arg(m_config.agent.requestTimeoutS).arg(d.blocksReceived).arg(m_blocks);
    case JobsEnd::StoppedByService:
        return agentWords + QStringLiteral("the service ended the job execution (rollout policy: timed out or canceled) after %1 of %2 blocks; "
                              "the agent aborted the download")
            .arg(d.blocksReceived).arg(m_blocks);
    case JobsEnd::None: break;
    }
    return QString();
}

DeviceFigures JobsFleet::figures(std::size_t i) const
{
    const JobsDevice& d = m_devices[i];
    DeviceFigures f;
    f.bytesTotal = m_config.image.sizeBytes;
    if (d.step == JobsStep::Upgraded || d.step == JobsStep::RolledBack || d.step == JobsStep::SignatureFailed)
        f.bytesReceived = f.bytesTotal;
    else {
        const core::awsota::OtaAgent* agent = agentOf(i);
        bool lastIn = !d.bitmap.empty() && !(d.bitmap[(m_blocks - 1) / 8] & (1u << ((m_blocks - 1) % 8)));
        if (agent && agent->bitmap())
            lastIn = !agent->bitmap()->isWanted(m_blocks - 1);
        f.bytesReceived = std::uint64_t(d.blocksReceived) * std::uint64_t(m_config.image.blockSize);
        if (lastIn)
            f.bytesReceived -= std::uint64_t(m_config.image.blockSize - int(m_lastBlockBytes));
    }
    f.requests = d.requests;
    f.retries = d.retries;
    std::tie(f.energyJ, f.updateEnergyJ) = energy(i);
    return f;
}

DeviceStatus JobsFleet::status(std::size_t i) const
{
    const JobsDevice& d = m_devices[i];
    const JobsGroup& g = m_groups[d.group];
    const DeviceFigures f = figures(i);
    const SimTime now = m_sim.now();
    DeviceStatus st;
    st.phase = jobsStepPhase(d.step);
    st.phaseSinceS = d.stepSince.toSeconds();
    copyFigures(f, st);
    st.version = d.step == JobsStep::Upgraded ? m_config.image.version : m_config.image.runningVersion;
    const core::awsota::OtaAgent* agent = agentOf(i);
    st.machineStates = {{kJobsStepMachine, std::uint16_t(d.step)},
                        {kJobsAgentMachine, std::uint16_t(d.agentState)},
                        {kJobsImageMachine, std::uint16_t(d.image)}};
    auto& rows = st.attributes;
    rows.push_back({QStringLiteral("Group"), QStringLiteral("%1 (%2)").arg(g.name, g.preset.module)});
    rows.push_back({QStringLiteral("Link"), QStringLiteral("%1: %2 ms one-way, %3 / %4 kbit/s down / up, %5 % loss")
                                               .arg(jobsLinkName(g.preset.link))
                                               .arg(double(d.link.latencyNs) / 1e6, 0, 'f', 1)
                                               .arg(double(d.link.downBytesPerS) * 8.0 / 1000.0, 0, 'f', 0)
                                               .arg(double(d.link.upBytesPerS) * 8.0 / 1000.0, 0, 'f', 0)
                                               .arg(double(d.link.loss) * 100.0, 0, 'g', 3)});
    QString power;
    if (now <= d.connectedUntil)
        power = isCellular(g.preset.link) ? QStringLiteral("RRC connected") : QStringLiteral("active");
    else if (g.power.inPsm(now, d.connectedUntil))
        power = QStringLiteral("PSM (asleep until its next TAU)");
    else
        power = isCellular(g.preset.link) ? QStringLiteral("idle, paging every %1 s").arg(g.power.pagingCycle.toSeconds(), 0, 'f', 2)
                                          : QStringLiteral("power save (DTIM)");
    rows.push_back({QStringLiteral("Power saving"), QStringLiteral("%1 — %2").arg(power, g.power.describe())});
    const QString execution = d.execution == 0 ? QStringLiteral("none")
                              : d.step == JobsStep::Upgraded ? QStringLiteral("SUCCEEDED")
                              : isFinalPhase(st.phase) ? QStringLiteral("FAILED")
                              : d.step == JobsStep::Notified ? QStringLiteral("QUEUED")
                                                             : QStringLiteral("IN_PROGRESS");
    rows.push_back({QStringLiteral("Job execution"), d.execution ? QStringLiteral("%1 (execution %2)").arg(execution).arg(d.execution) : execution});
    rows.push_back({QStringLiteral("Agent state"), agent ? core::awsota::otaStateName(agent->state()) + QStringLiteral(" (core OtaAgent)")
                                                         : QStringLiteral("%1 (no job: agent idle)").arg(jobsAgentStateName(JobsAgentState(d.agentState)))});
    rows.push_back({QStringLiteral("Image state"), jobsImageStateName(d.image)});
    rows.push_back({QStringLiteral("Blocks"), QStringLiteral("%1/%2").arg(d.step == JobsStep::Upgraded ? m_blocks : d.blocksReceived).arg(m_blocks)});
    rows.push_back({QStringLiteral("GetStream requests"), QStringLiteral("%1 (%2 after the request timer, momentum %3/%4)")
                                                             .arg(d.requests).arg(d.retries).arg(agent ? agent->requestMomentum() : 0u).arg(m_config.agent.maxRequestMomentum)});
    const std::uint32_t duplicates = d.duplicates + (agent ? agent->counters().duplicateBlocks : 0u);
    if (duplicates)
        rows.push_back({QStringLiteral("Duplicate blocks"), QString::number(duplicates)});
    if (d.disconnects)
        rows.push_back({QStringLiteral("Disconnects"), QString::number(d.disconnects)});
    if (d.badImage || d.badSignature)
        rows.push_back({QStringLiteral("Fault"), d.badImage ? QStringLiteral("bad image (fails its self-test)") : QStringLiteral("bad signature")});
    const double mah = f.energyJ / g.preset.volts / 3.6;
    rows.push_back({QStringLiteral("Energy"), QStringLiteral("%1 mAh (update %2 mAh) at %3 V")
                                                 .arg(mah, 0, 'f', 3).arg(f.updateEnergyJ / g.preset.volts / 3.6, 0, 'f', 3).arg(g.preset.volts)});
    if (isFinalPhase(st.phase) && st.phase != FleetPhase::Upgraded) {
        st.failureReason = failureReason(i);
        st.failedAtS = d.finishedAt.toSeconds();
    }
    // The block bar: the agent's bitmap while it works, the bitmap it ended with, or all
    // blocks once the file was complete.
    const bool complete = d.step == JobsStep::Upgraded || d.step == JobsStep::RolledBack || d.step == JobsStep::RollingBack ||
                          d.step == JobsStep::SignatureFailed;
    if (agent || !d.bitmap.empty() || complete) {
        PieceMap& p = st.pieces;
        p.unit = QStringLiteral("block");
        p.total = int(m_blocks);
        p.state.assign(m_blocks, PieceMap::Received);
        for (std::uint32_t b = 0; b < m_blocks; ++b) {
            const bool wanted = agent && agent->bitmap() ? agent->bitmap()->isWanted(b)
                                : !d.bitmap.empty()       ? bool(d.bitmap[b / 8] & (1u << (b % 8)))
                                : agent                   ? true
                                                          : false;
            if (wanted)
                p.state[b] = PieceMap::Missing;
        }
    }
    return st;
}

std::optional<DeviceStatus> JobsFleet::nodeStatus(NodeId node) const
{
    if (node != m_cloudNode)
        return std::nullopt;
    DeviceStatus st;
    st.phase = FleetPhase::Idle;
    st.attributes = fleetFigures();
    return st;
}

FleetFacts JobsFleet::facts() const
{
    FleetFacts f;
    f.imageBytes = m_config.image.sizeBytes;
    QStringList parts;
    for (const JobsGroup& g : m_groups)
        parts << QStringLiteral("%1 × %2").arg(grouped(g.count), g.preset.module);
    f.linkDescription = QStringLiteral("MQTT to AWS IoT: %1; %2 blocks of %3 B").arg(parts.join(QStringLiteral(", "))).arg(m_blocks).arg(m_config.image.blockSize);
    return f;
}

void JobsFleet::appendResults(std::vector<DeviceResult>& out) const
{
    out.reserve(out.size() + m_devices.size());
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const JobsDevice& d = m_devices[i];
        const JobsGroup& g = m_groups[d.group];
        const FleetNodeInfo& info = m_nodes[i];
        DeviceResult r = deviceResultFor(*this, info);
        r.parent = m_nodes.back().name;
        r.hops = 1;
        r.outcome = outcomeOfPhase(jobsStepPhase(d.step), d.startedAt != SimTime::max());
        if (d.startedAt != SimTime::max())
            r.startS = d.startedAt.toSeconds();
        if (d.step == JobsStep::Upgraded)
            r.finishS = d.finishedAt.toSeconds();
        if (r.outcome == DeviceOutcome::Failed || r.outcome == DeviceOutcome::Refused || r.outcome == DeviceOutcome::RolledBack) {
            r.failureReason = failureReason(i);
            r.failedAtS = d.finishedAt.toSeconds();
        }
        const DeviceFigures f = figures(i);
        copyFigures(f, r);
        r.versionBefore = m_config.image.runningVersion;
        r.versionAfter = d.step == JobsStep::Upgraded ? m_config.image.version : r.versionBefore;
        auto& a = r.attributes;
        a.push_back({QStringLiteral("Preset"), g.preset.name});
        a.push_back({QStringLiteral("Link"), jobsLinkName(g.preset.link)});
        a.push_back({QStringLiteral("Latency ms"), QString::number(double(d.link.latencyNs) / 1e6, 'f', 1)});
        a.push_back({QStringLiteral("Notified s"), d.notifiedAt == SimTime::max() ? QString() : QString::number(d.notifiedAt.toSeconds(), 'f', 1)});
        a.push_back({QStringLiteral("Blocks"), QString::number(d.step == JobsStep::Upgraded ? m_blocks : d.blocksReceived)});
        a.push_back({QStringLiteral("Disconnects"), QString::number(d.disconnects)});
        a.push_back({QStringLiteral("RRC connections"), QString::number(d.energy.connections)});
        a.push_back({QStringLiteral("Energy mAh"), QString::number(r.energyJ / g.preset.volts / 3.6, 'f', 4)});
        out.push_back(std::move(r));
    }
}

std::vector<NamedValue> JobsFleet::fleetFigures() const
{
    std::vector<NamedValue> rows;
    const JobsServiceCounters& s = m_service;
    std::map<QString, int> perLink;
    for (const JobsGroup& g : m_groups)
        perLink[jobsLinkName(g.preset.link)] += int(g.count);
    QStringList links;
    for (const auto& [link, count] : perLink)
        links << QStringLiteral("%1 %2").arg(grouped(count), link);
    rows.push_back({QStringLiteral("Devices per link"), links.join(QStringLiteral(", "))});
    rows.push_back({QStringLiteral("Image"), QStringLiteral("%1 B in %2 blocks of %3 B, %4 per GetStream; data message %5 B, GetStream %6 B")
                                                .arg(grouped(m_config.image.sizeBytes)).arg(m_blocks).arg(m_config.image.blockSize)
                                                .arg(m_config.agent.blocksPerRequest).arg(dataMessageBytes(0)).arg(m_getStreamBytes)});
    rows.push_back({QStringLiteral("Executions notified"), grouped(qint64(s.notifies))});
    rows.push_back({QStringLiteral("Blocks sent"), QStringLiteral("%1 (%2 lost on the way)").arg(grouped(qint64(s.blocksSent)), grouped(qint64(s.blocksLost)))});
    rows.push_back({QStringLiteral("GetStream requests"), QStringLiteral("%1 reached the service, %2 lost, %3 ignored (stopped executions)")
                                                             .arg(grouped(qint64(s.getStreams)), grouped(qint64(s.requestsLost)), grouped(qint64(s.ignoredRequests)))});
    rows.push_back({QStringLiteral("Requests retried"), grouped(qint64(s.requestsRetried))});
    rows.push_back({QStringLiteral("Job execution updates"), grouped(qint64(s.updates))});
    rows.push_back({QStringLiteral("Broker messages"), QStringLiteral("%1 (%2 MB down, %3 MB up)")
                                                          .arg(grouped(qint64(s.messages)))
                                                          .arg(double(s.bytesDown) / 1e6, 0, 'f', 1).arg(double(s.bytesUp) / 1e6, 0, 'f', 2)});
    rows.push_back({QStringLiteral("Broker / stream service load"), QStringLiteral("fan-out busy %1 s at %2 msg/s, stream service busy %3 s at %4 blocks/s; longest queue wait %5 s")
                                                                       .arg(s.brokerBusyS, 0, 'f', 1).arg(m_config.broker.fanoutPerS)
                                                                       .arg(s.streamBusyS, 0, 'f', 1).arg(m_config.broker.streamBlocksPerS)
                                                                       .arg(s.maxQueueDelayS, 0, 'f', 2)});
    // Outcomes and mean energy per preset.
    int upgraded = 0, rolledBack = 0, refused = 0, aborted = 0, disconnects = 0;
    std::uint64_t duplicates = 0;
    for (const JobsDevice& d : m_devices) {
        upgraded += d.step == JobsStep::Upgraded;
        rolledBack += d.step == JobsStep::RolledBack;
        refused += d.step == JobsStep::SignatureFailed;
        aborted += d.step == JobsStep::Aborted;
        disconnects += d.disconnects;
        duplicates += d.duplicates;
    }
    rows.push_back({QStringLiteral("Devices"), QStringLiteral("%1 upgraded, %2 rolled back (self-test), %3 refused (signature), %4 aborted")
                                                  .arg(upgraded).arg(rolledBack).arg(refused).arg(aborted)});
    if (disconnects)
        rows.push_back({QStringLiteral("Disconnects"), QStringLiteral("%1 (resumed from the bitmap; %2 duplicate blocks)").arg(disconnects).arg(duplicates)});
    for (const JobsGroup& g : m_groups) {
        double total = 0, update = 0, minutes = 0;
        int started = 0, done = 0;
        for (std::uint32_t k = 0; k < g.count; ++k) {
            const std::size_t i = g.first + k;
            const auto [e, u] = energy(i);
            total += e;
            const JobsDevice& d = m_devices[i];
            if (d.startedAt != SimTime::max()) {
                update += u;
                ++started;
                if (d.step == JobsStep::Upgraded) {
                    minutes += (d.finishedAt - d.startedAt).toSeconds() / 60.0;
                    ++done;
                }
            }
        }
        const double toMah = 1.0 / g.preset.volts / 3.6;
        rows.push_back({QStringLiteral("Mean energy per device (%1)").arg(g.name),
                        QStringLiteral("%1 mAh since t = 0, %2 mAh for the update (%3 started); job to SUCCEEDED in %4 min on average")
                            .arg(total / double(g.count) * toMah, 0, 'f', 3)
                            .arg(started ? update / double(started) * toMah : 0.0, 0, 'f', 3).arg(started)
                            .arg(done ? minutes / double(done) : 0.0, 0, 'f', 1)});
    }
    return rows;
}

} // namespace otalab::sim
