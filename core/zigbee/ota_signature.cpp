// SPDX-License-Identifier: Apache-2.0
// OTA file signing and raw ECDSA over AES-MMO digests (OpenSSL EVP_PKEY_sign/verify).
#include "core/zigbee/ota_signature.h"

#include "core/zigbee/eui64.h"
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_certificate.h"
#include "core/zigbee/ota_integrity.h"
#include "core/zigbee/ota_parser.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>

namespace otalab::core::zigbee {
namespace {

struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
struct SigFree { void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); } };
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using SigPtr = std::unique_ptr<ECDSA_SIG, SigFree>;

bool isSignatureTag(std::uint16_t t)
{
    return suiteForSignatureTag(t).has_value() || suiteForCertificateTag(t).has_value();
}

} // namespace

Result<AesMmoDigest> signatureDigest(QByteArrayView image, CryptoSuite suite)
{
    const qint64 end = image.size() - suiteInfo(suite).signatureSize();
    if (end < 0)
        return fail(QStringLiteral("image of %1 bytes is shorter than its signature").arg(image.size()));
    return aesMmoHash(image.first(end));
}

Result<QByteArray> signDigest(const crypto::PKey& key, const AesMmoDigest& digest, CryptoSuite suite)
{
    const CryptoSuiteInfo& info = suiteInfo(suite);
    auto keySuite = suiteForKey(key);
    if (!keySuite)
        return fail(keySuite.error());
    if (*keySuite != suite)
        return fail(QStringLiteral("%1 needs a %2 key").arg(QLatin1String(info.name), crypto::keyTypeName(info.keyType)));
    if (!key.hasPrivate())
        return fail(QStringLiteral("signing needs a private key; this PEM holds only a public key"));
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1)
        return fail(QStringLiteral("ECDSA sign failed: %1").arg(crypto::opensslError()));
    QByteArray der(qsizetype(len), '\0');
    if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len, digest.data(), digest.size()) != 1)
        return fail(QStringLiteral("ECDSA sign failed: %1").arg(crypto::opensslError()));
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, long(len)));
    if (!sig)
        return fail(QStringLiteral("cannot decode the ECDSA signature: %1").arg(crypto::opensslError()));
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    QByteArray rs(info.signatureSize(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(rs.data());
    if (BN_bn2binpad(r, out, info.scalarSize) != info.scalarSize || BN_bn2binpad(s, out + info.scalarSize, info.scalarSize) != info.scalarSize)
        return fail(QStringLiteral("ECDSA r or s does not fit %1 bytes").arg(info.scalarSize));
    return rs;
}

bool verifyDigest(const crypto::PKey& key, const AesMmoDigest& digest, QByteArrayView rs, CryptoSuite suite)
{
    const CryptoSuiteInfo& info = suiteInfo(suite);
    auto keySuite = suiteForKey(key);
    if (!keySuite || *keySuite != suite || rs.size() != info.signatureSize())
        return false;
    const auto* in = reinterpret_cast<const unsigned char*>(rs.data());
    SigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(in, info.scalarSize, nullptr);
    BIGNUM* s = BN_bin2bn(in + info.scalarSize, info.scalarSize, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return false;
    }
    unsigned char* der = nullptr;
    const int derLen = i2d_ECDSA_SIG(sig.get(), &der);
    if (derLen <= 0)
        return false;
    PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    const bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1
                 && EVP_PKEY_verify(ctx.get(), der, size_t(derLen), digest.data(), digest.size()) == 1;
    OPENSSL_free(der);
    crypto::opensslError();  // a mismatch leaves errors queued; drop them
    return ok;
}

Result<QByteArray> signOtaFile(QByteArrayView input, const crypto::PKey& key, const SignOptions& options)
{
    auto suite = suiteForKey(key);
    if (!suite)
        return fail(suite.error());
    const CryptoSuiteInfo& info = suiteInfo(*suite);
    OtaParseResult parsed = parseOtaFile(input);
    if (const auto* e = parsed.firstError())
        return fail(Error::at(e->offset, e->field, QStringLiteral("cannot sign a malformed file: %1").arg(e->message)));

    // Keep the integrity code's convention; refuse to re-seal a code that does not match.
    std::optional<IntegrityConvention> integrity;
    if (const SubElement* ic = parsed.file.find(tag::IntegrityCode)) {
        QString why;
        IntegrityResult check = verifyIntegrityCode(input, parsed.start, ic->offset, ic->data, &why);
        if (check.state != image::CheckState::Valid)
            return fail(QStringLiteral("refusing to sign: %1").arg(why.isEmpty() ? check.detail : why));
        integrity = check.matched;
    }

    OtaFile file = parsed.file;
    std::erase_if(file.elements, [](const SubElement& e) { return isSignatureTag(e.tag); });
    auto cert = makeCertificate(*suite, key, options.signerIeee, options.issuerIeee);
    if (!cert)
        return fail(cert.error());
    file.elements.push_back(SubElement{info.certificateTag, *cert, std::nullopt, -1});
    file.elements.push_back(SubElement{info.signatureTag,
                                       eui64LittleEndian(options.signerIeee) + QByteArray(info.signatureSize(), '\0'),
                                       std::nullopt, -1});
    auto bytes = serializeOtaFile(file);
    if (!bytes)
        return bytes;

    if (integrity) {
        qint64 pos = file.header.knownFieldsSize() + file.header.extraHeaderBytes.size();
        for (const SubElement& e : file.elements) {
            if (e.tag == tag::IntegrityCode) {
                auto digest = integrityDigest(*bytes, pos, *integrity);
                if (!digest)
                    return fail(digest.error());
                bytes->replace(pos + kSubElementHeaderSize, 16, toByteArray(*digest));
                break;
            }
            pos += e.encodedSize();
        }
    }
    auto digest = signatureDigest(*bytes, *suite);
    if (!digest)
        return fail(digest.error());
    auto rs = signDigest(key, *digest, *suite);
    if (!rs)
        return fail(rs.error());
    bytes->replace(bytes->size() - info.signatureSize(), info.signatureSize(), *rs);
    return file.prefix + *bytes;
}

} // namespace otalab::core::zigbee
