// SPDX-License-Identifier: Apache-2.0
// SMP header/packet codec, group names and error forms.
#include "core/smp/serial_framing.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_header.h"
#include "core/smp/smp_packet.h"

#include <QCborArray>
#include <QCborValue>
#include <QDir>
#include <QFile>

#include <gtest/gtest.h>

using namespace otalab::core::smp;

namespace {

QByteArray hexBytes(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

// Zephyr's echo answer to "hi" (indefinite-length map), as in PROTOCOLS.md.
QByteArray zephyrEchoResponse() { return hexBytes("0b00000700000100bf6172626869ff"); }

} // namespace

TEST(SmpHeader, EncodesTheDocumentedLayout)
{
    Header h;
    h.version = ProtocolVersion::V2;
    h.op = Op::Write;
    h.length = 6;
    h.group = 0;
    h.sequence = 1;
    h.command = 0;
    EXPECT_EQ(encodeHeader(h), hexBytes("0a00000600000100"));

    h.version = ProtocolVersion::V1;
    h.op = Op::ReadResponse;
    h.flags = 0x5a;
    h.length = 0x1234;
    h.group = 0xabcd;
    h.sequence = 0xfe;
    h.command = 0x07;
    EXPECT_EQ(encodeHeader(h), hexBytes("015a1234abcdfe07"));
}

TEST(SmpHeader, RoundTripsEveryOpAndVersion)
{
    for (int v = 0; v <= 1; ++v) {
        for (int op = 0; op <= 3; ++op) {
            Header h;
            h.version = ProtocolVersion(v);
            h.op = Op(op);
            h.length = std::uint16_t(op * 1000 + v);
            h.group = std::uint16_t(63 + op);
            h.sequence = std::uint8_t(255 - op);
            h.command = std::uint8_t(op);
            const QByteArray bytes = encodeHeader(h);
            ASSERT_EQ(bytes.size(), kHeaderSize);
            auto back = decodeHeader(bytes);
            ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
            EXPECT_EQ(*back, h);
            EXPECT_EQ(back->isResponse(), op == 1 || op == 3);
        }
    }
}

TEST(SmpHeader, RejectsShortAndReservedValues)
{
    auto shortHeader = decodeHeader(hexBytes("0a0000"));
    ASSERT_FALSE(shortHeader.has_value());
    EXPECT_EQ(shortHeader.error().offset, 3);

    for (const char* bad : {"0c00000000000000", "0f00000000000000", "1000000000000000", "1800000000000000",
                            "2000000000000000", "8000000000000000"}) {
        auto r = decodeHeader(hexBytes(bad));
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().offset, 0) << bad;
        EXPECT_TRUE(r.error().field.startsWith(QStringLiteral("header"))) << bad;
    }
    EXPECT_EQ(opName(Op::WriteResponse), QStringLiteral("write response"));
}

TEST(SmpPacket, EncodesEchoLikeMcumgrClient)
{
    Header h;
    h.version = ProtocolVersion::V2;
    h.op = Op::Write;
    h.sequence = 1;
    QCborMap payload;
    payload.insert(QStringLiteral("d"), QStringLiteral("hi"));
    EXPECT_EQ(encodePacket(h, payload), hexBytes("0a00000600000100a16164626869"));
}

TEST(SmpPacket, DecodesZephyrIndefiniteLengthMap)
{
    auto p = decodePacket(zephyrEchoResponse());
    ASSERT_TRUE(p.has_value()) << p.error().toString().toStdString();
    EXPECT_EQ(p->header.op, Op::WriteResponse);
    EXPECT_EQ(p->header.version, ProtocolVersion::V2);
    EXPECT_EQ(p->header.sequence, 1);
    EXPECT_EQ(p->header.length, 7);
    EXPECT_EQ(p->payload.value(QStringLiteral("r")).toString(), QStringLiteral("hi"));
}

TEST(SmpPacket, DecodesDefiniteMapAndEmptyPayload)
{
    auto p = decodePacket(hexBytes("0a00000600000100a16164626869"));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->payload.value(QStringLiteral("d")).toString(), QStringLiteral("hi"));

    auto empty = decodePacket(hexBytes("0000000000010006"));
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(empty->payload.isEmpty());
    EXPECT_EQ(empty->header.group, 1);
    EXPECT_EQ(empty->header.command, 6);
}

