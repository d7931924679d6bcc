// SPDX-License-Identifier: Apache-2.0
// AWS IoT MQTT file delivery CBOR messages, byte-exact with the FreeRTOS OTA library
// (ota-for-aws-iot-embedded-sdk v3.4.0, source/ota_cbor.c, which writes them with
// tinycbor: definite-length map, shortest-form integers, text-string keys).
// Pure functions; any thread.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace otalab::core::awsota {

// Limits. The block size is a power of two (the library's otaconfigLOG2_FILE_BLOCK_SIZE,
// default 12 → 4096), at most 128 KiB (AWS IoT developer guide: "MQTT-based file delivery
// limits the size of a block to 128 KB"; a larger request fails) and at least 256 (our floor). The bitmap is at
// most OTA_MAX_BLOCK_BITMAP_SIZE = 128 bytes (1024 blocks). Wire integers are int32 in the
// library (cbor_value_get_int / cbor_encode_int with int32_t), so every value is 0..INT32_MAX.
inline constexpr std::uint32_t kMinBlockSize = 256;
inline constexpr std::uint32_t kMaxBlockSize = 131072;
inline constexpr std::uint32_t kDefaultBlockSize = 4096;
inline constexpr std::size_t kMaxBitmapBytes = 128;
inline constexpr std::uint32_t kMaxWireInt = 0x7FFFFFFF;
inline constexpr std::size_t kMaxClientTokenBytes = 64;  // AWS: a longer "c" is InvalidRequest

// GetStream request (device → "$aws/things/<t>/streams/<s>/get/cbor"):
// map(6) { "c": client token, "f": file id, "l": block size, "o": block offset,
//          "b": bitmap (byte string), "n": number of blocks } — in that order.
// Bitmap bit k (byte k/8, bit k%8, LSB first) set = block o + k is wanted.
struct GetStreamRequest {
    QString clientToken = QStringLiteral("rdy");  // OTA_CLIENT_TOKEN
    std::uint32_t fileId = 0;
    std::uint32_t blockSize = kDefaultBlockSize;
    std::uint32_t offset = 0;     // first block the bitmap describes (the library always sends 0)
    QByteArray bitmap;            // 1..128 bytes
    std::uint32_t numberOfBlocks = 1;  // otaconfigMAX_NUM_BLOCKS_REQUEST (default 1)
    friend bool operator==(const GetStreamRequest&, const GetStreamRequest&) = default;
};

// Encodes exactly as OTA_CBOR_Encode_GetStreamRequestMessage. Fields are written as
// given (values above kMaxWireInt are the caller's bug: check with validate()).
QByteArray encodeGetStream(const GetStreamRequest& request);
// Checks the limits above; error names the field ("l: block size 1000 is not a power of two").
Result<void> validate(const GetStreamRequest& request);
// Strict decode: a definite or indefinite map with exactly the six keys (any order, no
// duplicates, no others), "c" text ≤ 64 bytes, integers 0..INT32_MAX, "b" a byte string,
// then validate(). Errors carry the byte offset of the offending item. Every FreeRTOS
// client sends all six (ota_cbor.c; MQTTFileDownloader_cbor.c); the AWS service would also
// take a request without "c", "o" and one of "b"/"n", or with "s" (stream version): this
// decoder refuses those, naming the key.
Result<GetStreamRequest> decodeGetStream(const QByteArray& cbor);
// == encodeGetStream(r).size(), computed without encoding.
std::size_t encodedGetStreamSize(std::size_t clientTokenBytes, std::uint32_t fileId, std::uint32_t blockSize,
                                 std::uint32_t offset, std::size_t bitmapBytes, std::uint32_t numberOfBlocks);
std::size_t encodedGetStreamSize(const GetStreamRequest& request);

// The blocks a request asks for, in order: block o + k for each set bit k of "b", below
// totalBlocks, at most n of them. Bits past the file are ignored, not an error: the AWS
// MQTT file streams library (aws-iot-core-mqtt-file-streams-embedded-c, CBOR path) sends
// o = the wanted block, n = the count and the constant 4-byte bitmap "MQ==" (4d 51 3d 3d,
// bit 0 set), which reaches past the end of a file near its last block.
std::vector<std::uint32_t> requestedBlocks(const GetStreamRequest& request, std::uint32_t totalBlocks);

// Data block (service → ".../streams/<s>/data/cbor"):
// map(4) { "f": file id, "i": block id, "l": payload length, "p": payload (byte string) }.
struct StreamDataBlock {
    std::uint32_t fileId = 0;
    std::uint32_t blockId = 0;
    std::uint32_t blockSize = 0;  // "l": bytes in this block (the last block may be short)
    QByteArray payload;
    friend bool operator==(const StreamDataBlock&, const StreamDataBlock&) = default;
};

// Encodes as the AWS service sends it (keys f, i, l, p; shortest-form integers).
QByteArray encodeDataBlock(const StreamDataBlock& block);
// Strict decode: exactly the four keys, integers 0..INT32_MAX, "p" a byte string whose
// length equals "l" (the library writes l bytes of p to flash), l ≤ kMaxBlockSize.
// Whether the block fits the file (id past the end, short non-last block) is the
// agent's check: see checkBlockAgainstFile.
Result<StreamDataBlock> decodeDataBlock(const QByteArray& cbor);
// == encodeDataBlock(b).size() for a payload of payloadBytes, computed without encoding.
std::size_t encodedDataBlockSize(std::uint32_t fileId, std::uint32_t blockId, std::uint32_t payloadBytes);

// The library's validateDataBlock(): block < lastBlock needs exactly blockSize bytes, the
// last block exactly fileSize - lastBlock*blockSize; anything else (an id past the end
// included) is out of range. fileSize > 0, blockSize a power of two.
Result<void> checkBlockAgainstFile(const StreamDataBlock& block, std::uint32_t expectedFileId,
                                   std::uint32_t fileSize, std::uint32_t blockSize);

} // namespace otalab::core::awsota
