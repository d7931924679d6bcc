// SPDX-License-Identifier: Apache-2.0
// LorawanGateway: one gateway of a LoRaWAN fleet — its receiver, a duty cycle per
// sub-band, the multicast batch it is sending, and the airtime it spent.
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"
#include "sim/lorawan/gatewayreceiver.h"
#include "sim/lorawan/lorawanfleetphy.h"

#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

struct LorawanGateway {
    NodeId node = kNoNode;
    QString name;
    double xM = 0, yM = 0;
    std::vector<std::uint32_t> served;          // devices whose best gateway this is (the multicast group it serves)
    // Uplink reception: 8 demodulators, same-channel same-SF collisions with capture,
    // half-duplex, PER (sim/lorawan/gatewayreceiver.h); created once the node is known.
    std::optional<lorawan::GatewayReceiver> receiver;
    // Transmit side: busy until, the last transmission, and the duty cycle per sub-band
    // (off-time rule: a frame of airtime A at duty cycle d keeps the sub-band closed until
    // start + A / d, as LoRaMac-node's band time-off; sim/lorawan/dutycycle.h).
    SimTime txBusyUntil;
    SimTime lastTxStart, lastTxEnd;
    lorawan::DutyCycleTracker dutyCycle;
    std::array<double, LorawanFleetPhy::kSubBands> bandAirtimeS{};
    bool down = false;
    // Multicast batch in progress.
    int nextFrame = 0;
    int lastFrame = 0;
    int lastFrameSent = 0;                      // counter of the last multicast frame it put on the air
    // For the report's timeline: when its first multicast frame went on the air and its last
    // one ended, [0] the session's frames, [1] the repair round's (max(): none sent).
    std::array<SimTime, 2> multicastFrom{SimTime::max(), SimTime::max()};
    std::array<SimTime, 2> multicastUntil{SimTime::max(), SimTime::max()};
    bool sending = false;
    // Figures.
    double multicastAirtimeS = 0;
    double unicastAirtimeS = 0;
    std::uint32_t framesSent = 0;
    std::uint32_t beacons = 0;                  // class B beacons sent
    std::uint32_t framesWhileDown = 0;
    std::uint32_t unicastDownlinks = 0;
    std::uint32_t downlinksBlocked = 0;         // no RX1/RX2 slot free (duty cycle, busy)
    std::uint32_t uplinksHeard = 0;
    std::uint32_t uplinksCollided = 0;          // lost to another uplink (no capture)
    std::uint32_t uplinksWhileTransmitting = 0; // lost: the gateway was transmitting
    std::uint32_t uplinksNoDemodulator = 0;     // lost: all 8 demodulators busy
};

} // namespace otalab::sim
