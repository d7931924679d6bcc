// SPDX-License-Identifier: Apache-2.0
// NwkConfig: network-wide parameters of the Zigbee NWK/APS model (shared by every node of a network).
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkmodelconfig.h"

#include <cstddef>
#include <cstdint>

namespace otalab::sim {

struct NwkConfig {
    // Period of a ZED's MAC Data Request polls (the device's long poll interval;
    // ZigbeeNode::setPollInterval changes it per node, e.g. fast polling during OTA).
    SimTime pollInterval = SimTime::fromMillis(7'500);
    // Each poll period is the interval × a uniform factor in [1 − f, 1 + f], drawn from
    // the node's NWK stream: a sleep clock's tolerance (an uncalibrated low-frequency RC
    // oscillator is off by a few per cent). Without it, periodic polls of neighbours
    // phase-lock and keep colliding with the same frames, an artefact of perfect clocks.
    double pollJitterFraction = 0.02;
    // macTransactionPersistenceTime (IEEE 802.15.4-2006 7.5.6.3, Table 86): 0x01F4 unit
    // periods × aBaseSuperframeDuration (960 symbols = 15.36 ms) = 7.68 s. A parent
    // drops a held (indirect) frame this long after queuing it (TRANSACTION_EXPIRED).
    SimTime indirectPersistence = SimTime::fromMillis(7'680);
    // How long a ZED keeps its receiver on after an ACK with the frame-pending bit:
    // macMaxFrameTotalWaitTime (7.4.2, Table 86) for the default CSMA parameters =
    // (8 + 16 + 31 × 2) × 20 symbols + phyMaxFrameDuration 266 symbols = 1986 symbols.
    SimTime pollResponseWait = SimTime::fromMicros(1'986 * 16);
    // Broadcast relay jitter: uniform in [0, broadcastJitterMax) (nwkcMaxBroadcastJitter,
    // Zigbee R22 Table 3-57: 0x40 ms).
    SimTime broadcastJitterMax = SimTime::fromMillis(64);
    // Radius of originated frames: 2 × nwkMaxDepth (15), the Zigbee default (3.6.2).
    std::uint8_t radius = 30;
    // Frames a parent holds for all its sleepy children together; further ones are
    // dropped (IndirectQueueFull).
    std::size_t indirectCapacity = 32;
    // Remembered (source, sequence) pairs for broadcast de-duplication (the broadcast
    // transaction table, 3.6.5; 9 s nwkNetworkBroadcastDeliveryTime approximated by
    // capacity: the oldest entry is overwritten).
    std::size_t broadcastTableSize = 32;
    // Octets per frame between the 127-octet PSDU and the APS payload.
    FrameBudget budget;
    // Profile written into APS headers (Home Automation 0x0104).
    std::uint16_t profileId = kProfileHomeAutomation;
    // Which real-stack behaviours run (APS reliability, security, routing, rejoin, ...).
    NwkModelConfig model;
};

} // namespace otalab::sim
