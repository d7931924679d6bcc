// SPDX-License-Identifier: Apache-2.0
// Builds the channel's LinkLossModel from a rollout's ChannelConfig (model, router overrides, cuts).
#pragma once

#include "core/common/error.h"
#include "sim/channel/linklossmodel.h"
#include "sim/zigbee/rolloutconfig.h"

#include <memory>
#include <vector>

namespace otalab::sim {

// Base model everywhere, except that a frame on a link touching an overridden router
// (sent or received by it) whose airtime starts in [from, to) is decided by that
// override's model instead (first matching override wins). Per-link state of each
// model (Gilbert–Elliott chains) is the model's own.
class RouterOverrideLoss final : public LinkLossModel {
public:
    struct Override {
        NodeId router = kNoNode;
        SimTime from;
        SimTime to = SimTime::max();
        std::unique_ptr<LinkLossModel> model;
    };
    RouterOverrideLoss(std::unique_ptr<LinkLossModel> base, std::vector<Override> overrides);
    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;

private:
    std::unique_ptr<LinkLossModel> m_base;
    std::vector<Override> m_overrides;
};

// nullptr when nothing can lose a frame (kind none, no overrides, no cuts). Nodes
// are named by short address; errors name the field ("channel.cuts[2].b").
Result<std::unique_ptr<LinkLossModel>> buildLossModel(const ChannelConfig& config, const TopologySpec& topology,
                                                      const QString& path = QStringLiteral("channel"));

} // namespace otalab::sim
