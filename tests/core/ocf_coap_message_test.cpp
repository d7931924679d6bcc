// SPDX-License-Identifier: Apache-2.0
// CoAP codec (RFC 7252 §3): round trips, option helpers, block options, texts, and every
// malformed form decode() must refuse with the offset and field of the fault.
#include "core/ocf/coap_message.h"

#include <gtest/gtest.h>

using namespace otalab::core::ocf;

namespace {

QByteArray hexBytes(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

CoapMessage roundTrip(const CoapMessage& message)
{
    const auto bytes = encode(message);
    EXPECT_TRUE(bytes.has_value());
    EXPECT_EQ(encodedSize(message), std::size_t(bytes->size()));
    const auto decoded = decode(*bytes);
    EXPECT_TRUE(decoded.has_value()) << qPrintable(decoded.error().toString());
    return decoded.value_or(CoapMessage{});
}

// decode() must fail at `offset` naming `field`.
void expectDecodeError(const QByteArray& datagram, qint64 offset, const char* field)
{
    const auto decoded = decode(datagram);
    ASSERT_FALSE(decoded.has_value()) << datagram.toHex().constData();
    EXPECT_EQ(decoded.error().offset, offset) << qPrintable(decoded.error().toString());
    EXPECT_EQ(decoded.error().field, QLatin1String(field)) << qPrintable(decoded.error().toString());
    EXPECT_FALSE(decoded.error().message.isEmpty());
}

} // namespace

TEST(CoapMessage, RoundTripsARequestWithEveryOptionKind)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Get, 0xbeef, hexBytes("0102030405060708"),
                                u"/oc/swu");
    m.addUriQuery(u"rt=oic.r.softwareupdate");
    m.setObserve(0);
    m.setBlock2(BlockOption{5, false, 6});
    m.addOption(coap_option::OcfAcceptContentFormatVersion, hexBytes("0800"));
    m.addOption(coap_option::IfMatch, {});
    const CoapMessage back = roundTrip(m);
    EXPECT_EQ(back, m);
    EXPECT_EQ(back.uriPath(), QStringLiteral("oc/swu"));
    EXPECT_EQ(back.uriQueries(), QStringList{QStringLiteral("rt=oic.r.softwareupdate")});
    EXPECT_EQ(back.observe(), 0u);
    EXPECT_EQ(**back.block2(), (BlockOption{5, false, 6}));
}

TEST(CoapMessage, EncodedSizeMatchesAtEveryExtensionBoundary)
{
    // Lengths and deltas at the 12/13/268/269 nibble boundaries and the largest value.
    for (int length : {0, 1, 12, 13, 14, 268, 269, 270, 1024, 65535 + 269}) {
        for (std::uint16_t number : {std::uint16_t(1), std::uint16_t(12), std::uint16_t(13), std::uint16_t(268),
                                     std::uint16_t(269), std::uint16_t(270), std::uint16_t(2053),
                                     std::uint16_t(65535)}) {
            CoapMessage m;
            m.type = CoapType::NonConfirmable;
            m.code = coap_code::Content;
            m.messageId = 7;
            m.token = "t";
            m.addOption(coap_option::ContentFormat, "x");
            m.addOption(number, QByteArray(length, 'v'));
            m.payload = "body";
            EXPECT_EQ(roundTrip(m), m) << "length " << length << " number " << number;
        }
    }
}

TEST(CoapMessage, EncodeWritesOptionsInAscendingOrderKeepingRepeats)
{
    CoapMessage m;
    m.code = coap_code::Get;
    m.options = {{coap_option::UriQuery, "b=2"}, {coap_option::UriPath, "a"}, {coap_option::UriQuery, "c=3"},
                 {coap_option::UriPath, "b"}};
    const CoapMessage back = roundTrip(m);
    ASSERT_EQ(back.options.size(), 4u);
    EXPECT_EQ(back.uriPath(), QStringLiteral("a/b"));
    EXPECT_EQ(back.uriQueries(), (QStringList{QStringLiteral("b=2"), QStringLiteral("c=3")}));
}

