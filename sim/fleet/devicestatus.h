// SPDX-License-Identifier: Apache-2.0
// DeviceStatus / FleetNodeInfo: what every family tells the lab about its devices.
#pragma once

#include "sim/fleet/fleetphase.h"
#include "sim/kernel/nodeid.h"
#include "sim/report/runresult.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim {

// A family-specific value shown as a row ("Short address" = "0x1A2B", "Slot 1" = "1.2.0 pending").
// The same {name, value} pair results carry (DeviceResult::attributes).
using NamedValue = ResultAttribute;

// How far a node's radio reaches, for the map: one ring per reach (a LoRa gateway: one
// per spreading factor, "SF7" nearest … "SF12" farthest).
struct RangeRing {
    double radiusM = 0;  // metres from the node's placement (xM, yM); > 0
    QString label;       // "SF7"; drawn beside the ring
};

// Static description of one node a fleet placed on the kernel (participant or not).
struct FleetNodeInfo {
    NodeId node = kNoNode;    // simulator node id (unique across the scenario's fleets)
    QString name;             // how people call it: "0x1A2B", "board-017", "gateway"
    QString role;             // "coordinator", "router", "end device", "board", "gateway", "host"
    NodeId parent = kNoNode;  // the node it hangs from in the drawing (parent, gateway), kNoNode at a root
    double xM = 0, yM = 0;    // placement in metres (topology view)
    bool participates = false;  // a campaign device (has a DeviceStatus)
    std::vector<RangeRing> ranges;  // coverage rings, nearest first; empty for nodes that do not tell
};

// The numbers of one device's DeviceStatus, without strings: what a view refreshes for
// every device many times a second.
struct DeviceFigures {
    std::uint64_t bytesReceived = 0;
    std::uint64_t bytesTotal = 0;
    std::uint64_t requests = 0;
    std::uint64_t retries = 0;
    double energyJ = 0;
    double updateEnergyJ = 0;
};

// Which pieces of the image a device holds, for a bar: a family whose devices receive the
// image out of order or over a lossy broadcast (LoRaWAN fragments) tells it piece by piece.
// Empty (total 0) when a family does not tell; views then show bytesReceived instead.
struct PieceMap {
    enum State : std::uint8_t {
        Missing = 0,    // not sent yet (or sent to others only)
        Received = 1,   // arrived intact
        Lost = 2,       // sent but not received (and not recovered)
        Recovered = 3,  // not received, rebuilt by forward error correction
    };
    QString unit;                     // what a piece is, singular: "fragment", "block"
    int total = 0;                    // pieces of the image (the uncoded fragments, not parity)
    std::vector<std::uint8_t> state;  // one State per piece; size() == total when total > 0
    bool empty() const { return total <= 0; }
};

// Status of one campaign device at one virtual time; built on demand (not kept per event).
struct DeviceStatus {
    FleetPhase phase = FleetPhase::Idle;
    double phaseSinceS = 0;              // virtual time the phase began
    std::uint64_t bytesReceived = 0;     // image bytes the device stored (kept after a failure)
    std::uint64_t bytesTotal = 0;        // size of the image it is getting (0 = not known yet)
    std::uint64_t requests = 0;          // requests it sent or was sent for the image (blocks, chunks)
    std::uint64_t retries = 0;           // of those, re-sent after a timeout / busy answer
    double energyJ = 0;                  // since t = 0
    double updateEnergyJ = 0;            // since its download started
    QString version;                     // image version it runs now, as the family writes it
    std::vector<std::pair<std::uint16_t, std::uint16_t>> machineStates;  // (MachineDescription::id, state)
    std::vector<NamedValue> attributes;  // family rows, in display order
    QString failureReason;               // words; empty unless Failed / Refused / RolledBack
    std::optional<double> failedAtS;     // virtual time it entered Failed / Refused / RolledBack
    PieceMap pieces;                     // which parts of the image it holds; empty when the family does not tell
};

} // namespace otalab::sim
