// SPDX-License-Identifier: Apache-2.0
// A SwUpdatePlatform over a simulated MCUboot board (core/mcuboot BootLoader + BootFlash):
//  - the download slot is MCUboot's secondary slot (up to its swap trailer);
//  - validate() parses the stored image and checks it like bootutil would before a swap:
//    SHA256 TLV, a signature by one of the trusted keys (verifyImage), no downgrade
//    (MCUBOOT_DOWNGRADE_PREVENTION: version lower than the running one is refused) and no
//    lower security counter (TLV 0x50, MCUBOOT_HW_ROLLBACK_PROT) than the running image's;
//  - apply() marks the secondary slot pending (boot_set_pending, a test swap that reverts
//    unless confirmed); the host then calls reboot(): MCUboot swaps — a power cut inside
//    the swap is the bootloader's to resume (BootLoader's swap status), not this class's;
//  - "user data" (pairings, preferences: OCF's "user data must survive the update") lives
//    in an area of its own that an update never touches; userDataChecksum() proves it.
// What survives a power cut: the flash (both slots, trailers), the persisted record and the
// user data. storedBytes() is the download progress as the device records it in flash
// after each completed write.
//
// Not thread-safe; the BootLoader must outlive this object.
#pragma once

#include "core/crypto/pkey.h"
#include "core/mcuboot/boot_loader.h"
#include "core/ocf/swupdate_device.h"

#include <QByteArray>

#include <optional>
#include <vector>

namespace otalab::core::ocf {

class McubootSwUpdatePlatform final : public SwUpdatePlatform {
public:
    struct Config {
        std::vector<crypto::PKey> trustedKeys;   // empty: a valid SHA256 TLV is enough
        bool confirmAfterBoot = true;            // the application confirms the image it boots
    };
    McubootSwUpdatePlatform(mcuboot::BootLoader& loader, Config config);

    // --- SwUpdatePlatform
    QString runningVersion() const override;
    std::uint64_t slotCapacity() const override;
    Result<SwUpdateImageInfo> readHeader(QByteArrayView firstBytes) const override;
    void eraseSlot() override;
    bool writeSlot(std::uint64_t offset, QByteArrayView data) override;
    std::uint64_t storedBytes() const override { return m_storedBytes; }
    Result<SwUpdateImageInfo> validate(std::uint64_t imageBytes) override;
    void apply() override;
    void persist(const SwUpdatePersisted& record) override { m_record = record; }

    // --- the host's side
    // Power returns: MCUboot runs (finishing an interrupted swap), the application starts and,
    // with confirmAfterBoot, confirms the image it runs. Then call SwUpdateDevice::boot() with
    // persistedRecord().
    mcuboot::BootResult reboot();
    const std::optional<SwUpdatePersisted>& persistedRecord() const { return m_record; }
    void setUserData(QByteArray data) { m_userData = std::move(data); }
    const QByteArray& userData() const { return m_userData; }
    QString userDataChecksum() const;   // SHA-256, hex
    mcuboot::BootLoader& loader() { return m_loader; }
    std::uint32_t runningSecurityCounter() const;

private:
    mcuboot::BootLoader& m_loader;
    Config m_config;
    std::uint64_t m_storedBytes = 0;
    std::optional<SwUpdatePersisted> m_record;
    QByteArray m_userData;
};

// "1.2.3" (the build number only when it is not 0: "1.2.3+4"), the OCF "nv" of an image.
QString softwareVersionText(const mcuboot::ImageVersion& version);
// The header of an MCUboot image (32 bytes, little endian: magic 0x96f3b83d, ih_ver at 20).
Result<SwUpdateImageInfo> readMcubootHeader(QByteArrayView firstBytes);

} // namespace otalab::core::ocf
