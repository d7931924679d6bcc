// SPDX-License-Identifier: Apache-2.0
// PHOLD on the otalab kernel (and, when built with ns-3, on ns-3's in the same binary).
#include "phold/pholdworkload.h"

#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/tracewriter.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

using namespace otalab::sim;
namespace phold = otalab::bench::phold;

// One handler for all LPs: the LP is the event's node, the kind says job or timeout.
class PholdModel final : public EventHandler {
public:
    enum Kind : std::uint32_t { Job = 1, Timeout = 2 };

    explicit PholdModel(Simulator& sim)
        : m_rng(phold::makeStreams())
        , m_timers(phold::kProcesses)
    {
        const SimTime timeout = SimTime::fromNanos(phold::kTimeoutNs);
        for (NodeId lp = 0; lp < phold::kProcesses; ++lp) {
            for (std::uint32_t j = 0; j < phold::kJobsPerProcess; ++j)
                sim.schedule(SimTime::fromNanos(phold::drawDelayNs(m_rng[lp])), *this, EventData{lp, Job, 0, 0});
            m_timers[lp] = sim.schedule(timeout, *this, EventData{lp, Timeout, 0, 0});
        }
    }

    void handleEvent(Simulator& sim, const Event& event) override
    {
        const NodeId lp = event.data.node;
        if (event.data.kind == Timeout) {
            ++timeouts;
            return;
        }
        ++jobs;
        sim.cancel(m_timers[lp]);
        m_timers[lp] = sim.scheduleAfter(SimTime::fromNanos(phold::kTimeoutNs), *this, EventData{lp, Timeout, 0, 0});
        RandomStream& rng = m_rng[lp];
        const NodeId dst = phold::drawDestination(rng);
        sim.scheduleAfter(SimTime::fromNanos(phold::drawDelayNs(rng)), *this, EventData{dst, Job, 0, 0});
    }

    std::uint64_t jobs = 0;
    std::uint64_t timeouts = 0;

private:
    std::vector<RandomStream> m_rng;
    std::vector<EventHandle> m_timers;
};

// Timed: the run from t = 0 to 100 s; building the model (initial 50,000 events)
// and teardown are excluded, as for ns-3. Arg 0: bare kernel. Arg 1: with a fingerprint-only TraceWriter attached (the
// cost of an observer that hashes every event).
void BM_PholdOtalab(benchmark::State& state)
{
    const bool traced = state.range(0) != 0;
    std::uint64_t jobs = 0;
    std::uint64_t events = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto sim = std::make_unique<Simulator>();
        sim->reserve(phold::kProcesses * (phold::kJobsPerProcess + 1));
        TraceWriter trace;
        if (traced)
            sim->addObserver(&trace);
        PholdModel model(*sim);
        state.ResumeTiming();

        sim->runUntil(SimTime::fromNanos(phold::kEndNs));

        state.PauseTiming();
        jobs += model.jobs;
        events += sim->eventsExecuted();
        state.counters["jobs"] = static_cast<double>(model.jobs);
        state.counters["timeouts"] = static_cast<double>(model.timeouts);
        state.counters["compactions"] = static_cast<double>(sim->queue().compactions());
        sim.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(jobs));
    state.counters["events"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}

} // namespace

// One full run per iteration; items_per_second = jobs per CPU second (the machines
// are shared, so CPU time is the fairer clock for both kernels).
BENCHMARK(BM_PholdOtalab)->ArgName("traced")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
