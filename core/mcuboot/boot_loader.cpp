// SPDX-License-Identifier: Apache-2.0
// Follows MCUboot boot/bootutil/src/loader.c (context_boot_go, boot_prepare_image_for_update,
// boot_validate_slot, boot_perform_update, boot_copy_image, direct-xip slot selection) and
// swap_move.c (swap_run, boot_move_sector_up, boot_swap_sectors, fixup_revert,
// swap_read_status_bytes) step by step, on the BootFlash model.
#include "core/mcuboot/boot_loader.h"

#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"

#include <algorithm>

namespace otalab::core::mcuboot {
namespace {

// bootutil_priv.h
constexpr int kOpMove = 1;
constexpr int kOpSwap = 2;
constexpr int kIdx0 = 1;
constexpr int kState0 = 1;
constexpr int kState1 = 2;
constexpr int kStatusStateCount = 3;   // one move + two swap entries per sector
constexpr int kCopyChunk = 1024;       // BUF_SZ of boot_copy_region

enum class Source { None, Primary };
enum class Validation { Ok, NoBootableImage };

// struct boot_status
struct Status {
    int op = kOpMove;
    int idx = kIdx0;
    int state = kState0;
    SwapType swapType = SwapType::None;
    Source source = Source::None;
    std::uint32_t swapSize = 0;

    bool isReset() const { return op == kOpMove && idx == kIdx0 && state == kState0; }
};

std::uint32_t le(const QByteArray& d, qint64 at, int width)
{
    std::uint32_t v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(d.at(at + i));
    return v;
}

bool isUpgrade(SwapType t) { return t == SwapType::Test || t == SwapType::Perm || t == SwapType::Revert; }

QString magicText(Magic m)
{
    return m == Magic::Good ? QStringLiteral("good") : m == Magic::Unset ? QStringLiteral("unset") : QStringLiteral("bad");
}

int flagValue(Flag f) { return f == Flag::Set ? 1 : f == Flag::Bad ? 2 : 3; }

} // namespace

QString bootStrategyName(BootStrategy strategy)
{
    switch (strategy) {
    case BootStrategy::SwapMove: return QStringLiteral("swap-move");
    case BootStrategy::OverwriteOnly: return QStringLiteral("overwrite-only");
    case BootStrategy::DirectXip: return QStringLiteral("direct-xip");
    case BootStrategy::DirectXipWithRevert: return QStringLiteral("direct-xip-revert");
    }
    return QStringLiteral("unknown");
}

// One run of the boot loader (the state MCUboot keeps in RAM during a boot).
class BootLoader::Run {
public:
    explicit Run(BootLoader& board) : m_b(board), m_f(board.m_flash) {}

    BootResult go()
    {
        m_f.powerOn();
        if (auto layout = m_f.geometry().check(); !layout) {
            log(QStringLiteral("unusable flash layout: %1").arg(layout.error().toString()));
            return std::move(m_r);
        }
        switch (m_b.m_config.strategy) {
        case BootStrategy::SwapMove:
        case BootStrategy::OverwriteOnly:
            upgradeAndBootPrimary();
            break;
        case BootStrategy::DirectXip:
        case BootStrategy::DirectXipWithRevert:
            bootDirectXip();
            break;
        }
        if (m_f.powerLost()) {
            m_r.booted = false;
            m_r.slot = -1;
            m_r.powerLost = true;
            log(QStringLiteral("power lost during the boot"));
        }
        return std::move(m_r);
    }

private:
    bool swapMove() const { return m_b.m_config.strategy == BootStrategy::SwapMove; }
    bool dead() const { return m_f.powerLost(); }
    void log(const QString& line) { m_r.log.append(line); }
    int sectorSize() const { return m_f.geometry().sectorSize; }
    int writeSize() const { return m_f.geometry().writeAlign; }
    int maxSectors() const { return m_f.geometry().maxImageSectors; }

    // Called before each sector operation: fires the powerCutAfterSectors() hook.
    bool beginSectorStep()
    {
        if (m_b.m_sectorBudget >= 0 && m_r.sectorSteps >= m_b.m_sectorBudget) {
            m_b.m_sectorBudget = -1;
            m_f.cutPowerNow();
        }
        if (dead())
            return false;
        ++m_r.sectorSteps;
        return true;
    }

