// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/gilbertelliottloss.h"

#include "sim/kernel/randomstream.h"

#include <algorithm>

namespace otalab::sim {

namespace {

std::uint64_t linkKey(NodeId src, NodeId dst)
{
    return (static_cast<std::uint64_t>(src) << 32) | dst;
}

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

} // namespace

GilbertElliottLoss::GilbertElliottLoss(const Params& params)
    : m_params{clamp01(params.p), clamp01(params.r), clamp01(params.k), clamp01(params.h)}
{
}

double GilbertElliottLoss::stationaryLossProbability() const
{
    const double sum = m_params.p + m_params.r;
    const double piBad = sum > 0.0 ? m_params.p / sum : 0.0;
    return (1.0 - piBad) * (1.0 - m_params.k) + piBad * (1.0 - m_params.h);
}

bool GilbertElliottLoss::isBad(NodeId src, NodeId dst) const
{
    const auto it = m_bad.find(linkKey(src, dst));
    return it != m_bad.end() && it->second;
}

LossDecision GilbertElliottLoss::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    auto [it, inserted] = m_bad.try_emplace(linkKey(frame.src, frame.dst), false);
    bool& bad = it->second;
    if (inserted) {
        const double sum = m_params.p + m_params.r;
        bad = receiverRng.bernoulli(sum > 0.0 ? m_params.p / sum : 0.0);
    }
    bad = bad ? !receiverRng.bernoulli(m_params.r) : receiverRng.bernoulli(m_params.p);
    const double deliver = bad ? m_params.h : m_params.k;
    return LossDecision{!receiverRng.bernoulli(deliver)};
}

} // namespace otalab::sim
