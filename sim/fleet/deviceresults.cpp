// SPDX-License-Identifier: Apache-2.0
// The neutral parts of a family's DeviceStatus and DeviceResult.
#include "sim/fleet/deviceresults.h"

#include "sim/fleet/fleet.h"

namespace otalab::sim {

DeviceOutcome outcomeOfPhase(FleetPhase phase, bool started)
{
    switch (phase) {
    case FleetPhase::Upgraded: return DeviceOutcome::Upgraded;
    case FleetPhase::Failed: return DeviceOutcome::Failed;
    case FleetPhase::Refused: return DeviceOutcome::Refused;
    case FleetPhase::RolledBack: return DeviceOutcome::RolledBack;
    default: return started ? DeviceOutcome::Unfinished : DeviceOutcome::NotStarted;
    }
}

DeviceResult deviceResultFor(const Fleet& fleet, const FleetNodeInfo& info)
{
    DeviceResult r;
    r.node = info.node;
    r.name = info.name;
    r.fleet = fleet.name();
    r.family = fleet.family();
    r.role = info.role;
    return r;
}

void copyFigures(const DeviceFigures& f, DeviceStatus& st)
{
    st.bytesReceived = f.bytesReceived;
    st.bytesTotal = f.bytesTotal;
    st.requests = f.requests;
    st.retries = f.retries;
    st.energyJ = f.energyJ;
    st.updateEnergyJ = f.updateEnergyJ;
}

void copyFigures(const DeviceFigures& f, DeviceResult& r)
{
    r.bytesReceived = f.bytesReceived;
    r.requests = f.requests;
    r.retries = f.retries;
    r.energyJ = f.energyJ;
    r.updateEnergyJ = f.updateEnergyJ;
}

} // namespace otalab::sim
