// SPDX-License-Identifier: Apache-2.0
// LorawanFleet: the campaign on a timeline and each gateway's duty-cycle budget, for the report's charts.
#include "sim/lorawan/lorawanfleet.h"

#include "sim/fleet/timelinespans.h"
#include "sim/kernel/simulator.h"

#include <algorithm>
#include <map>

namespace otalab::sim {

namespace {

constexpr SimTime kNever = SimTime::max();

QString megahertz(std::uint32_t hz)
{
    return QString::number(double(hz) / 1e6, 'g', 7);   // "868.1", "869.525"
}

} // namespace

std::vector<TimelineSpan> LorawanFleet::fleetTimeline() const
{
    using S = FuotaServerState;
    if (m_server->heldForRollout())
        return waveTimeline();   // one multicast group per rollout wave (lorawanfleetwaves.cpp)
    const FuotaServer& s = *m_server;
    const SimTime now = m_sim.now();
    const SimTime campaignStart = s.stepStarted(S::McGroupSetup);
    if (campaignStart == kNever || campaignStart > now)
        return {};
    std::vector<TimelineSpan> spans;
    // A span that has begun; one that has not ended yet ends now.
    const auto add = [&](const QString& lane, const QString& label, SimTime from, SimTime to) {
        appendStartedSpan(spans, now, lane, label, from, to);
    };
    const auto firstOf = [&](std::initializer_list<S> steps) {
        SimTime t = kNever;
        for (const S step : steps)
            t = std::min(t, s.stepStarted(step));
        return t;
    };

    const QString server = QStringLiteral("Server");
    const bool repair = s.stepStarted(S::RepairSetup) != kNever;
    const SimTime sessionFrom = s.stepStarted(S::SendingFragments);
    add(server, QStringLiteral("unicast setup"), campaignStart, firstOf({S::WaitingForSession, S::SendingFragments, S::Complete}));
    add(server, QStringLiteral("wait for session"), s.stepStarted(S::WaitingForSession), sessionFrom);
    add(server, QStringLiteral("session: fragments"), sessionFrom, s.framesDoneAt());
    // sessionStart() is the repair session's once a repair round was set up.
    add(server, repair ? QStringLiteral("status + repair setup") : QStringLiteral("fragmentation status"),
        s.stepStarted(S::FragStatus), repair ? s.sessionStart() : s.completeAt());
    if (repair)
        add(server, QStringLiteral("repair session"), s.sessionStart(), s.completeAt());
    // Clock sync: devices ask for the time once the fragmentation session is set up (TS003).
    SimTime lastSync, firstCheck = kNever, lastCheck;
    for (const LorawanDevice& d : m_devices) {
        if (d.timeSynced)
            lastSync = std::max(lastSync, d.syncedAt);
        // The data-block MIC check: Reassembled (phase verifying) until the server's answer
        // (Verified, or Rejected), recovered from the device's phase times.
        const auto seconds = [&](FleetPhase p) { return SimTime::fromSeconds(double(d.phaseSeconds[std::size_t(int(p) - int(FleetPhase::Waiting))])); };
        SimTime checked = kNever;
        switch (d.state) {
        case LorawanDeviceState::Upgraded:
            checked = d.finishedAt - seconds(FleetPhase::Applying) - seconds(FleetPhase::WaitingToApply);
            break;
        case LorawanDeviceState::Applying: checked = d.stateSince - seconds(FleetPhase::WaitingToApply); break;
        case LorawanDeviceState::Verified: checked = d.stateSince; break;
        case LorawanDeviceState::Rejected: checked = d.finishedAt; break;
        case LorawanDeviceState::Reassembled: firstCheck = std::min(firstCheck, d.stateSince); break;
        default: break;
        }
        if (checked != kNever) {
            firstCheck = std::min(firstCheck, checked - seconds(FleetPhase::Verifying));
            lastCheck = std::max(lastCheck, checked);
        }
    }
    if (lastSync > SimTime())
        add(server, QStringLiteral("clock sync"), std::min(lastSync, s.stepStarted(S::FragSessionSetup)), lastSync);
    if (firstCheck != kNever)
        add(server, QStringLiteral("MIC checks"), firstCheck, std::max(firstCheck, lastCheck));

    add(QStringLiteral("Multicast group"),
        s.groupDeleted() ? QStringLiteral("multicast group") : QStringLiteral("multicast group (not deleted)"), campaignStart,
        s.groupDeleted() ? s.groupDeletedAt() : kNever);
    // The devices' session windows (McClassC/BSessionReq TimeOut), up to the end of the run:
    // the group is meant to outlive the frames, the window to cover them.
    const QString window = m_plan.classB ? QStringLiteral("class B session window") : QStringLiteral("class C session window");
    if (sessionFrom != kNever)
        add(QStringLiteral("Session window"), window, sessionFrom, std::min(now, sessionFrom + m_plan.sessionTimeout));
    if (repair)
        add(QStringLiteral("Session window"), QStringLiteral("repair window"), s.sessionStart(), std::min(now, s.sessionEnd()));
    if (sessionFrom != kNever)
        add(QStringLiteral("Lower bound"), QStringLiteral("airtime / duty cycle"), sessionFrom, sessionFrom + m_plan.lowerBound());

    for (const LorawanGateway& g : m_gateways) {
        const QString lane = QStringLiteral("Fragments %1").arg(g.name);
        add(lane, QStringLiteral("fragments"), g.multicastFrom[0], g.multicastUntil[0]);
        add(lane, QStringLiteral("repair"), g.multicastFrom[1], g.multicastUntil[1]);
        // Frames still queued when the group went (the real server's bug): where they would
        // have gone on the air at the duty-cycle pace.
        if (s.groupDeleted() && g.lastFrameSent < g.lastFrame && !g.served.empty() && sessionFrom != kNever) {
            const SimTime pace = SimTime::fromSeconds(m_plan.frameAirtime.toSeconds() / m_plan.dutyCycle);
            const SimTime lastStart = g.multicastUntil[0] == kNever ? sessionFrom - pace : g.multicastUntil[0] - m_plan.frameAirtime;
            const SimTime until = lastStart + pace * (g.lastFrame - g.lastFrameSent) + m_plan.frameAirtime;
            add(lane, QStringLiteral("queued, never sent (group deleted)"), s.groupDeletedAt(), until);
        }
    }
    return spans;
}

std::vector<BudgetBar> LorawanFleet::fleetBudgets() const
{
    const SimTime from = campaignStartTime();
    if (from == kNever || from >= m_sim.now())
        return {};
    const double elapsed = (m_sim.now() - from).toSeconds();
    // Each sub-band the gateways transmit in, named by the lowest frequency they use in it.
    std::map<int, std::uint32_t> bandFrequency;
    const auto uses = [&](std::uint32_t hz) {
        const int band = m_phy.subBand(hz);
        const auto it = bandFrequency.find(band);
        if (it == bandFrequency.end() || hz < it->second)
            bandFrequency[band] = hz;
    };
    uses(m_plan.frequencyHz);
    uses(m_phy.rx2FrequencyHz());
    for (std::size_t c = 0; c < m_phy.uplinkChannelsHz().size(); ++c)
        uses(m_phy.rx1FrequencyHz(m_phy.uplinkChannelsHz()[c], int(c)));
    if (m_plan.classB)
        uses(m_phy.beaconFrequencyHz());
    const int multicastBand = m_phy.subBand(m_plan.frequencyHz);
    const int beaconBand = m_plan.classB ? m_phy.subBand(m_phy.beaconFrequencyHz()) : -1;
    const double beaconS = m_plan.classB ? m_phy.beaconAirtime().toSeconds() : 0.0;

    int bandsUsed = 0;
    for (const auto& [band, hz] : bandFrequency) {
        (void)hz;
        bandsUsed += std::any_of(m_gateways.begin(), m_gateways.end(), [&](const LorawanGateway& g) { return g.bandAirtimeS[std::size_t(band)] > 0; });
    }
    std::vector<BudgetBar> bars;
    for (const LorawanGateway& g : m_gateways) {
        for (const auto& [band, hz] : bandFrequency) {
            const double total = g.bandAirtimeS[std::size_t(band)];
            if (!(total > 0))
                continue;
            const double dutyCycle = m_phy.dutyCycle(hz);
            const double budget = elapsed * dutyCycle;
            const double multicast = band == multicastBand ? g.multicastAirtimeS : 0.0;
            const double beacons = band == beaconBand ? double(g.beacons) * beaconS : 0.0;
            BudgetBar bar;
            bar.name = bandsUsed > 1 ? QStringLiteral("%1 · %2 MHz band (%3 %)").arg(g.name, megahertz(hz)).arg(dutyCycle * 100.0)
                                     : g.name;
            bar.parts.emplace_back(QStringLiteral("multicast"), multicast / budget);
            bar.parts.emplace_back(QStringLiteral("unicast"), std::max(0.0, total - multicast - beacons) / budget);
            if (m_plan.classB)
                bar.parts.emplace_back(QStringLiteral("beacons"), beacons / budget);
            bars.push_back(std::move(bar));
        }
    }
    return bars;
}

} // namespace otalab::sim
