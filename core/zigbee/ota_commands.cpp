// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_commands.h"

#include "core/common/bytes.h"

#include <algorithm>

namespace otalab::core::zigbee {

namespace {

constexpr std::uint8_t kFcIeeePresent = 0x01;
constexpr std::uint8_t kFcMinimumBlockPeriodPresent = 0x02;  // Image Block Request only
constexpr std::uint8_t kFcHardwareVersionPresent = 0x01;     // Query Next Image Request

// Reads a field or returns its error from the enclosing function.
#define OTALAB_READ(var, expr)                \
    auto var##_r = (expr);                    \
    if (!var##_r)                             \
        return fail(var##_r.error());         \
    const auto var = *var##_r

ByteWriter writer() { return ByteWriter(Endian::Little); }

// Image Block and Image Page requests start alike: field control, manufacturer code,
// image type, file version, file offset, maximum data size. Reads those into `c` and
// returns the field control byte; `what` prefixes field names in errors.
template <typename Request>
Result<std::uint8_t> readImageRequestHead(ByteReader& r, const QString& what, Request& c)
{
    OTALAB_READ(fc, r.u8(what + QStringLiteral(".fieldControl")));
    OTALAB_READ(m, r.u16(what + QStringLiteral(".manufacturerCode")));
    OTALAB_READ(t, r.u16(what + QStringLiteral(".imageType")));
    OTALAB_READ(v, r.u32(what + QStringLiteral(".fileVersion")));
    OTALAB_READ(off, r.u32(what + QStringLiteral(".fileOffset")));
    OTALAB_READ(max, r.u8(what + QStringLiteral(".maximumDataSize")));
    c.manufacturerCode = m;
    c.imageType = t;
    c.fileVersion = v;
    c.fileOffset = off;
    c.maximumDataSize = max;
    return fc;
}

} // namespace

QString otaCommandName(std::uint8_t id)
{
    switch (id) {
    case otacmd::ImageNotify: return QStringLiteral("ImageNotify");
    case otacmd::QueryNextImageRequest: return QStringLiteral("QueryNextImageRequest");
    case otacmd::QueryNextImageResponse: return QStringLiteral("QueryNextImageResponse");
    case otacmd::ImageBlockRequest: return QStringLiteral("ImageBlockRequest");
    case otacmd::ImagePageRequest: return QStringLiteral("ImagePageRequest");
    case otacmd::ImageBlockResponse: return QStringLiteral("ImageBlockResponse");
    case otacmd::UpgradeEndRequest: return QStringLiteral("UpgradeEndRequest");
    case otacmd::UpgradeEndResponse: return QStringLiteral("UpgradeEndResponse");
    case otacmd::QueryDeviceSpecificFileRequest: return QStringLiteral("QueryDeviceSpecificFileRequest");
    case otacmd::QueryDeviceSpecificFileResponse: return QStringLiteral("QueryDeviceSpecificFileResponse");
    }
    return hex(id, 2);
}

// ---- encoders ----

QByteArray encodePayload(const ImageNotify& c)
{
    auto w = writer();
    w.u8(c.payloadType).u8(c.queryJitter);
    if (c.payloadType >= 1)
        w.u16(c.manufacturerCode);
    if (c.payloadType >= 2)
        w.u16(c.imageType);
    if (c.payloadType >= 3)
        w.u32(c.fileVersion);
    return w.take();
}

QByteArray encodePayload(const QueryNextImageRequest& c)
{
    auto w = writer();
    w.u8(c.hardwareVersion ? kFcHardwareVersionPresent : 0).u16(c.manufacturerCode).u16(c.imageType).u32(c.currentFileVersion);
    if (c.hardwareVersion)
        w.u16(*c.hardwareVersion);
    return w.take();
}

QByteArray encodePayload(const QueryImageResponse& c)
{
    auto w = writer();
    w.u8(std::uint8_t(c.status));
    if (c.status == ZclStatus::Success)
        w.u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion).u32(c.imageSize);
    return w.take();
}

QByteArray encodePayload(const ImageBlockRequest& c)
{
    std::uint8_t fc = 0;
    if (c.requestNodeAddress)
        fc |= kFcIeeePresent;
    if (c.minimumBlockPeriod)
        fc |= kFcMinimumBlockPeriodPresent;
    auto w = writer();
    w.u8(fc).u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion).u32(c.fileOffset).u8(c.maximumDataSize);
    if (c.requestNodeAddress)
        w.u64(*c.requestNodeAddress);
    if (c.minimumBlockPeriod)
        w.u16(*c.minimumBlockPeriod);
    return w.take();
}

QByteArray encodePayload(const ImagePageRequest& c)
{
    auto w = writer();
    w.u8(c.requestNodeAddress ? kFcIeeePresent : 0)
        .u16(c.manufacturerCode)
        .u16(c.imageType)
        .u32(c.fileVersion)
        .u32(c.fileOffset)
        .u8(c.maximumDataSize)
        .u16(c.pageSize)
        .u16(c.responseSpacing);
    if (c.requestNodeAddress)
        w.u64(*c.requestNodeAddress);
    return w.take();
}

QByteArray encodePayload(const ImageBlockResponse& c)
{
    auto w = writer();
    w.u8(std::uint8_t(c.status));
    if (c.status == ZclStatus::Success) {
        const auto size = std::min<qsizetype>(c.data.size(), 255);
        w.u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion).u32(c.fileOffset).u8(std::uint8_t(size));
        w.bytes(QByteArrayView(c.data).first(size));
    } else if (c.status == ZclStatus::WaitForData) {
        w.u32(c.currentTime).u32(c.requestTime);
        if (c.minimumBlockPeriod)
            w.u16(*c.minimumBlockPeriod);
    }
    return w.take();
}

