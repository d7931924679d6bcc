// SPDX-License-Identifier: Apache-2.0
// OS and image group request builders and response parsers (Zephyr os_mgmt.c / img_mgmt.c keys).
#include "core/smp/smp_messages.h"

#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"

#include <QCborArray>
#include <QCborValue>

#include <limits>

namespace otalab::core::smp {

namespace {

using Key = QLatin1StringView;

QString typeName(const QCborValue& v)
{
    switch (v.type()) {
    case QCborValue::Integer: return QStringLiteral("an integer");
    case QCborValue::ByteArray: return QStringLiteral("a byte string");
    case QCborValue::String: return QStringLiteral("text");
    case QCborValue::Array: return QStringLiteral("an array");
    case QCborValue::Map: return QStringLiteral("a map");
    case QCborValue::False:
    case QCborValue::True: return QStringLiteral("a boolean");
    case QCborValue::Null: return QStringLiteral("null");
    case QCborValue::Undefined: return QStringLiteral("undefined");
    case QCborValue::Double: return QStringLiteral("a floating-point number");
    default: return QStringLiteral("CBOR type %1").arg(int(v.type()));
    }
}

Error wrongType(Key key, const QString& wanted, const QCborValue& got)
{
    return Error::at(-1, QString(key), QStringLiteral("\"%1\" must be %2, the message has %3")
                                           .arg(key, wanted, typeName(got)));
}

Error missing(Key key, const QString& what)
{
    return Error::at(-1, QString(key), QStringLiteral("the message has no \"%1\" (%2)").arg(key, what));
}

Result<std::optional<qint64>> optInt(const QCborMap& map, Key key, qint64 min, qint64 max)
{
    if (!map.contains(key))
        return std::optional<qint64>{};
    const QCborValue v = map.value(key);
    if (!v.isInteger())
        return fail(wrongType(key, QStringLiteral("an integer"), v));
    const qint64 n = v.toInteger();
    if (n < min || n > max)
        return fail(Error::at(-1, QString(key), QStringLiteral("\"%1\" is %2, outside %3..%4")
                                                    .arg(key).arg(n).arg(min).arg(max)));
    return std::optional<qint64>(n);
}

Result<qint64> reqInt(const QCborMap& map, Key key, qint64 min, qint64 max, const QString& what)
{
    auto v = optInt(map, key, min, max);
    if (!v)
        return fail(v.error());
    if (!*v)
        return fail(missing(key, what));
    return **v;
}

Result<std::optional<bool>> optBool(const QCborMap& map, Key key)
{
    if (!map.contains(key))
        return std::optional<bool>{};
    const QCborValue v = map.value(key);
    if (!v.isBool())
        return fail(wrongType(key, QStringLiteral("a boolean"), v));
    return std::optional<bool>(v.toBool());
}

Result<std::optional<QString>> optText(const QCborMap& map, Key key)
{
    if (!map.contains(key))
        return std::optional<QString>{};
    const QCborValue v = map.value(key);
    if (!v.isString())
        return fail(wrongType(key, QStringLiteral("text"), v));
    return std::optional<QString>(v.toString());
}

Result<std::optional<QByteArray>> optBytes(const QCborMap& map, Key key)
{
    if (!map.contains(key))
        return std::optional<QByteArray>{};
    const QCborValue v = map.value(key);
    if (!v.isByteArray())
        return fail(wrongType(key, QStringLiteral("a byte string"), v));
    return std::optional<QByteArray>(v.toByteArray());
}

Result<QString> reqText(const QCborMap& map, Key key, const QString& what)
{
    auto v = optText(map, key);
    if (!v)
        return fail(v.error());
    if (!*v)
        return fail(missing(key, what));
    return **v;
}

// A response that carries "rc"/"err" instead of its fields fails with the board's words.
std::optional<Error> deviceRefusal(const QCborMap& payload)
{
    if (const auto err = responseError(payload))
        return Error::at(-1, QStringLiteral("rc"), describeError(*err));
    return std::nullopt;
}

constexpr qint64 kU32Max = std::numeric_limits<std::uint32_t>::max();
constexpr qint64 kIntMax = std::numeric_limits<int>::max();

Request request(Op op, Group group, std::uint8_t command, QCborMap payload = {})
{
    return Request{op, std::uint16_t(group), command, std::move(payload)};
}

// Encoded size of a CBOR major-type header for an argument n (RFC 8949 §3).
int cborHeadSize(qint64 n)
{
    if (n < 24) return 1;
    if (n < 0x100) return 2;
    if (n < 0x10000) return 3;
    if (n <= kU32Max) return 5;
    return 9;
}

} // namespace

// --- OS group -----------------------------------------------------------------------

Request echoRequest(const QString& text)
{
    QCborMap m;
    m.insert(Key("d"), text);
    return request(Op::Write, Group::Os, os::Echo, m);
}

Request resetRequest(bool force)
{
    QCborMap m;
    if (force)
        m.insert(Key("force"), true);   // Zephyr os_mgmt decodes it with zcbor_bool_decode
    return request(Op::Write, Group::Os, os::Reset, m);
}

Request paramsRequest() { return request(Op::Read, Group::Os, os::McumgrParams); }

Request osInfoRequest(const QString& format)
{
    QCborMap m;
    if (!format.isEmpty())
        m.insert(Key("format"), format);
    return request(Op::Read, Group::Os, os::Info, m);
}

Result<QString> parseEchoResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    return reqText(payload, Key("r"), QStringLiteral("the echoed text"));
}

