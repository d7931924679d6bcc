// SPDX-License-Identifier: Apache-2.0
// The neutral parts of a family's DeviceStatus and DeviceResult that every family fills the
// same way: the figures' numbers, a result's identity and the outcome of a phase.
#pragma once

#include "sim/fleet/devicestatus.h"
#include "sim/fleet/fleetphase.h"
#include "sim/report/runresult.h"

namespace otalab::sim {

class Fleet;

// The outcome a device in `phase` ends a run with: each final phase its own outcome
// (Upgraded, Failed, Refused, RolledBack); any other phase Unfinished once the device
// started its download, NotStarted before.
DeviceOutcome outcomeOfPhase(FleetPhase phase, bool started);

// A result naming the device: node id and name, role, and its fleet's name and family.
// Parent, hops and everything measured are left to the family.
DeviceResult deviceResultFor(const Fleet& fleet, const FleetNodeInfo& info);

// Copies the figures (bytes received and total, requests, retries, energy since t = 0 and
// for the update) into a status.
void copyFigures(const DeviceFigures& f, DeviceStatus& st);
// The same into a result (which keeps no bytesTotal).
void copyFigures(const DeviceFigures& f, DeviceResult& r);

} // namespace otalab::sim
