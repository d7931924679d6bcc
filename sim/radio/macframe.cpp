// SPDX-License-Identifier: Apache-2.0
#include "sim/radio/macframe.h"

#include <algorithm>

namespace otalab::sim {

namespace {

// FCF bits (7.2.1.1): type 0-2, security 3, frame pending 4, ack request 5, PAN ID
// compression 6, dst addressing mode 10-11, frame version 12-13, src mode 14-15.
constexpr std::uint16_t kFcfFramePending = 1u << 4;
constexpr std::uint16_t kFcfAckRequest = 1u << 5;
constexpr std::uint16_t kFcfPanIdCompression = 1u << 6;
constexpr std::uint16_t kFcfShortAddressing = (2u << 10) | (2u << 14);
constexpr std::uint16_t kFcfAddressingMask = (3u << 10) | (3u << 14);

void put16(std::uint8_t* p, std::uint16_t v)
{
    p[0] = static_cast<std::uint8_t>(v & 0xFF);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}

std::uint16_t get16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

// CRC-16/KERMIT (reflected polynomial 0x8408), slicing-by-8: table[k][b] is the CRC
// contribution of byte b followed by k zero bytes, so eight input bytes fold in one step.
using CrcTables = std::array<std::array<std::uint16_t, 256>, 8>;
constexpr CrcTables makeCrcTables()
{
    CrcTables t{};
    for (unsigned i = 0; i < 256; ++i) {
        std::uint16_t crc = static_cast<std::uint16_t>(i);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : static_cast<std::uint16_t>(crc >> 1);
        t[0][i] = crc;
    }
    for (std::size_t k = 1; k < 8; ++k) {
        for (unsigned i = 0; i < 256; ++i)
            t[k][i] = static_cast<std::uint16_t>((t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF]);
    }
    return t;
}
constexpr CrcTables kCrc = makeCrcTables();

} // namespace

std::uint16_t MacFrame::fcs(std::span<const std::uint8_t> bytes)
{
    std::uint16_t crc = 0;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 8; n -= 8, p += 8) {
        const std::uint8_t b0 = static_cast<std::uint8_t>(p[0] ^ (crc & 0xFF));
        const std::uint8_t b1 = static_cast<std::uint8_t>(p[1] ^ (crc >> 8));
        crc = static_cast<std::uint16_t>(kCrc[7][b0] ^ kCrc[6][b1] ^ kCrc[5][p[2]] ^ kCrc[4][p[3]] ^ kCrc[3][p[4]]
                                         ^ kCrc[2][p[5]] ^ kCrc[1][p[6]] ^ kCrc[0][p[7]]);
    }
    for (; n > 0; --n, ++p)
        crc = static_cast<std::uint16_t>((crc >> 8) ^ kCrc[0][(crc ^ *p) & 0xFF]);
    return crc;
}

std::size_t MacFrame::encode(const MacHeader& header, std::span<const std::uint8_t> payload, MpduBuffer& out)
{
    if (payload.size() > kMaxPayloadBytes)
        return 0;
    std::uint16_t fcf = static_cast<std::uint16_t>(header.type) | kFcfPanIdCompression | kFcfShortAddressing;
    if (header.framePending)
        fcf |= kFcfFramePending;
    if (header.ackRequest)
        fcf |= kFcfAckRequest;
    std::uint8_t* p = out.data();
    put16(p, fcf);
    p[2] = header.sequence;
    put16(p + 3, header.panId);
    put16(p + 5, header.dst);
    put16(p + 7, header.src);
    std::copy(payload.begin(), payload.end(), p + kHeaderBytes);
    const std::size_t body = kHeaderBytes + payload.size();
    put16(p + body, fcs({p, body}));
    return body + kFcsBytes;
}

std::size_t MacFrame::encodeAck(std::uint8_t sequence, bool framePending, MpduBuffer& out)
{
    std::uint16_t fcf = static_cast<std::uint16_t>(MacFrameType::Ack);
    if (framePending)
        fcf |= kFcfFramePending;
    put16(out.data(), fcf);
    out[2] = sequence;
    put16(out.data() + 3, fcs({out.data(), 3}));
    return PhyTiming::kAckBytes;
}

std::optional<MacHeader> MacFrame::parse(std::span<const std::uint8_t> mpdu, std::span<const std::uint8_t>* payload,
                                         FcsCheck check)
{
    if (mpdu.size() < PhyTiming::kAckBytes || mpdu.size() > PhyTiming::kMaxPhyPacketSize)
        return std::nullopt;
    const std::size_t body = mpdu.size() - kFcsBytes;
    if (check == FcsCheck::Verify && fcs(mpdu.first(body)) != get16(mpdu.data() + body))
        return std::nullopt;
    const std::uint16_t fcf = get16(mpdu.data());
    MacHeader h;
    h.type = static_cast<MacFrameType>(fcf & 0x7);
    h.framePending = (fcf & kFcfFramePending) != 0;
    h.ackRequest = (fcf & kFcfAckRequest) != 0;
    h.sequence = mpdu[2];
    if (h.type == MacFrameType::Ack) {
        if (mpdu.size() != PhyTiming::kAckBytes)
            return std::nullopt;
        if (payload)
            *payload = {};
        return h;
    }
    if ((fcf & kFcfAddressingMask) != kFcfShortAddressing || !(fcf & kFcfPanIdCompression)
        || mpdu.size() < kOverheadBytes)
        return std::nullopt;
    h.panId = get16(mpdu.data() + 3);
    h.dst = get16(mpdu.data() + 5);
    h.src = get16(mpdu.data() + 7);
    if (payload)
        *payload = mpdu.subspan(kHeaderBytes, body - kHeaderBytes);
    return h;
}

} // namespace otalab::sim
