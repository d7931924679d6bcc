// SPDX-License-Identifier: Apache-2.0
#include "core/smp/server_image.h"

#include "core/mcuboot/image_crypto.h"
#include "core/smp/server_cbor.h"

#include <QCborArray>

namespace otalab::core::smp {
namespace {

using mcuboot::BootStrategy;
using mcuboot::kPrimarySlot;
using mcuboot::kSecondarySlot;

constexpr std::uint16_t kImageGroup = 1;
constexpr int kHashLen = 32;
constexpr int kImageHeaderSize = 32;

std::uint32_t le(const QByteArray& d, qint64 at, int width)
{
    std::uint32_t v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(d.at(at + i));
    return v;
}

QString versionString(const mcuboot::ImageVersion& v)
{
    QString s = QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
    if (v.build != 0)
        s += QStringLiteral(".%1").arg(v.build);
    return s;
}

// The direct-xip-with-revert state of a slot (img_mgmt_state.c read_directxip_state).
enum class XipState { Unset, Once, Revert, Forever };

XipState xipState(const mcuboot::BootFlash& flash, int slot)
{
    const mcuboot::SwapState s = mcuboot::readSwapState(flash, slot);
    if (s.magic != mcuboot::Magic::Good)
        return XipState::Unset;
    if (s.imageOk == mcuboot::Flag::Set)
        return XipState::Forever;
    if (s.copyDone == mcuboot::Flag::Set)
        return XipState::Revert;
    return XipState::Once;
}

} // namespace

ImageServer::ImageServer(mcuboot::BootLoader& board, ImageServerConfig config)
    : m_board(board), m_config(config)
{
}

HandlerReply ImageServer::groupError(ImgMgmtErr code)
{
    HandlerReply r;
    QCborMap err;
    err.insert(QStringLiteral("group"), kImageGroup);
    err.insert(QStringLiteral("rc"), int(code));
    r.body.insert(QStringLiteral("err"), err);
    r.groupError = int(code);
    return r;
}

void ImageServer::forgetUpload() { m_upload = Upload{}; }

bool ImageServer::isDirectXip() const { return m_board.config().strategy == BootStrategy::DirectXip; }

int ImageServer::activeSlot() const { return m_board.activeSlot().value_or(kPrimarySlot); }

int ImageServer::vercmp(const mcuboot::ImageVersion& a, const mcuboot::ImageVersion& b) const
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

ImageServer::InfoResult ImageServer::readInfo(int slot) const
{
    InfoResult out;
    if (slot != kPrimarySlot && slot != kSecondarySlot) {
        out.rc = ImgMgmtErr::FlashConfigQueryFail;
        return out;
    }
    const mcuboot::BootFlash& flash = m_board.flash();
    auto read = [&](qint64 off, int len, QByteArray& into) {
        into = flash.read(slot, off, len);
        return into.size() == len;
    };
    QByteArray hdr;
    if (!read(0, kImageHeaderSize, hdr)) {
        out.rc = ImgMgmtErr::FlashReadFailed;
        return out;
    }
    const std::uint32_t magic = le(hdr, 0, 4);
    if (magic == 0xffffffffu) {
        out.rc = ImgMgmtErr::NoImage;
        return out;
    }
    if (magic != mcuboot::kImageMagic) {
        out.rc = ImgMgmtErr::InvalidImageHeaderMagic;
        return out;
    }
    out.info.version.major = std::uint8_t(hdr.at(20));
    out.info.version.minor = std::uint8_t(hdr.at(21));
    out.info.version.revision = std::uint16_t(le(hdr, 22, 2));
    out.info.version.build = le(hdr, 24, 4);
    out.info.flags = le(hdr, 16, 4);

    // Protected TLVs first (if any), then the unprotected area that holds the hash. Like
    // img_mgmt_find_tlvs() the area end counts the info header twice.
    qint64 dataOff = qint64(le(hdr, 8, 2)) + le(hdr, 12, 4);
    QByteArray info;
    if (!read(dataOff, 4, info)) {
        out.rc = ImgMgmtErr::FlashReadFailed;
        return out;
    }
    if (le(info, 0, 2) == mcuboot::kProtectedTlvInfoMagic) {
        dataOff = dataOff + 4 + le(info, 2, 2) - 4;
        if (!read(dataOff, 4, info)) {
            out.rc = ImgMgmtErr::FlashReadFailed;
            return out;
        }
    }
    if (le(info, 0, 2) != mcuboot::kTlvInfoMagic) {
        out.rc = ImgMgmtErr::NoTlvs;
        return out;
    }
    dataOff += 4;
    const qint64 dataEnd = dataOff + le(info, 2, 2);
    bool found = false;
    while (dataOff + 4 <= dataEnd) {
        QByteArray tlv;
        if (!read(dataOff, 4, tlv)) {
            out.rc = ImgMgmtErr::FlashReadFailed;
            return out;
        }
        const std::uint32_t type = le(tlv, 0, 2);
        const std::uint32_t len = le(tlv, 2, 2);
        if (type == 0xff && len == 0xffff) {
            out.rc = ImgMgmtErr::InvalidTlv;
            return out;
        }
        if (type != mcuboot::TlvSha256 || len != kHashLen) {
            dataOff += 4 + len;
            continue;
        }
        if (found) {
            out.rc = ImgMgmtErr::TlvMultipleHashesFound;
            return out;
        }
        found = true;
        dataOff += 4;   // Zephyr continues from the hash value, not after it
        if (dataOff + kHashLen > dataEnd) {
            out.rc = ImgMgmtErr::TlvInvalidSize;
            return out;
        }
        if (!read(dataOff, kHashLen, out.info.hash)) {
            out.rc = ImgMgmtErr::FlashReadFailed;
            return out;
        }
    }
    if (!found)
        out.rc = ImgMgmtErr::HashNotFound;
    return out;
}

int ImageServer::nextBootSlot(NextBootType* type) const
{
    const int active = activeSlot();
    const int other = active == kPrimarySlot ? kSecondarySlot : kPrimarySlot;
    NextBootType t = NextBootType::Normal;
    int slot = active;
    const BootStrategy strategy = m_board.config().strategy;
    if (strategy == BootStrategy::SwapMove || strategy == BootStrategy::OverwriteOnly) {
        switch (mcuboot::swapType(m_board.flash())) {
        case mcuboot::SwapType::None: break;
        case mcuboot::SwapType::Perm: slot = other; break;
        case mcuboot::SwapType::Revert: slot = other; t = NextBootType::Revert; break;
        case mcuboot::SwapType::Test: slot = other; t = NextBootType::Test; break;
        default: return -1;
        }
    } else {
        const InfoResult o = readInfo(other);
        const InfoResult a = readInfo(active);
        if (strategy == BootStrategy::DirectXip) {
            if (o.rc == ImgMgmtErr::Ok && a.rc == ImgMgmtErr::Ok && vercmp(a.info.version, o.info.version) < 0)
                slot = other;
        } else if (a.rc == ImgMgmtErr::Ok && o.rc == ImgMgmtErr::Ok) {
            // Unreadable states or no other image: the active slot boots again.
            const XipState activeState = xipState(m_board.flash(), active);
            const XipState otherState = xipState(m_board.flash(), other);
            if (activeState == XipState::Revert) {
                t = NextBootType::Revert;
                slot = other;
            } else if (otherState == XipState::Unset) {
                if (activeState == XipState::Once)
                    t = NextBootType::Test;
            } else if (vercmp(a.info.version, o.info.version) < 0) {
                if (otherState == XipState::Forever) {
                    slot = other;
                } else if (otherState == XipState::Once) {
                    t = NextBootType::Test;
                    slot = other;
                }
            }
        }
    }
    if (type)
        *type = t;
    return slot;
}

bool ImageServer::slotInUse(int slot) const
{
    const int active = activeSlot();
    if (!isDirectXip()) {
        NextBootType type = NextBootType::Normal;
        const int next = nextBootSlot(&type);
        if (slot == next && type == NextBootType::Revert)
            return true;   // the confirmed image a revert returns to
        if ((slot == next && type == NextBootType::Test) || (active != next && type == NextBootType::Normal)) {
            if (!m_config.allowErasePending)
                return true;   // pending for the next boot
        }
    }
    return active == slot;
}

std::array<SlotFlags, 2> ImageServer::stateFlags() const
{
    NextBootType type = NextBootType::Normal;
    const int next = nextBootSlot(&type);
    const int active = activeSlot();
    const int other = active == kPrimarySlot ? kSecondarySlot : kPrimarySlot;
    std::array<SlotFlags, 2> flags{};
    flags[active].active = true;
    flags[active].confirmed = type != NextBootType::Revert;
    if (next != active) {
        if (type == NextBootType::Normal)
            flags[other].pending = flags[other].permanent = true;
        else if (type == NextBootType::Revert)
            flags[other].confirmed = true;
        else
            flags[other].pending = true;
    }
    return flags;
}

void ImageServer::addStateTo(QCborMap& body) const
{
    const std::array<SlotFlags, 2> flags = stateFlags();
    QCborArray images;
    for (int slot = 0; slot < 2; ++slot) {
        const InfoResult info = readInfo(slot);
        if (info.rc != ImgMgmtErr::Ok)
            continue;
        QCborMap m;
        m.insert(QStringLiteral("slot"), slot);
        m.insert(QStringLiteral("version"), versionString(info.info.version));
        m.insert(QStringLiteral("hash"), info.info.hash);
        m.insert(QStringLiteral("bootable"), !(info.info.flags & mcuboot::FlagNonBootable));
        m.insert(QStringLiteral("pending"), flags[slot].pending);
        m.insert(QStringLiteral("confirmed"), flags[slot].confirmed);
        m.insert(QStringLiteral("active"), flags[slot].active);
        m.insert(QStringLiteral("permanent"), flags[slot].permanent);
        images.append(m);
    }
    body.insert(QStringLiteral("images"), images);
    body.insert(QStringLiteral("splitStatus"), 0);
}

HandlerReply ImageServer::stateRead()
{
    HandlerReply r;
    addStateTo(r.body);
    return r;
}

ImgMgmtErr ImageServer::setNextBootSlot(int slot, bool confirm)
{
    const int active = activeSlot();
    if (m_board.config().strategy == BootStrategy::DirectXipWithRevert) {
        if (slot == active && !confirm)
            return ImgMgmtErr::ImageSettingTestToActiveDenied;
    } else {
        NextBootType type = NextBootType::Normal;
        const int next = nextBootSlot(&type);
        if (!confirm && slot == active)
            return ImgMgmtErr::ImageSettingTestToActiveDenied;
        if (type == NextBootType::Test) {
            if (!confirm && slot == next)
                return ImgMgmtErr::Ok;   // already set for test
            return ImgMgmtErr::ImageAlreadyPending;
        }
        if (type == NextBootType::Normal) {
            if (confirm && slot == next)
                return ImgMgmtErr::Ok;
            if ((slot == active && active != next) || (!confirm && slot != active && slot == next))
                return ImgMgmtErr::ImageAlreadyPending;
        }
        if (type == NextBootType::Revert) {
            if (confirm && slot == next)
                return ImgMgmtErr::Ok;
            if (!confirm)
                return ImgMgmtErr::ImageAlreadyPending;
        }
    }
    switch (mcuboot::setNext(m_board.flash(), slot, slot == active, confirm)) {
    case mcuboot::BootRc::Ok: return ImgMgmtErr::Ok;
    case mcuboot::BootRc::Flash: return ImgMgmtErr::FlashWriteFailed;
    case mcuboot::BootRc::BadVector: return ImgMgmtErr::InvalidImageVectorTable;
    case mcuboot::BootRc::BadImage: return ImgMgmtErr::InvalidImageHeaderMagic;
    }
    return ImgMgmtErr::Unknown;
}

HandlerReply ImageServer::stateWrite(QByteArrayView payload)
{
    if (isDirectXip())
        return HandlerReply{int(MgmtErr::NotSup), {}, {}};   // no write handler in direct-xip
    BulkField fields[] = {{"hash", CborKind::Bytes}, {"confirm", CborKind::Bool}};
    if (!decodeBulk(payload, fields))
        return HandlerReply{int(MgmtErr::Inval), {}, {}};
    const QByteArray hash = fields[0].value.toByteArray();
    const bool confirm = fields[1].found && fields[1].value.toBool();
    int slot = -1;
    if (hash.isEmpty()) {
        if (!confirm)
            return groupError(ImgMgmtErr::InvalidHash);   // a test needs a hash
        slot = activeSlot();
    } else if (hash.size() != kHashLen) {
        return groupError(ImgMgmtErr::InvalidHash);
    } else {
        for (int s = 0; s < 2 && slot < 0; ++s) {
            const InfoResult info = readInfo(s);
            if (info.rc == ImgMgmtErr::Ok && info.info.hash == hash)
                slot = s;
        }
        if (slot < 0)
            return groupError(ImgMgmtErr::HashNotFound);
    }
    const ImgMgmtErr rc = setNextBootSlot(slot, confirm);
    if (rc != ImgMgmtErr::Ok)
        return groupError(rc);
    return stateRead();
}

ImgMgmtErr ImageServer::eraseSlot(int slot)
{
    if (slot != kPrimarySlot && slot != kSecondarySlot)
        return ImgMgmtErr::InvalidSlot;
    mcuboot::BootFlash& flash = m_board.flash();
    if (flash.isErased(slot, 0, flash.slotSize(slot)))
        return ImgMgmtErr::Ok;
    return flash.eraseSlot(slot) ? ImgMgmtErr::Ok : ImgMgmtErr::FlashEraseFailed;
}

HandlerReply ImageServer::erase(QByteArrayView payload)
{
    BulkField fields[] = {{"slot", CborKind::Uint32}};
    if (!decodeBulk(payload, fields))
        return HandlerReply{int(MgmtErr::Inval), {}, {}};
    const int slot = fields[0].found ? int(fields[0].value.toInteger())
                                     : (activeSlot() == kSecondarySlot ? kPrimarySlot : kSecondarySlot);
    if (readInfo(slot).rc == ImgMgmtErr::Ok && slotInUse(slot))
        return groupError(ImgMgmtErr::NoFreeSlot);
    const ImgMgmtErr rc = eraseSlot(slot);
    forgetUpload();
    if (rc != ImgMgmtErr::Ok)
        return groupError(rc);
    HandlerReply r;
    if (m_config.legacyRc)
        r.body.insert(QStringLiteral("rc"), 0);
    return r;
}

ImgMgmtErr ImageServer::eraseImageData(std::uint32_t size)
{
    mcuboot::BootFlash& flash = m_board.flash();
    const int slot = m_upload.slot;
    const qint64 sector = flash.geometry().sectorSize;
    const qint64 eraseSize = (qint64(size == 0 ? 1 : size) - 1) / sector * sector + sector;
    if (!flash.erase(slot, 0, std::min(eraseSize, flash.slotSize(slot))))
        return ImgMgmtErr::FlashEraseFailed;
    // The trailer too, when the image does not reach it (boot_get_trailer_status_offset()).
    const qint64 trailerOff = flash.slotSize(slot) - 16 - 2 * flash.geometry().maxAlign();
    if (trailerOff >= eraseSize) {
        const qint64 start = trailerOff / sector * sector;
        if (!flash.erase(slot, start, flash.slotSize(slot) - start))
            return ImgMgmtErr::FlashEraseFailed;
    }
    return ImgMgmtErr::Ok;
}

bool ImageServer::writeImageData(std::uint32_t offset, const QByteArray& data, bool last)
{
    mcuboot::BootFlash& flash = m_board.flash();
    if (offset == 0) {
        m_upload.pending.clear();
        m_upload.flushed = 0;
    }
    m_upload.pending.append(data);
    const int block = m_config.writeBlockBytes;
    while (m_upload.pending.size() >= block) {
        if (!flash.write(m_upload.slot, m_upload.flushed, m_upload.pending.first(block)))
            return false;
        m_upload.flushed += block;
        m_upload.pending.remove(0, block);
    }
    if (last && !m_upload.pending.isEmpty()) {
        const int align = flash.geometry().writeAlign;
        QByteArray tail = m_upload.pending;
        tail.append((align - tail.size() % align) % align, char(0xff));
        if (!flash.write(m_upload.slot, m_upload.flushed, tail))
            return false;
        m_upload.flushed += tail.size();
        m_upload.pending.clear();
    }
    return true;
}

bool ImageServer::slotMatches(int slot, std::uint32_t size, const QByteArray& sha) const
{
    QByteArray expected = sha;
    expected.append(kHashLen - expected.size(), '\0');
    const QByteArray bytes = m_board.flash().read(slot, 0, size);
    return bytes.size() == qint64(size) && mcuboot::sha256(bytes) == expected;
}

HandlerReply ImageServer::upload(QByteArrayView payload)
{
    BulkField fields[] = {{"image", CborKind::Uint32}, {"data", CborKind::Bytes}, {"len", CborKind::Uint32},
                          {"off", CborKind::Uint32},   {"sha", CborKind::Bytes},  {"upgrade", CborKind::Bool}};
    if (!decodeBulk(payload, fields))
        return HandlerReply{int(MgmtErr::Inval), {}, {}};
    const QByteArray data = fields[1].value.toByteArray();
    const QByteArray sha = fields[4].value.toByteArray();
    const bool upgrade = fields[5].found && fields[5].value.toBool();

    auto fail = [this](ImgMgmtErr code) {
        forgetUpload();
        return groupError(code);
    };
    auto goodReply = [this] {
        HandlerReply r;
        if (m_config.legacyRc)
            r.body.insert(QStringLiteral("rc"), 0);
        r.body.insert(QStringLiteral("off"), qint64(m_upload.offset));
        return r;
    };

    // img_mgmt_upload_inspect()
    if (!fields[3].found)
        return fail(ImgMgmtErr::InvalidOffset);
    const auto off = std::uint32_t(fields[3].value.toInteger());
    int slot = -1;
    std::uint32_t size = 0;
    bool eraseFirst = false;
    if (off == 0) {
        if (data.size() < kImageHeaderSize)
            return fail(ImgMgmtErr::InvalidImageHeader);
        if (!fields[2].found)
            return fail(ImgMgmtErr::InvalidLength);
        size = std::uint32_t(fields[2].value.toInteger());
        if (le(data, 0, 4) != mcuboot::kImageMagic)
            return fail(ImgMgmtErr::InvalidImageHeaderMagic);
        if (sha.size() > kHashLen)
            return fail(ImgMgmtErr::InvalidHash);
        // Same sha as the upload in progress: resume, answer the offset already received.
        if (!sha.isEmpty() && m_upload.slot >= 0 && m_upload.sha == sha)
            return goodReply();
        for (int s = 0; s < 2 && slot < 0; ++s)
            if (!slotInUse(s))
                slot = s;
        if (slot < 0)
            return fail(ImgMgmtErr::NoFreeSlot);
        if (size > m_board.flash().slotSize(slot))
            return fail(ImgMgmtErr::InvalidImageTooLarge);
        if (m_config.maxImageSize && size > *m_config.maxImageSize)
            return fail(ImgMgmtErr::InvalidImageTooLarge);
        if (upgrade) {
            const InfoResult running = readInfo(activeSlot());
            if (running.rc != ImgMgmtErr::Ok)
                return fail(ImgMgmtErr::VersionGetFailed);
            mcuboot::ImageVersion incoming;
            incoming.major = std::uint8_t(data.at(20));
            incoming.minor = std::uint8_t(data.at(21));
            incoming.revision = std::uint16_t(le(data, 22, 2));
            incoming.build = le(data, 24, 4);
            if (vercmp(running.info.version, incoming) >= 0)
                return fail(ImgMgmtErr::CurrentVersionIsNewer);
        }
        eraseFirst = !m_board.flash().isErased(slot, 0, m_board.flash().slotSize(slot));
    } else {
        slot = m_upload.slot;
        size = m_upload.size;
        if (off != m_upload.offset)
            return goodReply();   // wrong offset: drop the data, answer the expected one
        if (qint64(off) + data.size() > size)
            return fail(ImgMgmtErr::InvalidImageDataOverrun);
    }

    m_upload.slot = slot;
    m_upload.size = size;
    bool last = false;
    bool match = false;
    bool finished = false;
    if (off == 0) {
        m_upload.offset = 0;
        m_upload.sha = sha;
        if (m_config.imageCheck && sha.size() == kHashLen && slotMatches(slot, size, sha)) {
            // The slot already holds exactly this file: nothing to upload.
            m_upload.offset = size;
            last = finished = match = true;
        } else if (eraseFirst) {
            const ImgMgmtErr rc = eraseImageData(size);
            if (rc != ImgMgmtErr::Ok)
                return fail(rc);
        }
    }
    if (!finished && !data.isEmpty()) {
        last = m_upload.offset + data.size() == size;
        if (!writeImageData(off, data, last))
            return fail(ImgMgmtErr::FlashWriteFailed);
        m_upload.offset += std::uint32_t(data.size());
        if (m_upload.offset == size) {
            finished = true;
            match = m_config.imageCheck && slotMatches(slot, size, m_upload.sha);
        }
    }
    HandlerReply r = goodReply();
    if (last && m_config.imageCheck)
        r.body.insert(QStringLiteral("match"), match);
    if (finished)
        forgetUpload();
    return r;
}

HandlerReply ImageServer::slotInfo()
{
    if (!m_config.slotInfo)
        return HandlerReply{int(MgmtErr::NotSup), {}, {}};
    QCborArray slots;
    for (int s = 0; s < 2; ++s) {
        QCborMap m;
        m.insert(QStringLiteral("slot"), s);
        m.insert(QStringLiteral("size"), m_board.flash().slotSize(s));
        slots.append(m);
    }
    QCborMap image;
    image.insert(QStringLiteral("image"), 0);
    image.insert(QStringLiteral("slots"), slots);
    if (m_config.maxImageSize)
        image.insert(QStringLiteral("max_image_size"), qint64(*m_config.maxImageSize));
    HandlerReply r;
    r.body.insert(QStringLiteral("images"), QCborArray{image});
    return r;
}

} // namespace otalab::core::smp
