// SPDX-License-Identifier: Apache-2.0
// SeededOtaSigner: seed-derived sect163k1 key, deterministic ECDSA nonce (OpenSSL BN / EC_POINT).
#include "sim/zigbee/otasigner.h"

#include "core/zigbee/crypto_suite.h"
#include "core/zigbee/ota_file.h"
#include "core/zigbee/ota_parser.h"
#include "core/zigbee/ota_signature.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <memory>

namespace otalab::sim {

namespace zb = core::zigbee;

namespace {

struct BnFree { void operator()(BIGNUM* b) const { BN_clear_free(b); } };
struct CtxFree { void operator()(BN_CTX* c) const { BN_CTX_free(c); } };
struct GroupFree { void operator()(EC_GROUP* g) const { EC_GROUP_free(g); } };
struct PointFree { void operator()(EC_POINT* p) const { EC_POINT_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, CtxFree>;
using Group = std::unique_ptr<EC_GROUP, GroupFree>;
using Point = std::unique_ptr<EC_POINT, PointFree>;

constexpr zb::CryptoSuite kSuite = zb::CryptoSuite::Suite1;

Error opensslFailure(const char* what)
{
    return Error{QStringLiteral("seeded OTA signer: %1 failed: %2").arg(QLatin1String(what), core::crypto::opensslError())};
}

// SHA-256 of the parts, as a BIGNUM reduced into [1, n − 1].
Bn scalarFrom(const QByteArray& material, const BIGNUM* order, BN_CTX* ctx)
{
    const QByteArray h = QCryptographicHash::hash(material, QCryptographicHash::Sha256);
    Bn x(BN_bin2bn(reinterpret_cast<const unsigned char*>(h.constData()), int(h.size()), nullptr));
    Bn nMinus1(BN_dup(order));
    if (!x || !nMinus1 || !BN_sub_word(nMinus1.get(), 1) || !BN_nnmod(x.get(), x.get(), nMinus1.get(), ctx) || !BN_add_word(x.get(), 1))
        return {};
    return x;
}

QByteArray le64(std::uint64_t v)
{
    QByteArray b(8, '\0');
    qToLittleEndian(v, b.data());
    return b;
}

} // namespace

std::uint32_t SeededOtaSigner::signatureOverhead()
{
    const zb::CryptoSuiteInfo& info = zb::suiteInfo(kSuite);
    return std::uint32_t(2 * zb::kSubElementHeaderSize + info.certificateSize + info.signatureElementDataSize());
}

Result<SeededOtaSigner> SeededOtaSigner::create(std::uint64_t seed, std::uint32_t purpose, std::uint64_t signerIeee,
                                                std::uint64_t issuerIeee)
{
    BnCtx ctx(BN_CTX_new());
    Group group(EC_GROUP_new_by_curve_name(NID_sect163k1));
    if (!ctx || !group)
        return fail(opensslFailure("sect163k1 group"));
    const BIGNUM* order = EC_GROUP_get0_order(group.get());
    Bn d = scalarFrom(QByteArrayLiteral("otalab zigbee OTA signer") + le64(seed) + le64(purpose), order, ctx.get());
    Point pub(EC_POINT_new(group.get()));
    if (!d || !pub || !EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, ctx.get()))
        return fail(opensslFailure("public point"));
    const size_t pubLen = EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, ctx.get());
    QByteArray pubOct(qsizetype(pubLen), '\0');
    if (pubLen == 0 || EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                                          reinterpret_cast<unsigned char*>(pubOct.data()), pubLen, ctx.get()) != pubLen)
        return fail(opensslFailure("public point encoding"));

    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "sect163k1", 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pubOct.constData(), size_t(pubOct.size()))
        || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))
        return fail(opensslFailure("key parameters"));
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1
        || EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1 || !raw)
        return fail(opensslFailure("EVP_PKEY_fromdata"));

    SeededOtaSigner s;
    s.m_key = core::crypto::PKey(raw);
    auto pubKey = core::crypto::PKey::fromPublicDer(s.m_key.publicDer());
    if (!pubKey)
        return fail(pubKey.error());
    s.m_public = std::move(*pubKey);
    s.m_scalar = QByteArray(zb::suiteInfo(kSuite).scalarSize, '\0');
    if (BN_bn2binpad(d.get(), reinterpret_cast<unsigned char*>(s.m_scalar.data()), int(s.m_scalar.size())) != s.m_scalar.size())
        return fail(opensslFailure("private scalar encoding"));
    s.m_signer = signerIeee;
    s.m_issuer = issuerIeee;
    return s;
}

