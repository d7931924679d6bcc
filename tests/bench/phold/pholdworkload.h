// SPDX-License-Identifier: Apache-2.0
// PHOLD workload parameters and per-process random streams shared by both kernels.
#pragma once

#include "sim/kernel/randomstream.h"
#include "sim/kernel/simtime.h"

#include <cstdint>
#include <vector>

namespace otalab::bench::phold {

// The PHOLD: 10,000 logical processes (LPs), 4 jobs each in flight, each job
// held for an exponential(mean 1 s) delay and then sent to a uniformly random LP;
// every LP keeps a 5 s timeout timer that each job arrival cancels and re-arms; run
// to t = 100 s. Both kernels draw from the same per-LP otalab streams in the same
// order (destination, then delay), so they execute the same job sequence and their
// job counts must agree — a cross-check that the comparison is like for like.
inline constexpr std::uint32_t kProcesses = 10'000;
inline constexpr std::uint32_t kJobsPerProcess = 4;
inline constexpr std::int64_t kMeanDelayNs = 1'000'000'000;
inline constexpr std::int64_t kTimeoutNs = 5'000'000'000;
inline constexpr std::int64_t kEndNs = 100'000'000'000;
inline constexpr std::uint64_t kSeed = 20261122;

inline std::vector<sim::RandomStream> makeStreams()
{
    std::vector<sim::RandomStream> streams;
    streams.reserve(kProcesses);
    for (std::uint32_t lp = 0; lp < kProcesses; ++lp)
        streams.emplace_back(kSeed, lp);
    return streams;
}

// Delay of a job leaving an LP, in ns (the second draw per arrival).
inline std::int64_t drawDelayNs(sim::RandomStream& rng)
{
    return rng.exponentialTime(sim::SimTime::fromNanos(kMeanDelayNs)).nanos();
}

// Destination LP of a job leaving an LP (the first draw per arrival).
inline std::uint32_t drawDestination(sim::RandomStream& rng)
{
    return static_cast<std::uint32_t>(rng.uniformInt(kProcesses));
}

} // namespace otalab::bench::phold
