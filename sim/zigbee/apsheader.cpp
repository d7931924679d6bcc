// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/apsheader.h"

namespace otalab::sim {

namespace {

constexpr std::uint8_t kFcfTypeMask = 0x03;
constexpr int kFcfDeliveryShift = 2;
constexpr std::uint8_t kFcfDeliveryMask = 0x0C;
constexpr std::uint8_t kFcfAckFormat = 0x10;
constexpr std::uint8_t kFcfSecurity = 0x20;
constexpr std::uint8_t kFcfAckRequest = 0x40;
constexpr std::uint8_t kFcfExtendedHeader = 0x80;

} // namespace

std::size_t ApsHeader::encode(std::span<std::uint8_t> out) const
{
    if (out.size() < kBytes)
        return 0;
    std::uint8_t fcf = static_cast<std::uint8_t>(static_cast<unsigned>(deliveryMode) << kFcfDeliveryShift);
    if (ackRequest)
        fcf |= kFcfAckRequest;
    fcf |= static_cast<std::uint8_t>(frameType); // bits 0-1: 0 data, 2 ACK (format 0: bit 4 clear)
    out[0] = fcf;
    out[1] = dstEndpoint;
    out[2] = static_cast<std::uint8_t>(clusterId & 0xFF);
    out[3] = static_cast<std::uint8_t>(clusterId >> 8);
    out[4] = static_cast<std::uint8_t>(profileId & 0xFF);
    out[5] = static_cast<std::uint8_t>(profileId >> 8);
    out[6] = srcEndpoint;
    out[7] = counter;
    return kBytes;
}

Result<ApsHeader> ApsHeader::decode(std::span<const std::uint8_t> frame)
{
    if (frame.empty())
        return fail(Error::at(0, QStringLiteral("aps.frameControl"), QStringLiteral("empty APS frame")));
    const std::uint8_t fcf = frame[0];
    const unsigned type = fcf & kFcfTypeMask;
    if (type != static_cast<unsigned>(ApsFrameType::Data) && type != static_cast<unsigned>(ApsFrameType::Ack))
        return fail(Error::at(0, QStringLiteral("aps.frameControl.frameType"),
                              QStringLiteral("APS frame type %1 is not modelled (expected 0, data, or 2, ACK)")
                                  .arg(type)));
    if (type == static_cast<unsigned>(ApsFrameType::Ack) && (fcf & kFcfAckFormat))
        return fail(Error::at(0, QStringLiteral("aps.frameControl.ackFormat"),
                              QStringLiteral("APS ACK format 1 (acknowledging an APS command) is not modelled")));
    const unsigned mode = (fcf & kFcfDeliveryMask) >> kFcfDeliveryShift;
    if (mode != static_cast<unsigned>(ApsDeliveryMode::Unicast) && mode != static_cast<unsigned>(ApsDeliveryMode::Broadcast))
        return fail(Error::at(0, QStringLiteral("aps.frameControl.deliveryMode"),
                              QStringLiteral("APS delivery mode %1 is not modelled (expected 0 unicast or 2 broadcast)")
                                  .arg(mode)));
    if (fcf & (kFcfSecurity | kFcfExtendedHeader))
        return fail(Error::at(0, QStringLiteral("aps.frameControl"),
                              QStringLiteral("APS frame control 0x%1 sets security or extended header, which this "
                                             "model does not carry")
                                  .arg(fcf, 2, 16, QLatin1Char('0'))));
    if (frame.size() < kBytes)
        return fail(Error::at(static_cast<qint64>(frame.size()), QStringLiteral("aps.header"),
                              QStringLiteral("truncated APS data header: %1 octets, needs %2 (frame control, "
                                             "dst endpoint, cluster, profile, src endpoint, counter)")
                                  .arg(frame.size())
                                  .arg(kBytes)));
    ApsHeader h;
    h.frameType = static_cast<ApsFrameType>(type);
    h.deliveryMode = static_cast<ApsDeliveryMode>(mode);
    h.ackRequest = (fcf & kFcfAckRequest) != 0;
    h.dstEndpoint = frame[1];
    h.clusterId = static_cast<std::uint16_t>(frame[2] | (frame[3] << 8));
    h.profileId = static_cast<std::uint16_t>(frame[4] | (frame[5] << 8));
    h.srcEndpoint = frame[6];
    h.counter = frame[7];
    return h;
}

ApsHeader ApsHeader::ackFor(const ApsHeader& data)
{
    ApsHeader ack;
    ack.frameType = ApsFrameType::Ack;
    ack.deliveryMode = ApsDeliveryMode::Unicast;
    ack.ackRequest = false;
    ack.dstEndpoint = data.srcEndpoint;
    ack.clusterId = data.clusterId;
    ack.profileId = data.profileId;
    ack.srcEndpoint = data.dstEndpoint;
    ack.counter = data.counter;
    return ack;
}

} // namespace otalab::sim