    bool copyRegion(int srcSlot, qint64 srcOff, int dstSlot, qint64 dstOff, qint64 size)
    {
        const qint64 chunk = std::min<qint64>(kCopyChunk, sectorSize());
        for (qint64 done = 0; done < size; done += chunk) {
            const QByteArray data = m_f.read(srcSlot, srcOff + done, std::min(chunk, size - done));
            if (!m_f.write(dstSlot, dstOff + done, data))
                return false;
        }
        return true;
    }

    void logSwapState(const QString& area, const SwapState& s)
    {
        log(QStringLiteral("%1: magic=%2, swap_type=0x%3, copy_done=0x%4, image_ok=0x%5")
                .arg(area, magicText(s.magic)).arg(int(s.swapType), 0, 16).arg(flagValue(s.copyDone))
                .arg(flagValue(s.imageOk)));
    }

    // --- swap status (swap_move.c) ---------------------------------------------------

    Source statusSource()
    {
        const SwapState p = readSwapState(m_f, kPrimarySlot);
        const SwapState s = readSwapState(m_f, kSecondarySlot);
        logSwapState(QStringLiteral("Primary image"), p);
        logSwapState(QStringLiteral("Secondary image"), s);
        if (p.magic == Magic::Good && p.copyDone == Flag::Unset && s.magic != Magic::Good)
            return Source::Primary;
        return Source::None;
    }

    void readStatusBytes(Status& bs)
    {
        const qint64 base = m_f.trailer(kPrimarySlot).status;
        const int maxEntries = maxSectors() * kStatusStateCount;
        int found = -1;
        for (int i = maxEntries; i > 0; --i) {
            if (!m_f.isErased(kPrimarySlot, base + qint64(i - 1) * writeSize(), 1)) {
                found = i;
                break;
            }
        }
        const int moveEntries = maxSectors();
        if (found == -1)
            return;
        if (found < moveEntries) {
            bs.op = kOpMove;
            bs.idx = found + kIdx0;
            bs.state = kState0;
        } else {
            bs.op = kOpSwap;
            bs.idx = (found - moveEntries) / 2 + kIdx0;
            bs.state = (found - moveEntries) % 2 + kState0;
        }
    }

    bool writeStatus(const Status& bs)
    {
        const qint64 idxSize = qint64(writeSize()) * (bs.op == kOpMove ? 1 : 2);
        const qint64 off = (bs.op == kOpMove ? 0 : qint64(maxSectors()) * writeSize())
                           + qint64(bs.idx - kIdx0) * idxSize + qint64(bs.state - kState0) * writeSize();
        QByteArray buf(writeSize(), char(0xff));
        buf[0] = char(bs.state);
        return m_f.write(kPrimarySlot, m_f.trailer(kPrimarySlot).status + off, buf);
    }

    void eraseTrailerSectors(int slot)
    {
        const qint64 trailer = m_f.trailer(slot).size;
        int sector = m_f.sectorCount(slot) - 1;
        qint64 total = 0;
        do {
            m_f.eraseSector(slot, sector--);
            total += sectorSize();
        } while (total < trailer && sector >= 0);
    }

    // swap_status_init(): the primary trailer describes the swap before it starts.
    void statusInit(const Status& bs)
    {
        const SwapState secondary = readSwapState(m_f, kSecondarySlot);
        if (bs.swapType != SwapType::None)
            writeSwapInfo(m_f, kPrimarySlot, bs.swapType);
        if (secondary.imageOk == Flag::Set)
            writeImageOk(m_f, kPrimarySlot);
        writeSwapSize(m_f, kPrimarySlot, bs.swapSize);
        writeMagic(m_f, kPrimarySlot);
    }

    // Makes the start of a revert look like a permanent upgrade of the secondary slot,
    // so a reset between re-initialising the status and its first entry is recoverable.
    void fixupRevert(const Status& bs)
    {
        if (bs.swapType != SwapType::Revert || bs.op != kOpMove || bs.idx != kIdx0)
            return;
        if (readSwapState(m_f, kSecondarySlot).magic != Magic::Unset)
            return;
        eraseTrailerSectors(kSecondarySlot);
        writeImageOk(m_f, kSecondarySlot);
        writeSwapSize(m_f, kSecondarySlot, bs.swapSize);
        writeMagic(m_f, kSecondarySlot);
    }

