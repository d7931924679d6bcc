// SPDX-License-Identifier: Apache-2.0
// SimOtaFlash: bitmap + running hash + corruption overlay over a shared reference image.
#include "sim/zigbee/otaflashmodel.h"

#include <cstring>

namespace otalab::sim {

SimOtaFlash::SimOtaFlash(const ImageList& images, std::uint32_t capacity, FlashActivityListener* listener)
    : m_images(images)
    , m_capacity(capacity)
    , m_listener(listener)
{
}

Result<void> SimOtaFlash::erase(std::uint32_t imageSize)
{
    if (imageSize > m_capacity) {
        return fail(Error::at(-1, QStringLiteral("flash.size"),
                              QStringLiteral("image of %1 bytes does not fit the %2-byte download slot").arg(imageSize).arg(m_capacity)));
    }
    m_size = imageSize;
    m_reference = nullptr;
    m_referenceConfirmed = false;
    for (const auto& image : m_images) {
        if (image && static_cast<std::uint64_t>(image->size()) == imageSize) {
            m_reference = image.get();
            break;
        }
    }
    m_bitmap.assign((imageSize / kGranule + 64) / 64, 0);
    m_overlay.clear();
    m_bytesWritten = 0;
    m_hash = TraceHash{};
    ++m_erases;
    if (m_listener) {
        m_listener->onFlashErase(imageSize);
    }
    return {};
}

void SimOtaFlash::markWritten(std::uint32_t offset, std::uint32_t length)
{
    if (length == 0) {
        return;
    }
    for (std::uint32_t g = offset / kGranule; g <= (offset + length - 1) / kGranule; ++g) {
        m_bitmap[g / 64] |= std::uint64_t{1} << (g % 64);
    }
}

Result<void> SimOtaFlash::write(std::uint32_t offset, QByteArrayView data)
{
    const auto length = static_cast<std::uint32_t>(data.size());
    if (static_cast<std::uint64_t>(offset) + length > m_size) {
        return fail(Error::at(offset, QStringLiteral("flash.offset"),
                              QStringLiteral("write of %1 bytes at %2 past the %3-byte image").arg(length).arg(offset).arg(m_size)));
    }
    if (m_reference && !m_referenceConfirmed) {
        // Pick the same-size image whose bytes match the first write (several images may share a size).
        const auto matches = [&](const QByteArray& image) {
            return std::memcmp(image.constData() + offset, data.data(), length) == 0;
        };
        if (!matches(*m_reference)) {
            for (const auto& image : m_images) {
                if (image && image->size() == m_size && matches(*image)) {
                    m_reference = image.get();
                    break;
                }
            }
        }
        m_referenceConfirmed = true;
    }
    const char* ref = m_reference ? m_reference->constData() + offset : nullptr;
    // The hash takes the bytes one by one, so it depends only on the bytes in write
    // order, not on how the download was cut into blocks (addBytes would).
    const std::uint32_t tamperAt = m_tamperMiddle ? m_size / 2 : UINT32_MAX;
    const char* substitute = m_substitute && m_substitute->size() == qsizetype(m_size) ? m_substitute->constData() + offset : nullptr;
    for (std::uint32_t i = 0; i < length; ++i) {
        const char received = substitute ? substitute[i] : data[i];
        const char b = offset + i == tamperAt ? char(~received) : received;
        m_hash.addByte(static_cast<std::uint8_t>(b));
        if (!ref || ref[i] != b) {
            m_overlay[offset + i] = b;
        } else if (!m_overlay.empty()) {
            m_overlay.erase(offset + i);  // a rewrite that repairs an earlier difference
        }
    }
    markWritten(offset, length);
    m_bytesWritten += length;
    m_totalWritten += length;
    if (m_listener) {
        m_listener->onFlashWrite(length);
    }
    return {};
}

Result<QByteArray> SimOtaFlash::read(std::uint32_t offset, std::uint32_t size) const
{
    if (static_cast<std::uint64_t>(offset) + size > m_size) {
        return fail(Error::at(offset, QStringLiteral("flash.offset"),
                              QStringLiteral("read of %1 bytes at %2 past the %3-byte image").arg(size).arg(offset).arg(m_size)));
    }
    const auto written = [this](std::uint32_t pos) {
        const std::uint32_t g = pos / kGranule;
        return (m_bitmap[g / 64] >> (g % 64)) & 1u;
    };
    // Fast path: the whole image, fully written, no differences → the shared bytes (no copy).
    if (m_reference && m_overlay.empty() && offset == 0 && size == m_size && m_bytesWritten >= m_size) {
        return *m_reference;
    }
    QByteArray out(static_cast<qsizetype>(size), static_cast<char>(0xFF));
    for (std::uint32_t i = 0; i < size; ++i) {
        const std::uint32_t pos = offset + i;
        if (!written(pos)) {
            continue;
        }
        if (m_reference) {
            out[i] = m_reference->at(pos);
        }
    }
    for (auto it = m_overlay.lower_bound(offset); it != m_overlay.end() && it->first < offset + size; ++it) {
        out[it->first - offset] = it->second;
    }
    return out;
}

} // namespace otalab::sim
