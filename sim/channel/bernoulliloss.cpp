// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/bernoulliloss.h"

#include "sim/kernel/randomstream.h"

#include <algorithm>

namespace otalab::sim {

BernoulliLoss::BernoulliLoss(double lossProbability)
    : m_p(std::clamp(lossProbability, 0.0, 1.0))
{
}

LossDecision BernoulliLoss::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    static_cast<void>(frame);
    return LossDecision{receiverRng.bernoulli(m_p)};
}

} // namespace otalab::sim
