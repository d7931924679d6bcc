// SPDX-License-Identifier: Apache-2.0
// OS and image group builders/parsers against Zephyr's field names and encodings.
#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

#include <QCborArray>
#include <QCborValue>

#include <gtest/gtest.h>

using namespace otalab::core::smp;

namespace {

QByteArray hexBytes(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

QByteArray encode(const Request& r, std::uint8_t seq = 0)
{
    Header h;
    h.op = r.op;
    h.group = r.group;
    h.command = r.command;
    h.sequence = seq;
    return encodePacket(h, r.payload);
}

QCborMap cbor(const QByteArray& bytes) { return QCborValue::fromCbor(bytes).toMap(); }

// CBOR text string head + text, as zcbor writes it.
QByteArray tstr(const char* s)
{
    const QByteArray t(s);
    return QByteArray(1, char(0x60 + t.size())) + t;
}

// Zephyr img_mgmt_state_read() output (single image, not frugal): indefinite maps and list.
QByteArray zephyrImageState()
{
    QByteArray b("\xbf", 1);
    b += tstr("images") + QByteArray("\x9f", 1);
    const auto slot = [&](int n, const char* version, char hashByte, bool confirmed, bool active, bool pending) {
        b += QByteArray("\xbf", 1) + tstr("slot") + char(n) + tstr("version") + tstr(version);
        b += tstr("hash") + QByteArray("\x58\x20", 2) + QByteArray(32, hashByte);
        b += tstr("bootable") + QByteArray("\xf5", 1);
        b += tstr("pending") + (pending ? QByteArray("\xf5", 1) : QByteArray("\xf4", 1));
        b += tstr("confirmed") + (confirmed ? QByteArray("\xf5", 1) : QByteArray("\xf4", 1));
        b += tstr("active") + (active ? QByteArray("\xf5", 1) : QByteArray("\xf4", 1));
        b += tstr("permanent") + QByteArray("\xf4", 1);
        b += QByteArray("\xff", 1);
    };
    slot(0, "1.2.3", '\xaa', true, true, false);
    slot(1, "1.3.0", '\xbb', false, false, true);
    b += QByteArray("\xff", 1);
    b += QByteArray(1, char(0x6b)) + "splitStatus" + QByteArray(1, '\0');
    b += QByteArray("\xff", 1);
    return b;
}

} // namespace

TEST(SmpMessages, OsRequestsUseZephyrKeys)
{
    const Request echo = echoRequest(QStringLiteral("hi"));
    EXPECT_EQ(echo.op, Op::Write);
    EXPECT_EQ(echo.group, 0);
    EXPECT_EQ(echo.command, os::Echo);
    EXPECT_EQ(encode(echo, 1), hexBytes("0a00000600000100a16164626869"));

    EXPECT_TRUE(resetRequest().payload.isEmpty());
    EXPECT_EQ(resetRequest().command, os::Reset);
    EXPECT_EQ(resetRequest().op, Op::Write);
    EXPECT_EQ(resetRequest(true).payload.value(QStringLiteral("force")), QCborValue(true));

    EXPECT_EQ(paramsRequest().op, Op::Read);
    EXPECT_EQ(paramsRequest().command, os::McumgrParams);
    EXPECT_TRUE(paramsRequest().payload.isEmpty());
    EXPECT_EQ(osInfoRequest(QStringLiteral("sv")).payload.value(QStringLiteral("format")).toString(),
              QStringLiteral("sv"));
    EXPECT_TRUE(osInfoRequest().payload.isEmpty());
    EXPECT_EQ(osInfoRequest().command, os::Info);
}

TEST(SmpMessages, OsResponsesParse)
{
    auto echo = parseEchoResponse(cbor(hexBytes("bf6172626869ff")));
    ASSERT_TRUE(echo.has_value());
    EXPECT_EQ(*echo, QStringLiteral("hi"));

    // Zephyr: {"buf_size": 2475, "buf_count": 4}
    QByteArray params = QByteArray("\xbf", 1) + tstr("buf_size") + hexBytes("1909ab") + tstr("buf_count") + char(4)
                      + QByteArray("\xff", 1);
    auto p = parseParamsResponse(cbor(params));
    ASSERT_TRUE(p.has_value()) << p.error().toString().toStdString();
    EXPECT_EQ(p->bufSize, 2475u);
    EXPECT_EQ(p->bufCount, 4u);
    EXPECT_EQ(parseParamsResponse(paramsPayload(*p))->bufSize, 2475u);

    auto info = parseOsInfoResponse(osInfoPayload(QStringLiteral("Zephyr nrf52840dk")));
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(*info, QStringLiteral("Zephyr nrf52840dk"));
}

TEST(SmpMessages, ResponseParsersReportTypeErrorsAndDeviceErrors)
{
    QCborMap wrong;
    wrong.insert(QStringLiteral("r"), 5);
    auto e1 = parseEchoResponse(wrong);
    ASSERT_FALSE(e1.has_value());
    EXPECT_EQ(e1.error().field, QStringLiteral("r"));
    EXPECT_TRUE(e1.error().message.contains(QStringLiteral("must be text"))) << e1.error().message.toStdString();

    auto e2 = parseParamsResponse(cbor(QByteArray("\xa1", 1) + tstr("buf_size") + char(10)));
    ASSERT_FALSE(e2.has_value());
    EXPECT_EQ(e2.error().field, QStringLiteral("buf_count"));

    QCborMap negative;
    negative.insert(QStringLiteral("buf_size"), -1);
    negative.insert(QStringLiteral("buf_count"), 1);
    EXPECT_FALSE(parseParamsResponse(negative).has_value());

    auto refused = parseEchoResponse(errorPayloadV1(MgmtErr::NotSup));
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("MGMT_ERR_ENOTSUP")));
    auto refusedV2 = parseImageStateResponse(errorPayloadV2(1, 28));
    ASSERT_FALSE(refusedV2.has_value());
    EXPECT_TRUE(refusedV2.error().message.contains(QStringLiteral("IMG_MGMT_ERR_IMAGE_ALREADY_PENDING")));
}