TEST(SmpPacket, ReportsTruncationAndTrailingBytesWithOffsets)
{
    const QByteArray good = zephyrEchoResponse();
    auto truncated = decodePacket(good.left(good.size() - 1));
    ASSERT_FALSE(truncated.has_value());
    EXPECT_EQ(truncated.error().offset, good.size() - 1);
    EXPECT_TRUE(truncated.error().message.contains(QStringLiteral("truncated")));

    auto trailing = decodePacket(good + QByteArray("\x00\x01", 2));
    ASSERT_FALSE(trailing.has_value());
    EXPECT_EQ(trailing.error().offset, good.size());
    EXPECT_TRUE(trailing.error().message.contains(QStringLiteral("trailing")));

    // The header announces 7 bytes but the map ends after 6: a byte after the map.
    auto inner = decodePacket(hexBytes("0a00000700000100a16164626869" "00"));
    ASSERT_FALSE(inner.has_value());
    EXPECT_EQ(inner.error().offset, 14);

    // Map cut short inside the announced length.
    auto cut = decodePacket(hexBytes("0a00000500000100a161646268"));
    ASSERT_FALSE(cut.has_value());
    EXPECT_GE(cut.error().offset, 8);

    // Indefinite map missing its break byte.
    auto noBreak = decodePacket(hexBytes("0b00000600000100bf6172626869"));
    ASSERT_FALSE(noBreak.has_value());

    // Indefinite map with a key and no value.
    auto danglingKey = decodePacket(hexBytes("0b00000400000100bf6161ff"));
    ASSERT_FALSE(danglingKey.has_value());

    auto headerOnly = decodePacket(hexBytes("0a0000"));
    ASSERT_FALSE(headerOnly.has_value());
    EXPECT_EQ(headerOnly.error().offset, 3);
}

TEST(SmpPacket, RejectsPayloadsThatAreNotMaps)
{
    auto array = decodePacket(hexBytes("0a00000200000100" "8101"));
    ASSERT_FALSE(array.has_value());
    EXPECT_EQ(array.error().offset, 8);
    EXPECT_TRUE(array.error().message.contains(QStringLiteral("not a CBOR map")));
    auto integer = decodePacket(hexBytes("0a00000100000100" "05"));
    ASSERT_FALSE(integer.has_value());
    auto garbage = decodePacket(hexBytes("0a00000100000100" "ff"));
    ASSERT_FALSE(garbage.has_value());
}

TEST(SmpPacket, EncodeDecodeRoundTripIsDeterministic)
{
    QCborMap payload;
    payload.insert(QStringLiteral("off"), 4096);
    payload.insert(QStringLiteral("data"), QByteArray(300, 'x'));
    payload.insert(QStringLiteral("sha"), QByteArray(32, '\x11'));
    Header h;
    h.op = Op::Write;
    h.group = 1;
    h.command = 1;
    h.sequence = 9;
    const QByteArray a = encodePacket(h, payload);
    const QByteArray b = encodePacket(h, payload);
    EXPECT_EQ(a, b);
    auto back = decodePacket(a);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->header.length, a.size() - kHeaderSize);
    EXPECT_EQ(back->payload, payload);
    // Keys keep their insertion order on the wire.
    EXPECT_EQ(a.mid(8, 5), hexBytes("a3636f6666"));
}

TEST(SmpPacket, AnnouncedSizeReadsTheHeaderLength)
{
    EXPECT_FALSE(announcedPacketSize(hexBytes("0a000006000001")).has_value());
    EXPECT_EQ(announcedPacketSize(hexBytes("0a00000600000100")), 14);
    EXPECT_EQ(announcedPacketSize(hexBytes("0a00ffff00000100")), 8 + 0xffff);
}

TEST(SmpPacket, DescribesPacketsForTheExchangeLog)
{
    Packet p;
    p.header.op = Op::Write;
    p.header.group = 1;
    p.header.command = 1;
    p.header.sequence = 7;
    p.payload.insert(QStringLiteral("off"), 0);
    p.payload.insert(QStringLiteral("data"), QByteArray(512, 'x'));
    const QString text = describePacket(p);
    EXPECT_TRUE(text.startsWith(QStringLiteral("v2 write image upload seq 7 {off: 0, data: <512 bytes>")))
        << text.toStdString();
}

