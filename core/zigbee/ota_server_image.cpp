// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_server_image.h"

#include "core/zigbee/ota_parser.h"

namespace otalab::core::zigbee {

Result<std::shared_ptr<const OtaServerImage>> OtaServerImage::create(std::shared_ptr<const QByteArray> file)
{
    if (!file)
        return fail(QStringLiteral("no OTA file given"));
    const auto parsed = parseOtaFile(QByteArrayView(*file));
    if (const auto* e = parsed.firstError())
        return fail(Error::at(e->offset, e->field, e->message));
    if (parsed.start < 0 || !parsed.headerComplete)
        return fail(QStringLiteral("not a Zigbee OTA file: no complete header"));
    const std::uint32_t total = parsed.file.header.totalImageSize;
    if (parsed.start + qint64(total) > file->size())
        return fail(Error::at(parsed.start + headeroffset::TotalImageSize, QStringLiteral("header.totalImageSize"),
                              QStringLiteral("total image size %1 exceeds the %2 bytes available").arg(total).arg(file->size() - parsed.start)));
    std::shared_ptr<OtaServerImage> image(new OtaServerImage());
    image->m_file = std::move(file);
    image->m_start = parsed.start;
    image->m_header = parsed.file.header;
    return std::shared_ptr<const OtaServerImage>(std::move(image));
}

QByteArrayView OtaServerImage::bytes(std::uint32_t offset, std::uint32_t count) const
{
    if (offset >= size())
        return {};
    const std::uint32_t n = std::min<std::uint32_t>(count, size() - offset);
    return QByteArrayView(*m_file).sliced(m_start + offset, n);
}

bool OtaServerImage::matchesHardware(std::optional<std::uint16_t> hw) const
{
    if (!m_header.hardwareVersions)
        return true;
    if (!hw)
        return false;
    return *hw >= m_header.hardwareVersions->minimum && *hw <= m_header.hardwareVersions->maximum;
}

} // namespace otalab::core::zigbee
