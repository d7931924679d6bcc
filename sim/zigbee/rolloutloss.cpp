// SPDX-License-Identifier: Apache-2.0
// Loss model assembly for a rollout.
#include "sim/zigbee/rolloutloss.h"

#include "sim/channel/bernoulliloss.h"
#include "sim/channel/distanceloss.h"
#include "sim/channel/gilbertelliottloss.h"
#include "sim/channel/linkcutschedule.h"

#include <unordered_map>

namespace otalab::sim {

RouterOverrideLoss::RouterOverrideLoss(std::unique_ptr<LinkLossModel> base, std::vector<Override> overrides)
    : m_base(std::move(base))
    , m_overrides(std::move(overrides))
{
}

LossDecision RouterOverrideLoss::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    for (Override& o : m_overrides) {
        if ((frame.src == o.router || frame.dst == o.router) && frame.start >= o.from && frame.start < o.to) {
            return o.model ? o.model->decide(frame, receiverRng) : LossDecision{};
        }
    }
    return m_base ? m_base->decide(frame, receiverRng) : LossDecision{};
}

namespace {

bool inUnit(double v) { return v >= 0.0 && v <= 1.0; }

Result<std::unique_ptr<LinkLossModel>> buildOne(const LossModelConfig& c, const TopologySpec& topology, const QString& path)
{
    switch (c.kind) {
    case LossKind::None:
        return std::unique_ptr<LinkLossModel>{};
    case LossKind::Bernoulli:
        if (!inUnit(c.p)) {
            return fail(Error::at(-1, path + ".p", QStringLiteral("loss probability %1: expected 0..1").arg(c.p)));
        }
        return std::unique_ptr<LinkLossModel>(std::make_unique<BernoulliLoss>(c.p));
    case LossKind::GilbertElliott: {
        const std::pair<const char*, double> fields[] = {
            {"pGoodToBad", c.pGoodToBad}, {"pBadToGood", c.pBadToGood}, {"lossGood", c.lossGood}, {"lossBad", c.lossBad}};
        for (const auto& [name, v] : fields) {
            if (!inUnit(v)) {
                return fail(Error::at(-1, path + "." + name, QStringLiteral("probability %1: expected 0..1").arg(v)));
            }
        }
        GilbertElliottLoss::Params p{.p = c.pGoodToBad, .r = c.pBadToGood, .k = 1.0 - c.lossGood, .h = 1.0 - c.lossBad};
        return std::unique_ptr<LinkLossModel>(std::make_unique<GilbertElliottLoss>(p));
    }
    case LossKind::Distance: {
        if (!(c.referenceDistanceM > 0) || !(c.exponent > 0) || c.shadowingSigmaDb < 0) {
            return fail(Error::at(-1, path, QStringLiteral("distance model needs referenceDistanceM > 0, exponent > 0, shadowingSigmaDb >= 0")));
        }
        DistanceLoss::Params p{.txPowerDbm = c.txPowerDbm,
                               .referenceLossDb = c.referenceLossDb,
                               .referenceDistanceM = c.referenceDistanceM,
                               .exponent = c.exponent,
                               .shadowingSigmaDb = c.shadowingSigmaDb,
                               .noiseFloorDbm = c.noiseFloorDbm};
        auto model = std::make_unique<DistanceLoss>(p);
        for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
            model->setPosition(static_cast<NodeId>(i), Position{topology.nodes[i].x, topology.nodes[i].y, 0.0});
        }
        return std::unique_ptr<LinkLossModel>(std::move(model));
    }
    }
    return fail(Error::at(-1, path + ".kind", QStringLiteral("unknown loss model kind")));
}

} // namespace

Result<std::unique_ptr<LinkLossModel>> buildLossModel(const ChannelConfig& config, const TopologySpec& topology, const QString& path)
{
    std::unordered_map<std::uint16_t, NodeId> byShort;
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        byShort.emplace(topology.nodes[i].shortAddress, static_cast<NodeId>(i));
    }
    const auto lookup = [&](std::uint16_t shortAddress, const QString& field) -> Result<NodeId> {
        auto it = byShort.find(shortAddress);
        if (it == byShort.end()) {
            return fail(Error::at(-1, field, QStringLiteral("no node has short address 0x%1").arg(shortAddress, 4, 16, QLatin1Char('0'))));
        }
        return it->second;
    };

    auto base = buildOne(config.loss, topology, path + ".loss");
    if (!base) {
        return fail(base.error());
    }
    std::unique_ptr<LinkLossModel> model = std::move(*base);

    if (!config.routerOverrides.empty()) {
        std::vector<RouterOverrideLoss::Override> overrides;
        for (std::size_t i = 0; i < config.routerOverrides.size(); ++i) {
            const RouterLossOverride& o = config.routerOverrides[i];
            const QString p = path + QStringLiteral(".routerOverrides[%1]").arg(i);
            auto node = lookup(o.router, p + ".router");
            if (!node) {
                return fail(node.error());
            }
            if (topology.nodes[*node].role == NodeRole::EndDevice) {
                return fail(Error::at(-1, p + ".router", QStringLiteral("0x%1 is an end device, not a router").arg(o.router, 4, 16, QLatin1Char('0'))));
            }
            auto m = buildOne(o.loss, topology, p + ".loss");
            if (!m) {
                return fail(m.error());
            }
            overrides.push_back({*node, SimTime::fromSeconds(o.fromS), o.toS ? SimTime::fromSeconds(*o.toS) : SimTime::max(), std::move(*m)});
        }
        model = std::make_unique<RouterOverrideLoss>(std::move(model), std::move(overrides));
    }
    if (!config.cuts.empty()) {
        auto cuts = std::make_unique<LinkCutSchedule>(std::move(model));
        for (std::size_t i = 0; i < config.cuts.size(); ++i) {
            const LinkCutConfig& c = config.cuts[i];
            const QString p = path + QStringLiteral(".cuts[%1]").arg(i);
            auto a = lookup(c.a, p + ".a");
            if (!a) {
                return fail(a.error());
            }
            auto b = lookup(c.b, p + ".b");
            if (!b) {
                return fail(b.error());
            }
            cuts->addCut(*a, *b, SimTime::fromSeconds(c.fromS), SimTime::fromSeconds(c.toS));
        }
        model = std::move(cuts);
    }
    return model;
}

} // namespace otalab::sim
