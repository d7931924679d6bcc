// SPDX-License-Identifier: Apache-2.0
// PHOLD on ns-3's kernel (linked into bench_phold only when ns-3 is found).
#include "pholdworkload.h"

#include <benchmark/benchmark.h>

#include <ns3/event-id.h>
#include <ns3/nstime.h>
#include <ns3/object-factory.h>
#include <ns3/simulator.h>

#include <vector>

namespace {

namespace phold = otalab::bench::phold;

// The same model as BM_PholdOtalab's, written the idiomatic ns-3 way:
// Simulator::Schedule with member-function events, EventId::Cancel for timeouts.
class Ns3Phold {
public:
    Ns3Phold()
        : m_rng(phold::makeStreams())
        , m_timers(phold::kProcesses)
    {
        for (std::uint32_t lp = 0; lp < phold::kProcesses; ++lp) {
            for (std::uint32_t j = 0; j < phold::kJobsPerProcess; ++j)
                ns3::Simulator::Schedule(ns3::NanoSeconds(phold::drawDelayNs(m_rng[lp])), &Ns3Phold::job, this, lp);
            m_timers[lp] = ns3::Simulator::Schedule(ns3::NanoSeconds(phold::kTimeoutNs), &Ns3Phold::timeout, this, lp);
        }
    }

    void job(std::uint32_t lp)
    {
        ++jobs;
        m_timers[lp].Cancel();
        m_timers[lp] = ns3::Simulator::Schedule(ns3::NanoSeconds(phold::kTimeoutNs), &Ns3Phold::timeout, this, lp);
        otalab::sim::RandomStream& rng = m_rng[lp];
        const std::uint32_t dst = phold::drawDestination(rng);
        ns3::Simulator::Schedule(ns3::NanoSeconds(phold::drawDelayNs(rng)), &Ns3Phold::job, this, dst);
    }

    void timeout(std::uint32_t) { ++timeouts; }

    std::uint64_t jobs = 0;
    std::uint64_t timeouts = 0;

private:
    std::vector<otalab::sim::RandomStream> m_rng;
    std::vector<ns3::EventId> m_timers;
};

void BM_PholdNs3(benchmark::State& state, const char* schedulerType)
{
    std::uint64_t jobs = 0;
    for (auto _ : state) {
        state.PauseTiming();
        ns3::ObjectFactory factory;
        factory.SetTypeId(schedulerType);
        ns3::Simulator::SetScheduler(factory);
        auto model = std::make_unique<Ns3Phold>();
        ns3::Simulator::Stop(ns3::NanoSeconds(phold::kEndNs));
        state.ResumeTiming();

        ns3::Simulator::Run();

        state.PauseTiming();
        jobs += model->jobs;
        state.counters["jobs"] = static_cast<double>(model->jobs);
        state.counters["timeouts"] = static_cast<double>(model->timeouts);
        ns3::Simulator::Destroy();
        model.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(jobs));
}

} // namespace

BENCHMARK_CAPTURE(BM_PholdNs3, MapScheduler, "ns3::MapScheduler")
    ->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_PholdNs3, HeapScheduler, "ns3::HeapScheduler")
    ->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_PholdNs3, CalendarScheduler, "ns3::CalendarScheduler")
    ->Unit(benchmark::kMillisecond)->Iterations(1);
