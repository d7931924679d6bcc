// SPDX-License-Identifier: Apache-2.0
// MachineDescription: a family's state machine as data, so any view can draw it.
#pragma once

#include "sim/fleet/fleetphase.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace otalab::sim {

// One edge of a machine: state index `from` → `to`; from == kMachineStart marks the
// state a device starts in.
struct MachineTransition {
    static constexpr int kMachineStart = -1;
    int from = kMachineStart;
    int to = 0;
};

// A state machine a family's devices run, described once per fleet. `id` is the
// StateChange::machine number its observer records carry (sim/kernel/observerrecords.h),
// so a view can follow a device through it from the trace or the event log alone.
// States are indexed by the value StateChange::to carries.
struct MachineDescription {
    std::uint16_t id = 0;
    QString name;                          // "ImageUpgradeStatus", "SMP push"
    QStringList states;                    // index = state value
    std::vector<FleetPhase> phaseOfState;  // same length as states: the colour of each box
    std::vector<MachineTransition> transitions;  // every edge the machine may take
    QString note;                          // one line: what drives it ("ZCL attribute 0x0006")
};

} // namespace otalab::sim
