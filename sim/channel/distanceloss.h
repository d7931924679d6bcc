// SPDX-License-Identifier: Apache-2.0
// DistanceLoss: log-distance path loss → RSSI → O-QPSK packet error rate.
#pragma once

#include "sim/channel/linklossmodel.h"

#include <vector>

namespace otalab::sim {

// Position in metres (any Cartesian frame shared by all nodes).
struct Position {
    double x = 0.0;
    double y = 0.0;
    double z = 0.0;
};

// Log-distance path loss with optional log-normal shadowing (Rappaport, "Wireless
// Communications", 2nd ed., §4.9–4.9.2):
//   PL(d) = PL(d0) + 10·n·log10(d/d0) + Xσ     (dB; d clamped to >= d0)
//   RSSI  = txPower − PL(d)                    (dBm)
//   SINR  = RSSI − noiseFloor                  (dB; interference is handled by the
//                                               collision model, not here)
//   PER   = OqpskErrorModel::packetErrorRate(SINR, PSDU bytes)
// Xσ ~ N(0, σ) is drawn per frame from the receiver's stream when σ > 0 (a fresh
// draw per frame approximates slow fading; use σ = 0 for a static link). Then one
// uniform draw decides the loss. Nodes without a position are at the origin.
class DistanceLoss final : public LinkLossModel {
public:
    struct Params {
        double txPowerDbm = 0.0;
        // Free-space loss at d0 = 1 m, 2.45 GHz: 20·log10(4π·d0·f/c) = 40.2 dB.
        double referenceLossDb = 40.2;
        double referenceDistanceM = 1.0;
        double exponent = 3.0;         // n: 2 free space, ~3 indoor/urban, 4+ obstructed
        double shadowingSigmaDb = 0.0; // σ of Xσ
        // −100 dBm by default; OqpskErrorModel::thermalNoiseFloorDbm(2e6, NF) for
        // a receiver with noise figure NF.
        double noiseFloorDbm = -100.0;
    };

    explicit DistanceLoss(const Params& params);
    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;

    void setPosition(NodeId node, const Position& position);
    Position position(NodeId node) const;
    double distanceM(NodeId a, NodeId b) const;

    // Deterministic parts (no shadowing):
    double pathLossDb(double distanceM) const;
    double rssiDbm(double distanceM) const;
    double packetErrorRate(double distanceM, std::size_t psduBytes) const;
    const Params& params() const { return m_params; }

private:
    Params m_params;
    std::vector<Position> m_positions; // indexed by NodeId
};

} // namespace otalab::sim