TEST(CoapMessage, UintOptionsUseTheShortestForm)
{
    CoapMessage m;
    const std::pair<std::uint32_t, const char*> cases[] = {
        {0, ""}, {1, "01"}, {0xff, "ff"}, {0x100, "0100"}, {0xffff, "ffff"}, {0x10000, "010000"},
        {0x1000000, "01000000"}, {0xffffffff, "ffffffff"}};
    for (const auto& [value, hex] : cases) {
        m.setUintOption(coap_option::Size2, value);
        ASSERT_EQ(m.optionValues(coap_option::Size2).size(), 1u);
        EXPECT_EQ(m.option(coap_option::Size2)->value, hexBytes(hex)) << value;
        EXPECT_EQ(m.uintOption(coap_option::Size2), value);
    }
    m.options = {{coap_option::MaxAge, hexBytes("0000003c")}};   // leading zeros still read
    EXPECT_EQ(m.uintOption(coap_option::MaxAge), 60u);
    m.options = {{coap_option::MaxAge, hexBytes("0100000000")}};   // > 4 bytes: not a uint
    EXPECT_FALSE(m.uintOption(coap_option::MaxAge).has_value());
    EXPECT_FALSE(m.uintOption(coap_option::Size1).has_value());
    m.setContentFormat(content_format::VndOcfCbor);
    EXPECT_EQ(m.contentFormat(), content_format::VndOcfCbor);
    m.setObserve(0x1234567);   // 24-bit
    EXPECT_EQ(m.observe(), 0x234567u);
}

TEST(CoapMessage, UriPathHelpersSplitAndJoin)
{
    CoapMessage m;
    m.setUriPath(u"/fw//image.bin/");
    EXPECT_EQ(m.optionValues(coap_option::UriPath), (std::vector<QByteArray>{"fw", "image.bin"}));
    EXPECT_EQ(m.uriPath(), QStringLiteral("fw/image.bin"));
    m.setUriPath(u"oc/swu");
    EXPECT_EQ(m.uriPath(), QStringLiteral("oc/swu"));
    m.setUriPath(u"/");
    EXPECT_FALSE(m.hasOption(coap_option::UriPath));
    m.removeOption(coap_option::UriPath);
    EXPECT_TRUE(m.options.empty());
}

TEST(CoapMessage, BlockOptionsEncodeNumMoreSzx)
{
    EXPECT_EQ((BlockOption{0, false, 2}).value(), 0x02u);
    EXPECT_EQ((BlockOption{1, true, 2}).value(), 0x1au);
    EXPECT_EQ((BlockOption{3, true, 6}).offset(), 3072u);
    EXPECT_EQ(*BlockOption::szxForSize(1024), 6);
    EXPECT_EQ(*BlockOption::szxForSize(16), 0);
    EXPECT_FALSE(BlockOption::szxForSize(2048).has_value());
    EXPECT_FALSE(BlockOption::szxForSize(100).has_value());
    EXPECT_EQ(*BlockOption::fromValue(0xfffffe), (BlockOption{0xfffff, true, 6}));
    EXPECT_EQ(BlockOption::fromValue(0x07).error().field, QStringLiteral("block.szx"));
    EXPECT_EQ(BlockOption::fromValue(0x1000000).error().field, QStringLiteral("block.num"));

    CoapMessage m;
    EXPECT_FALSE(m.block1().has_value());
    m.setBlock1(BlockOption{0xfffff, true, 6});
    EXPECT_EQ(m.option(coap_option::Block1)->value, hexBytes("fffffe"));
    EXPECT_EQ(**m.block1(), (BlockOption{0xfffff, true, 6}));
    m.options = {{coap_option::Block2, hexBytes("0f")}};   // SZX 7
    ASSERT_TRUE(m.block2().has_value());
    ASSERT_FALSE(m.block2()->has_value());
    EXPECT_EQ(m.block2()->error().field, QStringLiteral("Block2.szx"));
    m.options = {{coap_option::Block2, hexBytes("00000016")}};   // 4-byte value
    ASSERT_FALSE(m.block2()->has_value());
    EXPECT_EQ(m.block2()->error().field, QStringLiteral("Block2"));
    m.options = {{coap_option::Block2, {}}};   // the empty value is NUM 0, M 0, SZX 0
    EXPECT_EQ(**m.block2(), (BlockOption{0, false, 0}));
}

