// SPDX-License-Identifier: Apache-2.0
#include "sim/pcap/pcapwriter.h"

#include "sim/radio/macframe.h"
#include "sim/radio/phytiming.h"

#include <array>
#include <ostream>

namespace otalab::sim {

namespace {

template <std::size_t N>
void put32(std::array<char, N>& buf, std::size_t at, std::uint32_t v)
{
    for (std::size_t i = 0; i < 4; ++i)
        buf[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

template <std::size_t N>
void put16(std::array<char, N>& buf, std::size_t at, std::uint16_t v)
{
    buf[at] = static_cast<char>(v & 0xFF);
    buf[at + 1] = static_cast<char>(v >> 8);
}

} // namespace

PcapWriter::PcapWriter(std::ostream& out)
    : PcapWriter(out, Options{})
{
}

PcapWriter::PcapWriter(std::ostream& out, Options options)
    : m_out(out)
    , m_options(options)
{
    writeGlobalHeader();
}

void PcapWriter::writeGlobalHeader()
{
    std::array<char, 24> h{};
    put32(h, 0, 0xA1B2C3D4u);
    put16(h, 4, 2);  // version major
    put16(h, 6, 4);  // version minor
    put32(h, 8, 0);  // thiszone
    put32(h, 12, 0); // sigfigs
    put32(h, 16, static_cast<std::uint32_t>(PhyTiming::kMaxPhyPacketSize)); // snaplen
    put32(h, 20, kLinkTypeIeee802154WithFcs);
    m_out.write(h.data(), static_cast<std::streamsize>(h.size()));
}

void PcapWriter::onFrame(const FrameRecord& frame)
{
    if (frame.fate != FrameFate::Transmitted || frame.bytes.empty())
        return;
    if (!m_options.includeAcks && frame.bytes.size() == PhyTiming::kAckBytes
        && (frame.bytes[0] & 0x07) == static_cast<std::uint8_t>(MacFrameType::Ack))
        return;
    const std::int64_t us = frame.time.nanos() / 1'000;
    std::array<char, 16> r{};
    put32(r, 0, static_cast<std::uint32_t>(us / 1'000'000));
    put32(r, 4, static_cast<std::uint32_t>(us % 1'000'000));
    put32(r, 8, static_cast<std::uint32_t>(frame.bytes.size()));
    put32(r, 12, static_cast<std::uint32_t>(frame.bytes.size()));
    m_out.write(r.data(), static_cast<std::streamsize>(r.size()));
    // A secured frame carried in plaintext: write it as a sniffer captures it (FrameSealer:
    // payload encrypted, MIC, FCS recomputed).
    std::array<std::uint8_t, PhyTiming::kMaxPhyPacketSize> sealed{};
    std::span<const std::uint8_t> onAir = frame.bytes;
    if (frame.sealer && frame.bytes.size() <= sealed.size()
        && frame.sealer->seal(frame.bytes, std::span<std::uint8_t>(sealed.data(), frame.bytes.size())))
        onAir = {sealed.data(), frame.bytes.size()};
    m_out.write(reinterpret_cast<const char*>(onAir.data()), static_cast<std::streamsize>(onAir.size()));
    ++m_records;
}

} // namespace otalab::sim