    void moveSectorUp(int idx, Status& bs)
    {
        if (bs.idx == kIdx0) {
            if (bs.source != Source::Primary) {
                eraseTrailerSectors(kPrimarySlot);
                statusInit(bs);
            }
            eraseTrailerSectors(kSecondarySlot);
        }
        if (!beginSectorStep())
            return;
        const qint64 newOff = qint64(idx) * sectorSize();
        m_f.erase(kPrimarySlot, newOff, sectorSize());
        copyRegion(kPrimarySlot, newOff - sectorSize(), kPrimarySlot, newOff, sectorSize());
        writeStatus(bs);
        ++bs.idx;
    }

    void swapSectors(int idx, Status& bs)
    {
        const qint64 priUp = qint64(idx) * sectorSize();
        const qint64 pri = qint64(idx - 1) * sectorSize();
        const qint64 sec = pri;
        if (bs.state == kState0) {
            if (!beginSectorStep())
                return;
            m_f.erase(kPrimarySlot, pri, sectorSize());
            copyRegion(kSecondarySlot, sec, kPrimarySlot, pri, sectorSize());
            writeStatus(bs);
            bs.state = kState1;
        }
        if (bs.state == kState1) {
            if (!beginSectorStep())
                return;
            m_f.erase(kSecondarySlot, sec, sectorSize());
            copyRegion(kPrimarySlot, priUp, kSecondarySlot, sec, sectorSize());
            writeStatus(bs);
            ++bs.idx;
            bs.state = kState0;
        }
    }

    int lastIdx(std::uint32_t swapSize) const
    {
        int last = 0;
        qint64 size = 0;
        do {
            size += sectorSize();
            ++last;
        } while (size < swapSize);
        return last;
    }

    // swap_run(); false when the images do not leave room for the move sector + trailer.
    bool swapRun(Status& bs)
    {
        log(QStringLiteral("Starting swap using move algorithm."));
        const int last = lastIdx(bs.swapSize);
        if (bs.isReset()) {
            const qint64 trailer = m_f.trailer(kPrimarySlot).size;
            const int trailerSectors = int((trailer + sectorSize() - 1) / sectorSize());
            const int firstTrailerIdx = m_f.sectorCount(kPrimarySlot) - trailerSectors;
            if (last >= firstTrailerIdx) {
                log(QStringLiteral("Not enough free space to run swap upgrade: required %1 bytes but only %2 are available")
                        .arg(qint64(last + 1) * sectorSize()).arg(qint64(firstTrailerIdx) * sectorSize()));
                bs.swapType = SwapType::None;
                return false;
            }
        }
        fixupRevert(bs);
        if (bs.op == kOpMove) {
            for (int idx = last; idx > 0 && !dead(); --idx)
                if (idx <= last - bs.idx + 1)
                    moveSectorUp(idx, bs);
            bs.idx = kIdx0;
        }
        bs.op = kOpSwap;
        for (int idx = 1; idx <= last && !dead(); ++idx)
            if (idx >= bs.idx)
                swapSectors(idx, bs);
        return !dead();
    }

    // boot_swap_image(): the swap size is the larger image, or the one recorded in the
    // primary trailer when resuming.
    bool swapImage(Status& bs)
    {
        if (bs.isReset()) {
            const SlotImage primary = m_b.slotImage(kPrimarySlot);
            const SlotImage secondary = m_b.slotImage(kSecondarySlot);
            bs.swapSize = std::uint32_t(std::max(primary.size, secondary.size));
        } else {
            bs.swapSize = readSwapSize(m_f, kPrimarySlot);
        }
        return swapRun(bs);
    }

    // swap_set_image_ok() on the primary slot.
    void setPrimaryImageOk()
    {
        const SwapState s = readSwapState(m_f, kPrimarySlot);
        if (s.magic == Magic::Unset)
            writeMagic(m_f, kPrimarySlot);
        if (s.imageOk == Flag::Unset)
            writeImageOk(m_f, kPrimarySlot);
    }

    void finishSwap(SwapType type)
    {
        if (type == SwapType::Revert || type == SwapType::Perm)
            setPrimaryImageOk();
        if (isUpgrade(type))
            writeCopyDone(m_f, kPrimarySlot);
    }

    // --- validation (loader.c boot_validate_slot) ------------------------------------

