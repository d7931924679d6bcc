// SPDX-License-Identifier: Apache-2.0
// ObserverList: fans notifications out to the attached SimObservers.
#pragma once

#include "sim/kernel/simobserver.h"
#include "sim/kernel/tracewriter.h"

#include <vector>

namespace otalab::sim {

// The attached observers (not owned; each must outlive its attachment). Models call
// the notify*() functions; each is one predictable branch when the list is empty, so
// models need not guard them. Simulation thread only; do not attach or detach from
// inside a callback.
class ObserverList {
public:
    void add(SimObserver* observer);
    void remove(SimObserver* observer);
    bool empty() const { return m_observers.empty(); }
    std::size_t size() const { return m_observers.size(); }

    void notifyRunStarted(SimTime now) const
    {
        for (SimObserver* o : m_observers)
            o->onRunStarted(now);
    }
    void notifyEventExecuted(const Event& event) const
    {
        SimObserver* const* o = m_observers.data();
        SimObserver* const* const end = o + m_observers.size();
        if (m_leadTrace) {
            m_leadTrace->onEventExecuted(event); // direct (TraceWriter is final)
            ++o;
        }
        for (; o != end; ++o)
            (*o)->onEventExecuted(event);
    }
    void notifyStateChange(const StateChange& change) const
    {
        SimObserver* const* o = m_observers.data();
        SimObserver* const* const end = o + m_observers.size();
        if (m_leadTrace) {
            m_leadTrace->onStateChange(change); // direct (TraceWriter is final)
            ++o;
        }
        for (; o != end; ++o)
            (*o)->onStateChange(change);
    }
    void notifyFrame(const FrameRecord& frame) const
    {
        SimObserver* const* o = m_observers.data();
        SimObserver* const* const end = o + m_observers.size();
        if (m_leadTrace) {
            m_leadTrace->onFrame(frame); // direct (TraceWriter is final)
            ++o;
        }
        for (; o != end; ++o)
            (*o)->onFrame(frame);
    }
    void notifyEnergy(const EnergySample& sample) const
    {
        SimObserver* const* o = m_observers.data();
        SimObserver* const* const end = o + m_observers.size();
        if (m_leadTrace) {
            m_leadTrace->onEnergy(sample); // direct (TraceWriter is final)
            ++o;
        }
        for (; o != end; ++o)
            (*o)->onEnergy(sample);
    }
    void notifyProgress(const Progress& progress) const
    {
        for (SimObserver* o : m_observers)
            o->onProgress(progress);
    }
    void notifyRunFinished(SimTime now, RunOutcome outcome) const
    {
        for (SimObserver* o : m_observers)
            o->onRunFinished(now, outcome);
    }

private:
    std::vector<SimObserver*> m_observers;
    // m_observers[0] when it is a TraceWriter (the usual first observer: a run's
    // fingerprint): the per-record notifications call it without a virtual call.
    TraceWriter* m_leadTrace = nullptr;
};

} // namespace otalab::sim