Result<McumgrParams> parseParamsResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    auto size = reqInt(payload, Key("buf_size"), 0, kU32Max, QStringLiteral("the board's SMP buffer size"));
    if (!size)
        return fail(size.error());
    auto count = reqInt(payload, Key("buf_count"), 0, kU32Max, QStringLiteral("the board's SMP buffer count"));
    if (!count)
        return fail(count.error());
    return McumgrParams{std::uint32_t(*size), std::uint32_t(*count)};
}

Result<QString> parseOsInfoResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    return reqText(payload, Key("output"), QStringLiteral("the OS information text"));
}

Result<QString> parseEchoRequest(const QCborMap& payload)
{
    return reqText(payload, Key("d"), QStringLiteral("the text to echo"));
}

Result<bool> parseResetRequest(const QCborMap& payload)
{
    auto force = optBool(payload, Key("force"));
    if (!force)
        return fail(force.error());
    return force->value_or(false);
}

Result<QString> parseOsInfoRequest(const QCborMap& payload)
{
    auto format = optText(payload, Key("format"));
    if (!format)
        return fail(format.error());
    return format->value_or(QString());
}

QCborMap echoResponsePayload(const QString& text)
{
    QCborMap m;
    m.insert(Key("r"), text);
    return m;
}

QCborMap paramsPayload(const McumgrParams& params)
{
    QCborMap m;
    m.insert(Key("buf_size"), qint64(params.bufSize));
    m.insert(Key("buf_count"), qint64(params.bufCount));
    return m;
}

QCborMap osInfoPayload(const QString& output)
{
    QCborMap m;
    m.insert(Key("output"), output);
    return m;
}

// --- Image group --------------------------------------------------------------------

Request imageStateReadRequest() { return request(Op::Read, Group::Image, image::State); }

Request imageTestRequest(const QByteArray& hash)
{
    QCborMap m;
    m.insert(Key("hash"), hash);
    m.insert(Key("confirm"), false);
    return request(Op::Write, Group::Image, image::State, m);
}

Request imageConfirmRequest(const std::optional<QByteArray>& hash)
{
    QCborMap m;
    if (hash)
        m.insert(Key("hash"), *hash);
    m.insert(Key("confirm"), true);
    return request(Op::Write, Group::Image, image::State, m);
}

Request imageEraseRequest(std::optional<int> slot)
{
    QCborMap m;
    if (slot)
        m.insert(Key("slot"), *slot);
    return request(Op::Write, Group::Image, image::Erase, m);
}

Request slotInfoRequest() { return request(Op::Read, Group::Image, image::SlotInfo); }

Result<ImageStateWrite> parseImageStateWriteRequest(const QCborMap& payload)
{
    ImageStateWrite out;
    auto hash = optBytes(payload, Key("hash"));
    if (!hash)
        return fail(hash.error());
    auto confirm = optBool(payload, Key("confirm"));
    if (!confirm)
        return fail(confirm.error());
    out.hash = *hash;
    out.confirm = confirm->value_or(false);
    return out;
}

Result<std::optional<int>> parseImageEraseRequest(const QCborMap& payload)
{
    auto slot = optInt(payload, Key("slot"), 0, kIntMax);
    if (!slot)
        return fail(slot.error());
    if (!*slot)
        return std::optional<int>{};
    return std::optional<int>(int(**slot));
}

