// SPDX-License-Identifier: Apache-2.0
// CoAP codec cost for the OCF image download: encode / decode of one 1 KiB Block2 response
// (ACK 2.05, 4-byte token, ETag, Content-Format, Block2, Size2, 1024-byte payload — what
// serveBlock2 answers to each block request), the serveBlock2 cut itself, and a whole
// 256 KiB block-wise GET through the codec (BlockwiseGet ⇄ serveBlock2, no loss).
#include "core/ocf/coap_blockwise.h"
#include "core/ocf/coap_message.h"

#include <benchmark/benchmark.h>

using namespace otalab::core::ocf;

namespace {

QByteArray image(int size)
{
    QByteArray body(size, '\0');
    for (int i = 0; i < size; ++i)
        body[i] = char((i * 131 + 7) & 0xff);
    return body;
}

CoapMessage blockRequest(std::uint32_t num)
{
    CoapMessage request = makeRequest(CoapType::Confirmable, coap_code::Get, 0x1234, "\x01\x02\x03\x04", u"fw/image");
    request.setBlock2(BlockOption{num, false, 6});
    return request;
}

CoapMessage blockResponse(const QByteArray& body, std::uint32_t num)
{
    const CoapMessage request = blockRequest(num);
    CoapMessage response = makeResponse(request, coap_code::Content, request.messageId);
    serveBlock2(request, body, response, 6, "\xaa\xbb\xcc\xdd");
    return response;
}

void BM_CoapEncodeBlockResponse1KiB(benchmark::State& state)
{
    const QByteArray body = image(64 * 1024);
    const CoapMessage response = blockResponse(body, 0);
    for (auto _ : state)
        benchmark::DoNotOptimize(encode(response));
    state.SetBytesProcessed(state.iterations() * qint64(encodedSize(response)));
}
BENCHMARK(BM_CoapEncodeBlockResponse1KiB);

void BM_CoapDecodeBlockResponse1KiB(benchmark::State& state)
{
    const QByteArray body = image(64 * 1024);
    const QByteArray wire = *encode(blockResponse(body, 0));
    for (auto _ : state)
        benchmark::DoNotOptimize(decode(wire));
    state.SetBytesProcessed(state.iterations() * wire.size());
}
BENCHMARK(BM_CoapDecodeBlockResponse1KiB);

void BM_CoapEncodedSizeBlockResponse(benchmark::State& state)
{
    const CoapMessage response = blockResponse(image(4096), 0);
    for (auto _ : state)
        benchmark::DoNotOptimize(encodedSize(response));
}
BENCHMARK(BM_CoapEncodedSizeBlockResponse);

void BM_CoapServeBlock2(benchmark::State& state)
{
    const QByteArray body = image(64 * 1024);
    const CoapMessage request = blockRequest(17);
    for (auto _ : state) {
        CoapMessage response = makeResponse(request, coap_code::Content, request.messageId);
        benchmark::DoNotOptimize(serveBlock2(request, body, response, 6, "\xaa\xbb\xcc\xdd"));
    }
}
BENCHMARK(BM_CoapServeBlock2);

void BM_CoapBlockwiseGet256KiB(benchmark::State& state)
{
    const QByteArray body = image(256 * 1024);
    for (auto _ : state) {
        BlockwiseGet get(BlockwiseGet::Config{QStringLiteral("fw/image"), {}, 6, {}, 1u << 20, {}});
        BlockwiseGet::Send send = get.start(0, 1, "tk", 0.0);
        std::uint16_t mid = 1;
        while (!get.finished()) {
            const auto request = decode(*encode(send.message));
            CoapMessage response = makeResponse(*request, coap_code::Content, request->messageId);
            serveBlock2(*request, body, response, 6, "v1");
            const auto step = get.onResponse(*decode(*encode(response)));
            if (!step || !std::holds_alternative<BlockwiseGet::Block>(*step)) {
                state.SkipWithError("transfer failed");
                return;
            }
            if (!get.finished())
                send = get.next(++mid, 0.0);
        }
        benchmark::DoNotOptimize(get.receivedBytes());
    }
    state.SetBytesProcessed(state.iterations() * body.size());
}
BENCHMARK(BM_CoapBlockwiseGet256KiB)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
