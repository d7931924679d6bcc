// SPDX-License-Identifier: Apache-2.0
// Zigbee OTA file writer.
#include "core/zigbee/ota_builder.h"

#include "core/common/bytes.h"
#include "core/zigbee/eui64.h"
#include "core/zigbee/ota_names.h"

namespace otalab::core::zigbee {
namespace {

bool reservedForTools(std::uint16_t t)
{
    return t == tag::SignatureCs1 || t == tag::CertificateCs1 || t == tag::IntegrityCode || t == tag::SignatureCs2
        || t == tag::CertificateCs2;
}

} // namespace

Result<QByteArray> serializeOtaFile(const OtaFile& file)
{
    const OtaHeader& h = file.header;
    if (h.headerString.size() > kHeaderStringSize)
        return fail(Error::at(headeroffset::HeaderString, QStringLiteral("header.headerString"),
                              QStringLiteral("header string is %1 bytes, at most 32 fit").arg(h.headerString.size())));
    if (h.hardwareVersions && h.hardwareVersions->minimum > h.hardwareVersions->maximum)
        return fail(Error::plain(QStringLiteral("minimum hardware version 0x%1 is above the maximum 0x%2")
                                     .arg(h.hardwareVersions->minimum, 4, 16, QLatin1Char('0'))
                                     .arg(h.hardwareVersions->maximum, 4, 16, QLatin1Char('0'))));
    const qint64 headerLength = h.knownFieldsSize() + h.extraHeaderBytes.size();
    if (headerLength > 0xffff)
        return fail(QStringLiteral("header of %1 bytes does not fit the 16-bit header length").arg(headerLength));
    qint64 total = headerLength;
    for (const SubElement& e : file.elements) {
        if (e.data.size() > qint64(0xffffffff))
            return fail(QStringLiteral("sub-element 0x%1 is larger than 4 GiB").arg(e.tag, 4, 16, QLatin1Char('0')));
        total += e.encodedSize();
    }
    if (total > qint64(0xffffffff))
        return fail(QStringLiteral("OTA image of %1 bytes exceeds the 32-bit total image size").arg(total));

    std::uint16_t fieldControl = h.fieldControl & ~fieldcontrol::Known;
    if (h.securityCredentialVersion)
        fieldControl |= fieldcontrol::SecurityCredentialVersion;
    if (h.upgradeFileDestination)
        fieldControl |= fieldcontrol::DeviceSpecificFile;
    if (h.hardwareVersions)
        fieldControl |= fieldcontrol::HardwareVersions;

    ByteWriter w(Endian::Little);
    w.u32(kOtaFileIdentifier).u16(h.headerVersion).u16(std::uint16_t(headerLength)).u16(fieldControl);
    w.u16(h.manufacturerCode).u16(h.imageType).u32(h.fileVersion).u16(h.stackVersion);
    w.bytes(h.headerString).zeros(kHeaderStringSize - h.headerString.size());
    w.u32(std::uint32_t(total));
    if (h.securityCredentialVersion)
        w.u8(*h.securityCredentialVersion);
    if (h.upgradeFileDestination)
        w.bytes(eui64LittleEndian(*h.upgradeFileDestination));
    if (h.hardwareVersions)
        w.u16(h.hardwareVersions->minimum).u16(h.hardwareVersions->maximum);
    w.bytes(h.extraHeaderBytes);
    for (const SubElement& e : file.elements) {
        w.u16(e.tag).u32(std::uint32_t(e.data.size()));
        if (e.telinkInfo)
            w.u8((*e.telinkInfo)[0]).u8((*e.telinkInfo)[1]);
        w.bytes(e.data);
    }
    return w.take();
}

Result<QByteArray> buildOtaFile(const OtaBuildSpec& spec)
{
    const OtaHeader& h = spec.header;
    if (imagetype::isDeviceSpecific(h.imageType) && !h.upgradeFileDestination)
        return fail(QStringLiteral("image type 0x%1 (%2) is a device-specific file: it needs an upgrade file destination EUI64")
                        .arg(h.imageType, 4, 16, QLatin1Char('0')).arg(imageTypeName(h.imageType)));
    OtaFile file;
    file.header = h;
    if (!spec.firmware.isEmpty())
        file.elements.push_back(SubElement{tag::UpgradeImage, spec.firmware, std::nullopt, -1});
    for (const SubElement& e : spec.extraElements) {
        if (reservedForTools(e.tag))
            return fail(QStringLiteral("tag 0x%1 (%2) is written by signing / the integrity option, not as an extra element")
                            .arg(e.tag, 4, 16, QLatin1Char('0')).arg(tagName(e.tag)));
        if (e.data.isEmpty())
            return fail(QStringLiteral("extra element 0x%1 is empty (zero-length sub-elements are invalid)").arg(e.tag, 4, 16, QLatin1Char('0')));
        file.elements.push_back(e);
    }
    if (file.elements.empty())
        return fail(QStringLiteral("nothing to put in the file: the firmware is empty and no extra element was given"));
    if (!spec.integrityCode)
        return serializeOtaFile(file);

    // Placeholder first so the total image size (hashed with the header) is final.
    file.elements.push_back(SubElement{tag::IntegrityCode, QByteArray(16, '\0'), std::nullopt, -1});
    auto bytes = serializeOtaFile(file);
    if (!bytes)
        return bytes;
    const qint64 elementOffset = bytes->size() - kSubElementHeaderSize - 16;
    auto digest = integrityDigest(*bytes, elementOffset, *spec.integrityCode);
    if (!digest)
        return fail(digest.error());
    bytes->replace(elementOffset + kSubElementHeaderSize, 16, toByteArray(*digest));
    return bytes;
}

} // namespace otalab::core::zigbee
