// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as an AWS MQTT file delivery GetStream request and data
// block (core/awsota/streammessages), as a saved block bitmap and as base64. Properties:
// whatever decodes re-encodes to something that decodes to the same value, its exact size
// is what encodedXSize says, and a decoded request passes validate().
#include "core/awsota/blockbitmap.h"
#include "core/awsota/otabase64.h"
#include "core/awsota/streammessages.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::awsota;

void checkGetStream(const QByteArray& input)
{
    auto r = decodeGetStream(input);
    if (!r)
        return;
    if (!validate(*r))
        std::abort();
    const QByteArray again = encodeGetStream(*r);
    if (encodedGetStreamSize(*r) != std::size_t(again.size()))
        std::abort();
    auto back = decodeGetStream(again);
    if (!back || !(*back == *r))
        std::abort();
    // The blocks served: ascending, inside the file, at most n, each with its bit set.
    const std::uint32_t totalBlocks = r->fileId % 2048;
    const auto blocks = requestedBlocks(*r, totalBlocks);
    if (blocks.size() > r->numberOfBlocks)
        std::abort();
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const std::uint64_t k = std::uint64_t(blocks[i]) - r->offset;
        if (blocks[i] >= totalBlocks || blocks[i] < r->offset || (i > 0 && blocks[i] <= blocks[i - 1])
            || !(quint8(r->bitmap[qsizetype(k / 8)]) & (1u << (k % 8))))
            std::abort();
    }
}

void checkDataBlock(const QByteArray& input)
{
    auto b = decodeDataBlock(input);
    if (!b)
        return;
    if (b->payload.size() != qsizetype(b->blockSize))
        std::abort();
    const QByteArray again = encodeDataBlock(*b);
    if (encodedDataBlockSize(b->fileId, b->blockId, b->blockSize) != std::size_t(again.size()))
        std::abort();
    auto back = decodeDataBlock(again);
    if (!back || !(*back == *b))
        std::abort();
    // Against a file whose size and block size come from the block itself: never crashes;
    // accepted blocks are inside the file and of the size the library expects.
    const std::uint32_t blockSize = 1u << (8 + b->fileId % 10);
    const std::uint32_t fileSize = 1 + b->blockId % 100000;
    if (checkBlockAgainstFile(*b, b->fileId, fileSize, blockSize)) {
        const std::uint64_t start = std::uint64_t(b->blockId) * blockSize;
        if (start >= fileSize || start + b->blockSize > fileSize)
            std::abort();
    }
}

void checkBitmap(const QByteArray& input)
{
    auto bitmap = BlockBitmap::restore(input);
    if (!bitmap)
        return;
    if (bitmap->serialise() != input)
        std::abort();
    std::uint32_t wanted = 0;
    for (std::uint32_t i = 0; i < bitmap->blockCount(); ++i)
        wanted += bitmap->isWanted(i) ? 1 : 0;
    if (wanted != bitmap->missingCount())
        std::abort();
    if (const auto first = bitmap->firstMissing()) {
        if (!bitmap->isWanted(*first))
            std::abort();
        const auto w = bitmap->windowFrom(*first);
        if (w.offset > *first || w.offset % 8 != 0 || w.bitmap.isEmpty() || w.bitmap.size() > 128)
            std::abort();
        if (!(quint8(w.bitmap[0]) & (1u << (*first - w.offset))))
            std::abort();
        bitmap->markReceived(*first);
        if (bitmap->missingCount() != wanted - 1)
            std::abort();
    } else if (wanted != 0) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    checkGetStream(input);
    checkDataBlock(input);
    checkBitmap(input);
    if (auto decoded = decodeOtaBase64(input, 384)) {
        auto again = decodeOtaBase64(encodeOtaBase64(*decoded), 384);
        if (!again || *again != *decoded)
            std::abort();
    }
    return 0;
}
