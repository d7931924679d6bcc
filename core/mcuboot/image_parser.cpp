// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_parser.h"

#include "core/common/bytes.h"

#include <cstring>

namespace otalab::core::mcuboot {
namespace {

std::uint32_t le(const QByteArray& d, qint64 at, int width)
{
    std::uint32_t v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(d[at + i]);
    return v;
}

class Parser {
public:
    explicit Parser(const QByteArray& file) { m_r.image.bytes = file; }

    ParseReport run()
    {
        if (parseHeader() && parseAreas()) {
            m_r.structureValid = true;
            checkSemantics();
            parseTrailer();
        }
        return std::move(m_r);
    }

private:
    const QByteArray& data() const { return m_r.image.bytes; }
    qint64 size() const { return data().size(); }
    void error(const QString& field, qint64 offset, const QString& message) { m_r.errors.push_back(Error::at(offset, field, message)); }
    void warning(const QString& field, qint64 offset, const QString& message) { m_r.warnings.push_back(Error::at(offset, field, message)); }

    bool parseHeader()
    {
        if (size() < kHeaderSize) {
            error(QStringLiteral("header"), 0,
                  QStringLiteral("truncated header: needs %1 bytes, the file has %2").arg(kHeaderSize).arg(size()));
            return false;
        }
        ImageHeader& h = m_r.image.header;
        h.magic = le(data(), 0, 4);
        h.loadAddr = le(data(), 4, 4);
        h.hdrSize = std::uint16_t(le(data(), 8, 2));
        h.protectedTlvSize = std::uint16_t(le(data(), 10, 2));
        h.imgSize = le(data(), 12, 4);
        h.flags = le(data(), 16, 4);
        h.version.major = std::uint8_t(data()[20]);
        h.version.minor = std::uint8_t(data()[21]);
        h.version.revision = std::uint16_t(le(data(), 22, 2));
        h.version.build = le(data(), 24, 4);
        h.pad = le(data(), 28, 4);
        m_r.headerParsed = true;
        if (h.magic != kImageMagic) {
            error(QStringLiteral("header.magic"), 0,
                  QStringLiteral("wrong magic %1, expected 0x96f3b83d").arg(hex(h.magic, 8)));
            return false;
        }
        if (h.hdrSize < kHeaderSize) {
            error(QStringLiteral("header.hdrSize"), 8,
                  QStringLiteral("header size %1 is smaller than the 32-byte header").arg(h.hdrSize));
            return false;
        }
        if (h.hdrSize > size()) {
            error(QStringLiteral("header.hdrSize"), 8,
                  QStringLiteral("header size %1 runs past the end of the %2-byte file").arg(hex(h.hdrSize, 4)).arg(size()));
            return false;
        }
        if (qint64(h.hdrSize) + h.imgSize > size()) {
            error(QStringLiteral("header.imgSize"), 12,
                  QStringLiteral("image size %1 after the %2-byte header runs past the end of the %3-byte file")
                      .arg(hex(h.imgSize, 8)).arg(h.hdrSize).arg(size()));
            return false;
        }
        if (h.pad != 0)
            warning(QStringLiteral("header.pad"), 28, QStringLiteral("reserved word is %1, imgtool writes 0").arg(hex(h.pad, 8)));
        return true;
    }

    // Reads an info header at `at`; returns false (with an error) when it is not there.
    bool readInfo(const QString& area, qint64 at, std::uint16_t expectedMagic, TlvArea& out)
    {
        if (at + kTlvInfoSize > size()) {
            error(area + QStringLiteral(".magic"), at,
                  QStringLiteral("TLV info header truncated: needs 4 bytes at %1, the file has %2").arg(hex(at, 4)).arg(size()));
            return false;
        }
        out.offset = at;
        out.magic = std::uint16_t(le(data(), at, 2));
        out.totalLength = std::uint16_t(le(data(), at + 2, 2));
        if (out.magic != expectedMagic) {
            error(area + QStringLiteral(".magic"), at,
                  QStringLiteral("TLV info magic is %1, expected %2").arg(hex(out.magic, 4), hex(expectedMagic, 4)));
            return false;
        }
        if (out.totalLength < kTlvInfoSize) {
            error(area + QStringLiteral(".totalLength"), at + 2,
                  QStringLiteral("TLV area length %1 is smaller than its own 4-byte info header").arg(out.totalLength));
            return false;
        }
        if (out.end() > size()) {
            error(area + QStringLiteral(".totalLength"), at + 2,
                  QStringLiteral("TLV area of %1 bytes at %2 runs past the end of the %3-byte file")
                      .arg(out.totalLength).arg(hex(at, 4)).arg(size()));
            return false;
        }
        return parseTlvs(area, out);
    }

