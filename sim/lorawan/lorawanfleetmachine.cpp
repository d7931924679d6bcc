// SPDX-License-Identifier: Apache-2.0
// The FUOTA server's and the LoRaWAN device's machines as data, for the lab's diagrams.
#include "sim/lorawan/fuotaserver.h"

namespace otalab::sim {

QString fuotaServerStateName(FuotaServerState state)
{
    using S = FuotaServerState;
    switch (state) {
    case S::Idle: return QStringLiteral("idle");
    case S::McGroupSetup: return QStringLiteral("multicast group setup");
    case S::FragSessionSetup: return QStringLiteral("fragmentation session setup");
    case S::McSessionSetup: return QStringLiteral("multicast session setup");
    case S::WaitingForSession: return QStringLiteral("waiting for the session");
    case S::SendingFragments: return QStringLiteral("sending fragments");
    case S::FragStatus: return QStringLiteral("fragmentation status");
    case S::RepairSetup: return QStringLiteral("repair session setup");
    case S::SendingRepair: return QStringLiteral("sending repair frames");
    case S::Complete: return QStringLiteral("complete");
    }
    return QStringLiteral("unknown");
}

MachineDescription fuotaServerMachine()
{
    using S = FuotaServerState;
    MachineDescription m;
    m.id = kFuotaServerMachine;
    m.name = QStringLiteral("FUOTA server");
    m.note = QStringLiteral("ChirpStack v4 applayer/fuota jobs: unicast steps retried every uplink interval, then the multicast session");
    // The server is not a campaign device: its boxes carry the phase the devices are in meanwhile.
    const FleetPhase phases[kFuotaServerStateCount] = {FleetPhase::Idle,        FleetPhase::Waiting,     FleetPhase::Waiting,
                                                       FleetPhase::Waiting,     FleetPhase::Waiting,     FleetPhase::Downloading,
                                                       FleetPhase::Verifying,   FleetPhase::Waiting,     FleetPhase::Downloading,
                                                       FleetPhase::Upgraded};
    for (int i = 0; i < kFuotaServerStateCount; ++i) {
        m.states << fuotaServerStateName(S(i));
        m.phaseOfState.push_back(phases[i]);
    }
    const auto edge = [&m](int from, S to) { m.transitions.push_back({from, int(to)}); };
    edge(MachineTransition::kMachineStart, S::Idle);
    edge(int(S::Idle), S::McGroupSetup);
    edge(int(S::McGroupSetup), S::FragSessionSetup);
    edge(int(S::FragSessionSetup), S::McSessionSetup);
    edge(int(S::McSessionSetup), S::WaitingForSession);
    edge(int(S::WaitingForSession), S::SendingFragments);
    edge(int(S::SendingFragments), S::FragStatus);
    edge(int(S::FragStatus), S::RepairSetup);
    edge(int(S::FragStatus), S::Complete);
    edge(int(S::RepairSetup), S::SendingRepair);
    edge(int(S::SendingRepair), S::Complete);
    edge(int(S::Complete), S::Idle);   // under a rollout: the next wave's group forms
    return m;
}

MachineDescription lorawanDeviceMachine()
{
    using S = LorawanDeviceState;
    MachineDescription m;
    m.id = kLorawanDeviceMachine;
    m.name = QStringLiteral("LoRaWAN FUOTA device");
    m.note = QStringLiteral("TS005 multicast setup, TS004 fragmentation (FEC), TS003 clock sync; image MIC checked over unicast");
    for (int i = 0; i < kLorawanDeviceStateCount; ++i) {
        m.states << lorawanDeviceStateName(S(i));
        m.phaseOfState.push_back(lorawanDevicePhase(S(i)));
    }
    const auto edge = [&m](int from, S to) { m.transitions.push_back({from, int(to)}); };
    edge(MachineTransition::kMachineStart, S::ClassA);
    edge(int(S::ClassA), S::GroupSetup);
    edge(int(S::GroupSetup), S::FragSetup);
    edge(int(S::GroupSetup), S::Unreachable);
    edge(int(S::FragSetup), S::SessionSetup);
    edge(int(S::FragSetup), S::NoSpace);
    edge(int(S::FragSetup), S::Unreachable);
    edge(int(S::SessionSetup), S::WaitingForSession);
    edge(int(S::SessionSetup), S::Unreachable);
    edge(int(S::WaitingForSession), S::Receiving);
    edge(int(S::WaitingForSession), S::WaitingForRepair);
    edge(int(S::Receiving), S::Reassembled);
    edge(int(S::Receiving), S::WaitingForRepair);
    edge(int(S::Receiving), S::Missed);
    edge(int(S::WaitingForRepair), S::Receiving);
    edge(int(S::WaitingForRepair), S::Missed);
    edge(int(S::Reassembled), S::Verified);
    edge(int(S::Reassembled), S::Rejected);
    edge(int(S::Verified), S::Applying);
    edge(int(S::Applying), S::Upgraded);
    // Scenario faults and attacks: a bad image reverted by the bootloader, an image its own
    // check refused, a power cut that lost the session (RAM) mid-campaign.
    edge(int(S::Applying), S::RolledBack);
    edge(int(S::Verified), S::ImageRefused);
    edge(int(S::Reassembled), S::Missed);
    // Under a rollout: the policy ended its execution during the unicast setup.
    edge(int(S::GroupSetup), S::ClassA);
    edge(int(S::FragSetup), S::ClassA);
    edge(int(S::SessionSetup), S::ClassA);
    edge(int(S::WaitingForSession), S::ClassA);
    return m;
}

} // namespace otalab::sim
