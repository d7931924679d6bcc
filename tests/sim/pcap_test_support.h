// SPDX-License-Identifier: Apache-2.0
// Reading back a classic libpcap file (what PcapWriter writes: 24-octet global header, then
// per record a 16-octet header ts_sec | ts_usec | incl_len | orig_len, little-endian).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace otalab::sim::test {

// The little-endian 32-bit word at `at`.
inline std::uint32_t le32(const std::string& s, std::size_t at)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = v << 8 | static_cast<std::uint8_t>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

// The records' data (the MPDUs), in order; the file must end at a record's end.
inline std::vector<std::vector<std::uint8_t>> pcapRecords(const std::string& file)
{
    std::vector<std::vector<std::uint8_t>> out;
    std::size_t at = 24;
    while (at + 16 <= file.size()) {
        const std::uint32_t length = le32(file, at + 8);
        const auto* data = reinterpret_cast<const std::uint8_t*>(file.data() + at + 16);
        out.emplace_back(data, data + length);
        at += 16 + length;
    }
    EXPECT_EQ(at, file.size());
    return out;
}

} // namespace otalab::sim::test
