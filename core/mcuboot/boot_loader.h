// SPDX-License-Identifier: Apache-2.0
// A simulated MCUboot board: the slot flash plus the boot decision MCUboot's loader.c
// makes on every reset — swap type from the trailers (boot_swap_tables), validation of
// the candidate (SHA256 TLV and, with keys configured, a signature by one of them),
// the swap-move algorithm (swap_move.c) with its per-sector status so that an
// interrupted swap resumes on the next boot, revert of an unconfirmed test image,
// overwrite-only copy, and direct-xip (highest version wins, optional revert).
// Single image (image 0); encrypted images are not decrypted and never boot.
//
// Not thread-safe; each board is an independent object (no global state), so a
// simulator can host many.
#pragma once

#include "core/crypto/pkey.h"
#include "core/mcuboot/boot_flash.h"
#include "core/mcuboot/image_format.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace otalab::core::mcuboot {

enum class BootStrategy {
    SwapMove,              // CONFIG_BOOT_SWAP_USING_MOVE: swap with revert
    OverwriteOnly,         // CONFIG_BOOT_UPGRADE_ONLY: the secondary image is copied, no revert
    DirectXip,             // CONFIG_BOOT_DIRECT_XIP: run the highest version in place
    DirectXipWithRevert,   // + CONFIG_BOOT_DIRECT_XIP_REVERT: unconfirmed images are erased
};
QString bootStrategyName(BootStrategy strategy);   // "swap-move", "overwrite-only", ...

struct BootConfig {
    BootStrategy strategy = BootStrategy::SwapMove;
    // Trusted signing keys (public or private). Empty: the image needs only a valid SHA256
    // TLV, like MCUboot built without signature verification.
    std::vector<crypto::PKey> keys;
    bool validatePrimary = true;        // MCUBOOT_VALIDATE_PRIMARY_SLOT
    bool downgradePrevention = false;   // MCUBOOT_DOWNGRADE_PREVENTION (version compare)
    bool compareBuildNumber = false;    // MCUBOOT_VERSION_CMP_USE_BUILD_NUMBER
};

// What the loader found in a slot's header (boot_read_image_header).
struct SlotImage {
    bool headerValid = false;   // magic right and header + body fit in the slot
    ImageVersion version;
    std::uint32_t flags = 0;
    qint64 size = 0;            // header + body + TLV areas; 0 when the TLV info is missing
};

struct BootResult {
    bool booted = false;        // an application runs
    int slot = -1;              // slot it runs from (always the primary unless direct-xip)
    ImageVersion version;
    SwapType swapType = SwapType::None;   // what this boot did (test/perm/revert/fail/none)
    bool resumed = false;       // an interrupted swap was finished first
    bool powerLost = false;     // a power-cut fault hook fired; nothing runs, reboot again
    int sectorSteps = 0;        // sector operations done by the swap/copy in this boot
    QStringList log;            // MCUboot-like log lines
};

class BootLoader {
public:
    explicit BootLoader(FlashGeometry geometry = {}, BootConfig config = {});

    BootFlash& flash() { return m_flash; }
    const BootFlash& flash() const { return m_flash; }
    const BootConfig& config() const { return m_config; }

    // Reset: power returns, MCUboot runs, the application (if any) starts.
    BootResult reboot();
    const std::optional<BootResult>& lastBoot() const { return m_lastBoot; }
    bool isRunning() const { return m_lastBoot && m_lastBoot->booted; }
    // Slot of the running application, or nullopt when nothing runs.
    std::optional<int> activeSlot() const;
    // The power fails mid-run (the application stops; flash keeps what was written).
    void powerOff();

    // Fault hook: during the next reboot() the power fails after `sectors` sector operations
    // of a swap or copy (one sector erased + copied + its status written). -1 disarms.
    void powerCutAfterSectors(int sectors) { m_sectorBudget = sectors; }

    SlotImage slotImage(int slot) const;
    // boot_validate_slot()'s image check: header sane, hash TLV matches, and with keys a
    // signature by one of them verifies. `why` gets the reason for a rejection.
    bool imageValid(int slot, QString* why = nullptr) const;
    // boot_version_cmp(): -1, 0, 1.
    int compareVersions(const ImageVersion& a, const ImageVersion& b) const;

private:
    class Run;
    friend class Run;

    BootFlash m_flash;
    BootConfig m_config;
    std::optional<BootResult> m_lastBoot;
    int m_sectorBudget = -1;
};

} // namespace otalab::core::mcuboot
