// SPDX-License-Identifier: Apache-2.0
// inspectOtaFile: parse tree, findings, integrity and signature verdicts of a Zigbee OTA file.
#include "core/zigbee/ota_inspect.h"

#include "core/zigbee/crypto_suite.h"
#include "core/zigbee/eui64.h"
#include "core/zigbee/file_version.h"
#include "core/zigbee/ota_certificate.h"
#include "core/zigbee/ota_integrity.h"
#include "core/zigbee/ota_names.h"
#include "core/zigbee/ota_parser.h"
#include "core/zigbee/ota_signature.h"

#include <QStringList>

namespace otalab::core::zigbee {
namespace {

using image::CheckState;
using image::Inspection;
using image::Node;

QString hex16(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 4, 16, QLatin1Char('0')); }
QString hex32(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }
QString at(qint64 offset) { return QStringLiteral("0x%1").arg(offset, 0, 16); }

QString preview(QByteArrayView data)
{
    const qsizetype shown = std::min<qsizetype>(data.size(), 16);
    QString s = QString::fromLatin1(data.first(shown).toByteArray().toHex(' '));
    return data.size() > shown ? s + QStringLiteral(" … (%1 bytes)").arg(data.size()) : s;
}

QString fieldControlText(std::uint16_t fc)
{
    QStringList bits;
    if (fc & fieldcontrol::SecurityCredentialVersion)
        bits << QStringLiteral("security credential version");
    if (fc & fieldcontrol::DeviceSpecificFile)
        bits << QStringLiteral("device specific file");
    if (fc & fieldcontrol::HardwareVersions)
        bits << QStringLiteral("hardware versions");
    if (fc & ~fieldcontrol::Known)
        bits << QStringLiteral("reserved bits");
    return QStringLiteral("%1 (%2)").arg(hex16(fc), bits.isEmpty() ? QStringLiteral("no optional fields") : bits.join(QStringLiteral(", ")));
}

class Inspector {
public:
    Inspector(const QByteArray& file, const image::VerifyOptions& options) : m_bytes(file), m_options(options) {}
    Inspection run();

private:
    // Adds a child when [offset, offset + size) lies inside the file.
    Node* addField(Node& parent, const QString& name, const QString& label, qint64 offset, qint64 size, const QString& value)
    {
        if (offset < 0 || offset + size > m_bytes.size())
            return nullptr;
        return &parent.add(Node{name, label, value, offset, size, false, {}});
    }
    void buildHeader();
    void buildElement(size_t index);
    void checkIntegrity();
    void checkSignature();
    void markProblems();

