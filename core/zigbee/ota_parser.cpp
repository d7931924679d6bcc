// SPDX-License-Identifier: Apache-2.0
// Zigbee OTA file parser. Layout choices follow zigbee-herdsman (src/controller/helpers/ota.ts:
// identifier search, sub-elements from header length, Telink 0xF000) and zigpy
// (zigpy/ota/image.py: elements bounded by the total image size, trailing data ignored).
#include "core/zigbee/ota_parser.h"

#include "core/common/bytes.h"
#include "core/zigbee/ota_names.h"

namespace otalab::core::zigbee {
namespace {

using image::Finding;
using image::Severity;

const char kIdentifierBytes[] = {'\x1e', '\xf1', '\xee', '\x0b'};  // 0x0BEEF11E little-endian

struct Parser {
    QByteArrayView data;
    OtaParseResult r;

    void error(const QString& field, qint64 offset, const QString& message)
    {
        r.findings.push_back({Severity::Error, field, offset, message});
    }
    void warning(const QString& field, qint64 offset, const QString& message)
    {
        r.findings.push_back({Severity::Warning, field, offset, message});
    }

    std::uint32_t u32At(qint64 at) const
    {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= std::uint32_t(std::uint8_t(data[at + i])) << (8 * i);
        return v;
    }
    std::uint16_t u16At(qint64 at) const { return std::uint16_t(std::uint8_t(data[at]) | (std::uint8_t(data[at + 1]) << 8)); }

    // Reads one header field; on a short file records "truncated header" and returns false.
    template <typename T, typename Read>
    bool field(ByteReader& rd, const char* name, T& out, Read read)
    {
        auto v = (rd.*read)(QStringLiteral("header.%1").arg(QLatin1String(name)));
        if (!v) {
            error(v.error().field, v.error().offset,
                  QStringLiteral("truncated header: %1").arg(v.error().message));
            return false;
        }
        out = T(*v);
        return true;
    }

