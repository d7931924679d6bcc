// SPDX-License-Identifier: Apache-2.0
// SliceGuard: periodic wall-clock check inside a kernel run.
#include "lab/sliceguard.h"

#include "sim/kernel/simulator.h"

namespace otalab::app {

void SliceGuard::onEventExecuted(const sim::Event& event)
{
    static_cast<void>(event);
    if (--m_countdown != 0)
        return;
    m_countdown = kCheckEvery;
    if (m_interrupt.load(std::memory_order_relaxed) || std::chrono::steady_clock::now() >= m_deadline)
        m_sim.stop();
}

} // namespace otalab::app
