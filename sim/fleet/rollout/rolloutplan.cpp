// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/rollout/rolloutplan.h"

#include "sim/kernel/splitmix64.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace otalab::sim::rollout {

QString policyKindName(PolicyKind kind)
{
    switch (kind) {
    case PolicyKind::AwsJobs: return QStringLiteral("aws-jobs");
    case PolicyKind::Hawkbit: return QStringLiteral("hawkbit");
    case PolicyKind::Mender: return QStringLiteral("mender");
    }
    return {};
}

std::optional<PolicyKind> policyKindFromName(const QString& name)
{
    for (PolicyKind k : {PolicyKind::AwsJobs, PolicyKind::Hawkbit, PolicyKind::Mender})
        if (name == policyKindName(k))
            return k;
    return std::nullopt;
}

std::vector<std::uint32_t> releaseOrder(std::uint32_t devices, bool random, std::uint64_t seed)
{
    std::vector<std::uint32_t> order(devices);
    std::iota(order.begin(), order.end(), 0u);
    if (!random || devices < 2)
        return order;
    SplitMix64 rng(seed);
    for (std::uint32_t i = devices - 1; i > 0; --i) {
        const auto j = std::uint32_t((unsigned __int128)rng.next() * (std::uint64_t(i) + 1) >> 64);
        std::swap(order[i], order[j]);
    }
    return order;
}

namespace {

std::uint32_t share(double percentage, std::uint32_t of)
{
    const double n = std::round(percentage * double(of) / 100.0);
    return std::uint32_t(std::clamp(n, 0.0, double(of)));
}

} // namespace

std::vector<RolloutSlice> rolloutSlices(const RolloutPolicyConfig& config, std::uint32_t devices)
{
    std::vector<RolloutSlice> slices;
    std::uint32_t next = 0;
    if (config.kind == PolicyKind::Hawkbit) {
        for (std::size_t i = 0; i < config.groups.size(); ++i) {
            const HawkbitGroup& g = config.groups[i];
            RolloutSlice s;
            s.name = g.name.isEmpty() ? QStringLiteral("group %1").arg(i + 1) : g.name;
            s.begin = next;
            s.end = next + share(g.targetPercentage, devices - next);
            s.successThreshold = g.successThreshold;
            s.errorThreshold = g.errorThreshold;
            next = s.end;
            slices.push_back(std::move(s));
        }
    } else if (config.kind == PolicyKind::Mender) {
        const std::uint32_t total =
            config.maxDevices ? std::min<std::uint32_t>(devices, std::uint32_t(std::max(0, *config.maxDevices))) : devices;
        for (std::size_t i = 0; i < config.phases.size(); ++i) {
            const MenderPhase& p = config.phases[i];
            RolloutSlice s;
            s.name = QStringLiteral("phase %1").arg(i + 1);
            s.begin = next;
            s.end = i + 1 == config.phases.size() ? total : next + std::min(share(p.batchPercentage, total), total - next);
            s.startS = p.startS;
            next = s.end;
            slices.push_back(std::move(s));
        }
    }
    return slices;
}

} // namespace otalab::sim::rollout
