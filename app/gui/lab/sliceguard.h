// SPDX-License-Identifier: Apache-2.0
// SliceGuard: stops a kernel run after a wall-clock budget or on an interrupt flag.
#pragma once

#include "sim/kernel/simobserver.h"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace otalab::sim {
class Simulator;
}

namespace otalab::app {

// Attached to the Simulator on the simulation thread. Every kCheckEvery executed
// events it reads the steady clock and the interrupt flag (set from any thread) and,
// when the armed deadline has passed or the flag is set, calls Simulator::stop(). The
// stop request is always issued from inside an event, so the running loop consumes it
// (no stale request reaches the next run).
class SliceGuard final : public sim::SimObserver {
public:
    static constexpr std::uint32_t kCheckEvery = 256;

    SliceGuard(sim::Simulator& sim, const std::atomic<bool>& interrupt) : m_sim(sim), m_interrupt(interrupt) {}

    // Budget for the next run (wall clock from now). disarm(): only the flag counts.
    void arm(std::chrono::milliseconds budget) { m_deadline = std::chrono::steady_clock::now() + budget; }
    void disarm() { m_deadline = std::chrono::steady_clock::time_point::max(); }

    void onEventExecuted(const sim::Event& event) override;

private:
    sim::Simulator& m_sim;
    const std::atomic<bool>& m_interrupt;
    std::chrono::steady_clock::time_point m_deadline = std::chrono::steady_clock::time_point::max();
    std::uint32_t m_countdown = kCheckEvery;
};

} // namespace otalab::app
