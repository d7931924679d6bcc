// SPDX-License-Identifier: Apache-2.0
// Byte-exact against libcoap 4.3.1 (Debian libcoap3-bin): datagrams captured on 127.0.0.1
// with a python3 UDP socket printing/sending hex, outside the repository.
//   client side: python3 listener on PORT, then
//     coap-client-notls -m get -b 64 coap://127.0.0.1:56831/fw/image
//     coap-client-notls -m get -s 10 coap://127.0.0.1:56832/oc/swu
//     coap-client-notls -m get -T cafe01 "coap://127.0.0.1:56834/oic/res?rt=oic.r.softwareupdate"
//   server side: coap-server-notls -A 127.0.0.1 -p 56841 -d 5;
//     coap-client-notls -m put -f body.bin coap://127.0.0.1:56841/fw/image  (200 bytes, byte i = 7i + 3)
//     then raw GETs /fw/image with Block2 NUM 0..4 (SZX 2, 64 B) and GETs /time with Observe 0/1.
// Each vector decodes to the fields libcoap meant and encodes back to the same bytes.
#include "core/ocf/coap_blockwise.h"
#include "core/ocf/coap_message.h"
#include "core/ocf/coap_observe.h"

#include <gtest/gtest.h>

using namespace otalab::core::ocf;

