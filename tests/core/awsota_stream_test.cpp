// SPDX-License-Identifier: Apache-2.0
// AWS MQTT file delivery CBOR: GetStream requests and data blocks, byte-exact with the
// FreeRTOS OTA library, strict decoding, exact wire sizes.
//
// Vectors: produced by running the real encoder, OTA_CBOR_Encode_GetStreamRequestMessage
// from ota-for-aws-iot-embedded-sdk v3.4.0 (source/ota_cbor.c) linked with tinycbor at
// the commit the library pins (11590e47), on the inputs named in each test; the data
// blocks by tinycbor's cbor_encode_* in the key order f, i, l, p, each of which the
// library's OTA_CBOR_Decode_GetStreamResponseMessage decoded back to the same values.
#include "core/awsota/streammessages.h"

#include <QCborMap>
#include <QCborValue>

#include <gtest/gtest.h>

using namespace otalab::core::awsota;

namespace {

QByteArray hex(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

GetStreamRequest request(std::uint32_t fileId, std::uint32_t blockSize, std::uint32_t offset, QByteArray bitmap,
                         std::uint32_t blocks, QString token = QStringLiteral("rdy"))
{
    GetStreamRequest r;
    r.clientToken = token;
    r.fileId = fileId;
    r.blockSize = blockSize;
    r.offset = offset;
    r.bitmap = bitmap;
    r.numberOfBlocks = blocks;
    return r;
}

QByteArray ramp(int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(i);
    return b;
}

} // namespace

TEST(AwsOtaGetStream, EncodesAsTheLibrary)
{
    struct Vector { GetStreamRequest r; const char* hex; };
    const Vector vectors[] = {
        // First request for a 10-block file: bitmap ff 03 (blocks 0..9 wanted).
        {request(0, 4096, 0, hex("ff03"), 1), "a6616363726479616600616c191000616f00616242ff03616e01"},
        {request(1, 4096, 0, hex("01"), 1), "a6616363726479616601616c191000616f0061624101616e01"},
        // Resumed 17-block file, blocks 12 and 16 missing, n = 32.
        {request(7, 4096, 0, hex("001001"), 32), "a6616363726479616607616c191000616f00616243001001616e1820"},
        // One-, two-, four-byte integer forms.
        {request(65535, 256, 24, hex("01"), 24), "a6616363726479616619ffff616c190100616f181861624101616e1818"},
        {request(65536, 131072, 70000, hex("01"), 1),
         "a661636372647961661a00010000616c1a00020000616f1a0001117061624101616e01"},
        {request(0x7FFFFFFF, 4096, 0, hex("01"), 1), "a661636372647961661a7fffffff616c191000616f0061624101616e01"},
        {request(0, 4096, 0, hex("01"), 1, QString()), "a6616360616600616c191000616f0061624101616e01"},
    };
    for (const Vector& v : vectors) {
        EXPECT_EQ(encodeGetStream(v.r).toHex(), QByteArray(v.hex));
        auto back = decodeGetStream(hex(v.hex));
        ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
        EXPECT_EQ(*back, v.r);
    }
}

TEST(AwsOtaGetStream, DecodesTheMqttFileStreamsLibraryRequest)
{
    // aws-iot-core-mqtt-file-streams-embedded-c (MQTTFileDownloader.c, CBOR path) calls the
    // same encoder with token "rdy", o = the block it wants, the 4 bytes "MQ==" as bitmap
    // and n = its count: file 1, 256-byte blocks, block 5, n 1 (bytes from running
    // OTA_CBOR_Encode_GetStreamRequestMessage with those arguments).
    const QByteArray wire = hex("a6616363726479616601616c190100616f056162444d513d3d616e01");
    auto r = decodeGetStream(wire);
    ASSERT_TRUE(r.has_value()) << r.error().toString().toStdString();
    EXPECT_EQ(r->offset, 5u);
    EXPECT_EQ(r->bitmap, QByteArray("MQ=="));
    EXPECT_EQ(encodeGetStream(*r), wire);
    EXPECT_EQ(requestedBlocks(*r, 100), (std::vector<std::uint32_t>{5}));
    // Near the end of the file the constant bitmap reaches past it: ignored, not refused.
    EXPECT_EQ(requestedBlocks(*r, 6), (std::vector<std::uint32_t>{5}));
    r->numberOfBlocks = 8;
    // 4d 51 3d 3d: bits 0 2 3 6 | 8 12 14 | 16 18 19 20 21 ... → blocks 5 7 8 11 13 17 19 21 ...
    EXPECT_EQ(requestedBlocks(*r, 100), (std::vector<std::uint32_t>{5, 7, 8, 11, 13, 17, 19, 21}));
    EXPECT_EQ(requestedBlocks(*r, 9), (std::vector<std::uint32_t>{5, 7, 8}));
}

TEST(AwsOtaGetStream, RequestedBlocksOfTheLibraryRequest)
{
    // The FreeRTOS agent's request: o = 0, the whole bitmap, n = 1 → the first wanted block.
    GetStreamRequest r = request(0, 4096, 0, hex("fc03"), 1);  // blocks 0, 1 received of 10
    EXPECT_EQ(requestedBlocks(r, 10), (std::vector<std::uint32_t>{2}));
    r.numberOfBlocks = 32;
    EXPECT_EQ(requestedBlocks(r, 10), (std::vector<std::uint32_t>{2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_TRUE(requestedBlocks(request(0, 4096, 0, hex("0000"), 4), 10).empty());
    EXPECT_TRUE(requestedBlocks(request(0, 4096, 10, hex("ff"), 4), 10).empty());  // offset past the end
}

TEST(AwsOtaGetStream, FullBitmapOf1024BlocksUsesATwoByteLengthHead)
{
    // The library's largest request: 128 bytes of 0xff, file 255 → 154 bytes, "b" head 58 80.
    const GetStreamRequest r = request(255, 4096, 0, QByteArray(128, char(0xFF)), 1);
    const QByteArray expected = hex("a6616363726479616618ff616c191000616f0061625880") + QByteArray(128, char(0xFF)) + hex("616e01");
    EXPECT_EQ(encodeGetStream(r), expected);
    EXPECT_EQ(expected.size(), 154);
    ASSERT_TRUE(decodeGetStream(expected).has_value());
}

TEST(AwsOtaGetStream, ValidateNamesTheField)
{
    struct Case { GetStreamRequest r; const char* field; };
    const Case cases[] = {
        {request(0, 4096, 0, {}, 1), "b"},
        {request(0, 4096, 0, QByteArray(129, char(0xFF)), 1), "b"},
        {request(0, 1000, 0, hex("01"), 1), "l"},
        {request(0, 128, 0, hex("01"), 1), "l"},
        {request(0, 262144, 0, hex("01"), 1), "l"},
        {request(0, 4096, 0, hex("01"), 0), "n"},
        {request(0x80000000u, 4096, 0, hex("01"), 1), "f"},
        {request(0, 4096, 0x80000000u, hex("01"), 1), "o"},
        {request(0, 4096, 0, hex("01"), 1, QString(65, QLatin1Char('x'))), "c"},
    };
    for (const Case& c : cases) {
        auto ok = validate(c.r);
        ASSERT_FALSE(ok.has_value()) << c.field;
        EXPECT_EQ(ok.error().field, QLatin1String(c.field)) << ok.error().toString().toStdString();
    }
    EXPECT_TRUE(validate(request(3, 256, 8, hex("ff"), 1, QString(64, QLatin1Char('x')))).has_value());
}

TEST(AwsOtaGetStream, DecodeRejectsEveryMalformedShape)
{
    struct Case { const char* name; QByteArray cbor; const char* field; qint64 offset; };
    const QByteArray good = hex("a6616363726479616601616c191000616f0061624101616e01");
    const Case cases[] = {
        {"empty", {}, "", 0},
        {"an array", hex("80"), "", 0},
        {"truncated", good.left(good.size() - 1), "n", -2},  // names the key being read
        {"trailing byte", good + hex("00"), "", 25},
        {"integer key", hex("a101616e01"), "", 1},
        {"missing n", hex("a5616363726479616601616c191000616f0061624101"), "n", -1},
        {"missing c", hex("a5616601616c191000616f0061624101616e01"), "c", -1},
        {"extra key v", hex("a7616363726479616601616c191000616f0061624101616e01617601"), "v", 27},
        {"duplicate f", hex("a6616601616601616c191000616f0061624101616e01"), "f", 4},
        {"negative f", hex("a6616363726479616620616c191000616f0061624101616e01"), "f", 9},
        {"f text", hex("a66163637264796166613f616c191000616f0061624101616e01"), "f", 9},
        {"f too big", hex("a661636372647961661a80000000616c191000616f0061624101616e01"), "f", 9},
        {"l not power of two", hex("a6616363726479616601616c1903e8616f0061624101616e01"), "l", 12},
        {"b text", hex("a6616363726479616601616c191000616f0061626101616e01"), "b", 20},
        {"b too long", hex("a6616363726479616601616c191000616f0061625881") + QByteArray(129, char(0xFF)) + hex("616e01"), "b", 20},
        {"b empty", hex("a6616363726479616601616c191000616f00616240616e01"), "b", 20},
        {"c bytes", hex("a6616343726479616601616c191000616f0061624101616e01"), "c", 3},
        {"n zero", hex("a6616363726479616601616c191000616f0061624101616e00"), "n", 24},
        {"n float", hex("a6616363726479616601616c191000616f0061624101616ef93c00"), "n", 24},
        {"tagged f", hex("a66163637264796166c101616c191000616f0061624101616e01"), "f", 9},
    };
    for (const Case& c : cases) {
        auto r = decodeGetStream(c.cbor);
        ASSERT_FALSE(r.has_value()) << c.name;
        EXPECT_EQ(r.error().field, QLatin1String(c.field)) << c.name << ": " << r.error().toString().toStdString();
        if (c.offset >= -1)
            EXPECT_EQ(r.error().offset, c.offset) << c.name << ": " << r.error().toString().toStdString();
        else
            EXPECT_GE(r.error().offset, 0) << c.name;
    }
}

TEST(AwsOtaGetStream, DecodeAcceptsOtherKeyOrderAndIndefiniteLength)
{
    // The same request as a QCborMap would write it (keys b, c, f, l, n, o) and as an
    // indefinite-length map: a decoder must not depend on the library's order.
    const GetStreamRequest expected = request(2, 1024, 8, hex("0f"), 4);
    const QByteArray reordered = hex("a66162410f616363726479616602616c190400616e04616f08");
    auto a = decodeGetStream(reordered);
    ASSERT_TRUE(a.has_value()) << a.error().toString().toStdString();
    EXPECT_EQ(*a, expected);
    const QByteArray indefinite = hex("bf616363726479616602616c190400616f086162410f616e04ff");
    auto b = decodeGetStream(indefinite);
    ASSERT_TRUE(b.has_value()) << b.error().toString().toStdString();
    EXPECT_EQ(*b, expected);
}

TEST(AwsOtaGetStream, EncodedSizeEqualsTheEncodingForASweep)
{
    const std::uint32_t ints[] = {0, 1, 23, 24, 255, 256, 65535, 65536, 0x7FFFFFFF};
    const std::uint32_t sizes[] = {256, 4096, 65536, 131072};
    const int bitmaps[] = {1, 23, 24, 127, 128};
    const int tokens[] = {0, 3, 23, 24, 64};
    for (std::uint32_t f : ints)
        for (std::uint32_t l : sizes)
            for (std::uint32_t o : ints)
                for (int b : bitmaps)
                    for (int t : tokens) {
                        const GetStreamRequest r = request(f, l, o, QByteArray(b, char(0x5A)), o ? o : 1, QString(t, QLatin1Char('t')));
                        ASSERT_EQ(encodedGetStreamSize(r), std::size_t(encodeGetStream(r).size()));
                    }
}

TEST(AwsOtaDataBlock, EncodesAsTinycborAndTheLibraryDecodes)
{
    EXPECT_EQ(encodeDataBlock({0, 9, 3, hex("deadbe")}).toHex(), QByteArray("a4616600616909616c03617043deadbe"));
    const QByteArray full = encodeDataBlock({1, 0, 4096, ramp(4096)});
    EXPECT_EQ(full.size(), 4113);
    EXPECT_EQ(full.left(16).toHex(), QByteArray("a4616601616900616c19100061705910"));
    const QByteArray small = encodeDataBlock({24, 23, 24, ramp(24)});
    EXPECT_EQ(small.size(), 40);
    EXPECT_EQ(small.left(16).toHex(), QByteArray("a461661818616917616c181861705818"));
    const QByteArray mid = encodeDataBlock({300, 1000, 256, ramp(256)});
    EXPECT_EQ(mid.size(), 277);
    EXPECT_EQ(mid.left(16).toHex(), QByteArray("a4616619012c61691903e8616c190100"));
    const QByteArray big = encodeDataBlock({0, 70000, 131072, QByteArray(131072, '\0')});
    EXPECT_EQ(big.size(), 131097);
    EXPECT_EQ(big.left(16).toHex(), QByteArray("a461660061691a00011170616c1a0002"));
    for (const QByteArray& b : {full, small, mid, big}) {
        auto back = decodeDataBlock(b);
        ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
        EXPECT_EQ(encodeDataBlock(*back), b);
    }
}

TEST(AwsOtaDataBlock, DecodeRejectsEveryMalformedShape)
{
    struct Case { const char* name; QByteArray cbor; const char* field; };
    const Case cases[] = {
        {"not a map", hex("43deadbe"), ""},
        {"missing p", hex("a3616600616909616c03"), "p"},
        {"missing i", hex("a3616600616c03617043deadbe"), "i"},
        {"extra key", hex("a5616600616909616c03617043deadbe617a01"), "z"},
        {"duplicate i", hex("a4616909616909616c03617043deadbe"), "i"},
        {"negative block id", hex("a4616600616928616c03617043deadbe"), "i"},
        {"p as text", hex("a4616600616909616c03617063646561"), "p"},
        {"l says 4 but p has 3", hex("a4616600616909616c04617043deadbe"), "p"},
        {"l zero, p empty", hex("a4616600616909616c00617040"), "l"},
        {"l past 128 KiB", hex("a4616600616909616c1a00020001617043deadbe"), "l"},
        {"block id too big", hex("a461660061691a80000000616c03617043deadbe"), "i"},
        {"trailing bytes", hex("a4616600616909616c03617043deadbe00"), ""},
        {"truncated payload", hex("a4616600616909616c03617043dead"), "p"},
    };
    for (const Case& c : cases) {
        auto r = decodeDataBlock(c.cbor);
        ASSERT_FALSE(r.has_value()) << c.name;
        EXPECT_EQ(r.error().field, QLatin1String(c.field)) << c.name << ": " << r.error().toString().toStdString();
    }
}

TEST(AwsOtaDataBlock, EncodedSizeEqualsTheEncodingForASweep)
{
    const std::uint32_t ints[] = {0, 1, 23, 24, 255, 256, 65535, 65536, 0x7FFFFFFF};
    const std::uint32_t payloads[] = {0, 1, 23, 24, 255, 256, 4095, 4096, 65535, 65536, 131072};
    for (std::uint32_t f : ints)
        for (std::uint32_t i : ints)
            for (std::uint32_t p : payloads) {
                const QByteArray bytes = encodeDataBlock({f, i, p, QByteArray(qsizetype(p), 'x')});
                ASSERT_EQ(encodedDataBlockSize(f, i, p), std::size_t(bytes.size())) << f << " " << i << " " << p;
            }
}

TEST(AwsOtaDataBlock, CheckAgainstFileAsValidateDataBlock)
{
    // 10,000-byte file in 4 KiB blocks: blocks 0 and 1 full, block 2 has 1,808 bytes.
    const auto block = [](std::uint32_t f, std::uint32_t id, int n) {
        return StreamDataBlock{f, id, std::uint32_t(n), QByteArray(n, 'x')};
    };
    EXPECT_TRUE(checkBlockAgainstFile(block(5, 0, 4096), 5, 10000, 4096).has_value());
    EXPECT_TRUE(checkBlockAgainstFile(block(5, 2, 1808), 5, 10000, 4096).has_value());
    struct Case { StreamDataBlock b; const char* field; };
    const Case cases[] = {
        {block(6, 0, 4096), "f"},      // a block for another file
        {block(5, 3, 4096), "i"},      // past the end
        {block(5, 1, 1808), "l"},      // short block that is not the last
        {block(5, 2, 4096), "l"},      // last block too long
        {block(5, 2, 1807), "l"},      // last block one byte short
    };
    for (const Case& c : cases) {
        auto r = checkBlockAgainstFile(c.b, 5, 10000, 4096);
        ASSERT_FALSE(r.has_value()) << c.field;
        EXPECT_EQ(r.error().field, QLatin1String(c.field)) << r.error().toString().toStdString();
    }
    // A file that is an exact multiple of the block size: the last block is full.
    EXPECT_TRUE(checkBlockAgainstFile(block(0, 1, 4096), 0, 8192, 4096).has_value());
}