TEST(SmpMessages, DeviceSideOsParsers)
{
    EXPECT_EQ(parseEchoRequest(echoRequest(QStringLiteral("abc")).payload).value(), QStringLiteral("abc"));
    EXPECT_FALSE(parseEchoRequest(QCborMap{}).has_value());
    EXPECT_EQ(parseResetRequest(resetRequest(true).payload).value(), true);
    EXPECT_EQ(parseResetRequest(QCborMap{}).value(), false);
    EXPECT_EQ(parseOsInfoRequest(osInfoRequest(QStringLiteral("a")).payload).value(), QStringLiteral("a"));
    EXPECT_EQ(parseEchoResponse(echoResponsePayload(QStringLiteral("x"))).value(), QStringLiteral("x"));
}

TEST(SmpMessages, ParsesZephyrImageStateResponse)
{
    const QByteArray payload = zephyrImageState();
    Header h;
    h.op = Op::ReadResponse;
    h.group = 1;
    h.length = std::uint16_t(payload.size());
    auto packet = decodePacket(encodeHeader(h) + payload);
    ASSERT_TRUE(packet.has_value()) << packet.error().toString().toStdString();
    auto state = parseImageStateResponse(packet->payload);
    ASSERT_TRUE(state.has_value()) << state.error().toString().toStdString();
    ASSERT_EQ(state->images.size(), 2);
    const ImageSlotState& a = state->images[0];
    EXPECT_EQ(a.image, 0);
    EXPECT_EQ(a.slot, 0);
    EXPECT_EQ(a.version, QStringLiteral("1.2.3"));
    EXPECT_EQ(a.hash, QByteArray(32, '\xaa'));
    EXPECT_TRUE(a.bootable);
    EXPECT_TRUE(a.confirmed);
    EXPECT_TRUE(a.active);
    EXPECT_FALSE(a.pending);
    EXPECT_FALSE(a.permanent);
    const ImageSlotState& b = state->images[1];
    EXPECT_EQ(b.slot, 1);
    EXPECT_EQ(b.version, QStringLiteral("1.3.0"));
    EXPECT_TRUE(b.pending);
    EXPECT_FALSE(b.active);
    EXPECT_EQ(state->splitStatus, 0);

    // Device side encodes the same content; a round trip is lossless.
    auto again = parseImageStateResponse(imageStatePayload(*state));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->images, state->images);
    EXPECT_EQ(again->splitStatus, state->splitStatus);
}