TEST(SmpGroups, NamesGroupsAndCommands)
{
    EXPECT_EQ(groupName(0), QStringLiteral("os"));
    EXPECT_EQ(groupName(1), QStringLiteral("image"));
    EXPECT_EQ(groupName(63), QStringLiteral("zephyr"));
    EXPECT_EQ(groupName(42), QStringLiteral("group 42"));
    EXPECT_EQ(commandName(0, os::Echo), QStringLiteral("os echo"));
    EXPECT_EQ(commandName(0, os::McumgrParams), QStringLiteral("os mcumgr params"));
    EXPECT_EQ(commandName(1, image::Upload), QStringLiteral("image upload"));
    EXPECT_EQ(commandName(1, image::SlotInfo), QStringLiteral("image slot info"));
    EXPECT_EQ(commandName(1, 9), QStringLiteral("group 1 command 9"));
    EXPECT_EQ(commandName(64, 0), QStringLiteral("group 64 command 0"));
}

TEST(SmpError, ReadsV1AndV2Forms)
{
    EXPECT_FALSE(responseError(QCborMap{}).has_value());
    EXPECT_FALSE(responseError(errorPayloadV1(MgmtErr::Ok)).has_value());
    EXPECT_FALSE(responseError(errorPayloadV2(1, 0)).has_value());

    auto v1 = responseError(errorPayloadV1(MgmtErr::BadState));
    ASSERT_TRUE(v1.has_value());
    EXPECT_EQ(v1->rc, 6);
    EXPECT_FALSE(v1->group.has_value());
    EXPECT_EQ(errorName(*v1), QStringLiteral("MGMT_ERR_EBADSTATE"));

    auto v2 = responseError(errorPayloadV2(1, 9));
    ASSERT_TRUE(v2.has_value());
    EXPECT_EQ(v2->rc, 9);
    EXPECT_EQ(v2->group, 1);
    EXPECT_EQ(errorName(*v2), QStringLiteral("IMG_MGMT_ERR_NO_FREE_SLOT"));
    const QString words = describeError(*v2);
    EXPECT_TRUE(words.contains(QStringLiteral("no free slot"))) << words.toStdString();
    EXPECT_TRUE(words.contains(QStringLiteral("IMG_MGMT_ERR_NO_FREE_SLOT")));
    EXPECT_TRUE(words.contains(QStringLiteral("erase the secondary slot")));

    // The wire form Zephyr's smp_add_cmd_err() writes.
    auto wire = decodePacket(hexBytes("0b00001300010000" "bf63657272bf6567726f757001627263 09ffff"));
    ASSERT_TRUE(wire.has_value()) << wire.error().toString().toStdString();
    auto fromWire = responseError(wire->payload);
    ASSERT_TRUE(fromWire.has_value());
    EXPECT_EQ(fromWire->group, 1);
    EXPECT_EQ(fromWire->rc, 9);
    QCborMap inner;
    inner.insert(QStringLiteral("group"), 1);
    inner.insert(QStringLiteral("rc"), 27);
    QCborMap outer;
    outer.insert(QStringLiteral("err"), inner);
    auto newer = responseError(outer);
    ASSERT_TRUE(newer.has_value());
    EXPECT_EQ(errorName(*newer), QStringLiteral("IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER"));
}

