// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/zcl_frame.h"

#include "core/common/bytes.h"

namespace otalab::core::zigbee {

namespace {
constexpr std::uint8_t kTypeMask = 0x03;
constexpr std::uint8_t kManufacturerSpecific = 0x04;
constexpr std::uint8_t kDirectionServerToClient = 0x08;
constexpr std::uint8_t kDisableDefaultResponse = 0x10;
} // namespace

Result<ZclFrameView> decodeZclFrame(QByteArrayView frame)
{
    ByteReader r(frame, Endian::Little);
    auto fc = r.u8(QStringLiteral("zcl.frameControl"));
    if (!fc)
        return fail(fc.error());
    const std::uint8_t type = *fc & kTypeMask;
    if (type > 1)
        return fail(Error::at(0, QStringLiteral("zcl.frameControl"),
                              QStringLiteral("frame type %1 is reserved; expected 0 (global) or 1 (cluster specific)").arg(type)));
    ZclFrameView out;
    out.header.frameType = ZclFrameType(type);
    out.header.direction = (*fc & kDirectionServerToClient) ? ZclDirection::ServerToClient : ZclDirection::ClientToServer;
    out.header.disableDefaultResponse = (*fc & kDisableDefaultResponse) != 0;
    out.header.reservedBits = std::uint8_t(*fc >> 5);
    if (*fc & kManufacturerSpecific) {
        auto code = r.u16(QStringLiteral("zcl.manufacturerCode"));
        if (!code)
            return fail(code.error());
        out.header.manufacturerCode = *code;
    }
    auto tsn = r.u8(QStringLiteral("zcl.transactionSequence"));
    if (!tsn)
        return fail(tsn.error());
    auto cmd = r.u8(QStringLiteral("zcl.commandId"));
    if (!cmd)
        return fail(cmd.error());
    out.header.transactionSequence = *tsn;
    out.header.commandId = *cmd;
    out.payloadOffset = r.pos();
    out.payload = frame.sliced(r.pos());
    return out;
}

QByteArray encodeZclFrame(const ZclHeader& h, QByteArrayView payload)
{
    std::uint8_t fc = std::uint8_t(h.frameType) & kTypeMask;
    if (h.manufacturerCode)
        fc |= kManufacturerSpecific;
    if (h.direction == ZclDirection::ServerToClient)
        fc |= kDirectionServerToClient;
    if (h.disableDefaultResponse)
        fc |= kDisableDefaultResponse;
    fc |= std::uint8_t(h.reservedBits << 5);
    ByteWriter w(Endian::Little);
    w.u8(fc);
    if (h.manufacturerCode)
        w.u16(*h.manufacturerCode);
    w.u8(h.transactionSequence).u8(h.commandId).bytes(payload);
    return w.take();
}

} // namespace otalab::core::zigbee