    bool parseHeader();
    void parseElements(qint64 elementsStart);
    bool layoutFits(qint64 end, qint64 imageEnd) const;
    void checkElements();
};

bool Parser::parseHeader()
{
    OtaHeader& h = r.file.header;
    const qint64 s = r.start;
    ByteReader rd(data.sliced(s), Endian::Little, s);
    std::uint32_t identifier = 0;
    if (!field(rd, "identifier", identifier, &ByteReader::u32)
        || !field(rd, "headerVersion", h.headerVersion, &ByteReader::u16))
        return false;
    // OTA clients take 0x0100 only (Silicon Labs' ota-storage-common refuses any other
    // header version: "Bad version in file"), so another minor version is an error too;
    // its fields are still read as 0x0100 for the tree.
    if ((h.headerVersion >> 8) != (kOtaHeaderVersion >> 8))
        error(QStringLiteral("header.headerVersion"), s + headeroffset::HeaderVersion,
              QStringLiteral("unknown header version 0x%1 (expected 0x0100)").arg(h.headerVersion, 4, 16, QLatin1Char('0')));
    else if (h.headerVersion != kOtaHeaderVersion)
        error(QStringLiteral("header.headerVersion"), s + headeroffset::HeaderVersion,
              QStringLiteral("header minor version 0x%1 is not 0x0100: OTA clients refuse the file (fields are read as 0x0100)")
                  .arg(h.headerVersion, 4, 16, QLatin1Char('0')));
    if (!field(rd, "headerLength", h.headerLength, &ByteReader::u16)
        || !field(rd, "fieldControl", h.fieldControl, &ByteReader::u16)
        || !field(rd, "manufacturerCode", h.manufacturerCode, &ByteReader::u16)
        || !field(rd, "imageType", h.imageType, &ByteReader::u16)
        || !field(rd, "fileVersion", h.fileVersion, &ByteReader::u32)
        || !field(rd, "stackVersion", h.stackVersion, &ByteReader::u16))
        return false;
    auto text = rd.bytes(kHeaderStringSize, QStringLiteral("header.headerString"));
    if (!text) {
        error(text.error().field, text.error().offset, QStringLiteral("truncated header: %1").arg(text.error().message));
        return false;
    }
    const qsizetype nul = text->indexOf('\0');
    h.headerString = (nul < 0 ? *text : text->first(nul)).toByteArray();
    if (!field(rd, "totalImageSize", h.totalImageSize, &ByteReader::u32))
        return false;
    r.headerComplete = true;

    if (h.fieldControl & ~fieldcontrol::Known)
        warning(QStringLiteral("header.fieldControl"), s + headeroffset::FieldControl,
                QStringLiteral("reserved field control bits 0x%1 are set").arg(h.fieldControl & ~fieldcontrol::Known, 4, 16, QLatin1Char('0')));
    if (!isKnownStackVersion(h.stackVersion))
        warning(QStringLiteral("header.stackVersion"), s + headeroffset::StackVersion,
                QStringLiteral("stack version 0x%1 is reserved (known: 0 ZigBee 2006 .. 3 ZigBee IP)").arg(h.stackVersion, 4, 16, QLatin1Char('0')));

    // Optional fields, in field control bit order.
    if (h.fieldControl & fieldcontrol::SecurityCredentialVersion) {
        std::uint8_t v = 0;
        if (!field(rd, "securityCredentialVersion", v, &ByteReader::u8))
            return false;
        h.securityCredentialVersion = v;
    }
    if (h.fieldControl & fieldcontrol::DeviceSpecificFile) {
        std::uint64_t v = 0;
        if (!field(rd, "upgradeFileDestination", v, &ByteReader::u64))
            return false;
        h.upgradeFileDestination = v;
    }
    if (h.fieldControl & fieldcontrol::HardwareVersions) {
        HardwareVersionRange hw;
        if (!field(rd, "minimumHardwareVersion", hw.minimum, &ByteReader::u16)
            || !field(rd, "maximumHardwareVersion", hw.maximum, &ByteReader::u16))
            return false;
        h.hardwareVersions = hw;
        if (hw.minimum > hw.maximum)
            error(QStringLiteral("header.maximumHardwareVersion"), rd.absolutePos() - 2,
                  QStringLiteral("maximum hardware version 0x%1 is below the minimum 0x%2")
                      .arg(hw.maximum, 4, 16, QLatin1Char('0')).arg(hw.minimum, 4, 16, QLatin1Char('0')));
    }
    if (imagetype::isDeviceSpecific(h.imageType) && !h.upgradeFileDestination)
        warning(QStringLiteral("header.fieldControl"), s + headeroffset::FieldControl,
                QStringLiteral("image type 0x%1 (%2) is a device-specific file but field control bit 1 "
                               "(upgrade file destination) is clear")
                    .arg(h.imageType, 4, 16, QLatin1Char('0')).arg(imageTypeName(h.imageType)));
    return true;
}

// A sub-element layout ending at `end` is plausible when the image ends there or another
// complete sub-element header whose length fits follows.
bool Parser::layoutFits(qint64 end, qint64 imageEnd) const
{
    if (end == imageEnd)
        return true;
    if (end + kSubElementHeaderSize > imageEnd)
        return false;
    return end + kSubElementHeaderSize + qint64(u32At(end + 2)) <= imageEnd;
}

void Parser::parseElements(qint64 elementsStart)
{
    const qint64 imageEnd = r.imageEnd;
    const qint64 fileEnd = data.size();
    qint64 pos = elementsStart;
    for (int i = 0; pos < imageEnd; ++i) {
        const QString name = QStringLiteral("element[%1]").arg(i);
        if (imageEnd - pos < kSubElementHeaderSize) {
            error(name, pos, QStringLiteral("truncated sub-element: %1 bytes left before the end of the image at 0x%2, "
                                            "a sub-element header needs 6").arg(imageEnd - pos).arg(imageEnd, 0, 16));
            return;
        }
        SubElement e;
        e.offset = pos;
        e.tag = u16At(pos);
        const qint64 length = u32At(pos + 2);
        qint64 dataStart = pos + kSubElementHeaderSize;
        if (e.tag == tag::TelinkAes && !layoutFits(dataStart + length, imageEnd)
            && dataStart + 2 <= imageEnd && layoutFits(dataStart + 2 + length, imageEnd)) {
            e.telinkInfo = std::array<std::uint8_t, 2>{std::uint8_t(data[dataStart]), std::uint8_t(data[dataStart + 1])};
            warning(name, pos, QStringLiteral("tag 0xf000 carries 2 bytes (%1 %2) between its length and its data "
                                              "(Telink AES layout, as zigbee-herdsman reads it); data starts at 0x%3")
                                   .arg(e.telinkInfo->at(0), 2, 16, QLatin1Char('0'))
                                   .arg(e.telinkInfo->at(1), 2, 16, QLatin1Char('0'))
                                   .arg(dataStart + 2, 0, 16));
            dataStart += 2;
        }
        if (length == 0)
            error(name + QStringLiteral(".length"), pos + 2, QStringLiteral("zero-length sub-element (tag 0x%1)").arg(e.tag, 4, 16, QLatin1Char('0')));
        const qint64 end = dataStart + length;
        if (end > imageEnd) {
            const QString what = end <= fileEnd
                ? QStringLiteral("overlaps the %1 trailing bytes after the total image size (image ends at 0x%2)")
                      .arg(fileEnd - imageEnd).arg(imageEnd, 0, 16)
                : QStringLiteral("runs past the end of the %1 (ends at 0x%2)")
                      .arg(imageEnd < fileEnd ? QStringLiteral("image") : QStringLiteral("file"))
                      .arg(imageEnd, 0, 16);
            error(name + QStringLiteral(".length"), pos + 2,
                  QStringLiteral("sub-element length %1 (data 0x%2..0x%3) %4").arg(length).arg(dataStart, 0, 16).arg(end, 0, 16).arg(what));
            e.data = data.sliced(dataStart, std::max<qint64>(0, std::min(end, fileEnd) - dataStart)).toByteArray();
            r.file.elements.push_back(std::move(e));
            return;
        }
        e.data = data.sliced(dataStart, length).toByteArray();
        r.file.elements.push_back(std::move(e));
        pos = end;
    }
}

// Rules between elements: tag ranges, one of each security element, signature last.
void Parser::checkElements()
{
    const auto& els = r.file.elements;
    int integrity = 0, signatures = 0;
    for (size_t i = 0; i < els.size(); ++i) {
        const SubElement& e = els[i];
        const QString name = QStringLiteral("element[%1]").arg(i);
        if (e.tag > tag::CertificateCs2 && e.tag < tag::ManufacturerFirst)
            warning(name + QStringLiteral(".tag"), e.offset, QStringLiteral("tag 0x%1 is reserved").arg(e.tag, 4, 16, QLatin1Char('0')));
        if (e.tag == tag::IntegrityCode && ++integrity == 2)
            error(name, e.offset, QStringLiteral("second image integrity code element (overlaps the first one's coverage)"));
        if (e.tag == tag::SignatureCs1 || e.tag == tag::SignatureCs2) {
            if (++signatures == 2)
                error(name, e.offset, QStringLiteral("second signature element: a file carries one signature (crypto suite 1 or 2)"));
            else if (i + 1 != els.size())
                error(name, e.offset, QStringLiteral("signature element is not the last sub-element: its digest covers "
                                                     "the file up to its own signature bytes"));
        }
    }
    if (els.empty() && r.headerComplete)
        warning(QStringLiteral("header"), r.start, QStringLiteral("the file has no sub-elements"));
}

} // namespace

bool OtaParseResult::hasErrors() const { return firstError() != nullptr; }

const image::Finding* OtaParseResult::firstError() const
{
    for (const auto& f : findings)
        if (f.severity == image::Severity::Error)
            return &f;
    return nullptr;
}

OtaParseResult parseOtaFile(QByteArrayView data)
{
    Parser p{data, {}};
    OtaParseResult& r = p.r;
    const qint64 start = data.indexOf(QByteArrayView(kIdentifierBytes, 4));
    if (start < 0) {
        p.error(QStringLiteral("header.identifier"), 0,
                data.size() < 4 ? QStringLiteral("file is %1 bytes, too short for the OTA upgrade file identifier").arg(data.size())
                                : QStringLiteral("no OTA upgrade file identifier 0x0BEEF11E (bytes 1e f1 ee 0b) in the file; "
                                                 "it starts with %1")
                                      .arg(QString::fromLatin1(data.first(std::min<qsizetype>(8, data.size())).toByteArray().toHex(' '))));
        return r;
    }
    r.start = start;
    r.imageEnd = data.size();
    if (start > 0) {
        r.file.prefix = data.first(start).toByteArray();
        p.warning(QStringLiteral("prefix"), 0, QStringLiteral("%1 vendor bytes before the OTA upgrade file identifier; "
                                                              "the OTA image starts at 0x%2").arg(start).arg(start, 0, 16));
    }
    if (!p.parseHeader())
        return r;

    OtaHeader& h = r.file.header;
    const qint64 known = h.knownFieldsSize();
    const qint64 available = data.size() - start;
    qint64 headerEnd = known;  // where sub-elements start, relative to start
    if (h.headerLength < kMandatoryHeaderSize || h.headerLength > kMaxHeaderSize) {
        p.error(QStringLiteral("header.headerLength"), start + headeroffset::HeaderLength,
                QStringLiteral("header length %1 is outside 56..69").arg(h.headerLength));
        if (h.headerLength > known && h.headerLength <= available)
            headerEnd = h.headerLength;
    } else if (h.headerLength < known) {
        p.error(QStringLiteral("header.headerLength"), start + headeroffset::HeaderLength,
                QStringLiteral("header length %1 is shorter than the %2 bytes field control 0x%3 requires")
                    .arg(h.headerLength).arg(known).arg(h.fieldControl, 4, 16, QLatin1Char('0')));
    } else if (h.headerLength > known) {
        headerEnd = h.headerLength;
        if (h.headerLength > available) {
            p.error(QStringLiteral("header.headerLength"), start + headeroffset::HeaderLength,
                    QStringLiteral("truncated header: header length %1 but only %2 bytes from the identifier to the end of the file")
                        .arg(h.headerLength).arg(available));
            return r;
        }
        h.extraHeaderBytes = data.sliced(start + known, h.headerLength - known).toByteArray();
        p.warning(QStringLiteral("header.headerLength"), start + headeroffset::HeaderLength,
                  QStringLiteral("header length %1 leaves %2 unknown bytes after the known fields (0x%3..0x%4); "
                                 "sub-elements start at the header length")
                      .arg(h.headerLength).arg(h.headerLength - known).arg(start + known, 0, 16).arg(start + h.headerLength, 0, 16));
    }

    const qint64 total = h.totalImageSize;
    if (total > available) {
        p.error(QStringLiteral("header.totalImageSize"), start + headeroffset::TotalImageSize,
                QStringLiteral("total image size %1 is larger than the %2 bytes from the identifier to the end of the file "
                               "(truncated file?)").arg(total).arg(available));
        r.imageEnd = data.size();
    } else if (total < headerEnd) {
        p.error(QStringLiteral("header.totalImageSize"), start + headeroffset::TotalImageSize,
                QStringLiteral("total image size %1 is smaller than the %2-byte header").arg(total).arg(headerEnd));
        r.imageEnd = start + headerEnd;
        return r;
    } else {
        r.imageEnd = start + total;
        if (total < available) {
            r.file.trailing = data.sliced(start + total).toByteArray();
            p.warning(QStringLiteral("trailing"), start + total,
                      QStringLiteral("%1 bytes after the total image size (not part of the OTA image; ignored)").arg(available - total));
        }
    }
    p.parseElements(start + headerEnd);
    p.checkElements();
    return r;
}

Result<OtaFile> readOtaFile(QByteArrayView data)
{
    OtaParseResult r = parseOtaFile(data);
    if (const image::Finding* f = r.firstError())
        return fail(Error::at(f->offset, f->field, f->message));
    return std::move(r.file);
}

} // namespace otalab::core::zigbee