Result<ImageStateResponse> parseImageStateResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    const QCborValue images = payload.value(Key("images"));
    if (!payload.contains(Key("images")))
        return fail(missing(Key("images"), QStringLiteral("the list of image slots")));
    if (!images.isArray())
        return fail(wrongType(Key("images"), QStringLiteral("an array"), images));
    ImageStateResponse out;
    const QCborArray list = images.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QCborValue entry = list.at(i);
        const QString where = QStringLiteral("images[%1]").arg(i);
        if (!entry.isMap())
            return fail(Error::at(-1, where, QStringLiteral("each image entry must be a map, this one is %1")
                                                 .arg(typeName(entry))));
        const QCborMap m = entry.toMap();
        ImageSlotState s;
        auto fieldError = [&](const Error& e) { return Error::at(-1, where + QLatin1Char('.') + e.field, e.message); };
        auto image = optInt(m, Key("image"), 0, kIntMax);
        if (!image) return fail(fieldError(image.error()));
        auto slot = optInt(m, Key("slot"), 0, kIntMax);
        if (!slot) return fail(fieldError(slot.error()));
        auto version = optText(m, Key("version"));
        if (!version) return fail(fieldError(version.error()));
        auto hash = optBytes(m, Key("hash"));
        if (!hash) return fail(fieldError(hash.error()));
        s.image = int(image->value_or(0));
        s.slot = int(slot->value_or(0));
        s.version = version->value_or(QString());
        s.hash = hash->value_or(QByteArray());
        // CONFIG_MCUMGR_GRP_IMG_FRUGAL_LIST omits false flags.
        const std::pair<Key, bool*> flags[] = {
            {Key("bootable"), &s.bootable}, {Key("pending"), &s.pending}, {Key("confirmed"), &s.confirmed},
            {Key("active"), &s.active}, {Key("permanent"), &s.permanent}};
        for (const auto& [key, target] : flags) {
            auto flag = optBool(m, key);
            if (!flag) return fail(fieldError(flag.error()));
            *target = flag->value_or(false);
        }
        out.images.append(s);
    }
    auto split = optInt(payload, Key("splitStatus"), std::numeric_limits<int>::min(), kIntMax);
    if (!split)
        return fail(split.error());
    if (*split)
        out.splitStatus = int(**split);
    return out;
}

QCborMap imageStatePayload(const ImageStateResponse& state)
{
    bool multiImage = false;
    for (const auto& s : state.images)
        multiImage = multiImage || s.image != 0;
    QCborArray list;
    for (const auto& s : state.images) {
        QCborMap m;
        if (multiImage)   // Zephyr sends "image" only with more than one updatable image
            m.insert(Key("image"), s.image);
        m.insert(Key("slot"), s.slot);
        m.insert(Key("version"), s.version);
        if (!s.hash.isEmpty())
            m.insert(Key("hash"), s.hash);
        m.insert(Key("bootable"), s.bootable);
        m.insert(Key("pending"), s.pending);
        m.insert(Key("confirmed"), s.confirmed);
        m.insert(Key("active"), s.active);
        m.insert(Key("permanent"), s.permanent);
        list.append(m);
    }
    QCborMap out;
    out.insert(Key("images"), list);
    if (state.splitStatus)
        out.insert(Key("splitStatus"), *state.splitStatus);
    return out;
}

namespace {

QCborMap uploadPayload(const UploadChunk& chunk)
{
    QCborMap m;
    m.insert(Key("off"), qint64(chunk.offset));
    m.insert(Key("data"), chunk.data);
    if (chunk.totalLength)
        m.insert(Key("len"), qint64(*chunk.totalLength));
    if (chunk.image && *chunk.image != 0)
        m.insert(Key("image"), *chunk.image);
    if (!chunk.sha.isEmpty())
        m.insert(Key("sha"), chunk.sha);
    if (chunk.upgrade)
        m.insert(Key("upgrade"), true);
    return m;
}

} // namespace

Request uploadRequest(const UploadChunk& chunk)
{
    return request(Op::Write, Group::Image, image::Upload, uploadPayload(chunk));
}

Result<UploadChunk> parseUploadRequest(const QCborMap& payload)
{
    UploadChunk chunk;
    auto off = reqInt(payload, Key("off"), 0, kU32Max, QStringLiteral("the offset of this chunk"));
    if (!off)
        return fail(off.error());
    auto data = optBytes(payload, Key("data"));
    if (!data)
        return fail(data.error());
    if (!*data)
        return fail(missing(Key("data"), QStringLiteral("the image bytes of this chunk")));
    auto len = optInt(payload, Key("len"), 0, kU32Max);
    if (!len)
        return fail(len.error());
    auto image = optInt(payload, Key("image"), 0, kIntMax);
    if (!image)
        return fail(image.error());
    auto sha = optBytes(payload, Key("sha"));
    if (!sha)
        return fail(sha.error());
    auto upgrade = optBool(payload, Key("upgrade"));
    if (!upgrade)
        return fail(upgrade.error());
    chunk.offset = std::uint32_t(*off);
    chunk.data = **data;
    if (*len)
        chunk.totalLength = std::uint32_t(**len);
    if (*image)
        chunk.image = int(**image);
    chunk.sha = sha->value_or(QByteArray());
    chunk.upgrade = upgrade->value_or(false);
    return chunk;
}

Result<UploadResponse> parseUploadResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    auto off = reqInt(payload, Key("off"), 0, kU32Max, QStringLiteral("the offset the board has reached"));
    if (!off)
        return fail(off.error());
    auto match = optBool(payload, Key("match"));
    if (!match)
        return fail(match.error());
    return UploadResponse{std::uint32_t(*off), *match};
}

