// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_inspect.h"

#include "core/common/bytes.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_decryptor.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"
#include "core/mcuboot/tlv_nodes.h"

#include <set>

namespace otalab::core::mcuboot {
namespace {

using image::Badge;
using image::CheckState;
using image::Inspection;
using image::Node;

void markProblems(Node& node, const QString& path, const std::set<QString>& fields)
{
    if (fields.count(path))
        node.problem = true;
    for (Node& c : node.children)
        markProblems(c, path.isEmpty() ? c.name : path + QLatin1Char('.') + c.name, fields);
}

Badge signatureBadge(const VerifyReport& report)
{
    if (report.signatures.empty())
        return {CheckState::Absent, QStringLiteral("unsigned (no signature TLV)")};
    QStringList details;
    bool anyValid = false;
    bool anyInvalid = false;
    for (const SignatureCheck& s : report.signatures) {
        details << s.detail;
        anyValid = anyValid || s.verdict == SignatureVerdict::Valid;
        anyInvalid = anyInvalid || s.verdict == SignatureVerdict::Invalid;
    }
    // Any invalid signature is an error finding, so the badge says invalid too.
    const CheckState state = anyInvalid ? CheckState::Invalid : anyValid ? CheckState::Valid : CheckState::Unchecked;
    return {state, details.join(QStringLiteral("; "))};
}

} // namespace

Inspection inspectImage(const QByteArray& file, const image::VerifyOptions& options)
{
    const QByteArray& aesKwKek = options.decryptionKek;
    Inspection ins;
    ins.format = image::Format::Mcuboot;
    ins.formatName = image::formatName(image::Format::Mcuboot);
    ins.bytes = file;

    ParseReport parsed = parseImageReport(file);
    const McubootImage& img = parsed.image;
    ins.root = buildImageTree(parsed);
    for (const Error& e : parsed.errors)
        ins.error(e.field, e.offset, e.message);
    for (const Error& w : parsed.warnings)
        ins.warning(w.field, w.offset, w.message);

    if (!parsed.structureValid) {
        ins.integrity = {CheckState::Unchecked, QStringLiteral("not checked: the image structure is broken")};
        ins.signature = {CheckState::Unchecked, QStringLiteral("not checked: the image structure is broken")};
        ins.encryption = parsed.headerParsed && img.isEncrypted()
                             ? Badge{CheckState::Unchecked, encryptionDescription(img) + QStringLiteral("; not checked: the image structure is broken")}
                             : Badge{CheckState::Absent, QStringLiteral("not encrypted")};
    } else {
        // Decrypt first when we can, so hash and signatures are checked over plaintext.
        QByteArray plaintext;
        bool decrypted = false;
        if (img.isEncrypted()) {
            const QString what = encryptionDescription(img);
            DecryptionKey key{options.decryptionKey, aesKwKek};
            if (key.isEmpty()) {
                ins.encryption = {CheckState::Unchecked, what + QStringLiteral("; no decryption key given")};
            } else if (auto dec = decryptImage(img, key)) {
                plaintext = *dec;
                decrypted = true;
            } else if (dec.error().message.startsWith(QStringLiteral("ENC_KW needs"))
                       || dec.error().message.startsWith(QStringLiteral("ENC_EC256 needs"))) {
                ins.encryption = {CheckState::Unchecked, what + QStringLiteral("; ") + dec.error().message};
            } else {
                ins.encryption = {CheckState::Invalid, what + QStringLiteral("; ") + dec.error().message};
                ins.error(dec.error().field, dec.error().offset, dec.error().message);
            }
        } else {
            ins.encryption = {CheckState::Absent, QStringLiteral("not encrypted")};
        }

        const VerifyReport report = verifyImage(img, options.verificationKeys, decrypted ? &plaintext : nullptr);
        const QString hashed = QStringLiteral("SHA-256 over [0, %1)").arg(hex(img.hashedEnd(), 4));
        const QString shaField = QStringLiteral("unprotectedTlvs.tlv[%1]").arg(report.hash.tlvIndex);
        if (!report.hash.present)
            ins.integrity = {CheckState::Absent, QStringLiteral("no SHA256 TLV")};
        else if (!report.hash.checked)
            ins.integrity = {CheckState::Unchecked, hashed + QStringLiteral(" of the plaintext; the body is encrypted")};
        else if (report.hash.valid)
            ins.integrity = {CheckState::Valid, hashed + (decrypted ? QStringLiteral(" (decrypted) matches") : QStringLiteral(" matches"))};
        else {
            ins.integrity = {CheckState::Invalid, hashed + QStringLiteral(" does not match the SHA256 TLV")};
            ins.error(shaField + QStringLiteral(".value"), report.hash.offset + kTlvHeaderSize,
                      QStringLiteral("SHA256 TLV %1 does not match the computed %2 over [0, %3): header, body or protected TLVs were modified")
                          .arg(QString::fromLatin1(report.hash.expected.toHex()), QString::fromLatin1(report.hash.computed.toHex()),
                               hex(img.hashedEnd(), 4)));
        }
        if (img.isEncrypted() && decrypted)
            ins.encryption = report.hash.valid
                                 ? Badge{CheckState::Valid, encryptionDescription(img) + QStringLiteral("; decrypted, hash over plaintext matches")}
                                 : Badge{CheckState::Invalid, encryptionDescription(img) + QStringLiteral("; decrypted, but the hash does not match (wrong key?)")};

        ins.signature = signatureBadge(report);
        for (const SignatureCheck& s : report.signatures) {
            const QString field = QStringLiteral("unprotectedTlvs.tlv[%1]").arg(s.tlvIndex);
            // A signature MCUboot would ignore is never valid (SignatureVerdict); without
            // keys the missing key reference is only a warning, like an unsigned image.
            if (s.verdict == SignatureVerdict::Invalid)
                ins.error(field, s.offset, QStringLiteral("%1 signature invalid: %2").arg(s.algorithm, s.detail));
            else if (s.keyRefType == 0)
                ins.warning(field, s.offset, QStringLiteral("signature without a preceding KEYHASH or PUBKEY TLV: MCUboot would "
                                                            "not find a key for it and ignores it"));
        }
        ins.root = buildImageTree(parsed, &report);
    }

    std::set<QString> fields;
    for (const image::Finding& f : ins.findings)
        fields.insert(f.field);
    markProblems(ins.root, {}, fields);
    ins.root.problem = false;
    return ins;
}

} // namespace otalab::core::mcuboot
