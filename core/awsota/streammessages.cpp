// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/streammessages.h"

#include "core/awsota/cbormapreader.h"

#include <QCborStreamWriter>
#include <bit>

namespace otalab::core::awsota {
namespace {

// Bytes of a CBOR head (major type + argument) for argument v, shortest form, as
// tinycbor's encode_number_no_update and QCborStreamWriter write it.
std::size_t headSize(std::uint64_t v)
{
    if (v < 24) return 1;
    if (v <= 0xFF) return 2;
    if (v <= 0xFFFF) return 3;
    if (v <= 0xFFFFFFFFull) return 5;
    return 9;
}

// One-letter text key: 0x61 + letter.
constexpr std::size_t kKeySize = 2;

void writeKey(QCborStreamWriter& w, const char* key) { w.append(QLatin1StringView(key)); }

Error fieldError(const char* field, const QString& message)
{
    return Error::at(-1, QString::fromLatin1(field), message);
}

} // namespace

QByteArray encodeGetStream(const GetStreamRequest& request)
{
    QByteArray out;
    out.reserve(qsizetype(encodedGetStreamSize(request)));
    QCborStreamWriter w(&out);
    w.startMap(6);
    writeKey(w, "c");
    w.append(request.clientToken);
    writeKey(w, "f");
    w.append(quint64(request.fileId));
    writeKey(w, "l");
    w.append(quint64(request.blockSize));
    writeKey(w, "o");
    w.append(quint64(request.offset));
    writeKey(w, "b");
    w.append(request.bitmap);
    writeKey(w, "n");
    w.append(quint64(request.numberOfBlocks));
    w.endMap();
    return out;
}

Result<void> validate(const GetStreamRequest& request)
{
    const qsizetype tokenBytes = request.clientToken.toUtf8().size();
    if (tokenBytes > qsizetype(kMaxClientTokenBytes))
        return fail(fieldError("c", QStringLiteral("client token of %1 bytes is too long (at most %2)").arg(tokenBytes).arg(kMaxClientTokenBytes)));
    if (request.fileId > kMaxWireInt)
        return fail(fieldError("f", QStringLiteral("file id %1 is out of range (0..%2)").arg(request.fileId).arg(kMaxWireInt)));
    if (request.blockSize < kMinBlockSize || request.blockSize > kMaxBlockSize || !std::has_single_bit(request.blockSize))
        return fail(fieldError("l", QStringLiteral("block size %1 is not a power of two in %2..%3")
                                        .arg(request.blockSize).arg(kMinBlockSize).arg(kMaxBlockSize)));
    if (request.offset > kMaxWireInt)
        return fail(fieldError("o", QStringLiteral("block offset %1 is out of range (0..%2)").arg(request.offset).arg(kMaxWireInt)));
    if (request.bitmap.isEmpty() || std::size_t(request.bitmap.size()) > kMaxBitmapBytes)
        return fail(fieldError("b", QStringLiteral("bitmap of %1 bytes (expected 1..%2)").arg(request.bitmap.size()).arg(kMaxBitmapBytes)));
    if (request.numberOfBlocks < 1 || request.numberOfBlocks > kMaxWireInt)
        return fail(fieldError("n", QStringLiteral("number of blocks %1 is out of range (1..%2)").arg(request.numberOfBlocks).arg(kMaxWireInt)));
    return {};
}

Result<GetStreamRequest> decodeGetStream(const QByteArray& cbor)
{
    // The largest string is the bitmap; read a little past the limit so the error names it.
    auto map = detail::readFlatMap(cbor, qint64(kMaxBitmapBytes) + 1);
    if (!map)
        return fail(map.error());
    if (auto ok = detail::rejectUnknownKeys(*map, {"c", "f", "l", "o", "b", "n"}); !ok)
        return fail(ok.error());
    GetStreamRequest r;
    auto token = detail::takeText(*map, "c");
    auto fileId = detail::takeInt(*map, "f", kMaxWireInt);
    auto blockSize = detail::takeInt(*map, "l", kMaxWireInt);
    auto offset = detail::takeInt(*map, "o", kMaxWireInt);
    auto bitmap = detail::takeBytes(*map, "b");
    auto blocks = detail::takeInt(*map, "n", kMaxWireInt);
    // Report in wire order.
    if (!token) return fail(token.error());
    if (!fileId) return fail(fileId.error());
    if (!blockSize) return fail(blockSize.error());
    if (!offset) return fail(offset.error());
    if (!bitmap) return fail(bitmap.error());
    if (!blocks) return fail(blocks.error());
    r.clientToken = *token;
    r.fileId = *fileId;
    r.blockSize = *blockSize;
    r.offset = *offset;
    r.bitmap = *bitmap;
    r.numberOfBlocks = *blocks;
    if (auto ok = validate(r); !ok) {
        Error e = ok.error();
        if (const auto it = map->find(e.field); it != map->end())
            e.offset = it->second.offset;
        return fail(e);
    }
    return r;
}

std::size_t encodedGetStreamSize(std::size_t clientTokenBytes, std::uint32_t fileId, std::uint32_t blockSize,
                                 std::uint32_t offset, std::size_t bitmapBytes, std::uint32_t numberOfBlocks)
{
    return 1 + 6 * kKeySize + headSize(clientTokenBytes) + clientTokenBytes + headSize(fileId) + headSize(blockSize)
        + headSize(offset) + headSize(bitmapBytes) + bitmapBytes + headSize(numberOfBlocks);
}

std::size_t encodedGetStreamSize(const GetStreamRequest& request)
{
    return encodedGetStreamSize(std::size_t(request.clientToken.toUtf8().size()), request.fileId, request.blockSize,
                                request.offset, std::size_t(request.bitmap.size()), request.numberOfBlocks);
}

std::vector<std::uint32_t> requestedBlocks(const GetStreamRequest& request, std::uint32_t totalBlocks)
{
    std::vector<std::uint32_t> out;
    for (qsizetype bit = 0; bit < request.bitmap.size() * 8 && out.size() < request.numberOfBlocks; ++bit) {
        const std::uint64_t block = std::uint64_t(request.offset) + std::uint64_t(bit);
        if (block >= totalBlocks)
            break;
        if (quint8(request.bitmap[bit / 8]) & (1u << (bit % 8)))
            out.push_back(std::uint32_t(block));
    }
    return out;
}

QByteArray encodeDataBlock(const StreamDataBlock& block)
{
    QByteArray out;
    out.reserve(qsizetype(encodedDataBlockSize(block.fileId, block.blockId, std::uint32_t(block.payload.size()))) + 8);
    QCborStreamWriter w(&out);
    w.startMap(4);
    writeKey(w, "f");
    w.append(quint64(block.fileId));
    writeKey(w, "i");
    w.append(quint64(block.blockId));
    writeKey(w, "l");
    w.append(quint64(block.blockSize));
    writeKey(w, "p");
    w.append(block.payload);
    w.endMap();
    return out;
}

Result<StreamDataBlock> decodeDataBlock(const QByteArray& cbor)
{
    auto map = detail::readFlatMap(cbor, qint64(kMaxBlockSize) + 1);
    if (!map)
        return fail(map.error());
    if (auto ok = detail::rejectUnknownKeys(*map, {"f", "i", "l", "p"}); !ok)
        return fail(ok.error());
    auto fileId = detail::takeInt(*map, "f", kMaxWireInt);
    auto blockId = detail::takeInt(*map, "i", kMaxWireInt);
    auto length = detail::takeInt(*map, "l", kMaxBlockSize);
    auto payload = detail::takeBytes(*map, "p");
    if (!fileId) return fail(fileId.error());
    if (!blockId) return fail(blockId.error());
    if (!length) return fail(length.error());
    if (!payload) return fail(payload.error());
    if (payload->size() != qsizetype(*length))
        return fail(Error::at(map->at(QStringLiteral("p")).offset, QStringLiteral("p"),
                              QStringLiteral("payload of %1 bytes but l says %2").arg(payload->size()).arg(*length)));
    if (*length == 0)
        return fail(Error::at(map->at(QStringLiteral("l")).offset, QStringLiteral("l"), QStringLiteral("empty block")));
    return StreamDataBlock{*fileId, *blockId, *length, *payload};
}

std::size_t encodedDataBlockSize(std::uint32_t fileId, std::uint32_t blockId, std::uint32_t payloadBytes)
{
    return 1 + 4 * kKeySize + headSize(fileId) + headSize(blockId) + headSize(payloadBytes) + headSize(payloadBytes)
        + payloadBytes;
}

Result<void> checkBlockAgainstFile(const StreamDataBlock& block, std::uint32_t expectedFileId, std::uint32_t fileSize,
                                   std::uint32_t blockSize)
{
    if (block.fileId != expectedFileId)
        return fail(fieldError("f", QStringLiteral("block for file %1, the job's file is %2").arg(block.fileId).arg(expectedFileId)));
    if (fileSize == 0 || blockSize == 0)
        return fail(fieldError("l", QStringLiteral("no file to receive into (file size %1, block size %2)").arg(fileSize).arg(blockSize)));
    const std::uint32_t lastBlock = std::uint32_t((std::uint64_t(fileSize) + blockSize - 1) / blockSize) - 1;
    if (block.blockId > lastBlock)
        return fail(fieldError("i", QStringLiteral("block %1 is past the end of the file (last block %2)").arg(block.blockId).arg(lastBlock)));
    const std::uint32_t expected = block.blockId < lastBlock ? blockSize : fileSize - lastBlock * blockSize;
    if (block.blockSize != expected || std::uint32_t(block.payload.size()) != expected)
        return fail(fieldError("l", QStringLiteral("block %1 has %2 bytes (expected %3%4)")
                                        .arg(block.blockId).arg(block.payload.size()).arg(expected)
                                        .arg(block.blockId == lastBlock ? QStringLiteral(", the last block") : QString())));
    return {};
}

} // namespace otalab::core::awsota