QCborMap uploadResponsePayload(const UploadResponse& response)
{
    QCborMap m;
    m.insert(Key("off"), qint64(response.nextOffset));
    if (response.match)
        m.insert(Key("match"), *response.match);
    return m;
}

int uploadChunkCapacity(int maxPacketBytes, const UploadChunk& chunkWithoutData)
{
    UploadChunk empty = chunkWithoutData;
    empty.data.clear();
    // Packet size with n data bytes = base + (head(n) - head(0)) + n, head(0) == 1.
    const qint64 base = kHeaderSize + QCborValue(uploadPayload(empty)).toCbor().size();
    const qint64 limit = std::min<qint64>(maxPacketBytes, kMaxPacketSize);
    qint64 best = -1;
    // Try each byte-string head size; the largest n consistent with its head class wins.
    const qint64 classes[][2] = {{0, 23}, {24, 0xff}, {0x100, 0xffff}, {0x10000, kU32Max}};
    for (const auto& [lo, hi] : classes) {
        const qint64 n = std::min(hi, limit - base - (cborHeadSize(lo) - 1));
        if (n >= lo)
            best = std::max(best, n);
    }
    return best < 0 ? 0 : int(best);
}

QCborMap slotInfoPayload(const QList<SlotInfo>& slots)
{
    QCborArray images;
    QList<int> order;
    for (const auto& s : slots)
        if (!order.contains(s.image))
            order.append(s.image);
    for (int image : order) {
        QCborArray list;
        for (const auto& s : slots) {
            if (s.image != image)
                continue;
            QCborMap m;
            m.insert(Key("slot"), s.slot);
            m.insert(Key("size"), qint64(s.size));
            if (s.uploadImageId)
                m.insert(Key("upload_image_id"), *s.uploadImageId);
            list.append(m);
        }
        QCborMap entry;
        entry.insert(Key("image"), image);
        entry.insert(Key("slots"), list);
        images.append(entry);
    }
    QCborMap out;
    out.insert(Key("images"), images);
    return out;
}

Result<QList<SlotInfo>> parseSlotInfoResponse(const QCborMap& payload)
{
    if (auto e = deviceRefusal(payload))
        return fail(*e);
    if (!payload.contains(Key("images")))
        return fail(missing(Key("images"), QStringLiteral("the list of images and their slots")));
    const QCborValue images = payload.value(Key("images"));
    if (!images.isArray())
        return fail(wrongType(Key("images"), QStringLiteral("an array"), images));
    QList<SlotInfo> out;
    const QCborArray list = images.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("images[%1]").arg(i);
        const QCborValue entry = list.at(i);
        if (!entry.isMap())
            return fail(Error::at(-1, where, QStringLiteral("each image entry must be a map, this one is %1")
                                                 .arg(typeName(entry))));
        const QCborMap m = entry.toMap();
        auto image = optInt(m, Key("image"), 0, kIntMax);
        if (!image)
            return fail(Error::at(-1, where + QStringLiteral(".image"), image.error().message));
        const QCborValue slots = m.value(Key("slots"));
        if (!slots.isArray())
            return fail(Error::at(-1, where + QStringLiteral(".slots"),
                                  QStringLiteral("\"slots\" must be an array, the message has %1").arg(typeName(slots))));
        const QCborArray slotList = slots.toArray();
        for (qsizetype j = 0; j < slotList.size(); ++j) {
            const QString slotWhere = where + QStringLiteral(".slots[%1]").arg(j);
            const QCborValue sv = slotList.at(j);
            if (!sv.isMap())
                return fail(Error::at(-1, slotWhere, QStringLiteral("each slot entry must be a map, this one is %1")
                                                         .arg(typeName(sv))));
            const QCborMap sm = sv.toMap();
            auto slot = optInt(sm, Key("slot"), 0, kIntMax);
            if (!slot) return fail(Error::at(-1, slotWhere + QStringLiteral(".slot"), slot.error().message));
            // Zephyr sends "rc" instead of "size" when it cannot open the slot's flash area.
            auto size = optInt(sm, Key("size"), 0, kU32Max);
            if (!size) return fail(Error::at(-1, slotWhere + QStringLiteral(".size"), size.error().message));
            auto id = optInt(sm, Key("upload_image_id"), 0, kIntMax);
            if (!id) return fail(Error::at(-1, slotWhere + QStringLiteral(".upload_image_id"), id.error().message));
            SlotInfo info;
            info.image = int(image->value_or(0));
            info.slot = int(slot->value_or(j));
            info.size = std::uint32_t(size->value_or(0));
            if (*id)
                info.uploadImageId = int(**id);
            out.append(info);
        }
    }
    return out;
}

} // namespace otalab::core::smp
