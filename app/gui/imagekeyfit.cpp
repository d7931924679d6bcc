// SPDX-License-Identifier: Apache-2.0
#include "imagekeyfit.h"

#include "core/image/inspection.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_format.h"
#include "core/mcuboot/image_parser.h"
#include "core/zigbee/crypto_suite.h"
#include "core/zigbee/ota_parser.h"

#include <QStringList>

namespace otalab::app {
namespace {

QString keyKind(const core::crypto::PKey& key)
{
    const auto type = key.type();
    return type ? QStringLiteral("a %1 key").arg(core::crypto::keyTypeName(*type)) : QStringLiteral("a key of an unknown kind");
}

KeyFit mcubootFit(const QByteArray& file, const core::crypto::PKey& key)
{
    using namespace core::mcuboot;
    const ParseReport parsed = parseImageReport(file);
    const auto& tlvs = parsed.image.unprotectedTlvs.tlvs;
    const auto keyTlv = signatureTlvType(key);
    const auto hashInput = keyHashInput(key);
    QStringList algorithms;
    bool otherSigner = false;
    const Tlv* ref = nullptr;
    for (const Tlv& t : tlvs) {
        if (t.type == TlvKeyHash || t.type == TlvPubKey) {
            ref = &t;
            continue;
        }
        if (!isSignatureTlv(t.type))
            continue;
        const Tlv* named = ref;
        ref = nullptr;
        if (!algorithms.contains(signatureAlgorithmName(t.type)))
            algorithms.append(signatureAlgorithmName(t.type));
        if (!keyTlv || *keyTlv != t.type)
            continue;
        // No key reference: the signature is checked with every key of its kind (and
        // MCUboot's rule about it is the inspection's to report).
        if (!named)
            return {true, {}};
        if (hashInput && (named->type == TlvKeyHash ? named->value == sha256(*hashInput) : named->value == *hashInput))
            return {true, {}};
        otherSigner = true;
    }
    if (algorithms.isEmpty())
        return {false, QStringLiteral("the image is unsigned")};
    if (otherSigner)
        return {false, QStringLiteral("the image's key hash names another %1 key").arg(algorithms.join(QStringLiteral(", ")))};
    return {false, QStringLiteral("%1; this image is signed with %2").arg(keyKind(key), algorithms.join(QStringLiteral(", ")))};
}

KeyFit zigbeeFit(const QByteArray& file, const core::crypto::PKey& key)
{
    using namespace core::zigbee;
    const OtaParseResult parsed = parseOtaFile(file);
    std::optional<CryptoSuite> fileSuite;
    for (const SubElement& e : parsed.file.elements)
        if (auto s = suiteForSignatureTag(e.tag)) {
            fileSuite = s;
            break;
        }
    if (!fileSuite)
        return {false, QStringLiteral("the file is unsigned")};
    const auto keySuite = suiteForKey(key);
    if (keySuite && *keySuite == *fileSuite)
        return {true, {}};
    return {false, QStringLiteral("%1; this file is signed with %2").arg(keyKind(key), QString::fromLatin1(suiteInfo(*fileSuite).name))};
}

} // namespace

KeyFit keyFitsImage(const QByteArray& file, const core::crypto::PKey& key)
{
    switch (core::image::detectFormat(file)) {
    case core::image::Format::Mcuboot: return mcubootFit(file, key);
    case core::image::Format::ZigbeeOta: return zigbeeFit(file, key);
    case core::image::Format::Unknown: break;
    }
    return {false, QStringLiteral("the file is not an image format this tool checks signatures of")};
}

} // namespace otalab::app
