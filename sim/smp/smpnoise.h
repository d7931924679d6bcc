// SPDX-License-Identifier: Apache-2.0
// Line noise for the simulated SMP links: independent byte errors at a given rate.
#pragma once

#include "sim/kernel/randomstream.h"

#include <QByteArray>

#include <cmath>

namespace otalab::sim {

// Purposes of the links' random streams (RandomStream's third argument).
inline constexpr std::uint32_t kSmpNoiseUp = 0x534d5055;     // host → board
inline constexpr std::uint32_t kSmpNoiseDown = 0x534d5044;   // board → host

// Alters each byte with probability `rate` (XOR with a random non-zero value). With
// `keep` >= 0 that byte value is neither altered nor produced (the serial model keeps
// its line structure: a '\n' is never lost or invented). Returns the bytes altered.
// Draws one random number per byte only when rate > 0, so a noiseless run draws none.
inline int corruptBytes(QByteArray& bytes, double rate, RandomStream& rng, int keep = -1)
{
    if (rate <= 0)
        return 0;
    int altered = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (!rng.bernoulli(rate) || int(std::uint8_t(bytes[i])) == keep)
            continue;
        std::uint8_t flipped = 0;
        do {
            flipped = std::uint8_t(std::uint8_t(bytes[i]) ^ std::uint8_t(1 + rng.uniformInt(255)));
        } while (int(flipped) == keep);
        bytes[i] = char(flipped);
        ++altered;
    }
    return altered;
}

// Probability that at least one of `bytes` bytes is hit at byte error rate `rate`.
inline double unitErrorProbability(double rate, qsizetype bytes)
{
    return rate <= 0 ? 0.0 : 1.0 - std::pow(1.0 - rate, double(bytes));
}

} // namespace otalab::sim