    bool parseTlvs(const QString& area, TlvArea& a)
    {
        qint64 p = a.offset + kTlvInfoSize;
        int index = 0;
        while (p < a.end()) {
            const QString field = QStringLiteral("%1.tlv[%2]").arg(area).arg(index);
            if (p + kTlvHeaderSize > a.end()) {
                error(field, p, QStringLiteral("TLV header truncated: %1 bytes left in the area, needs 4").arg(a.end() - p));
                return false;
            }
            Tlv t;
            t.type = std::uint16_t(le(data(), p, 2));
            t.offset = p;
            const std::uint16_t len = std::uint16_t(le(data(), p + 2, 2));
            if (p + kTlvHeaderSize + len > a.end()) {
                error(field + QStringLiteral(".length"), p + 2,
                      QStringLiteral("%1 TLV length %2 runs past the end of the TLV area at %3")
                          .arg(tlvTypeName(t.type)).arg(len).arg(hex(a.end(), 4)));
                return false;
            }
            t.value = data().mid(p + kTlvHeaderSize, len);
            a.tlvs.push_back(std::move(t));
            p += kTlvHeaderSize + len;
            ++index;
        }
        return true;
    }

    bool parseAreas()
    {
        McubootImage& img = m_r.image;
        qint64 pos = img.bodyEnd();
        const bool protMagicHere = pos + 2 <= size() && le(data(), pos, 2) == kProtectedTlvInfoMagic;
        if (img.header.protectedTlvSize != 0) {
            TlvArea prot;
            if (!readInfo(QStringLiteral("protectedTlvs"), pos, kProtectedTlvInfoMagic, prot))
                return false;
            if (prot.totalLength != img.header.protectedTlvSize) {
                error(QStringLiteral("header.protectedTlvSize"), 10,
                      QStringLiteral("header says the protected TLV area is %1 bytes, its info header at %2 says %3")
                          .arg(img.header.protectedTlvSize).arg(hex(pos, 4)).arg(prot.totalLength));
                return false;
            }
            pos = prot.end();
            img.protectedTlvs = std::move(prot);
        } else if (protMagicHere) {
            error(QStringLiteral("header.protectedTlvSize"), 10,
                  QStringLiteral("header says there is no protected TLV area, but one (magic 0x6908) starts at %1").arg(hex(pos, 4)));
            return false;
        }
        return readInfo(QStringLiteral("unprotectedTlvs"), pos, kTlvInfoMagic, img.unprotectedTlvs);
    }

    void checkSemantics()
    {
        const McubootImage& img = m_r.image;
        const TlvArea& un = img.unprotectedTlvs;
        int shaCount = 0;
        bool hasEnc = false;
        for (std::size_t i = 0; i < un.tlvs.size(); ++i) {
            const Tlv& t = un.tlvs[i];
            const QString field = QStringLiteral("unprotectedTlvs.tlv[%1]").arg(i);
            if (t.type == TlvSha256) {
                if (++shaCount > 1)
                    error(field, t.offset, QStringLiteral("duplicate SHA256 TLV (the first is at %1)").arg(hex(un.find(TlvSha256)->offset, 4)));
                else if (t.value.size() != 32)
                    error(field + QStringLiteral(".length"), t.offset + 2,
                          QStringLiteral("SHA256 TLV is %1 bytes, expected 32").arg(t.value.size()));
            }
            if (t.type == TlvSecurityCounter || t.type == TlvDependency)
                error(field, t.offset, QStringLiteral("%1 TLV must be in the protected area, MCUboot ignores it here").arg(tlvTypeName(t.type)));
            if (isEncryptionTlv(t.type))
                hasEnc = true;
        }
        if (shaCount == 0)
            error(QStringLiteral("unprotectedTlvs"), un.offset, QStringLiteral("no SHA256 TLV: MCUboot cannot validate the image"));
        if (img.protectedTlvs) {
            for (std::size_t i = 0; i < img.protectedTlvs->tlvs.size(); ++i) {
                const Tlv& t = img.protectedTlvs->tlvs[i];
                const QString field = QStringLiteral("protectedTlvs.tlv[%1]").arg(i);
                if (t.type == TlvSecurityCounter && t.value.size() != 4)
                    error(field + QStringLiteral(".length"), t.offset + 2, QStringLiteral("SEC_CNT TLV is %1 bytes, expected 4").arg(t.value.size()));
                if (t.type == TlvDependency && t.value.size() != 12)
                    error(field + QStringLiteral(".length"), t.offset + 2, QStringLiteral("DEPENDENCY TLV is %1 bytes, expected 12").arg(t.value.size()));
                // bootutil checks every SHA256 TLV, in either area, against the hash over
                // [0, end of the protected area): one in the protected area hashes its own
                // bytes and can never match, so MCUboot refuses the image.
                if (t.type == TlvSha256)
                    error(field, t.offset, QStringLiteral("SHA256 TLV in the protected area: the hash covers its own bytes, "
                                                          "so it never matches and MCUboot refuses the image"));
                else if (isSignatureTlv(t.type) || isEncryptionTlv(t.type))
                    warning(field, t.offset, QStringLiteral("%1 TLV in the protected area; imgtool puts it in the unprotected area").arg(tlvTypeName(t.type)));
            }
        }
        const std::uint32_t f = img.header.flags;
        if ((f & FlagEncryptedAes128) && (f & FlagEncryptedAes256))
            error(QStringLiteral("header.flags"), 16, QStringLiteral("both ENCRYPTED_AES128 and ENCRYPTED_AES256 are set"));
        else if (img.isEncrypted() && !hasEnc)
            error(QStringLiteral("header.flags"), 16,
                  QStringLiteral("flags say the image is encrypted (%1) but there is no encryption key TLV").arg(flagsText(f)));
        else if (!img.isEncrypted() && hasEnc)
            error(QStringLiteral("header.flags"), 16,
                  QStringLiteral("an encryption key TLV is present but neither ENCRYPTED_AES128 nor ENCRYPTED_AES256 is set"));
    }