    Validation validateSlot(int slot, const Status* bs)
    {
        const SlotImage img = m_b.slotImage(slot);
        const bool headerErased = m_f.isErased(slot, 0, 4);
        if (headerErased || (img.headerValid && (img.flags & FlagNonBootable))) {
            if (swapMove() && slot != kPrimarySlot) {
                // An erased image may have left its trailer behind; drop it so that it
                // cannot block a later upload.
                eraseTrailerSectors(slot);
                if ((bs && bs->swapType == SwapType::Revert) || swapType(m_f) == SwapType::Revert) {
                    eraseTrailerSectors(kPrimarySlot);
                    log(QStringLiteral("Cleared image 0 primary slot trailer due to stuck revert"));
                }
            }
            return Validation::NoBootableImage;
        }
        if (m_b.m_config.strategy == BootStrategy::OverwriteOnly && m_b.m_config.downgradePrevention
            && slot != kPrimarySlot) {
            const SlotImage primary = m_b.slotImage(kPrimarySlot);
            if (m_b.compareVersions(img.version, primary.version) < 0 && !m_f.isErased(kPrimarySlot, 0, 4)) {
                log(QStringLiteral("insufficient version in secondary slot"));
                m_f.eraseSlot(slot);
                return Validation::NoBootableImage;
            }
        }
        QString why;
        if (!m_b.imageValid(slot, &why)) {
            const bool equivalentSlots = m_b.m_config.strategy == BootStrategy::DirectXip
                                         || m_b.m_config.strategy == BootStrategy::DirectXipWithRevert;
            if (slot != kPrimarySlot || equivalentSlots)
                m_f.eraseSlot(slot);   // invalid: erase it to stop further attempts
            log(QStringLiteral("Image in the %1 slot is not valid! (%2)")
                    .arg(slot == kPrimarySlot ? QStringLiteral("primary") : QStringLiteral("secondary"), why));
            return Validation::NoBootableImage;
        }
        return Validation::Ok;
    }

    SwapType validatedSwapType(const Status& bs)
    {
        SwapType type = swapType(m_f);
        if (isUpgrade(type) && validateSlot(kSecondarySlot, &bs) != Validation::Ok)
            type = SwapType::None;
        return type;
    }

    // --- swap / overwrite strategies -------------------------------------------------

    void upgradeAndBootPrimary()
    {
        SwapType type = SwapType::None;
        Status bs;
        if (swapMove()) {
            bs.source = statusSource();
            if (bs.source == Source::Primary) {
                readStatusBytes(bs);
                const auto info = std::uint8_t(m_f.read(kPrimarySlot, m_f.trailer(kPrimarySlot).swapInfo, 1).at(0));
                bs.swapType = info == 0xff ? SwapType::None : SwapType(info & 0x0f);
            }
        }
        if (!bs.isReset()) {
            log(QStringLiteral("Resuming an interrupted %1 swap").arg(swapTypeText(bs.swapType)));
            m_r.resumed = true;
            m_r.swapType = bs.swapType;
            if (swapImage(bs) && !dead())
                finishSwap(bs.swapType);
        } else {
            if (bs.swapType == SwapType::None)
                type = validatedSwapType(bs);
            else
                type = validateSlot(kSecondarySlot, &bs) == Validation::Ok ? bs.swapType : SwapType::Fail;
            log(QStringLiteral("Swap type: %1").arg(swapTypeText(type)));
            performUpdate(type, bs);
        }
        if (dead())
            return;
        bootPrimary();
    }

    void performUpdate(SwapType type, Status& bs)
    {
        if ((type == SwapType::Test || type == SwapType::Perm) && swapMove() && m_b.m_config.downgradePrevention) {
            const SlotImage primary = m_b.slotImage(kPrimarySlot);
            const SlotImage secondary = m_b.slotImage(kSecondarySlot);
            if (m_b.compareVersions(secondary.version, primary.version) < 0) {
                log(QStringLiteral("Image 0 in slot 1 erased due to downgrade prevention"));
                m_f.eraseSlot(kSecondarySlot);
                type = SwapType::None;
            }
        }
        m_r.swapType = type;
        if (isUpgrade(type)) {
            if (swapMove()) {
                bs.swapType = type;
                if (swapImage(bs) && !dead())
                    finishSwap(type);
                else if (!dead())
                    m_r.swapType = SwapType::None;
            } else {
                copyImage();
            }
        } else if (type == SwapType::Fail && swapMove()) {
            // The secondary image was invalid and is erased: pretend a revert happened.
            setPrimaryImageOk();
        }
    }