TEST(SmpError, NamesFollowZephyrEnums)
{
    auto img = [](int rc) { return errorName(DeviceError{rc, 1, {}}); };
    EXPECT_EQ(img(1), QStringLiteral("IMG_MGMT_ERR_UNKNOWN"));
    EXPECT_EQ(img(3), QStringLiteral("IMG_MGMT_ERR_NO_IMAGE"));
    EXPECT_EQ(img(8), QStringLiteral("IMG_MGMT_ERR_HASH_NOT_FOUND"));
    EXPECT_EQ(img(23), QStringLiteral("IMG_MGMT_ERR_INVALID_IMAGE_HEADER_MAGIC"));
    EXPECT_EQ(img(28), QStringLiteral("IMG_MGMT_ERR_IMAGE_ALREADY_PENDING"));
    EXPECT_EQ(img(33), QStringLiteral("IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED"));
    EXPECT_EQ(img(34), QStringLiteral("IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN"));
    EXPECT_EQ(img(35), QStringLiteral("image group rc 35"));
    auto osErr = [](int rc) { return errorName(DeviceError{rc, 0, {}}); };
    EXPECT_EQ(osErr(2), QStringLiteral("OS_MGMT_ERR_INVALID_FORMAT"));
    EXPECT_EQ(osErr(4), QStringLiteral("OS_MGMT_ERR_RTC_NOT_SET"));
    EXPECT_EQ(osErr(7), QStringLiteral("OS_MGMT_ERR_HEAP_STATS_FETCH_FAILED"));
    auto mgmt = [](int rc) { return errorName(DeviceError{rc, std::nullopt, {}}); };
    EXPECT_EQ(mgmt(8), QStringLiteral("MGMT_ERR_ENOTSUP"));
    EXPECT_EQ(mgmt(11), QStringLiteral("MGMT_ERR_EACCESSDENIED"));
    EXPECT_EQ(mgmt(13), QStringLiteral("MGMT_ERR_UNSUPPORTED_TOO_NEW"));
    EXPECT_EQ(mgmt(99), QStringLiteral("rc 99"));
    EXPECT_EQ(mgmt(258), QStringLiteral("MGMT_ERR_EPERUSER+2"));
    EXPECT_EQ(errorName(DeviceError{3, 8, {}}), QStringLiteral("fs group rc 3"));
}

TEST(SmpError, DescriptionsCarryAdviceAndTheBoardsReason)
{
    QCborMap payload = errorPayloadV1(MgmtErr::NotSup);
    payload.insert(QStringLiteral("rsn"), QStringLiteral("group disabled"));
    auto err = responseError(payload);
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->reason, QStringLiteral("group disabled"));
    const QString text = describeError(*err);
    EXPECT_TRUE(text.contains(QStringLiteral("does not support"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("group disabled")));
    for (int rc = 1; rc <= 13; ++rc)
        EXPECT_TRUE(describeError(DeviceError{rc, std::nullopt, {}}).contains(QLatin1Char(':'))) << rc;
    for (int rc = 1; rc <= 34; ++rc)
        EXPECT_TRUE(describeError(DeviceError{rc, 1, {}}).contains(QStringLiteral("IMG_MGMT_ERR_"))) << rc;
    EXPECT_TRUE(describeError(DeviceError{5, 9, {}}).contains(QStringLiteral("shell")));
}

TEST(SmpCorpus, FuzzSeedsAreValid)
{
    const QDir dir(QStringLiteral(OTALAB_TEST_DATA_DIR "/smp"));
    int packets = 0;
    int streams = 0;
    for (const QFileInfo& info : dir.entryInfoList(QDir::Files)) {
        QFile file(info.absoluteFilePath());
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << info.fileName().toStdString();
        const QByteArray bytes = file.readAll();
        if (info.suffix() == QLatin1String("bin")) {
            auto p = decodePacket(bytes);
            EXPECT_TRUE(p.has_value()) << info.fileName().toStdString() << ": "
                                       << (p ? "" : p.error().toString().toStdString());
            ++packets;
        } else if (info.suffix() == QLatin1String("txt")) {
            SerialFrameDecoder decoder;
            QList<SerialFrameDecoder::Event> events;
            decoder.feed(bytes, events);
            int received = 0;
            for (const auto& e : events) {
                EXPECT_FALSE(std::holds_alternative<SerialFrameDecoder::FrameError>(e)) << info.fileName().toStdString();
                if (const auto* r = std::get_if<SerialFrameDecoder::PacketReceived>(&e)) {
                    EXPECT_TRUE(decodePacket(r->packet).has_value());
                    ++received;
                }
            }
            EXPECT_GE(received, 1) << info.fileName().toStdString();
            ++streams;
        }
    }
    EXPECT_GE(packets, 8);
    EXPECT_GE(streams, 3);
}
