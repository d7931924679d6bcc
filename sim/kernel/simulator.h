// SPDX-License-Identifier: Apache-2.0
// Simulator: virtual clock, future-event set, run loop and observer fan-out.
#pragma once

#include "sim/kernel/event.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/eventqueue.h"
#include "sim/kernel/observerlist.h"
#include "sim/kernel/scheduler.h"
#include "sim/kernel/simtime.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

namespace otalab::sim {

class EventHandler;
class EventProfile;
class SimObserver;

// The discrete-event kernel. Events execute in (time, scheduling order); virtual time
// only moves forward, to each event's time as it executes. A run is a pure function
// of the events scheduled and the handlers' behaviour: the Scheduler affects only
// wall-clock pacing, observers only watch.
//
// Threading: everything except stop() must be called from one thread (the
// simulation thread), and run()/runUntil()/step() are not re-entrant (a handler must
// not call them). stop() may be called from any thread or from a handler.
class Simulator {
public:
    // Sequential (as fast as possible) scheduler.
    Simulator();
    explicit Simulator(std::unique_ptr<Scheduler> scheduler);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    SimTime now() const { return m_now; }

    // Schedules `data` for `target` at absolute time `at`. Precondition: at >= now()
    // (asserted; release builds clamp to now()). Events at equal times run in the
    // order they were scheduled. No allocation once the queue has grown to its
    // high-water mark.
    EventHandle schedule(SimTime at, EventHandler& target, const EventData& data = {})
    {
        return m_queue.push(clampToNow(at), &target, data);
    }
    // Schedules at now() + delay. Precondition: delay >= 0.
    EventHandle scheduleAfter(SimTime delay, EventHandler& target, const EventData& data = {})
    {
        return m_queue.push(clampToNow(m_now + delay), &target, data);
    }

    // The same as scheduleAfter(), for a handler's constant short delays (ACK waits,
    // turnarounds): such events, scheduled in nondecreasing time, skip the heap
    // (EventQueue::pushFifo); the order of events is exactly scheduleAfter()'s.
    // `lane` (< EventQueue::kFifoLanes) names the delay: one lane per constant delay.
    EventHandle scheduleAfterFifo(SimTime delay, std::size_t lane, EventHandler& target, const EventData& data = {})
    {
        return m_queue.pushFifo(clampToNow(m_now + delay), &target, data, lane);
    }

    // Cancels a pending event in O(1). Returns false (no-op) for an invalid handle or
    // one whose event already executed or was cancelled.
    bool cancel(EventHandle handle) { return m_queue.cancel(handle); }
    bool isPending(EventHandle handle) const { return m_queue.isPending(handle); }

    std::size_t pendingEvents() const { return m_queue.size(); }
    std::optional<SimTime> nextEventTime() const;
    std::uint64_t eventsExecuted() const { return m_eventsExecuted; }

    // Executes the earliest pending event (waiting for the scheduler first). Returns
    // false if there was none or a stop request intervened.
    bool step();
    // Executes events until the queue is empty or stop(). now() stays at the last
    // executed event's time.
    RunOutcome run();
    // Executes every event with time <= limit (including events scheduled during the
    // run at exactly `limit`), then sets now() to `limit` and returns LimitReached.
    // If stopped, returns Stopped with now() at the last executed event. A limit
    // before now() executes nothing and leaves now() unchanged.
    RunOutcome runUntil(SimTime limit);

    // Requests the current run to return before its next event; the event being
    // executed completes. If no run is active, the next run returns Stopped at once.
    // The request is consumed by the run it stops. Any thread.
    void stop() { m_stopRequested.store(true, std::memory_order_relaxed); }
    bool stopRequested() const { return m_stopRequested.load(std::memory_order_relaxed); }

    // Observers (not owned): see SimObserver for the call order. Not during a run.
    void addObserver(SimObserver* observer) { m_observers.add(observer); }
    void removeObserver(SimObserver* observer) { m_observers.remove(observer); }
    // Models report state changes, frames and energy through this.
    const ObserverList& observers() const { return m_observers; }

    // onProgress every `events` executed events (0: only at the end of each run).
    void setProgressInterval(std::uint64_t events) { m_progressInterval = events; }

    // The run's master seed, from which models derive per-node RandomStreams.
    std::uint64_t seed() const { return m_seed; }
    void setSeed(std::uint64_t seed) { m_seed = seed; }

    Scheduler& scheduler() { return *m_scheduler; }
    // Pre-sizes the queue for `events` simultaneously pending events.
    void reserve(std::size_t events) { m_queue.reserve(events); }
    const EventQueue& queue() const { return m_queue; }

    // Counts every executed event per (handler class, kind) into `profile` (not owned;
    // nullptr: off, the default). Diagnostic: changes nothing that runs. With
    // OTALAB_EVENT_PROFILE=1 in the environment every Simulator owns one and prints it
    // to stderr when destroyed.
    void setEventProfile(EventProfile* profile) { m_profile = profile; }
    EventProfile* eventProfile() const { return m_profile; }

private:
    SimTime clampToNow(SimTime at) const;
    RunOutcome runLoop(SimTime limit, std::uint64_t maxEvents);
    Progress progress(SimTime limit) const;

    EventQueue m_queue;
    std::unique_ptr<Scheduler> m_scheduler;
    ObserverList m_observers;
    SimTime m_now;
    std::uint64_t m_eventsExecuted = 0;
    std::uint64_t m_progressInterval = 65'536;
    std::uint64_t m_seed = 0;
    std::atomic<bool> m_stopRequested{false};
    EventProfile* m_profile = nullptr;
    std::unique_ptr<EventProfile> m_ownProfile; // OTALAB_EVENT_PROFILE=1
    bool m_running = false;
};

} // namespace otalab::sim