Result<QByteArray> SeededOtaSigner::sign(QByteArrayView file) const
{
    // signOtaFile lays out certificate + signature and reseals the integrity code; its r‖s
    // (random nonce) is then replaced by ours: the digest stops before r‖s.
    auto out = zb::signOtaFile(file, m_key, zb::SignOptions{m_signer, m_issuer});
    if (!out)
        return out;
    const qint64 start = zb::parseOtaFile(QByteArrayView(*out)).start;
    if (start < 0)
        return fail(Error{QStringLiteral("seeded OTA signer: the signed file has no OTA identifier")});
    auto digest = zb::signatureDigest(QByteArrayView(*out).sliced(start), kSuite);
    if (!digest)
        return fail(digest.error());

    const zb::CryptoSuiteInfo& info = zb::suiteInfo(kSuite);
    BnCtx ctx(BN_CTX_new());
    Group group(EC_GROUP_new_by_curve_name(NID_sect163k1));
    if (!ctx || !group)
        return fail(opensslFailure("sect163k1 group"));
    const BIGNUM* n = EC_GROUP_get0_order(group.get());
    const QByteArray digestBytes(reinterpret_cast<const char*>(digest->data()), qsizetype(digest->size()));
    Bn d(BN_bin2bn(reinterpret_cast<const unsigned char*>(m_scalar.constData()), int(m_scalar.size()), nullptr));
    // e: the 128-bit digest as an integer (shorter than the 163-bit order: no truncation).
    Bn e(BN_bin2bn(digest->data(), int(digest->size()), nullptr));
    Bn x(BN_new()), r(BN_new()), s(BN_new()), t(BN_new());
    Point kG(EC_POINT_new(group.get()));
    if (!d || !e || !x || !r || !s || !t || !kG)
        return fail(opensslFailure("BN_new"));
    for (std::uint32_t counter = 0; counter < 64; ++counter) {
        Bn k = scalarFrom(QByteArrayLiteral("otalab zigbee OTA nonce") + m_scalar + digestBytes + le64(counter), n, ctx.get());
        if (!k || !EC_POINT_mul(group.get(), kG.get(), k.get(), nullptr, nullptr, ctx.get())
            || !EC_POINT_get_affine_coordinates(group.get(), kG.get(), x.get(), nullptr, ctx.get())
            || !BN_nnmod(r.get(), x.get(), n, ctx.get()))
            return fail(opensslFailure("ECDSA r"));
        if (BN_is_zero(r.get()))
            continue;
        // s = k⁻¹ (e + r d) mod n
        if (!BN_mod_mul(t.get(), r.get(), d.get(), n, ctx.get()) || !BN_mod_add(t.get(), t.get(), e.get(), n, ctx.get())
            || !BN_mod_inverse(k.get(), k.get(), n, ctx.get()) || !BN_mod_mul(s.get(), k.get(), t.get(), n, ctx.get()))
            return fail(opensslFailure("ECDSA s"));
        if (BN_is_zero(s.get()))
            continue;
        QByteArray rs(info.signatureSize(), '\0');
        auto* p = reinterpret_cast<unsigned char*>(rs.data());
        if (BN_bn2binpad(r.get(), p, info.scalarSize) != info.scalarSize || BN_bn2binpad(s.get(), p + info.scalarSize, info.scalarSize) != info.scalarSize)
            return fail(Error{QStringLiteral("seeded OTA signer: r or s does not fit %1 bytes").arg(info.scalarSize)});
        if (!zb::verifyDigest(m_public, *digest, rs, kSuite))
            return fail(Error{QStringLiteral("seeded OTA signer: the signature does not verify with its own key")});
        out->replace(out->size() - info.signatureSize(), info.signatureSize(), rs);
        return out;
    }
    return fail(Error{QStringLiteral("seeded OTA signer: no usable nonce")});
}

} // namespace otalab::sim
