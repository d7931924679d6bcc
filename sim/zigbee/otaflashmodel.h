// SPDX-License-Identifier: Apache-2.0
// SimOtaFlash: a device's OTA download slot modelled without a per-device copy of the image.
#pragma once

#include "core/zigbee/ota_client_flash.h"
#include "sim/kernel/tracehash.h"

#include <QByteArray>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace otalab::sim {

// Told about flash work so the device model can charge CPU/flash energy.
class FlashActivityListener {
public:
    virtual void onFlashErase(std::uint32_t bytes) = 0;
    virtual void onFlashWrite(std::uint32_t bytes) = 0;

protected:
    ~FlashActivityListener() = default;
};

// The slot holds: which bytes were written (a bitmap of `granule`-byte units, the
// written byte count), a running TraceHash of everything written in write order,
// a pointer to the shared reference image (chosen among the rollout's images by
// size at erase() and confirmed by the first write), and an overlay of the bytes
// that differ from that reference. read() rebuilds the contents from reference +
// overlay, so a corrupted transfer reads back corrupted and fails verification.
// Unwritten bytes read as 0xFF (erased flash). With no matching reference (an
// unknown image) the overlay holds every byte written.
// Memory per device: bitmap (size/granule bits) + overlay (differing bytes only).
class SimOtaFlash final : public core::zigbee::OtaFlash {
public:
    using ImageList = std::vector<std::shared_ptr<const QByteArray>>;
    // `images` must outlive the flash. capacity: slot size in bytes.
    SimOtaFlash(const ImageList& images, std::uint32_t capacity, FlashActivityListener* listener = nullptr);

    Result<void> erase(std::uint32_t imageSize) override;
    Result<void> write(std::uint32_t offset, QByteArrayView data) override;
    Result<QByteArray> read(std::uint32_t offset, std::uint32_t size) const override;

    std::uint64_t bytesWritten() const { return m_bytesWritten; }   // since the last erase
    std::uint64_t totalBytesWritten() const { return m_totalWritten; } // over the device's life
    std::uint64_t runningHash() const { return m_hash.value(); }
    std::size_t overlayBytes() const { return m_overlay.size(); }
    std::uint32_t imageSize() const { return m_size; }
    int eraseCount() const { return m_erases; }

    static constexpr std::uint32_t kGranule = 16;  // bitmap unit (bytes)

    // Attack staging (sim/zigbee/zigbeefaults): from now on the byte in the middle of every
    // image written here (offset size / 2) is stored inverted, as if an attacker had changed
    // it after the image was built and signed. Off by default.
    void setTamperMiddleByte(bool on) { m_tamperMiddle = on; }
    bool tampersMiddleByte() const { return m_tamperMiddle; }
    // Attack staging (wrongKey): from now on an image of substitute's size is stored as
    // substitute's bytes, whatever was received — as if an attacker's server had served that
    // file. `substitute` is shared and must outlive the flash; nullptr: off.
    void setSubstituteImage(std::shared_ptr<const QByteArray> substitute) { m_substitute = std::move(substitute); }
    bool substitutes() const { return m_substitute != nullptr; }

private:
    void markWritten(std::uint32_t offset, std::uint32_t length);

    const ImageList& m_images;
    std::uint32_t m_capacity;
    FlashActivityListener* m_listener;
    const QByteArray* m_reference = nullptr;
    bool m_referenceConfirmed = false;
    std::uint32_t m_size = 0;
    std::vector<std::uint64_t> m_bitmap;
    std::map<std::uint32_t, char> m_overlay;  // offset → byte that differs from the reference
    std::uint64_t m_bytesWritten = 0;
    std::uint64_t m_totalWritten = 0;
    TraceHash m_hash;
    int m_erases = 0;
    bool m_tamperMiddle = false;
    std::shared_ptr<const QByteArray> m_substitute;
};

} // namespace otalab::sim