QByteArray encodePayload(const UpgradeEndRequest& c)
{
    auto w = writer();
    w.u8(std::uint8_t(c.status)).u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion);
    return w.take();
}

QByteArray encodePayload(const UpgradeEndResponse& c)
{
    auto w = writer();
    w.u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion).u32(c.currentTime).u32(c.upgradeTime);
    return w.take();
}

QByteArray encodePayload(const QueryDeviceSpecificFileRequest& c)
{
    auto w = writer();
    w.u64(c.requestNodeAddress).u16(c.manufacturerCode).u16(c.imageType).u32(c.fileVersion).u16(c.zigbeeStackVersion);
    return w.take();
}

QByteArray encodePayload(const DefaultResponse& c)
{
    auto w = writer();
    w.u8(c.commandId).u8(std::uint8_t(c.status));
    return w.take();
}

// ---- decoders ----

Result<ImageNotify> decodeImageNotify(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    ImageNotify c;
    OTALAB_READ(type, r.u8(QStringLiteral("imageNotify.payloadType")));
    if (type > 3)
        return fail(Error::at(base, QStringLiteral("imageNotify.payloadType"),
                              QStringLiteral("payload type %1 is reserved; expected 0..3").arg(type)));
    OTALAB_READ(jitter, r.u8(QStringLiteral("imageNotify.queryJitter")));
    if (jitter > 100)
        return fail(Error::at(base + 1, QStringLiteral("imageNotify.queryJitter"),
                              QStringLiteral("query jitter %1 is out of range; expected 1..100").arg(jitter)));
    c.payloadType = type;
    c.queryJitter = jitter;
    if (type >= 1) {
        OTALAB_READ(m, r.u16(QStringLiteral("imageNotify.manufacturerCode")));
        c.manufacturerCode = m;
    }
    if (type >= 2) {
        OTALAB_READ(t, r.u16(QStringLiteral("imageNotify.imageType")));
        c.imageType = t;
    }
    if (type >= 3) {
        OTALAB_READ(v, r.u32(QStringLiteral("imageNotify.fileVersion")));
        c.fileVersion = v;
    }
    return c;
}

Result<QueryNextImageRequest> decodeQueryNextImageRequest(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    QueryNextImageRequest c;
    OTALAB_READ(fc, r.u8(QStringLiteral("queryNextImageRequest.fieldControl")));
    OTALAB_READ(m, r.u16(QStringLiteral("queryNextImageRequest.manufacturerCode")));
    OTALAB_READ(t, r.u16(QStringLiteral("queryNextImageRequest.imageType")));
    OTALAB_READ(v, r.u32(QStringLiteral("queryNextImageRequest.currentFileVersion")));
    c.manufacturerCode = m;
    c.imageType = t;
    c.currentFileVersion = v;
    if (fc & kFcHardwareVersionPresent) {
        OTALAB_READ(hw, r.u16(QStringLiteral("queryNextImageRequest.hardwareVersion")));
        c.hardwareVersion = hw;
    }
    return c;
}

Result<QueryImageResponse> decodeQueryImageResponse(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    QueryImageResponse c;
    OTALAB_READ(s, r.u8(QStringLiteral("queryImageResponse.status")));
    c.status = ZclStatus(s);
    if (c.status != ZclStatus::Success)
        return c;
    OTALAB_READ(m, r.u16(QStringLiteral("queryImageResponse.manufacturerCode")));
    OTALAB_READ(t, r.u16(QStringLiteral("queryImageResponse.imageType")));
    OTALAB_READ(v, r.u32(QStringLiteral("queryImageResponse.fileVersion")));
    OTALAB_READ(size, r.u32(QStringLiteral("queryImageResponse.imageSize")));
    c.manufacturerCode = m;
    c.imageType = t;
    c.fileVersion = v;
    c.imageSize = size;
    return c;
}

Result<ImageBlockRequest> decodeImageBlockRequest(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    ImageBlockRequest c;
    OTALAB_READ(fc, readImageRequestHead(r, QStringLiteral("imageBlockRequest"), c));
    if (fc & kFcIeeePresent) {
        OTALAB_READ(ieee, r.u64(QStringLiteral("imageBlockRequest.requestNodeAddress")));
        c.requestNodeAddress = ieee;
    }
    if (fc & kFcMinimumBlockPeriodPresent) {
        OTALAB_READ(mbp, r.u16(QStringLiteral("imageBlockRequest.minimumBlockPeriod")));
        c.minimumBlockPeriod = mbp;
    }
    return c;
}