TEST(CoapMessage, CodeTextsNameEveryRegisteredCode)
{
    EXPECT_EQ(coapCodeText(coap_code::Get), QStringLiteral("0.01 GET"));
    EXPECT_EQ(coapCodeText(coap_code::Empty), QStringLiteral("0.00 Empty"));
    EXPECT_EQ(coapCodeText(coap_code::Content), QStringLiteral("2.05 Content"));
    EXPECT_EQ(coapCodeText(coap_code::Continue), QStringLiteral("2.31 Continue"));
    EXPECT_EQ(coapCodeText(coap_code::NotFound), QStringLiteral("4.04 Not Found"));
    EXPECT_EQ(coapCodeText(coap_code::RequestEntityIncomplete), QStringLiteral("4.08 Request Entity Incomplete"));
    EXPECT_EQ(coapCodeText(coap_code::RequestEntityTooLarge), QStringLiteral("4.13 Request Entity Too Large"));
    EXPECT_EQ(coapCodeText(coap_code::UnsupportedContentFormat), QStringLiteral("4.15 Unsupported Content-Format"));
    EXPECT_EQ(coapCodeText(coap_code::GatewayTimeout), QStringLiteral("5.04 Gateway Timeout"));
    EXPECT_EQ(coapCodeText(coap_code::make(7, 31)), QStringLiteral("7.31"));
    EXPECT_EQ(coapCodeText(coap_code::make(4, 7)), QStringLiteral("4.07"));
    const std::uint8_t registered[] = {
        coap_code::Get, coap_code::Post, coap_code::Put, coap_code::Delete, coap_code::Created, coap_code::Deleted,
        coap_code::Valid, coap_code::Changed, coap_code::Content, coap_code::Continue, coap_code::BadRequest,
        coap_code::Unauthorized, coap_code::BadOption, coap_code::Forbidden, coap_code::NotFound,
        coap_code::MethodNotAllowed, coap_code::NotAcceptable, coap_code::RequestEntityIncomplete,
        coap_code::PreconditionFailed, coap_code::RequestEntityTooLarge, coap_code::UnsupportedContentFormat,
        coap_code::InternalServerError, coap_code::NotImplemented, coap_code::BadGateway,
        coap_code::ServiceUnavailable, coap_code::GatewayTimeout};
    for (std::uint8_t code : registered)
        EXPECT_GT(coapCodeText(code).size(), 5) << int(code);   // "c.dd " + a name
    EXPECT_EQ(coapTypeName(CoapType::Confirmable), QStringLiteral("CON"));
    EXPECT_EQ(coapTypeName(CoapType::NonConfirmable), QStringLiteral("NON"));
    EXPECT_EQ(coapTypeName(CoapType::Acknowledgement), QStringLiteral("ACK"));
    EXPECT_EQ(coapTypeName(CoapType::Reset), QStringLiteral("RST"));
}

TEST(CoapMessage, SummaryIsOneReadableLine)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Get, 0x1234, hexBytes("0a0b"), u"oc/swu");
    m.setObserve(0);
    m.setBlock2(BlockOption{3, true, 6});
    m.payload = QByteArray(12, 'x');
    EXPECT_EQ(m.summary(), QStringLiteral("CON GET mid=0x1234 tok=0a0b /oc/swu Observe:0 Block2:3/1/1024 (12 B)"));
    CoapMessage r = makeResponse(m, coap_code::NotFound, 0x1234);
    EXPECT_EQ(r.summary(), QStringLiteral("ACK 4.04 Not Found mid=0x1234 tok=0a0b (0 B)"));
    EXPECT_EQ(makeReset(9).summary(), QStringLiteral("RST 0.00 Empty mid=0x0009 (0 B)"));
}

TEST(CoapMessage, ConvenienceConstructors)
{
    const CoapMessage con = makeRequest(CoapType::Confirmable, coap_code::Post, 1, "tk", u"/oic/sec/pstat");
    EXPECT_EQ(con.uriPath(), QStringLiteral("oic/sec/pstat"));
    const CoapMessage ack = makeResponse(con, coap_code::Changed, 1);
    EXPECT_EQ(ack.type, CoapType::Acknowledgement);
    EXPECT_EQ(ack.token, QByteArray("tk"));
    const CoapMessage non = makeRequest(CoapType::NonConfirmable, coap_code::Get, 2, "n", u"x");
    EXPECT_EQ(makeResponse(non, coap_code::Content, 77).type, CoapType::NonConfirmable);
    EXPECT_EQ(makeResponse(non, coap_code::Content, 77).messageId, 77);
    EXPECT_EQ(*encode(makeEmptyAck(0x0102)), hexBytes("60000102"));
    EXPECT_EQ(*encode(makeReset(0x0102)), hexBytes("70000102"));
    EXPECT_TRUE(makeEmptyAck(1).isEmpty());
}

