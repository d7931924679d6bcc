// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_client_flash.h"

namespace otalab::core::zigbee {

Result<void> MemoryOtaFlash::erase(std::uint32_t imageSize)
{
    if (imageSize > m_capacity)
        return fail(QStringLiteral("image of %1 bytes does not fit the %2-byte download slot").arg(imageSize).arg(m_capacity));
    m_data = QByteArray(qsizetype(imageSize), char(0xFF));
    ++m_erases;
    return {};
}

Result<void> MemoryOtaFlash::write(std::uint32_t offset, QByteArrayView data)
{
    if (std::uint64_t(offset) + std::uint64_t(data.size()) > std::uint64_t(m_data.size()))
        return fail(QStringLiteral("write of %1 bytes at offset %2 is past the %3-byte slot").arg(data.size()).arg(offset).arg(m_data.size()));
    std::copy(data.begin(), data.end(), m_data.begin() + offset);
    m_written += data.size();
    return {};
}

Result<QByteArray> MemoryOtaFlash::read(std::uint32_t offset, std::uint32_t size) const
{
    if (std::uint64_t(offset) + size > std::uint64_t(m_data.size()))
        return fail(QStringLiteral("read of %1 bytes at offset %2 is past the %3-byte slot").arg(size).arg(offset).arg(m_data.size()));
    return m_data.mid(offset, size);
}

} // namespace otalab::core::zigbee
