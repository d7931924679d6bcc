// SPDX-License-Identifier: Apache-2.0
// Helpers for the rollout engine tests: build a config, drive the engine with a fake clock.
#pragma once

#include "sim/fleet/rollout/rolloutengine.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace otalab::sim::rollout::test {

// One action with the time the engine produced it.
struct TimedAction {
    double timeS = 0;
    RolloutAction action;
};

inline RolloutPolicyConfig indexOrder(RolloutPolicyConfig c = {})
{
    c.order = QStringLiteral("index");
    return c;
}

inline std::unique_ptr<RolloutEngine> makeEngine(const RolloutPolicyConfig& config, std::uint32_t devices, std::uint64_t seed = 1)
{
    auto engine = RolloutEngine::create(config, devices, seed);
    EXPECT_TRUE(engine.has_value()) << (engine ? "" : engine.error().toString().toStdString());
    return engine ? std::move(*engine) : nullptr;
}

inline void append(std::vector<TimedAction>& log, double t, const std::vector<RolloutAction>& actions)
{
    for (const RolloutAction& a : actions)
        log.push_back({t, a});
}

// Advances through every wake-up ≤ untilS (then to untilS itself), logging actions.
inline void runTo(RolloutEngine& engine, double untilS, std::vector<TimedAction>& log)
{
    for (int guard = 0; guard < 10'000'000; ++guard) {
        const auto wake = engine.nextWakeS();
        if (!wake || *wake > untilS)
            break;
        append(log, *wake, engine.advance(*wake));
    }
    append(log, untilS, engine.advance(untilS));
}

inline std::vector<TimedAction> notifies(const std::vector<TimedAction>& log)
{
    std::vector<TimedAction> out;
    for (const TimedAction& a : log)
        if (a.action.kind == RolloutAction::Kind::Notify)
            out.push_back(a);
    return out;
}

inline int count(const RolloutEngine& e, ExecutionState s)
{
    return e.counts()[static_cast<std::size_t>(s)];
}

} // namespace otalab::sim::rollout::test