TEST(SmpMessages, FrugalImageListDefaultsMissingFlags)
{
    // CONFIG_MCUMGR_GRP_IMG_FRUGAL_LIST: false flags and splitStatus left out.
    QCborMap slot;
    slot.insert(QStringLiteral("slot"), 0);
    slot.insert(QStringLiteral("version"), QStringLiteral("0.0.1"));
    slot.insert(QStringLiteral("bootable"), true);
    slot.insert(QStringLiteral("active"), true);
    QCborMap payload;
    payload.insert(QStringLiteral("images"), QCborArray{slot});
    auto state = parseImageStateResponse(payload);
    ASSERT_TRUE(state.has_value());
    ASSERT_EQ(state->images.size(), 1);
    EXPECT_TRUE(state->images[0].active);
    EXPECT_FALSE(state->images[0].confirmed);
    EXPECT_TRUE(state->images[0].hash.isEmpty());
    EXPECT_FALSE(state->splitStatus.has_value());

    // Multi-image boards add "image"; the encoder writes it only then.
    ImageStateResponse two;
    two.images = {ImageSlotState{}, ImageSlotState{}};
    two.images[1].image = 1;
    two.images[1].slot = 0;
    const QCborMap encoded = imageStatePayload(two);
    EXPECT_TRUE(encoded.value(QStringLiteral("images")).toArray().at(1).toMap().contains(QStringLiteral("image")));
    EXPECT_EQ(parseImageStateResponse(encoded)->images, two.images);
    ImageStateResponse one;
    one.images = {ImageSlotState{}};
    EXPECT_FALSE(imageStatePayload(one).value(QStringLiteral("images")).toArray().at(0).toMap().contains(
        QStringLiteral("image")));
}

TEST(SmpMessages, ImageStateTypeErrorsNameTheField)
{
    QCborMap notArray;
    notArray.insert(QStringLiteral("images"), QCborMap{});
    auto r1 = parseImageStateResponse(notArray);
    ASSERT_FALSE(r1.has_value());
    EXPECT_EQ(r1.error().field, QStringLiteral("images"));

    QCborMap slot;
    slot.insert(QStringLiteral("slot"), 1);
    slot.insert(QStringLiteral("pending"), 1);
    QCborMap payload;
    payload.insert(QStringLiteral("images"), QCborArray{slot});
    auto r2 = parseImageStateResponse(payload);
    ASSERT_FALSE(r2.has_value());
    EXPECT_EQ(r2.error().field, QStringLiteral("images[0].pending"));
    EXPECT_TRUE(r2.error().message.contains(QStringLiteral("boolean")));

    EXPECT_FALSE(parseImageStateResponse(QCborMap{}).has_value());
    QCborMap entryNotMap;
    entryNotMap.insert(QStringLiteral("images"), QCborArray{1});
    EXPECT_FALSE(parseImageStateResponse(entryNotMap).has_value());
}