    const QByteArray& m_bytes;
    const image::VerifyOptions& m_options;
    OtaParseResult m_parse;
    Inspection m_result;
};

void Inspector::buildHeader()
{
    const OtaHeader& h = m_parse.file.header;
    const qint64 s = m_parse.start;
    const qint64 headerSize = std::min<qint64>(m_bytes.size() - s, std::max<qint64>(h.knownFieldsSize() + h.extraHeaderBytes.size(), kMandatoryHeaderSize));
    Node& header = m_result.root.add(Node{QStringLiteral("header"), QStringLiteral("OTA header"),
                                          m_parse.headerComplete ? QStringLiteral("%1 bytes").arg(h.headerLength)
                                                                 : QStringLiteral("truncated"),
                                          s, headerSize, false, {}});
    addField(header, QStringLiteral("identifier"), QStringLiteral("OTA upgrade file identifier"), s, 4, hex32(kOtaFileIdentifier));
    addField(header, QStringLiteral("headerVersion"), QStringLiteral("Header version"), s + headeroffset::HeaderVersion, 2, hex16(h.headerVersion));
    addField(header, QStringLiteral("headerLength"), QStringLiteral("Header length"), s + headeroffset::HeaderLength, 2,
             QStringLiteral("%1 bytes").arg(h.headerLength));
    addField(header, QStringLiteral("fieldControl"), QStringLiteral("Header field control"), s + headeroffset::FieldControl, 2,
             fieldControlText(h.fieldControl));
    addField(header, QStringLiteral("manufacturerCode"), QStringLiteral("Manufacturer code"), s + headeroffset::ManufacturerCode, 2,
             h.manufacturerCode == 0xffff ? QStringLiteral("0xffff (wildcard)") : hex16(h.manufacturerCode));
    addField(header, QStringLiteral("imageType"), QStringLiteral("Image type"), s + headeroffset::ImageType, 2,
             QStringLiteral("%1 (%2)").arg(hex16(h.imageType), imageTypeName(h.imageType)));
    addField(header, QStringLiteral("fileVersion"), QStringLiteral("File version"), s + headeroffset::FileVersion, 4,
             QStringLiteral("%1 (%2)").arg(hex32(h.fileVersion), FileVersion{h.fileVersion}.toString()));
    addField(header, QStringLiteral("stackVersion"), QStringLiteral("ZigBee stack version"), s + headeroffset::StackVersion, 2,
             QStringLiteral("%1 (%2)").arg(hex16(h.stackVersion), stackVersionName(h.stackVersion)));
    addField(header, QStringLiteral("headerString"), QStringLiteral("Header string"), s + headeroffset::HeaderString, kHeaderStringSize,
             QStringLiteral("\"%1\"").arg(QString::fromUtf8(h.headerString)));
    addField(header, QStringLiteral("totalImageSize"), QStringLiteral("Total image size"), s + headeroffset::TotalImageSize, 4,
             QStringLiteral("%1 bytes").arg(h.totalImageSize));
    qint64 pos = s + headeroffset::Optional;
    if (h.securityCredentialVersion) {
        addField(header, QStringLiteral("securityCredentialVersion"), QStringLiteral("Security credential version"), pos, 1,
                 QStringLiteral("0x%1 (%2)").arg(*h.securityCredentialVersion, 2, 16, QLatin1Char('0'))
                     .arg(securityCredentialVersionName(*h.securityCredentialVersion)));
        pos += 1;
    }
    if (h.upgradeFileDestination) {
        addField(header, QStringLiteral("upgradeFileDestination"), QStringLiteral("Upgrade file destination"), pos, 8,
                 formatEui64(*h.upgradeFileDestination));
        pos += 8;
    }
    if (h.hardwareVersions) {
        addField(header, QStringLiteral("minimumHardwareVersion"), QStringLiteral("Minimum hardware version"), pos, 2,
                 hardwareVersionText(h.hardwareVersions->minimum));
        addField(header, QStringLiteral("maximumHardwareVersion"), QStringLiteral("Maximum hardware version"), pos + 2, 2,
                 hardwareVersionText(h.hardwareVersions->maximum));
        pos += 4;
    }
    if (!h.extraHeaderBytes.isEmpty())
        addField(header, QStringLiteral("extraHeaderBytes"), QStringLiteral("Unknown header bytes"), pos, h.extraHeaderBytes.size(),
                 preview(h.extraHeaderBytes));
}

void Inspector::buildElement(size_t index)
{
    const SubElement& e = m_parse.file.elements[index];
    const qint64 size = std::min<qint64>(e.dataOffset() + e.data.size(), m_bytes.size()) - e.offset;
    Node& node = m_result.root.add(Node{QStringLiteral("element[%1]").arg(index),
                                        QStringLiteral("%1 (%2)").arg(tagName(e.tag), hex16(e.tag)),
                                        QStringLiteral("%1 bytes of data at %2").arg(e.data.size()).arg(at(e.dataOffset())),
                                        e.offset, size, false, {}});
    addField(node, QStringLiteral("tag"), QStringLiteral("Tag"), e.offset, 2, QStringLiteral("%1 (%2)").arg(hex16(e.tag), tagName(e.tag)));
    const std::uint32_t length = std::uint32_t(std::uint8_t(m_bytes[e.offset + 2]) | (std::uint8_t(m_bytes[e.offset + 3]) << 8)
                                               | (std::uint8_t(m_bytes[e.offset + 4]) << 16) | (std::uint32_t(std::uint8_t(m_bytes[e.offset + 5])) << 24));
    addField(node, QStringLiteral("length"), QStringLiteral("Length"), e.offset + 2, 4, QStringLiteral("%1 bytes").arg(length));
    if (e.telinkInfo)
        addField(node, QStringLiteral("telinkInfo"), QStringLiteral("Telink element info (2 bytes, not counted by the length)"),
                 e.offset + 6, 2, preview(QByteArrayView(reinterpret_cast<const char*>(e.telinkInfo->data()), 2)));
    Node* data = addField(node, QStringLiteral("data"), QStringLiteral("Data"), e.dataOffset(), e.data.size(), preview(e.data));
    if (!data)
        return;
    const qint64 d = e.dataOffset();
    if (auto suite = suiteForSignatureTag(e.tag); suite && e.data.size() == suiteInfo(*suite).signatureElementDataSize()) {
        const int n = suiteInfo(*suite).scalarSize;
        addField(*data, QStringLiteral("signerIeee"), QStringLiteral("Signer IEEE address"), d, 8,
                 formatEui64(eui64FromLittleEndian(QByteArrayView(e.data).first(8))));
        addField(*data, QStringLiteral("r"), QStringLiteral("ECDSA r"), d + 8, n, preview(QByteArrayView(e.data).sliced(8, n)));
        addField(*data, QStringLiteral("s"), QStringLiteral("ECDSA s"), d + 8 + n, n, preview(QByteArrayView(e.data).sliced(8 + n, n)));
    } else if (auto cs = suiteForCertificateTag(e.tag); cs && e.data.size() == suiteInfo(*cs).certificateSize) {
        for (const CertificateField& f : certificateLayout(*cs)) {
            const QByteArrayView v = QByteArrayView(e.data).sliced(f.offset, f.size);
            const bool eui = f.name == QLatin1String("subject") || f.name == QLatin1String("issuer");
            addField(*data, f.name, f.label, d + f.offset, f.size, eui ? formatEui64(eui64FromBigEndian(v)) : preview(v));
        }
    }
}

void Inspector::checkIntegrity()
{
    const auto& els = m_parse.file.elements;
    for (size_t i = 0; i < els.size(); ++i) {
        const SubElement& e = els[i];
        if (e.tag != tag::IntegrityCode)
            continue;
        QString mismatch;
        IntegrityResult r = verifyIntegrityCode(m_bytes, m_parse.start, e.offset, e.data, &mismatch);
        m_result.integrity = {r.state, r.detail};
        if (r.state == CheckState::Invalid)
            m_result.error(QStringLiteral("element[%1].data").arg(i), e.dataOffset(), mismatch);
        if (!r.warning.isEmpty())
            m_result.warning(QStringLiteral("element[%1].data").arg(i), e.dataOffset(), r.warning);
        for (size_t j = i + 1; j < els.size(); ++j)
            if (!suiteForSignatureTag(els[j].tag) && !suiteForCertificateTag(els[j].tag)) {
                m_result.warning(QStringLiteral("element[%1]").arg(j), els[j].offset,
                                 QStringLiteral("sub-element after the image integrity code is not covered by it"));
                break;
            }
        return;  // a second integrity element is a parse error already
    }
    m_result.integrity = {CheckState::Absent, QStringLiteral("no image integrity code (tag 0x0003)")};
}

void Inspector::checkSignature()
{
    const auto& els = m_parse.file.elements;
    size_t index = els.size();
    for (size_t i = 0; i < els.size(); ++i)
        if (suiteForSignatureTag(els[i].tag)) {
            index = i;
            break;
        }
    if (index == els.size()) {
        m_result.signature = {CheckState::Absent, QStringLiteral("unsigned (no tag 0x0001 / 0x0005 element)")};
        return;
    }
    const SubElement& sig = els[index];
    const QString sigName = QStringLiteral("element[%1]").arg(index);
    const CryptoSuite suite = *suiteForSignatureTag(sig.tag);
    const CryptoSuiteInfo& info = suiteInfo(suite);
    const QString suiteName = QLatin1String(info.name);
    auto invalid = [&](const QString& field, qint64 offset, const QString& message) {
        m_result.signature = {CheckState::Invalid, message};
        m_result.error(field, offset, message);
    };
    if (sig.data.size() != info.signatureElementDataSize()) {
        invalid(sigName + QStringLiteral(".length"), sig.offset + 2,
                QStringLiteral("%1 signature element holds %2 bytes, expected %3 (8-byte signer IEEE + %4-byte r‖s)")
                    .arg(suiteName).arg(sig.data.size()).arg(info.signatureElementDataSize()).arg(info.signatureSize()));
        return;
    }
    const std::uint64_t signer = eui64FromLittleEndian(QByteArrayView(sig.data).first(8));
    const qint64 start = m_parse.start;
    const qint64 imageEnd = start + qint64(m_parse.file.header.totalImageSize);
    if (sig.dataOffset() + sig.data.size() != imageEnd || imageEnd > m_bytes.size()) {
        m_result.signature = {CheckState::Invalid,
                              QStringLiteral("%1 signature does not end the image at %2: its digest range is undefined").arg(suiteName, at(imageEnd))};
        return;  // the parser reported why (not last / truncated file)
    }

    // Certificate of the same suite: shape and subject.
    bool haveCert = false;
    for (size_t i = 0; i < els.size(); ++i) {
        auto cs = suiteForCertificateTag(els[i].tag);
        if (!cs)
            continue;
        const QString name = QStringLiteral("element[%1]").arg(i);
        if (*cs != suite) {
            m_result.warning(name, els[i].offset, QStringLiteral("certificate of %1 next to a %2 signature")
                                                      .arg(QLatin1String(suiteInfo(*cs).name), suiteName));
            continue;
        }
        haveCert = true;
        if (els[i].data.size() != info.certificateSize) {
            m_result.error(name + QStringLiteral(".length"), els[i].offset + 2,
                           QStringLiteral("%1 certificate is %2 bytes, expected %3").arg(suiteName).arg(els[i].data.size()).arg(info.certificateSize));
        } else if (const std::uint64_t subject = certificateSubject(suite, els[i].data); subject != signer) {
            m_result.error(name + QStringLiteral(".data.subject"), els[i].dataOffset(),
                           QStringLiteral("certificate subject %1 differs from the signer IEEE %2 of the signature")
                               .arg(formatEui64(subject), formatEui64(signer)));
        }
    }
    // A missing certificate is a warning while the signature is not shown to verify (a
    // client that checks no signatures takes the file); a signature that verifies
    // without it is invalid instead (below).
    auto warnNoCert = [&] {
        if (!haveCert)
            m_result.warning(sigName, sig.offset, QStringLiteral("%1 signature without a signing certificate element (tag %2)")
                                                      .arg(suiteName, hex16(info.certificateTag)));
    };

    std::vector<const crypto::PKey*> keys;
    for (const crypto::PKey& k : m_options.verificationKeys)
        if (auto ks = suiteForKey(k); ks && *ks == suite)
            keys.push_back(&k);
    const QString who = QStringLiteral("%1 signature by %2").arg(suiteName, formatEui64(signer));
    if (keys.empty()) {
        warnNoCert();
        m_result.signature = {CheckState::Unchecked,
                              m_options.verificationKeys.empty()
                                  ? QStringLiteral("%1; no key given to check it").arg(who)
                                  : QStringLiteral("%1; none of the %2 given keys is %3").arg(who).arg(m_options.verificationKeys.size())
                                        .arg(crypto::keyTypeName(info.keyType))};
        return;
    }
    const qint64 digestEnd = imageEnd - info.signatureSize();
    auto digest = signatureDigest(QByteArrayView(m_bytes).sliced(start, imageEnd - start), suite);
    if (!digest) {
        warnNoCert();
        m_result.signature = {CheckState::Unchecked, digest.error().message};
        return;
    }
    const QByteArrayView rs = QByteArrayView(sig.data).sliced(8);
    QStringList tried;
    for (const crypto::PKey* k : keys) {
        if (verifyDigest(*k, *digest, rs, suite)) {
            // A client takes the signer's key from the certificate (Silicon Labs'
            // ota-client-signature-verify.c: "Could not obtain signing certificate"
            // → IMAGE_BAD), so without one it refuses the file whatever key we hold.
            if (!haveCert) {
                invalid(sigName, sig.offset,
                        QStringLiteral("%1 verifies with key %2, but the file has no %3 signing certificate (tag %4): an "
                                       "OTA client takes the signer's key from that certificate and refuses the file")
                            .arg(who, keyFingerprint(*k), suiteName, hex16(info.certificateTag)));
                return;
            }
            m_result.signature = {CheckState::Valid, QStringLiteral("ECDSA %1 over AES-MMO of [%2, %3), signer %4, key %5")
                                                         .arg(suiteName, at(start), at(digestEnd), formatEui64(signer), keyFingerprint(*k))};
            return;
        }
        tried << keyFingerprint(*k);
    }
    warnNoCert();
    m_result.signature = {CheckState::Invalid, QStringLiteral("signature does not match key %1").arg(tried.join(QStringLiteral(", ")))};
    m_result.error(sigName + QStringLiteral(".data"), sig.dataOffset() + 8,
                   QStringLiteral("%1 does not verify with key %2 (AES-MMO of [%3, %4) is %5)")
                       .arg(who, tried.join(QStringLiteral(", ")), at(start), at(digestEnd), toHex(*digest)));
}

Node* findNode(Node& root, const QString& path)
{
    Node* node = &root;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        Node* next = nullptr;
        for (Node& c : node->children)
            if (c.name == part) {
                next = &c;
                break;
            }
        if (!next)
            return node == &root ? nullptr : node;  // deepest existing node
        node = next;
    }
    return node;
}