    // boot_copy_image(): overwrite-only.
    void copyImage()
    {
        log(QStringLiteral("Image 0 upgrade secondary slot -> primary slot"));
        const int sectors = m_f.sectorCount(kPrimarySlot);
        for (int s = 0; s < sectors; ++s) {
            if (!beginSectorStep())
                return;
            m_f.eraseSector(kPrimarySlot, s);
        }
        const int copySectors = std::min(sectors, m_f.sectorCount(kSecondarySlot));
        for (int s = 0; s < copySectors; ++s) {
            if (!beginSectorStep())
                return;
            copyRegion(kSecondarySlot, qint64(s) * sectorSize(), kPrimarySlot, qint64(s) * sectorSize(), sectorSize());
        }
        // Header and trailer of the secondary slot go, so the copy does not run again.
        if (!beginSectorStep())
            return;
        m_f.eraseSector(kSecondarySlot, 0);
        if (!beginSectorStep())
            return;
        m_f.eraseSector(kSecondarySlot, m_f.sectorCount(kSecondarySlot) - 1);
    }

    void bootPrimary()
    {
        const SlotImage primary = m_b.slotImage(kPrimarySlot);
        if (m_b.m_config.validatePrimary) {
            if (validateSlot(kPrimarySlot, nullptr) != Validation::Ok) {
                log(QStringLiteral("Unable to find bootable image"));
                return;
            }
        } else if (!primary.headerValid) {
            log(QStringLiteral("bad image magic; Image=0"));
            return;
        }
        m_r.booted = true;
        m_r.slot = kPrimarySlot;
        m_r.version = primary.version;
        log(QStringLiteral("Jumping to the first image slot (version %1)").arg(primary.version.toString()));
    }

    // --- direct-xip ------------------------------------------------------------------

    void bootDirectXip()
    {
        bool available[2];
        SlotImage images[2];
        for (int s = 0; s < 2; ++s) {
            images[s] = m_b.slotImage(s);
            available[s] = images[s].headerValid;
            if (!available[s])
                log(QStringLiteral("Image 0 %1 slot: Image not found").arg(s == 0 ? QStringLiteral("Primary") : QStringLiteral("Secondary")));
        }
        const bool withRevert = m_b.m_config.strategy == BootStrategy::DirectXipWithRevert;
        while (!dead()) {
            int candidate = -1;
            for (int s = 0; s < 2; ++s)
                if (available[s] && (candidate < 0 || m_b.compareVersions(images[s].version, images[candidate].version) > 0))
                    candidate = s;
            if (candidate < 0) {
                log(QStringLiteral("No slot to load for image 0"));
                return;
            }
            const std::uint32_t slotAddress = candidate == 0 ? m_f.geometry().primaryAddress : m_f.geometry().secondaryAddress;
            if ((images[candidate].flags & FlagRomFixed) && headerLoadAddress(candidate) != slotAddress) {
                log(QStringLiteral("Image in slot %1 has been built for another offset, skipping").arg(candidate));
                available[candidate] = false;
                continue;
            }
            if (withRevert && !selectOrErase(candidate)) {
                available[candidate] = false;
                continue;
            }
            if (validateSlot(candidate, nullptr) != Validation::Ok) {
                available[candidate] = false;
                continue;
            }
            m_r.booted = true;
            m_r.slot = candidate;
            m_r.version = images[candidate].version;
            log(QStringLiteral("Image 0 loaded from the %1 slot").arg(candidate == 0 ? QStringLiteral("primary") : QStringLiteral("secondary")));
            return;
        }
    }

    std::uint32_t headerLoadAddress(int slot) const { return le(m_f.read(slot, 0, 32), 4, 4); }

    // boot_select_or_erase(): an image that already had its one test boot without being
    // confirmed (or has no trailer) is erased; otherwise copy_done marks it as tried.
    bool selectOrErase(int slot)
    {
        const SwapState s = readSwapState(m_f, slot);
        if (s.magic != Magic::Good || (s.copyDone == Flag::Set && s.imageOk != Flag::Set)) {
            log(QStringLiteral("Erasing faulty image in the %1 slot.").arg(slot == 0 ? QStringLiteral("primary") : QStringLiteral("secondary")));
            m_f.eraseSlot(slot);
            return false;
        }
        if (s.copyDone != Flag::Set)
            writeCopyDone(m_f, slot);
        return true;
    }

