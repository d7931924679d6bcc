// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/loratapwriter.h"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace otalab::sim::lorawan {
namespace {

void putLe32(std::ostream& out, std::uint32_t v)
{
    const char b[4] = {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    out.write(b, 4);
}

void putLe16(std::ostream& out, std::uint16_t v)
{
    const char b[2] = {char(v), char(v >> 8)};
    out.write(b, 2);
}

std::uint8_t clampByte(double v)
{
    return std::uint8_t(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

LoraTapWriter::LoraTapWriter(std::ostream& out) : m_out(out)
{
    putLe32(m_out, 0xA1B2C3D4);
    putLe16(m_out, 2);
    putLe16(m_out, 4);
    putLe32(m_out, 0); // thiszone
    putLe32(m_out, 0); // sigfigs
    putLe32(m_out, 65535);
    putLe32(m_out, kLinkTypeLoraTap);
}

void LoraTapWriter::write(SimTime t, const LoraTapInfo& info, QByteArrayView phyPayload)
{
    const std::int64_t us = std::max<std::int64_t>(t.nanos(), 0) / 1000;
    const auto length = std::uint32_t(kHeaderLength + phyPayload.size());
    putLe32(m_out, std::uint32_t(us / 1'000'000));
    putLe32(m_out, std::uint32_t(us % 1'000'000));
    putLe32(m_out, length);
    putLe32(m_out, length);

    const std::uint32_t f = info.frequencyHz;
    const std::uint8_t packetRssi = clampByte(info.rssiDbm + 139.0);
    const auto snr = std::int8_t(std::clamp(std::lround(info.snrDb * 4.0), -128L, 127L));
    const char header[kHeaderLength] = {
        0, 0, 0, char(kHeaderLength),
        char(f >> 24), char(f >> 16), char(f >> 8), char(f),
        char(std::clamp(info.bandwidthHz / 125'000, 0, 255)), char(info.spreadingFactor),
        char(packetRssi), char(clampByte(info.rssiDbm + 139.0)), char(clampByte(info.rssiDbm - info.snrDb + 139.0)),
        char(snr), char(info.syncWord),
    };
    m_out.write(header, kHeaderLength);
    m_out.write(phyPayload.data(), phyPayload.size());
    ++m_records;
}

} // namespace otalab::sim::lorawan