void Inspector::markProblems()
{
    for (const image::Finding& f : m_result.findings)
        if (f.severity != image::Severity::Info)
            if (Node* n = findNode(m_result.root, f.field))
                n->problem = true;
}

Inspection Inspector::run()
{
    m_result.format = image::Format::ZigbeeOta;
    m_result.formatName = image::formatName(image::Format::ZigbeeOta);
    m_result.bytes = m_bytes;
    m_result.root = Node{QStringLiteral("file"), QStringLiteral("Zigbee OTA file"), QStringLiteral("%1 bytes").arg(m_bytes.size()),
                         0, m_bytes.size(), false, {}};
    m_result.integrity = {CheckState::Absent, QStringLiteral("no image integrity code (tag 0x0003)")};
    m_result.signature = {CheckState::Absent, QStringLiteral("unsigned (no tag 0x0001 / 0x0005 element)")};
    m_result.encryption = {CheckState::Absent, QStringLiteral("the Zigbee OTA format has no encryption")};
    m_parse = parseOtaFile(m_bytes);
    m_result.findings = m_parse.findings;
    if (m_parse.start >= 0) {
        if (m_parse.start > 0)
            m_result.root.add(Node{QStringLiteral("prefix"), QStringLiteral("Vendor prefix"), preview(m_parse.file.prefix), 0,
                                   m_parse.start, false, {}});
        buildHeader();
        for (size_t i = 0; i < m_parse.file.elements.size(); ++i)
            buildElement(i);
        if (!m_parse.file.trailing.isEmpty())
            m_result.root.add(Node{QStringLiteral("trailing"), QStringLiteral("Trailing bytes"), preview(m_parse.file.trailing),
                                   m_bytes.size() - m_parse.file.trailing.size(), m_parse.file.trailing.size(), false, {}});
        if (m_parse.headerComplete) {
            checkIntegrity();
            checkSignature();
        }
        if (m_parse.file.find(tag::TelinkAes) && m_parse.file.find(tag::TelinkAes)->telinkInfo)
            m_result.encryption.detail = QStringLiteral("tag 0xf000 data is Telink AES-encrypted with a vendor key (opaque here)");
    }
    markProblems();
    return std::move(m_result);
}

} // namespace

image::Inspection inspectOtaFile(const QByteArray& file, const image::VerifyOptions& options)
{
    return Inspector(file, options).run();
}

} // namespace otalab::core::zigbee
