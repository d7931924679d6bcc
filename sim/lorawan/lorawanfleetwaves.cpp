// SPDX-License-Identifier: Apache-2.0
// LorawanFleet under a rollout policy: one multicast group per wave (the hooks, the waves'
// timeline and figures). Nothing here runs without a rollout.
#include "sim/lorawan/lorawanfleet.h"

#include "sim/fleet/timelinespans.h"
#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

namespace {

constexpr SimTime kNever = SimTime::max();

QString secondsText(SimTime t) { return QString::number(t.toSeconds(), 'f', 0); }

} // namespace

Fleet::RolloutSupport LorawanFleet::rolloutSupport() const
{
    RolloutSupport s;
    s.gate = true;
    s.stop = true;
    s.retry = false;
    s.how = QStringLiteral("the FUOTA server forms one multicast group per wave of notified devices (a new McGroupSetup, "
                           "fragmentation and class %1 session each); devices notified meanwhile wait for the next wave")
                .arg(m_plan.classB ? QLatin1Char('B') : QLatin1Char('C'));
    return s;
}

void LorawanFleet::holdForRollout()
{
    m_server->holdForRollout();
}

void LorawanFleet::releaseDevices(const std::vector<std::size_t>& devices)
{
    for (const std::size_t d : devices)
        m_server->release(d, m_sim.now());
}

void LorawanFleet::stopDevices(const std::vector<std::size_t>& devices)
{
    for (const std::size_t d : devices)
        m_server->stop(d, m_sim.now());
}

void LorawanFleet::waveStarting(int wave)
{
    if (wave > 1) {
        std::vector<std::array<SimTime, 4>> spans;
        spans.reserve(m_gateways.size());
        for (const LorawanGateway& g : m_gateways)
            spans.push_back({g.multicastFrom[0], g.multicastFrom[1], g.multicastUntil[0], g.multicastUntil[1]});
        m_waveGatewaySpans.push_back(std::move(spans));
    }
    // The new group's frames count from 1 again; beacons restart with its session.
    for (LorawanGateway& g : m_gateways) {
        g.nextFrame = 0;
        g.lastFrame = 0;
        g.lastFrameSent = 0;
        g.multicastFrom = {kNever, kNever};
        g.multicastUntil = {kNever, kNever};
    }
    m_beaconing = false;
}

SimTime LorawanFleet::campaignStartTime() const
{
    if (!m_server->waves().empty())
        return m_server->waves().front().stepStart[std::size_t(FuotaServerState::McGroupSetup)];
    return m_server->stepStarted(FuotaServerState::McGroupSetup);
}

std::vector<TimelineSpan> LorawanFleet::waveTimeline() const
{
    using S = FuotaServerState;
    const SimTime now = m_sim.now();
    std::vector<TimelineSpan> spans;
    const auto add = [&](const QString& lane, const QString& label, SimTime from, SimTime to) {
        appendStartedSpan(spans, now, lane, label, from, to);
    };
    std::vector<FuotaWaveRecord> waves = m_server->waves();
    if (m_server->wave() > int(waves.size()))
        waves.push_back(m_server->currentWave());
    const QString server = QStringLiteral("Server");
    for (std::size_t k = 0; k < waves.size(); ++k) {
        const FuotaWaveRecord& w = waves[k];
        const auto step = [&w](S s) { return w.stepStart[std::size_t(s)]; };
        const QString name = QStringLiteral("wave %1").arg(w.number);
        const SimTime start = step(S::McGroupSetup);
        const SimTime session = step(S::SendingFragments);
        const SimTime complete = step(S::Complete);
        add(server, name + QStringLiteral(": unicast setup"), start,
            std::min({step(S::WaitingForSession), session, complete}));
        add(server, name + QStringLiteral(": fragments"), session, w.framesDone);
        add(server, name + QStringLiteral(": status + repair"), step(S::FragStatus), complete);
        add(QStringLiteral("Multicast groups"),
            QStringLiteral("%1 multicast (group %2, %3 devices)").arg(name).arg(w.groupId).arg(w.devices), start,
            w.groupDeleted ? w.groupDeletedAt : complete);
        const bool archived = k < m_waveGatewaySpans.size();
        for (std::size_t gi = 0; gi < m_gateways.size(); ++gi) {
            const LorawanGateway& g = m_gateways[gi];
            const std::array<SimTime, 4> t = archived ? m_waveGatewaySpans[k][gi]
                                                      : std::array<SimTime, 4>{g.multicastFrom[0], g.multicastFrom[1],
                                                                               g.multicastUntil[0], g.multicastUntil[1]};
            const QString lane = QStringLiteral("Fragments %1").arg(g.name);
            add(lane, name + QStringLiteral(" fragments"), t[0], t[2]);
            add(lane, name + QStringLiteral(" repair"), t[1], t[3]);
        }
    }
    return spans;
}

void LorawanFleet::appendWaveFigures(std::vector<NamedValue>& rows) const
{
    using S = FuotaServerState;
    std::vector<FuotaWaveRecord> waves = m_server->waves();
    if (m_server->wave() > int(waves.size()))
        waves.push_back(m_server->currentWave());
    rows.push_back({QStringLiteral("Rollout waves"),
                    QStringLiteral("%1 multicast groups, one per wave; %2 devices released and waiting for the next")
                        .arg(waves.size())
                        .arg(m_server->waitingForWave())});
    for (const FuotaWaveRecord& w : waves) {
        const SimTime start = w.stepStart[std::size_t(S::McGroupSetup)];
        const SimTime complete = w.stepStart[std::size_t(S::Complete)];
        rows.push_back({QStringLiteral("Wave %1").arg(w.number),
                        QStringLiteral("%1 devices, group %2, set up from %3 s, %4")
                            .arg(w.devices)
                            .arg(w.groupId)
                            .arg(start == kNever ? QStringLiteral("—") : secondsText(start))
                            .arg(complete == kNever ? QStringLiteral("running")
                                                    : QStringLiteral("complete at %1 s").arg(secondsText(complete)))});
    }
}

} // namespace otalab::sim