TEST(SmpMessages, ImageStateWritesAndErase)
{
    const QByteArray hash(32, '\x42');
    const Request test = imageTestRequest(hash);
    EXPECT_EQ(test.op, Op::Write);
    EXPECT_EQ(test.group, 1);
    EXPECT_EQ(test.command, image::State);
    EXPECT_EQ(test.payload.value(QStringLiteral("hash")).toByteArray(), hash);
    EXPECT_EQ(test.payload.value(QStringLiteral("confirm")), QCborValue(false));
    auto t = parseImageStateWriteRequest(test.payload);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->hash, hash);
    EXPECT_FALSE(t->confirm);

    const Request confirmRunning = imageConfirmRequest();
    EXPECT_FALSE(confirmRunning.payload.contains(QStringLiteral("hash")));
    EXPECT_EQ(confirmRunning.payload.value(QStringLiteral("confirm")), QCborValue(true));
    auto c = parseImageStateWriteRequest(imageConfirmRequest(hash).payload);
    ASSERT_TRUE(c.has_value());
    EXPECT_TRUE(c->confirm);
    EXPECT_EQ(c->hash, hash);

    EXPECT_TRUE(imageEraseRequest().payload.isEmpty());
    EXPECT_EQ(imageEraseRequest().command, image::Erase);
    EXPECT_EQ(imageEraseRequest(1).payload.value(QStringLiteral("slot")).toInteger(), 1);
    EXPECT_EQ(parseImageEraseRequest(imageEraseRequest(1).payload).value(), std::optional<int>(1));
    EXPECT_EQ(parseImageEraseRequest(QCborMap{}).value(), std::nullopt);
    EXPECT_EQ(imageStateReadRequest().op, Op::Read);
    EXPECT_EQ(slotInfoRequest().command, image::SlotInfo);
}

TEST(SmpMessages, UploadChunksCarryFirstChunkFieldsOnlyWhenSet)
{
    UploadChunk first;
    first.offset = 0;
    first.data = QByteArray(100, 'x');
    first.totalLength = 123456;
    first.sha = QByteArray(32, '\x5a');
    first.upgrade = true;
    first.image = 0;
    const Request r = uploadRequest(first);
    EXPECT_EQ(r.op, Op::Write);
    EXPECT_EQ(r.group, 1);
    EXPECT_EQ(r.command, image::Upload);
    EXPECT_EQ(r.payload.value(QStringLiteral("len")).toInteger(), 123456);
    EXPECT_FALSE(r.payload.contains(QStringLiteral("image")));   // image 0 is the default
    EXPECT_EQ(r.payload.value(QStringLiteral("upgrade")), QCborValue(true));
    auto back = parseUploadRequest(r.payload);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->offset, 0u);
    EXPECT_EQ(back->data, first.data);
    EXPECT_EQ(back->totalLength, 123456u);
    EXPECT_EQ(back->sha, first.sha);
    EXPECT_TRUE(back->upgrade);
    EXPECT_FALSE(back->image.has_value());

    UploadChunk second;
    second.offset = 100;
    second.data = QByteArray(10, 'y');
    const Request r2 = uploadRequest(second);
    EXPECT_EQ(r2.payload.size(), 2);
    EXPECT_EQ(r2.payload.value(QStringLiteral("off")).toInteger(), 100);

    UploadChunk otherImage = first;
    otherImage.image = 2;
    EXPECT_EQ(parseUploadRequest(uploadRequest(otherImage).payload)->image, 2);

    QCborMap noData;
    noData.insert(QStringLiteral("off"), 0);
    auto missing = parseUploadRequest(noData);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().field, QStringLiteral("data"));
}

TEST(SmpMessages, UploadResponses)
{
    auto r = parseUploadResponse(cbor(hexBytes("bf636f6666190400ff")));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->nextOffset, 1024u);
    EXPECT_FALSE(r->match.has_value());
    auto last = parseUploadResponse(uploadResponsePayload(UploadResponse{5000, true}));
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->nextOffset, 5000u);
    EXPECT_EQ(last->match, true);

    auto err = parseUploadResponse(errorPayloadV2(1, 27));
    ASSERT_FALSE(err.has_value());
    EXPECT_TRUE(err.error().message.contains(QStringLiteral("downgrade")));
    QCborMap negative;
    negative.insert(QStringLiteral("off"), -5);
    EXPECT_FALSE(parseUploadResponse(negative).has_value());
    QCborMap text;
    text.insert(QStringLiteral("off"), QStringLiteral("12"));
    EXPECT_EQ(parseUploadResponse(text).error().field, QStringLiteral("off"));
}

