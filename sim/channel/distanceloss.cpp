// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/distanceloss.h"

#include "sim/channel/oqpskerrormodel.h"
#include "sim/kernel/randomstream.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

DistanceLoss::DistanceLoss(const Params& params)
    : m_params(params)
{
    if (!(m_params.referenceDistanceM > 0.0))
        m_params.referenceDistanceM = 1.0;
    m_params.shadowingSigmaDb = std::max(0.0, m_params.shadowingSigmaDb);
}

void DistanceLoss::setPosition(NodeId node, const Position& position)
{
    if (node >= m_positions.size())
        m_positions.resize(static_cast<std::size_t>(node) + 1);
    m_positions[node] = position;
}

Position DistanceLoss::position(NodeId node) const
{
    return node < m_positions.size() ? m_positions[node] : Position{};
}

double DistanceLoss::distanceM(NodeId a, NodeId b) const
{
    const Position pa = position(a);
    const Position pb = position(b);
    return std::hypot(pa.x - pb.x, pa.y - pb.y, pa.z - pb.z);
}

double DistanceLoss::pathLossDb(double distanceM) const
{
    const double d = std::max(distanceM, m_params.referenceDistanceM);
    return m_params.referenceLossDb + 10.0 * m_params.exponent * std::log10(d / m_params.referenceDistanceM);
}

double DistanceLoss::rssiDbm(double distanceM) const
{
    return m_params.txPowerDbm - pathLossDb(distanceM);
}

double DistanceLoss::packetErrorRate(double distanceM, std::size_t psduBytes) const
{
    return OqpskErrorModel::packetErrorRate(rssiDbm(distanceM) - m_params.noiseFloorDbm, psduBytes);
}

LossDecision DistanceLoss::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    double rssi = rssiDbm(distanceM(frame.src, frame.dst));
    if (m_params.shadowingSigmaDb > 0.0)
        rssi -= receiverRng.normal(0.0, m_params.shadowingSigmaDb);
    const double per = OqpskErrorModel::packetErrorRate(rssi - m_params.noiseFloorDbm, frame.psduBytes);
    return LossDecision{receiverRng.bernoulli(per), rssi};
}

} // namespace otalab::sim
