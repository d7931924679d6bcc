// SPDX-License-Identifier: Apache-2.0
// The FreeRTOS OTA agent's received-block bitmap (ota-for-aws-iot-embedded-sdk v3.4.0,
// source/ota.c: getFileContextFromJob / processDataBlock; ota_mqtt.c requestFileBlock_Mqtt).
// Not thread-safe; value type.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <cstdint>
#include <optional>

namespace otalab::core::awsota {

// ceil(blocks/8) bytes; block i is byte i/8, bit i%8 (LSB first); 1 = still wanted
// (the library's "erased" state, like flash), 0 = received. The bits past the last block
// in the last byte are 0, so they are never requested.
class BlockBitmap {
public:
    // The request the agent sends: GetStream "o" and "b". offset is a block number and a
    // multiple of 8; bit k of bitmap is block offset + k.
    struct Window {
        std::uint32_t offset = 0;
        QByteArray bitmap;
        friend bool operator==(const Window&, const Window&) = default;
    };

    BlockBitmap() = default;
    // All of blockCount blocks wanted. blockCount may exceed 1024 (the library refuses
    // such files: see fitsOneRequest); 0 gives an empty bitmap.
    explicit BlockBitmap(std::uint32_t blockCount);
    // Blocks of blockSize (power of two) needed for fileSize bytes.
    static std::uint32_t blocksForFile(std::uint32_t fileSize, std::uint32_t blockSize);

    std::uint32_t blockCount() const { return m_blockCount; }
    int byteCount() const { return int(m_bits.size()); }

    // Out-of-range ids are ignored by set/clear and test() false.
    void setWanted(std::uint32_t block);     // bit to 1
    void markReceived(std::uint32_t block);  // bit to 0
    bool isWanted(std::uint32_t block) const;

    std::optional<std::uint32_t> firstMissing() const;
    std::uint32_t missingCount() const { return m_missing; }  // O(1): kept by set/mark
    bool complete() const { return m_missing == 0; }

    // The whole bitmap as the library keeps and sends it (offset 0).
    const QByteArray& bytes() const { return m_bits; }
    // True when the whole bitmap fits one GetStream request (≤ 128 bytes, ≤ 1024 blocks),
    // the only case the library supports (it fails the job for bigger files).
    bool fitsOneRequest() const;
    // The window starting at the byte that holds firstBlock (offset = firstBlock & ~7),
    // at most maxBytes bytes. The library always sends windowFrom(0) of a bitmap that
    // fits; later windows serve files of more than 1024 blocks.
    Window windowFrom(std::uint32_t firstBlock, int maxBytes = 128) const;

    // Resume after a reboot: "blockCount (uint32 LE) ‖ bitmap bytes".
    QByteArray serialise() const;
    static Result<BlockBitmap> restore(const QByteArray& data);

    friend bool operator==(const BlockBitmap&, const BlockBitmap&) = default;

private:
    std::uint32_t countMissing() const;  // popcount over the bytes (construction, restore)

    std::uint32_t m_blockCount = 0;
    std::uint32_t m_missing = 0;  // bits set in m_bits (blocks still wanted); sits in m_blockCount's padding
    QByteArray m_bits;
};

} // namespace otalab::core::awsota