Result<ImagePageRequest> decodeImagePageRequest(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    ImagePageRequest c;
    OTALAB_READ(fc, readImageRequestHead(r, QStringLiteral("imagePageRequest"), c));
    OTALAB_READ(page, r.u16(QStringLiteral("imagePageRequest.pageSize")));
    OTALAB_READ(spacing, r.u16(QStringLiteral("imagePageRequest.responseSpacing")));
    c.pageSize = page;
    c.responseSpacing = spacing;
    if (fc & kFcIeeePresent) {
        OTALAB_READ(ieee, r.u64(QStringLiteral("imagePageRequest.requestNodeAddress")));
        c.requestNodeAddress = ieee;
    }
    return c;
}

Result<ImageBlockResponse> decodeImageBlockResponse(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    ImageBlockResponse c;
    OTALAB_READ(s, r.u8(QStringLiteral("imageBlockResponse.status")));
    c.status = ZclStatus(s);
    if (c.status == ZclStatus::Success) {
        OTALAB_READ(m, r.u16(QStringLiteral("imageBlockResponse.manufacturerCode")));
        OTALAB_READ(t, r.u16(QStringLiteral("imageBlockResponse.imageType")));
        OTALAB_READ(v, r.u32(QStringLiteral("imageBlockResponse.fileVersion")));
        OTALAB_READ(off, r.u32(QStringLiteral("imageBlockResponse.fileOffset")));
        OTALAB_READ(size, r.u8(QStringLiteral("imageBlockResponse.dataSize")));
        OTALAB_READ(data, r.bytes(size, QStringLiteral("imageBlockResponse.data")));
        c.manufacturerCode = m;
        c.imageType = t;
        c.fileVersion = v;
        c.fileOffset = off;
        c.data = data.toByteArray();
    } else if (c.status == ZclStatus::WaitForData) {
        OTALAB_READ(now, r.u32(QStringLiteral("imageBlockResponse.currentTime")));
        OTALAB_READ(req, r.u32(QStringLiteral("imageBlockResponse.requestTime")));
        c.currentTime = now;
        c.requestTime = req;
        if (r.remaining() > 0) {
            OTALAB_READ(mbp, r.u16(QStringLiteral("imageBlockResponse.minimumBlockPeriod")));
            c.minimumBlockPeriod = mbp;
        }
    }
    return c;
}

Result<UpgradeEndRequest> decodeUpgradeEndRequest(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    OTALAB_READ(s, r.u8(QStringLiteral("upgradeEndRequest.status")));
    OTALAB_READ(m, r.u16(QStringLiteral("upgradeEndRequest.manufacturerCode")));
    OTALAB_READ(t, r.u16(QStringLiteral("upgradeEndRequest.imageType")));
    OTALAB_READ(v, r.u32(QStringLiteral("upgradeEndRequest.fileVersion")));
    return UpgradeEndRequest{ZclStatus(s), m, t, v};
}

Result<UpgradeEndResponse> decodeUpgradeEndResponse(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    OTALAB_READ(m, r.u16(QStringLiteral("upgradeEndResponse.manufacturerCode")));
    OTALAB_READ(t, r.u16(QStringLiteral("upgradeEndResponse.imageType")));
    OTALAB_READ(v, r.u32(QStringLiteral("upgradeEndResponse.fileVersion")));
    OTALAB_READ(now, r.u32(QStringLiteral("upgradeEndResponse.currentTime")));
    OTALAB_READ(at, r.u32(QStringLiteral("upgradeEndResponse.upgradeTime")));
    return UpgradeEndResponse{m, t, v, now, at};
}

Result<QueryDeviceSpecificFileRequest> decodeQueryDeviceSpecificFileRequest(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    OTALAB_READ(eui, r.u64(QStringLiteral("queryDeviceSpecificFileRequest.requestNodeAddress")));
    OTALAB_READ(m, r.u16(QStringLiteral("queryDeviceSpecificFileRequest.manufacturerCode")));
    OTALAB_READ(t, r.u16(QStringLiteral("queryDeviceSpecificFileRequest.imageType")));
    OTALAB_READ(v, r.u32(QStringLiteral("queryDeviceSpecificFileRequest.fileVersion")));
    OTALAB_READ(stack, r.u16(QStringLiteral("queryDeviceSpecificFileRequest.zigbeeStackVersion")));
    return QueryDeviceSpecificFileRequest{eui, m, t, v, stack};
}

Result<DefaultResponse> decodeDefaultResponse(QByteArrayView p, qint64 base)
{
    ByteReader r(p, Endian::Little, base);
    OTALAB_READ(cmd, r.u8(QStringLiteral("defaultResponse.commandId")));
    OTALAB_READ(s, r.u8(QStringLiteral("defaultResponse.status")));
    return DefaultResponse{cmd, ZclStatus(s)};
}

#undef OTALAB_READ

} // namespace otalab::core::zigbee