namespace {

QByteArray hexBytes(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

CoapMessage decodeOk(const QByteArray& bytes)
{
    const auto m = decode(bytes);
    EXPECT_TRUE(m.has_value()) << qPrintable(m.error().toString());
    if (m)
        EXPECT_EQ(*encode(*m), bytes) << "re-encode of " << bytes.toHex().constData();
    return m.value_or(CoapMessage{});
}

// The body PUT to coap-server-notls: 200 bytes, byte i = (7i + 3) mod 256.
QByteArray serverBody()
{
    QByteArray body(200, '\0');
    for (int i = 0; i < 200; ++i)
        body[i] = char((i * 7 + 3) & 0xff);
    return body;
}

// coap-server-notls's answers to GET /fw/image, Block2 NUM 0..3 (SZX 2), mid 0x1001.., token 12.
const char* const kServerBlocks[] = {
    "61451001124101d1060a51c8ff030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b2229"
    "30373e454c535a61686f767d848b9299a0a7aeb5bc",
    "61451002124101d1061a51c8ffc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9"
    "f0f7fe050c131a21282f363d444b525960676e757c",
    "61451003124101d1062a51c8ff838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9"
    "b0b7bec5ccd3dae1e8eff6fd040b121920272e353c",
    "61451004124101d1063251c8ff434a51585f666d74",
};

} // namespace

TEST(CoapLibcoap, BlockwiseGetRequestOfCoapClient)
{
    const QByteArray wire = hexBytes("410162b20172ddff42667705696d616765c102");
    const CoapMessage m = decodeOk(wire);
    EXPECT_EQ(m.type, CoapType::Confirmable);
    EXPECT_EQ(m.code, coap_code::Get);
    EXPECT_EQ(m.messageId, 0x62b2);
    EXPECT_EQ(m.token, hexBytes("01"));
    EXPECT_EQ(m.uintOption(coap_option::UriPort), 56831u);
    EXPECT_EQ(m.uriPath(), QStringLiteral("fw/image"));
    EXPECT_EQ(**m.block2(), (BlockOption{0, false, 2}));

    CoapMessage built = makeRequest(CoapType::Confirmable, coap_code::Get, 0x62b2, hexBytes("01"), u"/fw/image");
    built.setUintOption(coap_option::UriPort, 56831);
    built.setBlock2(BlockOption{0, false, *BlockOption::szxForSize(64)});
    EXPECT_EQ(*encode(built), wire);
    EXPECT_EQ(encodedSize(built), std::size_t(wire.size()));
}

TEST(CoapLibcoap, ObserveRegistrationOfCoapClient)
{
    const QByteArray wire = hexBytes("41010d1a016012de00426f6303737775");
    const CoapMessage m = decodeOk(wire);
    EXPECT_EQ(m.observe(), 0u);   // the empty value
    EXPECT_EQ(m.uintOption(coap_option::UriPort), 56832u);
    EXPECT_EQ(m.uriPath(), QStringLiteral("oc/swu"));

    CoapMessage built = makeRequest(CoapType::Confirmable, coap_code::Get, 0x0d1a, hexBytes("01"), u"oc/swu");
    built.setObserve(0);
    built.setUintOption(coap_option::UriPort, 56832);
    EXPECT_EQ(*encode(built), wire);

    ObserverList observers;
    EXPECT_EQ(observers.onRequest(u"127.0.0.1:40000", m), ObserverList::Change::Registered);
    EXPECT_EQ(observers.size(), 1u);
}

TEST(CoapLibcoap, QueryWithAnExtendedLengthAndASixByteToken)
{
    const QByteArray wire = hexBytes(
        "4601c4ea63616665303272de02436f6963037265734d0a72743d6f69632e722e736f667477617265757064617465");
    const CoapMessage m = decodeOk(wire);
    EXPECT_EQ(m.token, QByteArray("cafe02"));
    EXPECT_EQ(m.uriPath(), QStringLiteral("oic/res"));
    EXPECT_EQ(m.uriQueries(), QStringList{QStringLiteral("rt=oic.r.softwareupdate")});   // 23 B: nibble 13 + 10

    CoapMessage built = makeRequest(CoapType::Confirmable, coap_code::Get, 0xc4ea, "cafe02", u"oic/res");
    built.setUintOption(coap_option::UriPort, 56834);
    built.addUriQuery(u"rt=oic.r.softwareupdate");
    EXPECT_EQ(*encode(built), wire);
    EXPECT_EQ(m.summary(), QStringLiteral("CON GET mid=0xc4ea tok=636166653032 /oic/res?rt=oic.r.softwareupdate (0 B)"));
}

TEST(CoapLibcoap, ServeBlock2AnswersBlockZeroLikeCoapServer)
{
    const CoapMessage request = decodeOk(hexBytes("4101100112b2667705696d616765c102"));
    CoapMessage response = makeResponse(request, coap_code::Content, request.messageId);
    // coap-server: ETag 0x01, no Content-Format (the PUT had none), Block2, Size2 200.
    serveBlock2(request, serverBody(), response, 6, hexBytes("01"), std::nullopt);
    EXPECT_EQ(*encode(response), hexBytes(kServerBlocks[0]));
}

TEST(CoapLibcoap, BlockwiseGetFetchesFromCoapServerAnswers)
{
    BlockwiseGet::Config config;
    config.uriPath = QStringLiteral("/fw/image");
    config.szx = 2;
    BlockwiseGet get(config);
    QByteArray stored;
    BlockwiseGet::Send send = get.start(0, 0x1001, hexBytes("12"), 0.0);
    for (int num = 0; num < 4; ++num) {
        // Our requests are the ones that were sent to coap-server byte for byte.
        QByteArray expected = hexBytes("4101100112b2667705696d616765c102");
        expected[3] = char(0x01 + num);
        expected[expected.size() - 1] = char((num << 4) | 0x02);
        EXPECT_EQ(*encode(send.message), expected) << num;
        const auto step = get.onResponse(decodeOk(hexBytes(kServerBlocks[num])));
        ASSERT_TRUE(step.has_value());
        const auto* block = std::get_if<BlockwiseGet::Block>(&*step);
        ASSERT_NE(block, nullptr) << num;
        EXPECT_EQ(block->offset, std::uint64_t(num) * 64);
        EXPECT_EQ(block->totalBytes, 200u);
        stored.append(block->data);
        if (block->last)
            break;
        send = get.next(std::uint16_t(0x1002 + num), 0.0);
    }
    EXPECT_TRUE(get.finished());
    EXPECT_EQ(stored, serverBody());
    EXPECT_EQ(get.etag(), hexBytes("01"));
}

TEST(CoapLibcoap, CoapServerAnswersOtherBlockRequests)
{
    // Block2 NUM 4 (past the end): libcoap 4.3.1 answers 5.00 with a diagnostic payload
    // where RFC 7959 §2.2 says 4.02 Bad Option (serveBlock2 answers 4.02).
    const CoapMessage past = decodeOk(hexBytes(
        "61a01005124101d1064251c8ff496e7465726e616c20536572766572204572726f72"));
    EXPECT_EQ(past.code, coap_code::InternalServerError);
    EXPECT_EQ(past.payload, QByteArray("Internal Server Error"));
    // Block2 NUM 1 SZX 1 (32 B): block 1 of 32 B, More, no ETag/Size2.
    const CoapMessage small = decodeOk(hexBytes(
        "6145100712d10a19ffe3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bc"));
    EXPECT_EQ(**small.block2(), (BlockOption{1, true, 1}));
    EXPECT_EQ(small.payload, serverBody().mid(32, 32));
    // No Block2 in the request: the whole 200 B body, no block option (it fits in 1024).
    QByteArray whole = hexBytes("6145100512ff");
    whole.append(serverBody());
    const CoapMessage all = decodeOk(whole);
    EXPECT_FALSE(all.block2().has_value());
    EXPECT_EQ(all.payload, serverBody());
}

TEST(CoapLibcoap, ObserveNotificationsOfCoapServer)
{
    // GET /time Observe 0 → 2.05 Observe 6, Max-Age 1; then a CON notification Observe 7;
    // GET Observe 1 → 2.05 without Observe (deregistered).
    const CoapMessage registration = decodeOk(hexBytes("4101200113605474696d65"));
    const CoapMessage first = decodeOk(hexBytes("614520011361068101ff4465632030372031363a34393a3332"));
    const CoapMessage notification = decodeOk(hexBytes("414511231361078101ff4465632030372031363a34393a3333"));
    const CoapMessage deregistration = decodeOk(hexBytes("410120021361015474696d65"));
    const CoapMessage last = decodeOk(hexBytes("6145200213d10101ff4465632030372031363a34393a3338"));
    EXPECT_EQ(first.observe(), 6u);
    EXPECT_EQ(first.uintOption(coap_option::MaxAge), 1u);
    EXPECT_EQ(first.payload, QByteArray("Dec 07 16:49:32"));
    EXPECT_EQ(notification.type, CoapType::Confirmable);
    EXPECT_EQ(notification.token, registration.token);
    EXPECT_TRUE(isFresher(*first.observe(), 0, *notification.observe(), 1000));
    EXPECT_FALSE(isFresher(*notification.observe(), 1000, *first.observe(), 1001));
    EXPECT_EQ(deregistration.observe(), 1u);
    EXPECT_FALSE(last.observe().has_value());

    ObserverList observers;
    EXPECT_EQ(observers.onRequest(u"client", registration), ObserverList::Change::Registered);
    EXPECT_EQ(observers.onRequest(u"client", deregistration), ObserverList::Change::Deregistered);
    EXPECT_TRUE(observers.isEmpty());
}