TEST(SmpMessages, UploadChunkCapacityIsExact)
{
    std::vector<UploadChunk> templates;
    UploadChunk firstChunk;
    firstChunk.totalLength = 300000;
    firstChunk.sha = QByteArray(32, '\x01');
    firstChunk.upgrade = true;
    templates.push_back(firstChunk);
    firstChunk.image = 1;
    templates.push_back(firstChunk);
    for (std::uint32_t off : {0u, 1u, 23u, 24u, 255u, 256u, 65535u, 65536u, 0xffffffffu}) {
        UploadChunk c;
        c.offset = off;
        templates.push_back(c);
    }
    int checked = 0;
    for (const UploadChunk& t : templates) {
        for (int max = 16; max <= 1200; ++max) {
            const int cap = uploadChunkCapacity(max, t);
            UploadChunk c = t;
            c.data = QByteArray(cap, 'd');
            const qsizetype size = encode(uploadRequest(c)).size();
            if (cap > 0) {
                ASSERT_LE(size, max) << "max " << max << " off " << t.offset;
            }
            c.data = QByteArray(cap + 1, 'd');
            ASSERT_GT(encode(uploadRequest(c)).size(), max) << "max " << max << " off " << t.offset;
            ++checked;
        }
        for (int max : {2048, 2475, 4096, 65000, 65535 + 8, 70000, 100000}) {
            const int cap = uploadChunkCapacity(max, t);
            UploadChunk c = t;
            c.data = QByteArray(cap, 'd');
            const qsizetype size = encode(uploadRequest(c)).size();
            ASSERT_LE(size, std::min(max, kMaxPacketSize)) << max;
            c.data = QByteArray(cap + 1, 'd');
            ASSERT_GT(encode(uploadRequest(c)).size(), std::min(max, kMaxPacketSize)) << max;
        }
    }
    EXPECT_GT(checked, 10000);
    // The header plus map overhead leaves no room at all.
    EXPECT_EQ(uploadChunkCapacity(8, UploadChunk{}), 0);
}

TEST(SmpMessages, SlotInfo)
{
    // Zephyr img_mgmt_slot_info: {"images": [{"image": 0, "slots": [{"slot": 0, "size": ...},
    // {"slot": 1, "size": ..., "upload_image_id": 0}], "max_image_size": ...}]}
    QCborMap s0;
    s0.insert(QStringLiteral("slot"), 0);
    s0.insert(QStringLiteral("size"), 0x76000);
    QCborMap s1;
    s1.insert(QStringLiteral("slot"), 1);
    s1.insert(QStringLiteral("size"), 0x76000);
    s1.insert(QStringLiteral("upload_image_id"), 0);
    QCborMap image;
    image.insert(QStringLiteral("image"), 0);
    image.insert(QStringLiteral("slots"), QCborArray{s0, s1});
    image.insert(QStringLiteral("max_image_size"), 0x75000);
    QCborMap payload;
    payload.insert(QStringLiteral("images"), QCborArray{image});
    auto slots = parseSlotInfoResponse(payload);
    ASSERT_TRUE(slots.has_value()) << slots.error().toString().toStdString();
    ASSERT_EQ(slots->size(), 2);
    EXPECT_EQ((*slots)[0].slot, 0);
    EXPECT_EQ((*slots)[0].size, 0x76000u);
    EXPECT_FALSE((*slots)[0].uploadImageId.has_value());
    EXPECT_EQ((*slots)[1].uploadImageId, 0);

    auto again = parseSlotInfoResponse(slotInfoPayload(*slots));
    ASSERT_TRUE(again.has_value());
    ASSERT_EQ(again->size(), 2);
    EXPECT_EQ((*again)[1].size, 0x76000u);
    EXPECT_EQ((*again)[1].uploadImageId, 0);

    QCborMap bad;
    bad.insert(QStringLiteral("images"), QCborArray{QCborMap{{QStringLiteral("image"), 0},
                                                             {QStringLiteral("slots"), QStringLiteral("x")}}});
    auto r = parseSlotInfoResponse(bad);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, QStringLiteral("images[0].slots"));
}
