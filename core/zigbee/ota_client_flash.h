// SPDX-License-Identifier: Apache-2.0
// The storage an OtaClient downloads into, provided by its host.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <cstdint>

namespace otalab::core::zigbee {

// The client's download slot. Offsets are image offsets (0 = OTA file identifier). The
// client calls erase() once before the first block, write() once per received block in
// increasing offset order, and read() once over the whole image to verify it. A simulator
// may keep a received-block bitmap and a corruption overlay and rebuild read() from the
// shared server image, instead of holding a copy. Errors abort the download (ABORT).
class OtaFlash {
public:
    virtual ~OtaFlash() = default;
    // Erases the slot and prepares it for an image of `imageSize` bytes; fails if it does not fit.
    virtual Result<void> erase(std::uint32_t imageSize) = 0;
    virtual Result<void> write(std::uint32_t offset, QByteArrayView data) = 0;
    virtual Result<QByteArray> read(std::uint32_t offset, std::uint32_t size) const = 0;
};

// A plain RAM slot of fixed capacity: for tests and for hardware sessions on the desktop.
class MemoryOtaFlash final : public OtaFlash {
public:
    explicit MemoryOtaFlash(std::uint32_t capacity = 16u << 20) : m_capacity(capacity) {}

    Result<void> erase(std::uint32_t imageSize) override;
    Result<void> write(std::uint32_t offset, QByteArrayView data) override;
    Result<QByteArray> read(std::uint32_t offset, std::uint32_t size) const override;

    const QByteArray& contents() const { return m_data; }
    int eraseCount() const { return m_erases; }
    qint64 bytesWritten() const { return m_written; }

private:
    std::uint32_t m_capacity;
    QByteArray m_data;
    int m_erases = 0;
    qint64 m_written = 0;
};

} // namespace otalab::core::zigbee