    void parseTrailer()
    {
        McubootImage& img = m_r.image;
        const qint64 tlvEnd = img.unprotectedTlvs.end();
        const qint64 rest = size() - tlvEnd;
        if (rest <= 0)
            return;
        img.paddingOffset = tlvEnd;
        img.paddingSize = rest;
        if (rest < 16) {
            warning(QStringLiteral("padding"), tlvEnd, QStringLiteral("%1 bytes after the TLV area and no trailer").arg(rest));
            return;
        }
        const qint64 magicAt = size() - 16;
        const char* m = data().constData() + magicAt;
        int maxAlign = 0;
        if (std::memcmp(m, kTrailerMagic, 16) == 0)
            maxAlign = 8;
        else if (std::memcmp(m + 2, kTrailerMagicAlignedTail, 14) == 0)
            maxAlign = int(le(data(), magicAt, 2));
        if (maxAlign == 0) {
            warning(QStringLiteral("padding"), tlvEnd, QStringLiteral("%1 bytes after the TLV area without trailer magic").arg(rest));
            return;
        }
        if (maxAlign < 8 || maxAlign > 4096 || (maxAlign & (maxAlign - 1))) {
            warning(QStringLiteral("trailer.magic"), magicAt, QStringLiteral("trailer magic names an invalid max alignment %1").arg(maxAlign));
            return;
        }
        Trailer t;
        t.maxAlign = maxAlign;
        t.magicOffset = magicAt;
        const qint64 magicAlign = (16 + maxAlign - 1) & ~qint64(maxAlign - 1);
        t.imageOkOffset = size() - magicAlign - maxAlign;
        t.copyDoneOffset = t.imageOkOffset - maxAlign;
        t.swapInfoOffset = t.copyDoneOffset - maxAlign;
        t.swapSizeOffset = t.swapInfoOffset - maxAlign;
        auto byteAt = [&](qint64& off) -> std::uint8_t {
            if (off < tlvEnd) { off = -1; return 0xff; }
            return std::uint8_t(data()[off]);
        };
        t.imageOk = byteAt(t.imageOkOffset);
        t.copyDone = byteAt(t.copyDoneOffset);
        t.swapInfo = byteAt(t.swapInfoOffset);
        if (t.swapSizeOffset >= tlvEnd)
            t.swapSize = le(data(), t.swapSizeOffset, 4);
        else
            t.swapSizeOffset = -1;
        const qint64 firstField = t.swapSizeOffset >= 0 ? t.swapSizeOffset
                                  : t.swapInfoOffset >= 0 ? t.swapInfoOffset
                                  : t.copyDoneOffset >= 0 ? t.copyDoneOffset
                                  : t.imageOkOffset >= 0 ? t.imageOkOffset : magicAt;
        img.paddingSize = firstField - tlvEnd;
        if (t.imageOk != 0xff && t.imageOk != 0x01)
            warning(QStringLiteral("trailer.imageOk"), t.imageOkOffset,
                    QStringLiteral("image_ok is %1, expected 0x01 (set) or 0xff (erased)").arg(hex(t.imageOk, 2)));
        img.trailer = t;
    }

    ParseReport m_r;
};

} // namespace

ParseReport parseImageReport(const QByteArray& file)
{
    return Parser(file).run();
}

Result<McubootImage> parseImage(const QByteArray& file)
{
    ParseReport r = parseImageReport(file);
    if (!r.errors.empty())
        return fail(r.errors.front());
    return std::move(r.image);
}

} // namespace otalab::core::mcuboot
