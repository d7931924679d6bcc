// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fec.h"

#include <bit>
#include <cassert>

namespace otalab::core::lorawan {

QString fecVersionName(FecVersion v)
{
    return v == FecVersion::V1 ? QStringLiteral("1") : QStringLiteral("2");
}

std::optional<FecVersion> fecVersionFromNumber(int number)
{
    if (number == 1)
        return FecVersion::V1;
    if (number == 2)
        return FecVersion::V2;
    return std::nullopt;
}

ParityLine parityLine(std::uint32_t n, std::uint32_t fragmentCount, FecVersion version)
{
    assert(n >= 1 && n <= kMaxFragmentCounter);
    assert(fragmentCount >= 1 && fragmentCount <= kMaxFragmentCounter);
    const std::uint32_t m = fragmentCount;
    const bool powerOfTwo = (m & (m - 1)) == 0;
    const std::uint32_t modulus = m + (powerOfTwo ? 1u : 0u);

    ParityLine line;
    line.index = n;
    line.fragmentCount = m;
    line.version = version;
    line.bits.assign((m + 63) / 64, 0);

    std::uint32_t x = 1 + 1001 * n;
    std::uint32_t counted = 0;
    while (counted < m / 2) {
        std::uint32_t r;
        do {
            x = prbs23(x);
            r = x % modulus;
        } while (r >= m);
        std::uint64_t& word = line.bits[r >> 6];
        const std::uint64_t bit = std::uint64_t{1} << (r & 63);
        const bool isNew = (word & bit) == 0;
        word |= bit;
        if (version == FecVersion::V1 || isNew)
            ++counted;
    }
    for (std::uint32_t w = 0; w < line.bits.size(); ++w)
        for (std::uint64_t v = line.bits[w]; v; v &= v - 1)
            line.positions.push_back(static_cast<std::uint16_t>(w * 64 + std::countr_zero(v)));
    return line;
}

} // namespace otalab::core::lorawan
