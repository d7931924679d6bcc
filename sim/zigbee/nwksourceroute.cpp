// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwksourceroute.h"

#include <algorithm>

namespace otalab::sim {

bool NwkSourceRoute::present(std::span<const std::uint8_t> frame)
{
    return frame.size() >= kHeaderBytes && ((frame[1] << 8) & kFrameControlBit) != 0;
}

bool NwkSourceRoute::insertInto(NwkFrameBuffer& frame, std::size_t maxLength) const
{
    const std::size_t extra = bytes();
    const std::size_t length = std::size_t{frame.length} + extra;
    if (frame.length < kHeaderBytes || length > frame.bytes.size() || length > maxLength || relayCount == 0
        || relayCount > kMaxRelays)
        return false;
    auto* base = frame.bytes.data();
    std::copy_backward(base + kHeaderBytes, base + frame.length, base + length);
    base[kHeaderBytes] = relayCount;
    base[kHeaderBytes + 1] = relayIndex;
    for (std::size_t i = 0; i < relayCount; ++i) {
        base[kHeaderBytes + 2 + 2 * i] = static_cast<std::uint8_t>(relays[i] & 0xFF);
        base[kHeaderBytes + 3 + 2 * i] = static_cast<std::uint8_t>(relays[i] >> 8);
    }
    base[1] = static_cast<std::uint8_t>(base[1] | (kFrameControlBit >> 8));
    frame.length = static_cast<std::uint8_t>(length);
    return true;
}

Result<NwkSourceRoute> NwkSourceRoute::parse(std::span<const std::uint8_t> frame)
{
    if (frame.size() < kHeaderBytes + 2)
        return fail(Error::at(static_cast<qint64>(frame.size()), QStringLiteral("nwk.sourceRoute"),
                              QStringLiteral("truncated source route subframe")));
    NwkSourceRoute r;
    r.relayCount = frame[kHeaderBytes];
    r.relayIndex = frame[kHeaderBytes + 1];
    if (r.relayCount == 0 || r.relayCount > kMaxRelays || r.relayIndex >= r.relayCount)
        return fail(Error::at(static_cast<qint64>(kHeaderBytes), QStringLiteral("nwk.sourceRoute"),
                              QStringLiteral("source route relay count %1, index %2: not carried")
                                  .arg(r.relayCount)
                                  .arg(r.relayIndex)));
    if (frame.size() < kHeaderBytes + r.bytes())
        return fail(Error::at(static_cast<qint64>(frame.size()), QStringLiteral("nwk.sourceRoute"),
                              QStringLiteral("truncated source route relay list")));
    for (std::size_t i = 0; i < r.relayCount; ++i)
        r.relays[i] = static_cast<std::uint16_t>(frame[kHeaderBytes + 2 + 2 * i] | (frame[kHeaderBytes + 3 + 2 * i] << 8));
    return r;
}

bool NwkSourceRoute::strip(std::span<const std::uint8_t> frame, NwkFrameBuffer& out)
{
    if (frame.size() < kHeaderBytes + 2)
        return false;
    const std::size_t sub = 2 + 2 * std::size_t{frame[kHeaderBytes]};
    if (frame.size() < kHeaderBytes + sub)
        return false;
    std::copy(frame.begin(), frame.begin() + kHeaderBytes, out.bytes.begin());
    std::copy(frame.begin() + static_cast<std::ptrdiff_t>(kHeaderBytes + sub), frame.end(),
              out.bytes.begin() + kHeaderBytes);
    out.bytes[1] = static_cast<std::uint8_t>(out.bytes[1] & ~(kFrameControlBit >> 8));
    out.length = static_cast<std::uint8_t>(frame.size() - sub);
    return true;
}

} // namespace otalab::sim
