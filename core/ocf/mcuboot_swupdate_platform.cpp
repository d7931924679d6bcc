// SPDX-License-Identifier: Apache-2.0
#include "core/ocf/mcuboot_swupdate_platform.h"

#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"

#include <QCryptographicHash>

namespace otalab::core::ocf {

namespace {

std::uint32_t le32(QByteArrayView b, qsizetype at)
{
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8
        | std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}

std::optional<std::uint32_t> securityCounterOf(const mcuboot::McubootImage& image)
{
    const mcuboot::Tlv* tlv = image.findAny(mcuboot::TlvSecurityCounter);
    if (tlv == nullptr || tlv->value.size() != 4)
        return std::nullopt;
    return le32(tlv->value, 0);
}

} // namespace

QString softwareVersionText(const mcuboot::ImageVersion& version)
{
    const QString text = version.toString();
    return version.build == 0 && text.endsWith(QLatin1String("+0")) ? text.chopped(2) : text;
}

Result<SwUpdateImageInfo> readMcubootHeader(QByteArrayView firstBytes)
{
    if (firstBytes.size() < mcuboot::kHeaderSize)
        return fail(Error::at(firstBytes.size(), QStringLiteral("header"),
                              QStringLiteral("%1 bytes: an MCUboot header is 32").arg(firstBytes.size())));
    if (le32(firstBytes, 0) != mcuboot::kImageMagic)
        return fail(Error::at(0, QStringLiteral("header.magic"),
                              QStringLiteral("0x%1: expected 0x96f3b83d (not an MCUboot image)")
                                  .arg(le32(firstBytes, 0), 8, 16, QChar(u'0'))));
    mcuboot::ImageVersion v;
    v.major = std::uint8_t(firstBytes[20]);
    v.minor = std::uint8_t(firstBytes[21]);
    v.revision = std::uint16_t(std::uint8_t(firstBytes[22]) | std::uint8_t(firstBytes[23]) << 8);
    v.build = le32(firstBytes, 24);
    const auto hdrSize = std::uint16_t(std::uint8_t(firstBytes[8]) | std::uint8_t(firstBytes[9]) << 8);
    const auto protectedSize = std::uint16_t(std::uint8_t(firstBytes[10]) | std::uint8_t(firstBytes[11]) << 8);
    SwUpdateImageInfo info;
    info.version = softwareVersionText(v);
    info.sizeBytes = std::uint64_t(hdrSize) + le32(firstBytes, 12) + protectedSize;   // without the unprotected TLVs
    return info;
}

McubootSwUpdatePlatform::McubootSwUpdatePlatform(mcuboot::BootLoader& loader, Config config)
    : m_loader(loader), m_config(std::move(config))
{
}

QString McubootSwUpdatePlatform::runningVersion() const
{
    if (m_loader.isRunning())
        return softwareVersionText(m_loader.lastBoot()->version);
    const mcuboot::SlotImage primary = m_loader.slotImage(mcuboot::kPrimarySlot);
    return primary.headerValid ? softwareVersionText(primary.version) : QStringLiteral("0.0.0");
}

std::uint32_t McubootSwUpdatePlatform::runningSecurityCounter() const
{
    const int slot = m_loader.activeSlot().value_or(mcuboot::kPrimarySlot);
    auto image = mcuboot::parseImage(m_loader.flash().slotBytes(slot));
    if (!image)
        return 0;
    return securityCounterOf(*image).value_or(0);
}

std::uint64_t McubootSwUpdatePlatform::slotCapacity() const
{
    const auto& flash = m_loader.flash();
    return std::uint64_t(flash.slotSize(mcuboot::kSecondarySlot) - flash.trailer(mcuboot::kSecondarySlot).size);
}

Result<SwUpdateImageInfo> McubootSwUpdatePlatform::readHeader(QByteArrayView firstBytes) const
{
    return readMcubootHeader(firstBytes);
}

void McubootSwUpdatePlatform::eraseSlot()
{
    m_loader.flash().eraseSlot(mcuboot::kSecondarySlot);
    m_storedBytes = 0;
}

bool McubootSwUpdatePlatform::writeSlot(std::uint64_t offset, QByteArrayView data)
{
    if (offset + std::uint64_t(data.size()) > slotCapacity())
        return false;
    // Flash writes are whole write blocks: the tail of the last block is padded erased.
    const int align = m_loader.flash().geometry().writeAlign;
    QByteArray padded = data.toByteArray();
    if (padded.size() % align != 0)
        padded.append(align - padded.size() % align, char(0xff));
    if (!m_loader.flash().write(mcuboot::kSecondarySlot, qint64(offset), padded))
        return false;
    m_storedBytes = offset + std::uint64_t(data.size());
    return true;
}

Result<SwUpdateImageInfo> McubootSwUpdatePlatform::validate(std::uint64_t imageBytes)
{
    if (imageBytes == 0 || imageBytes > m_storedBytes)
        return fail(Error::plain(QStringLiteral("%1 bytes expected, %2 stored").arg(imageBytes).arg(m_storedBytes)));
    const QByteArray bytes = m_loader.flash().read(mcuboot::kSecondarySlot, 0, qint64(imageBytes));
    auto image = mcuboot::parseImage(bytes);
    if (!image)
        return fail(Error::at(image.error().offset, image.error().field,
                              QStringLiteral("not a valid MCUboot image: %1").arg(image.error().message)));
    const mcuboot::VerifyReport report = mcuboot::verifyImage(*image, m_config.trustedKeys);
    if (!report.hash.present || !report.hash.valid)
        return fail(Error::plain(QStringLiteral("SHA256 TLV does not match the image (tampered or corrupt)")));
    if (!m_config.trustedKeys.empty()) {
        bool signedByTrusted = false;
        for (const auto& s : report.signatures)
            signedByTrusted = signedByTrusted || s.verdict == mcuboot::SignatureVerdict::Valid;
        if (!signedByTrusted)
            return fail(Error::plain(report.signatures.empty()
                                         ? QStringLiteral("image is not signed")
                                         : QStringLiteral("no signature by a trusted key (signed with another key)")));
    }
    SwUpdateImageInfo info;
    info.version = softwareVersionText(image->header.version);
    info.securityCounter = securityCounterOf(*image).value_or(0);
    info.sizeBytes = imageBytes;
    const QString running = runningVersion();
    auto runningVersionParsed = mcuboot::ImageVersion::parse(running);
    if (runningVersionParsed && m_loader.compareVersions(image->header.version, *runningVersionParsed) < 0)
        return fail(Error::plain(QStringLiteral("downgrade refused: image %1 is older than the running %2")
                                     .arg(info.version, running)));
    const std::uint32_t runningCounter = runningSecurityCounter();
    if (info.securityCounter < runningCounter)
        return fail(Error::plain(QStringLiteral("security counter %1 is lower than the running image's %2 (rollback refused)")
                                     .arg(info.securityCounter)
                                     .arg(runningCounter)));
    return info;
}

void McubootSwUpdatePlatform::apply()
{
    mcuboot::setPending(m_loader.flash(), /*permanent=*/false);
}

mcuboot::BootResult McubootSwUpdatePlatform::reboot()
{
    m_loader.powerOff();
    mcuboot::BootResult result = m_loader.reboot();
    if (result.booted && m_config.confirmAfterBoot)
        mcuboot::setConfirmed(m_loader.flash());
    // After a swap the secondary slot holds the old image (or is erased): no download is stored.
    if (result.swapType != mcuboot::SwapType::None || result.resumed)
        m_storedBytes = 0;
    return result;
}

QString McubootSwUpdatePlatform::userDataChecksum() const
{
    return QString::fromLatin1(QCryptographicHash::hash(m_userData, QCryptographicHash::Sha256).toHex());
}

} // namespace otalab::core::ocf
