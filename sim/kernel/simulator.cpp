// SPDX-License-Identifier: Apache-2.0
// Simulator run loop.
#include "sim/kernel/simulator.h"

#include "sim/kernel/eventhandler.h"
#include "sim/kernel/eventprofile.h"
#include "sim/kernel/sequentialscheduler.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace otalab::sim {

Simulator::Simulator()
    : Simulator(std::make_unique<SequentialScheduler>())
{
}

Simulator::Simulator(std::unique_ptr<Scheduler> scheduler)
    : m_scheduler(scheduler ? std::move(scheduler) : std::make_unique<SequentialScheduler>())
{
    if (const char* env = std::getenv("OTALAB_EVENT_PROFILE"); env && std::atoi(env) != 0) {
        m_ownProfile = std::make_unique<EventProfile>();
        m_profile = m_ownProfile.get();
    }
}

Simulator::~Simulator()
{
    if (m_ownProfile && m_ownProfile->total() > 0) {
        std::fprintf(stderr, "event profile (OTALAB_EVENT_PROFILE), %llu events:\n",
                     static_cast<unsigned long long>(m_ownProfile->total()));
        m_ownProfile->print(stderr);
    }
}

SimTime Simulator::clampToNow(SimTime at) const
{
    assert(at >= m_now && "cannot schedule an event in the past");
    return at < m_now ? m_now : at;
}

std::optional<SimTime> Simulator::nextEventTime() const
{
    if (m_queue.empty())
        return std::nullopt;
    return m_queue.nextTime();
}

bool Simulator::step()
{
    const std::uint64_t before = m_eventsExecuted;
    runLoop(SimTime::max(), 1);
    return m_eventsExecuted != before;
}

RunOutcome Simulator::run()
{
    return runLoop(SimTime::max(), std::numeric_limits<std::uint64_t>::max());
}

RunOutcome Simulator::runUntil(SimTime limit)
{
    if (limit < m_now)
        return RunOutcome::LimitReached;
    return runLoop(limit, std::numeric_limits<std::uint64_t>::max());
}

Progress Simulator::progress(SimTime limit) const
{
    return Progress{m_now, limit, m_eventsExecuted, m_queue.size()};
}

RunOutcome Simulator::runLoop(SimTime limit, std::uint64_t maxEvents)
{
    assert(!m_running && "Simulator::run* is not re-entrant");
    m_running = true;
    m_scheduler->beginRun(m_now);
    m_observers.notifyRunStarted(m_now);

    const bool paced = m_scheduler->paces();
    std::uint64_t executed = 0;
    std::uint64_t untilProgress = m_progressInterval;
    RunOutcome outcome = RunOutcome::QueueEmpty;
    for (;;) {
        if (m_stopRequested.load(std::memory_order_relaxed)) {
            outcome = RunOutcome::Stopped;
            break;
        }
        if (executed == maxEvents) {
            outcome = RunOutcome::StepDone;
            break;
        }
        if (m_queue.empty()) {
            outcome = limit == SimTime::max() ? RunOutcome::QueueEmpty : RunOutcome::LimitReached;
            break;
        }
        const SimTime next = m_queue.nextTime();
        if (next > limit) {
            outcome = RunOutcome::LimitReached;
            break;
        }
        if (paced && !m_scheduler->waitUntil(next, m_stopRequested)) {
            outcome = RunOutcome::Stopped;
            break;
        }
        const EventQueue::Popped popped = m_queue.pop();
        m_now = popped.event.time;
        ++m_eventsExecuted;
        ++executed;
        if (m_profile)
            m_profile->count(*popped.target, popped.event.data.kind);
        if (m_observers.empty()) {
            popped.target->handleEvent(*this, popped.event);
        } else {
            m_observers.notifyEventExecuted(popped.event);
            popped.target->handleEvent(*this, popped.event);
            if (m_progressInterval != 0 && --untilProgress == 0) {
                untilProgress = m_progressInterval;
                m_observers.notifyProgress(progress(limit));
            }
        }
    }
    if (outcome == RunOutcome::Stopped)
        m_stopRequested.store(false, std::memory_order_relaxed);
    if (outcome == RunOutcome::LimitReached)
        m_now = limit;

    m_observers.notifyProgress(progress(limit));
    m_observers.notifyRunFinished(m_now, outcome);
    m_scheduler->endRun(m_now);
    m_running = false;
    return outcome;
}

} // namespace otalab::sim
