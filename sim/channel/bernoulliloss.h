// SPDX-License-Identifier: Apache-2.0
// BernoulliLoss: independent frame loss with a fixed probability.
#pragma once

#include "sim/channel/linklossmodel.h"

namespace otalab::sim {

// Every frame on every link is lost independently with probability p (0..1,
// clamped). One uniform draw from the receiver's stream per frame.
class BernoulliLoss final : public LinkLossModel {
public:
    explicit BernoulliLoss(double lossProbability);
    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;
    double lossProbability() const { return m_p; }

private:
    double m_p;
};

} // namespace otalab::sim
