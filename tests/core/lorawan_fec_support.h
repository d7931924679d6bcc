// SPDX-License-Identifier: Apache-2.0
// Helpers for the TS004 FEC tests: random data, an independent dense GF(2) rank oracle.
#pragma once

#include "core/lorawan/fec.h"

#include <QByteArray>
#include <cstdint>
#include <random>
#include <vector>

namespace otalab::testing::fec {

inline QByteArray randomData(std::mt19937& rng, int size)
{
    QByteArray data(size, '\0');
    for (int i = 0; i < size; ++i)
        data[i] = static_cast<char>(rng() & 0xff);
    return data;
}

// Rank over GF(2) of the rows of frames `counters` (1..M uncoded, M+n parity line n),
// by plain dense elimination — deliberately nothing like FecSystem.
class DenseRank {
public:
    DenseRank(std::uint32_t m, core::lorawan::FecVersion version) : m_m(m), m_version(version) {}
    void add(std::uint32_t counter)
    {
        std::vector<bool> row(m_m, false);
        if (counter <= m_m) {
            row[counter - 1] = true;
        } else {
            const auto line = core::lorawan::parityLine(counter - m_m, m_m, m_version);
            for (auto p : line.positions)
                row[p] = true;
        }
        for (const auto& [pivot, r] : m_rows)
            if (row[pivot])
                for (std::uint32_t i = 0; i < m_m; ++i)
                    row[i] = row[i] ^ r[i];
        for (std::uint32_t i = 0; i < m_m; ++i)
            if (row[i]) {
                // Keep rows reduced at their pivots so later rows reduce in one pass.
                for (auto& [pivot, r] : m_rows)
                    if (r[i])
                        for (std::uint32_t k = 0; k < m_m; ++k)
                            r[k] = r[k] ^ row[k];
                m_rows.emplace_back(i, std::move(row));
                return;
            }
    }
    std::uint32_t rank() const { return static_cast<std::uint32_t>(m_rows.size()); }

private:
    std::uint32_t m_m;
    core::lorawan::FecVersion m_version;
    std::vector<std::pair<std::uint32_t, std::vector<bool>>> m_rows;
};

} // namespace otalab::testing::fec
