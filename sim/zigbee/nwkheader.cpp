// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwkheader.h"

namespace otalab::sim {

namespace {

constexpr std::uint16_t kFcfTypeMask = 0x0003;
constexpr int kFcfVersionShift = 2;
constexpr std::uint16_t kFcfVersionMask = 0x003C;
constexpr int kFcfDiscoverShift = 6;
constexpr std::uint16_t kFcfDiscoverMask = 0x00C0;
// Security (9, Zigbee R22 3.3.1.1.5): an auxiliary security header follows.
constexpr std::uint16_t kFcfSecurity = 0x0200;
// Multicast (8), source route (10), destination IEEE (11), source IEEE (12).
constexpr std::uint16_t kFcfUnmodelledMask = 0x1D00;

} // namespace

std::size_t NwkHeader::encode(std::span<std::uint8_t> out) const
{
    if (out.size() < kBytes)
        return 0;
    const auto fcf = static_cast<std::uint16_t>(static_cast<unsigned>(frameType)
                                                | (unsigned{kProtocolVersion} << kFcfVersionShift)
                                                | (static_cast<unsigned>(discoverRoute) << kFcfDiscoverShift)
                                                | (security ? kFcfSecurity : 0u));
    out[0] = static_cast<std::uint8_t>(fcf & 0xFF);
    out[1] = static_cast<std::uint8_t>(fcf >> 8);
    out[2] = static_cast<std::uint8_t>(dst & 0xFF);
    out[3] = static_cast<std::uint8_t>(dst >> 8);
    out[4] = static_cast<std::uint8_t>(src & 0xFF);
    out[5] = static_cast<std::uint8_t>(src >> 8);
    out[kRadiusOffset] = radius;
    out[7] = sequence;
    return kBytes;
}

Result<NwkHeader> NwkHeader::decode(std::span<const std::uint8_t> frame)
{
    if (frame.size() < kBytes)
        return fail(Error::at(static_cast<qint64>(frame.size()), QStringLiteral("nwk.header"),
                              QStringLiteral("truncated NWK header: %1 octets, the header needs %2 "
                                             "(frame control, destination, source, radius, sequence)")
                                  .arg(frame.size())
                                  .arg(kBytes)));
    const auto fcf = static_cast<std::uint16_t>(frame[0] | (frame[1] << 8));
    const unsigned type = fcf & kFcfTypeMask;
    const unsigned version = (fcf & kFcfVersionMask) >> kFcfVersionShift;
    if (version != kProtocolVersion)
        return fail(Error::at(0, QStringLiteral("nwk.frameControl.protocolVersion"),
                              QStringLiteral("NWK protocol version %1, expected 2 (Zigbee PRO)").arg(version)));
    if (type > static_cast<unsigned>(NwkFrameType::Command))
        return fail(Error::at(0, QStringLiteral("nwk.frameControl.frameType"),
                              QStringLiteral("NWK frame type %1 is not modelled (expected 0 data or 1 command)")
                                  .arg(type)));
    if (fcf & kFcfUnmodelledMask)
        return fail(Error::at(1, QStringLiteral("nwk.frameControl"),
                              QStringLiteral("NWK frame control 0x%1 sets multicast, source-route or IEEE "
                                             "address flags, which this model does not carry")
                                  .arg(fcf, 4, 16, QLatin1Char('0'))));
    NwkHeader h;
    h.frameType = static_cast<NwkFrameType>(type);
    h.discoverRoute = static_cast<NwkDiscoverRoute>((fcf & kFcfDiscoverMask) >> kFcfDiscoverShift);
    h.dst = static_cast<std::uint16_t>(frame[2] | (frame[3] << 8));
    h.src = static_cast<std::uint16_t>(frame[4] | (frame[5] << 8));
    h.radius = frame[kRadiusOffset];
    h.sequence = frame[7];
    h.security = (fcf & kFcfSecurity) != 0;
    return h;
}

} // namespace otalab::sim
