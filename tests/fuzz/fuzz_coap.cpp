// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as CoAP datagrams. Input: byte 0 = the client's SZX and
// resume block, then datagrams each prefixed by one length byte. Every datagram: decode();
// when it decodes, encode() must succeed, give encodedSize() bytes and decode to an equal
// message; summary() and the option helpers must not crash. Each decoded message is also a
// request to serveBlock2 and — as is and with the outstanding token/message id patched in —
// a response to a BlockwiseGet (whose steps are followed: next block, restart, new transfer).
#include "core/ocf/coap_blockwise.h"
#include "core/ocf/coap_message.h"
#include "core/ocf/coap_observe.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace {

using namespace otalab::core::ocf;

void checkRoundTrip(const CoapMessage& m)
{
    const auto bytes = encode(m);
    if (!bytes)
        std::abort();   // a decoded message always fits the encoder's limits
    if (encodedSize(m) != std::size_t(bytes->size()))
        std::abort();
    const auto again = decode(*bytes);
    if (!again || !(*again == m))
        std::abort();
    (void)m.summary();
    (void)m.uriPath();
    (void)m.uriQueries();
    (void)m.contentFormat();
    (void)m.block1();
    (void)m.block2();
}

void serve(const CoapMessage& request)
{
    static const QByteArray body(3000, 'b');
    CoapMessage response = makeResponse(request, coap_code::Content, request.messageId);
    const std::uint8_t code = serveBlock2(request, body, response, 6, "etag");
    if (code == coap_code::Content) {
        const auto block = response.block2();
        if (!block || !*block || (*block)->offset() >= std::uint64_t(body.size()) + 1)
            std::abort();
        checkRoundTrip(response);
    }
}

struct Client {
    std::unique_ptr<BlockwiseGet> get;
    std::uint16_t messageId = 1;
    QByteArray token = "tk";
    CoapMessage outstanding;

    void begin(std::uint8_t config)
    {
        BlockwiseGet::Config c;
        c.uriPath = QStringLiteral("fw/image");
        c.szx = config & 7;
        c.maxBodyBytes = 1u << 20;
        get = std::make_unique<BlockwiseGet>(c);
        outstanding = get->start(std::uint64_t(config >> 3) * 16, messageId, token, 0.25).message;
    }
    void feed(const CoapMessage& response, std::uint8_t config)
    {
        const auto step = get->onResponse(response);
        if (!step)
            return;
        if (std::holds_alternative<BlockwiseGet::Block>(*step)) {
            const auto& block = std::get<BlockwiseGet::Block>(*step);
            if (block.last != get->finished())
                std::abort();
            const auto after = get->advance(++messageId, 0.5);
            if (const auto* send = std::get_if<BlockwiseGet::Send>(&after))
                outstanding = send->message;
            else
                begin(config);
        } else if (const auto* send = std::get_if<BlockwiseGet::Send>(&*step)) {
            outstanding = send->message;   // ETag restart
            messageId = send->message.messageId;
        } else {
            begin(config);   // Done or Failed: a new transfer
        }
        if (get->receivedBytes() > (1u << 20) + 1024)
            std::abort();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t config = data[0];
    Client client;
    client.begin(config);
    ObserverList observers;
    std::size_t pos = 1;
    while (pos < size) {
        const std::size_t length = std::min<std::size_t>(data[pos], size - pos - 1);
        const QByteArrayView datagram(reinterpret_cast<const char*>(data) + pos + 1, qsizetype(length));
        pos += 1 + length;
        const auto message = decode(datagram);
        if (!message)
            continue;
        checkRoundTrip(*message);
        serve(*message);
        (void)observers.onRequest(u"peer", *message);
        if (message->observe())
            (void)isFresher(observers.peekSequence(), 0, *message->observe(), message->messageId);
        client.feed(*message, config);
        CoapMessage patched = *message;
        patched.messageId = client.outstanding.messageId;
        patched.token = client.outstanding.token;
        client.feed(patched, config);
        if (datagram.size() % 5 == 0) {   // the timer fires now and then
            const auto step = client.get->onTimeout();
            if (const auto* send = std::get_if<BlockwiseGet::Send>(&step))
                client.outstanding = send->message;
            else
                client.begin(config);
        }
    }
    return 0;
}