TEST(CoapMessage, EncodeRefusesAnOversizedTokenOrOptionValue)
{
    CoapMessage m;
    m.code = coap_code::Get;
    m.token = QByteArray(9, 't');
    EXPECT_EQ(encode(m).error().field, QStringLiteral("token"));
    m.token.clear();
    m.addOption(coap_option::UriPath, QByteArray(65535 + 270, 'p'));
    EXPECT_EQ(encode(m).error().field, QStringLiteral("options[0].length"));
}

// --- malformed datagrams: one case each, with the offset and field reported ------------

TEST(CoapDecodeMalformed, ShortHeader) { expectDecodeError(hexBytes("4001"), 2, "header"); }
TEST(CoapDecodeMalformed, VersionNotOne)
{
    expectDecodeError(hexBytes("81010001"), 0, "header.version");   // version 2
    expectDecodeError(hexBytes("01010001"), 0, "header.version");   // version 0
}
TEST(CoapDecodeMalformed, TokenLengthNineToFifteen)
{
    for (char tkl = 9; tkl <= 15; ++tkl) {
        QByteArray d = hexBytes("40010001") + QByteArray(15, 'x');
        d[0] = char(0x40 | tkl);
        expectDecodeError(d, 0, "header.tokenLength");
    }
}
TEST(CoapDecodeMalformed, TruncatedToken) { expectDecodeError(hexBytes("440100010102"), 4, "token"); }
TEST(CoapDecodeMalformed, DeltaNibbleFifteen)
{
    expectDecodeError(hexBytes("40010001f0"), 4, "options[0].delta");
    expectDecodeError(hexBytes("4001000111aaf3"), 6, "options[1].delta");
}
TEST(CoapDecodeMalformed, LengthNibbleFifteen) { expectDecodeError(hexBytes("400100013f"), 4, "options[0].length"); }
TEST(CoapDecodeMalformed, TruncatedExtendedDelta)
{
    expectDecodeError(hexBytes("40010001d0"), 5, "options[0].delta");     // 13: one byte missing
    expectDecodeError(hexBytes("40010001e001"), 5, "options[0].delta");   // 14: one of two
}
TEST(CoapDecodeMalformed, TruncatedExtendedLength)
{
    expectDecodeError(hexBytes("40010001bd"), 5, "options[0].length");
    expectDecodeError(hexBytes("40010001be00"), 5, "options[0].length");
}
TEST(CoapDecodeMalformed, OptionValuePastTheEnd)
{
    expectDecodeError(hexBytes("40010001b3666f"), 5, "options[0].value");
    expectDecodeError(hexBytes("40010001bd05aaaa"), 6, "options[0].value");   // 18 bytes announced
}
TEST(CoapDecodeMalformed, PayloadMarkerWithoutPayload)
{
    expectDecodeError(hexBytes("40010001ff"), 4, "payload marker");
    expectDecodeError(hexBytes("4101000174b3666f6fff"), 9, "payload marker");
}
TEST(CoapDecodeMalformed, EmptyMessageCarryingAnything)
{
    expectDecodeError(hexBytes("6100000174"), 0, "header.tokenLength");   // token
    expectDecodeError(hexBytes("60000001b3666f6f"), 4, "empty message");   // option
    expectDecodeError(hexBytes("60000001ff01"), 4, "empty message");       // payload
    ASSERT_TRUE(decode(hexBytes("70000001")).has_value());
}
TEST(CoapDecodeMalformed, OptionNumberOverflow)
{
    // 65000 then delta 1000 (14: 1000 − 269 = 0x02db) → 66000 > 65535.
    expectDecodeError(hexBytes("40010001e0fcdbe002db"), 7, "options[1].number");
    // The largest number is fine.
    const auto ok = decode(hexBytes("40010001e0fef2"));
    ASSERT_TRUE(ok.has_value()) << qPrintable(ok.error().toString());
    EXPECT_EQ(ok->options.at(0).number, 65535);
}
TEST(CoapDecodeMalformed, ReservedCodeClassesStillDecode)
{
    // Class 1/6/7 codes are the endpoint's to refuse; the codec keeps them.
    const auto m = decode(hexBytes("40ff0001"));
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->code, 0xff);
}