    BootLoader& m_b;
    BootFlash& m_f;
    BootResult m_r;
};

BootLoader::BootLoader(FlashGeometry geometry, BootConfig config)
    : m_flash(geometry), m_config(std::move(config))
{
}

BootResult BootLoader::reboot()
{
    BootResult result = Run(*this).go();
    m_sectorBudget = -1;
    m_lastBoot = result;
    return result;
}

std::optional<int> BootLoader::activeSlot() const
{
    if (!isRunning())
        return std::nullopt;
    return m_lastBoot->slot;
}

void BootLoader::powerOff()
{
    if (m_lastBoot) {
        m_lastBoot->booted = false;
        m_lastBoot->slot = -1;
    }
}

SlotImage BootLoader::slotImage(int slot) const
{
    SlotImage img;
    const QByteArray header = m_flash.read(slot, 0, kHeaderSize);
    if (header.size() < kHeaderSize || le(header, 0, 4) != kImageMagic)
        return img;
    const std::uint32_t hdrSize = le(header, 8, 2);
    const std::uint32_t protectedSize = le(header, 10, 2);
    const std::uint32_t imgSize = le(header, 12, 4);
    img.flags = le(header, 16, 4);
    img.version.major = std::uint8_t(header.at(20));
    img.version.minor = std::uint8_t(header.at(21));
    img.version.revision = std::uint16_t(le(header, 22, 2));
    img.version.build = le(header, 24, 4);
    const qint64 tlvOff = qint64(hdrSize) + imgSize;
    img.headerValid = tlvOff < m_flash.slotSize(slot);
    if (!img.headerValid)
        return img;
    // boot_read_image_size(): protected area (if any), then the unprotected TLV info.
    QByteArray info = m_flash.read(slot, tlvOff, 4);
    qint64 off = tlvOff;
    if (info.size() == 4 && le(info, 0, 2) == kProtectedTlvInfoMagic) {
        if (le(info, 2, 2) != protectedSize)
            return img;
        off += protectedSize;
        info = m_flash.read(slot, off, 4);
    } else if (protectedSize != 0) {
        return img;
    }
    if (info.size() == 4 && le(info, 0, 2) == kTlvInfoMagic)
        img.size = off + le(info, 2, 2);
    return img;
}

bool BootLoader::imageValid(int slot, QString* why) const
{
    auto reject = [why](const QString& reason) {
        if (why)
            *why = reason;
        return false;
    };
    const SlotImage img = slotImage(slot);
    if (!img.headerValid)
        return reject(QStringLiteral("no valid image header"));
    if (img.size <= 0 || img.size > m_flash.slotSize(slot))
        return reject(QStringLiteral("the TLV area is missing or runs past the slot"));
    const ParseReport report = parseImageReport(m_flash.read(slot, 0, img.size));
    if (!report.structureValid)
        return reject(report.errors.empty() ? QStringLiteral("malformed image") : report.errors.front().toString());
    if (report.image.isEncrypted())
        return reject(QStringLiteral("encrypted images need the bootloader's private key, which this board model does not hold"));
    const VerifyReport verify = verifyImage(report.image, m_config.keys);
    if (!verify.hash.present)
        return reject(QStringLiteral("the image has no SHA256 TLV"));
    if (!verify.hash.valid)
        return reject(QStringLiteral("the SHA256 TLV does not match the image"));
    if (m_config.keys.empty())
        return true;
    for (const SignatureCheck& sig : verify.signatures)
        if (sig.verdict == SignatureVerdict::Valid && sig.keyHashMatched)
            return true;
    return reject(QStringLiteral("no signature by a trusted key"));
}

int BootLoader::compareVersions(const ImageVersion& a, const ImageVersion& b) const
{
    auto cmp = [](auto x, auto y) { return x < y ? -1 : x > y ? 1 : 0; };
    if (int c = cmp(a.major, b.major))
        return c;
    if (int c = cmp(a.minor, b.minor))
        return c;
    if (int c = cmp(a.revision, b.revision))
        return c;
    return m_config.compareBuildNumber ? cmp(a.build, b.build) : 0;
}

} // namespace otalab::core::mcuboot
