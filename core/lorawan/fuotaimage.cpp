// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fuotaimage.h"

#include "core/mcuboot/image_crypto.h"

#include <openssl/evp.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

namespace otalab::core::lorawan {
namespace {

constexpr char kMagic[4] = {'O', 'L', 'F', 'U'};
constexpr std::uint8_t kFlagDelta = 0x01;
constexpr std::uint8_t kFlagSigned = 0x02;
constexpr std::uint16_t kEcdsaSigTlv = 0x22;  // core/mcuboot's name for "ECDSA P-256 over SHA-256"
constexpr int kMaxDerSignature = 72;
constexpr int kMinDerSignature = 8;

struct CCtxFree { void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); } };
struct DCtxFree { void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); } };

std::uint32_t le32(QByteArrayView d, qsizetype at)
{
    return std::uint32_t(std::uint8_t(d[at])) | std::uint32_t(std::uint8_t(d[at + 1])) << 8
           | std::uint32_t(std::uint8_t(d[at + 2])) << 16 | std::uint32_t(std::uint8_t(d[at + 3])) << 24;
}

void putLe(QByteArray& out, std::uint32_t v, int width)
{
    for (int i = 0; i < width; ++i)
        out.append(char(std::uint8_t(v >> (8 * i))));
}

Sha256 shaAt(QByteArrayView d, qsizetype at)
{
    Sha256 h{};
    for (int i = 0; i < 32; ++i)
        h[size_t(i)] = std::uint8_t(d[at + i]);
    return h;
}

QByteArray shaBytes(const Sha256& h) { return QByteArray(reinterpret_cast<const char*>(h.data()), 32); }

Result<void> checkSigningKey(const crypto::PKey* key)
{
    if (!key || key->isNull())
        return fail(Error::at(-1, QStringLiteral("signingKey"), QStringLiteral("a signed FUOTA image needs an ECDSA P-256 private key")));
    auto type = key->type();
    if (!type || *type != crypto::KeyType::EcdsaP256)
        return fail(Error::at(-1, QStringLiteral("signingKey"), QStringLiteral("FUOTA images are signed with ECDSA P-256, this is a %1 key")
                                                                    .arg(type ? crypto::keyTypeName(*type) : QStringLiteral("unknown"))));
    if (!key->hasPrivate())
        return fail(Error::at(-1, QStringLiteral("signingKey"), QStringLiteral("signing needs the private key, this is a public key")));
    return {};
}

int highBit(std::uint64_t v)
{
    int b = 0;
    while (v >>= 1)
        ++b;
    return b;
}

} // namespace

Sha256 sha256Of(QByteArrayView data)
{
    Sha256 h{};
    EVP_Digest(data.data(), size_t(data.size()), h.data(), nullptr, EVP_sha256(), nullptr);
    return h;
}

QString sha256Hex(const Sha256& hash) { return QString::fromLatin1(shaBytes(hash).toHex()); }

QString fuotaImageKindName(FuotaImageKind kind)
{
    switch (kind) {
    case FuotaImageKind::Raw: return QStringLiteral("raw");
    case FuotaImageKind::Signed: return QStringLiteral("signed");
    case FuotaImageKind::Delta: return QStringLiteral("delta");
    case FuotaImageKind::SignedDelta: return QStringLiteral("signed delta");
    }
    return QStringLiteral("unknown");
}

Result<FuotaImageKind> fuotaImageKindFromName(const QString& name)
{
    if (name == QLatin1String("raw"))
        return FuotaImageKind::Raw;
    if (name == QLatin1String("signed"))
        return FuotaImageKind::Signed;
    if (name == QLatin1String("delta"))
        return FuotaImageKind::Delta;
    if (name == QLatin1String("signed-delta") || name == QLatin1String("signed delta"))
        return FuotaImageKind::SignedDelta;
    return fail(Error::at(-1, QStringLiteral("kind"),
                          QStringLiteral("unknown FUOTA image kind '%1' (raw, signed, delta, signed-delta)").arg(name)));
}

FuotaImageKind FuotaContainer::kind() const
{
    if (delta)
        return isSigned ? FuotaImageKind::SignedDelta : FuotaImageKind::Delta;
    return isSigned ? FuotaImageKind::Signed : FuotaImageKind::Raw;
}

Result<QByteArray> zstdPatchCreate(QByteArrayView base, QByteArrayView target, int level)
{
    std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
    if (!cctx)
        return fail(QStringLiteral("zstd: cannot create a compression context"));
    // A window that reaches from the end of the target back to the start of the base,
    // as `zstd --patch-from` chooses it.
    const int windowLog = std::clamp(highBit(std::uint64_t(base.size()) + std::uint64_t(target.size())) + 1,
                                     10, 30);  // 10 = ZSTD_WINDOWLOG_MIN
    auto set = [&](ZSTD_cParameter p, int v) { return !ZSTD_isError(ZSTD_CCtx_setParameter(cctx.get(), p, v)); };
    if (!set(ZSTD_c_compressionLevel, level) || !set(ZSTD_c_enableLongDistanceMatching, 1)
        || !set(ZSTD_c_windowLog, windowLog) || !set(ZSTD_c_checksumFlag, 1) || !set(ZSTD_c_contentSizeFlag, 1))
        return fail(QStringLiteral("zstd: compression parameters rejected (level %1, window log %2)").arg(level).arg(windowLog));
    size_t rc = ZSTD_CCtx_refPrefix(cctx.get(), base.data(), size_t(base.size()));
    if (ZSTD_isError(rc))
        return fail(QStringLiteral("zstd: cannot reference the base image: %1").arg(QString::fromLatin1(ZSTD_getErrorName(rc))));
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(target.size()))), Qt::Uninitialized);
    rc = ZSTD_compress2(cctx.get(), out.data(), size_t(out.size()), target.data(), size_t(target.size()));
    if (ZSTD_isError(rc))
        return fail(QStringLiteral("zstd: compression failed: %1").arg(QString::fromLatin1(ZSTD_getErrorName(rc))));
    out.resize(qsizetype(rc));
    return out;
}

Result<QByteArray> zstdPatchApply(QByteArrayView base, QByteArrayView patch, qint64 maxOutput, int windowLogMax)
{
    const QString field = QStringLiteral("patch");
    const unsigned long long declared = ZSTD_getFrameContentSize(patch.data(), size_t(patch.size()));
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return fail(Error::at(0, field, QStringLiteral("not a zstd frame (%1 bytes, magic 28 b5 2f fd expected)").arg(patch.size())));
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > std::uint64_t(std::max<qint64>(maxOutput, 0)))
        return fail(Error::at(0, field, QStringLiteral("patch decodes to %1 bytes, more than the flash holds (%2 bytes)")
                                            .arg(declared).arg(maxOutput)));
    std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
    if (!dctx)
        return fail(QStringLiteral("zstd: cannot create a decompression context"));
    size_t rc = ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, windowLogMax);
    if (!ZSTD_isError(rc))
        rc = ZSTD_DCtx_refPrefix(dctx.get(), base.data(), size_t(base.size()));
    if (ZSTD_isError(rc))
        return fail(QStringLiteral("zstd: %1").arg(QString::fromLatin1(ZSTD_getErrorName(rc))));

    // Grow the output as the frame decodes, never beyond maxOutput + 1 bytes (the one
    // extra byte is how an over-long result is noticed).
    const qint64 limit = maxOutput + 1;
    QByteArray out;
    qint64 capacity = std::min<qint64>(limit, declared != ZSTD_CONTENTSIZE_UNKNOWN ? qint64(declared) + 1 : 64 * 1024);
    out.resize(qsizetype(capacity));
    ZSTD_inBuffer in{patch.data(), size_t(patch.size()), 0};
    ZSTD_outBuffer o{out.data(), size_t(out.size()), 0};
    for (;;) {
        rc = ZSTD_decompressStream(dctx.get(), &o, &in);
        if (ZSTD_isError(rc))
            return fail(Error::at(qint64(in.pos), field, QStringLiteral("zstd: %1").arg(QString::fromLatin1(ZSTD_getErrorName(rc)))));
        if (qint64(o.pos) > maxOutput)
            return fail(Error::at(qint64(in.pos), field, QStringLiteral("patch decodes to more than the flash holds (%1 bytes)").arg(maxOutput)));
        if (rc == 0)
            break;  // frame complete
        if (o.pos == o.size) {
            capacity = std::min<qint64>(limit, capacity * 2);
            out.resize(qsizetype(capacity));
            o.dst = out.data();
            o.size = size_t(out.size());
            continue;
        }
        if (in.pos == in.size)
            return fail(Error::at(patch.size(), field, QStringLiteral("truncated zstd frame: the patch ends before the frame does")));
    }
    if (in.pos != in.size)
        return fail(Error::at(qint64(in.pos), field, QStringLiteral("%1 bytes follow the zstd frame").arg(qint64(in.size - in.pos))));
    out.resize(qsizetype(o.pos));
    return out;
}

Result<QByteArray> packFuotaImage(QByteArrayView image, const FuotaPackOptions& options)
{
    if (options.kind == FuotaImageKind::Raw)
        return image.toByteArray();
    if (image.size() > qsizetype(0xffffffffu))
        return fail(Error::at(-1, QStringLiteral("image"), QStringLiteral("%1 bytes do not fit the container's 32-bit length").arg(image.size())));
    const bool delta = options.kind == FuotaImageKind::Delta || options.kind == FuotaImageKind::SignedDelta;
    const bool isSigned = options.kind == FuotaImageKind::Signed || options.kind == FuotaImageKind::SignedDelta;
    if (isSigned)
        if (auto ok = checkSigningKey(options.signingKey); !ok)
            return fail(ok.error());
    QByteArray payload;
    if (delta) {
        if (options.base.isEmpty())
            return fail(Error::at(-1, QStringLiteral("base"), QStringLiteral("a delta image needs the base image the devices run")));
        auto patch = zstdPatchCreate(options.base, image, options.zstdLevel);
        if (!patch)
            return fail(patch.error());
        payload = std::move(*patch);
    } else {
        payload = image.toByteArray();
    }
    QByteArray out;
    out.reserve(kFuotaHeaderSize + payload.size() + 2 + kMaxDerSignature);
    out.append(kMagic, 4);
    out.append(char(kFuotaContainerVersion));
    out.append(char((delta ? kFlagDelta : 0) | (isSigned ? kFlagSigned : 0)));
    putLe(out, 0, 2);
    putLe(out, std::uint32_t(image.size()), 4);
    putLe(out, std::uint32_t(payload.size()), 4);
    out += shaBytes(sha256Of(image));
    out += delta ? shaBytes(sha256Of(options.base)) : QByteArray(32, '\0');
    out += payload;
    if (isSigned) {
        auto sig = mcuboot::signDigest(*options.signingKey, shaBytes(sha256Of(out)));
        if (!sig)
            return fail(sig.error());
        putLe(out, std::uint32_t(sig->size()), 2);
        out += *sig;
    }
    return out;
}

bool looksLikeFuotaContainer(QByteArrayView d) { return d.size() >= 4 && d.first(4) == QByteArrayView(kMagic, 4); }

Result<FuotaContainer> parseFuotaContainer(QByteArrayView d)
{
    if (d.size() < 4 || !looksLikeFuotaContainer(d))
        return fail(Error::at(0, QStringLiteral("magic"), QStringLiteral("not a FUOTA container: expected \"OLFU\", got %1")
                                                              .arg(QString::fromLatin1(d.first(std::min<qsizetype>(4, d.size())).toByteArray().toHex(' ')))));
    if (d.size() < kFuotaHeaderSize)
        return fail(Error::at(d.size(), QStringLiteral("header"), QStringLiteral("truncated container: the header needs %1 bytes, got %2")
                                                                      .arg(kFuotaHeaderSize).arg(d.size())));
    if (std::uint8_t(d[4]) != kFuotaContainerVersion)
        return fail(Error::at(4, QStringLiteral("version"), QStringLiteral("container version %1 is unknown (this build reads %2)")
                                                                .arg(std::uint8_t(d[4])).arg(kFuotaContainerVersion)));
    const std::uint8_t flags = std::uint8_t(d[5]);
    if (flags & ~(kFlagDelta | kFlagSigned))
        return fail(Error::at(5, QStringLiteral("flags"), QStringLiteral("unknown flag bits 0x%1 (bit 0 delta, bit 1 signed)")
                                                              .arg(flags & ~(kFlagDelta | kFlagSigned), 2, 16, QLatin1Char('0'))));
    if (d[6] != 0 || d[7] != 0)
        return fail(Error::at(6, QStringLiteral("reserved"), QStringLiteral("reserved bytes must be 0")));
    FuotaContainer c;
    c.delta = flags & kFlagDelta;
    c.isSigned = flags & kFlagSigned;
    c.imageLength = le32(d, 8);
    const std::uint32_t payloadLength = le32(d, 12);
    c.imageSha256 = shaAt(d, 16);
    c.baseSha256 = shaAt(d, 48);
    if (payloadLength > std::uint64_t(d.size() - kFuotaHeaderSize))
        return fail(Error::at(12, QStringLiteral("payloadLength"),
                              QStringLiteral("truncated container: payload length %1 runs past the end, only %2 bytes follow the header")
                                  .arg(payloadLength).arg(d.size() - kFuotaHeaderSize)));
    if (!c.delta && payloadLength != c.imageLength)
        return fail(Error::at(8, QStringLiteral("imageLength"),
                              QStringLiteral("image length %1 differs from payload length %2 in a non-delta container")
                                  .arg(c.imageLength).arg(payloadLength)));
    if (!c.delta && c.baseSha256 != Sha256{})
        return fail(Error::at(48, QStringLiteral("baseSha256"), QStringLiteral("a non-delta container has no base: the hash must be zeros")));
    c.payload = d.sliced(kFuotaHeaderSize, payloadLength).toByteArray();
    qsizetype pos = kFuotaHeaderSize + qsizetype(payloadLength);
    c.signedLength = pos;
    if (c.isSigned) {
        if (d.size() - pos < 2)
            return fail(Error::at(pos, QStringLiteral("signatureLength"), QStringLiteral("truncated container: the signature length is missing")));
        const int sigLength = std::uint8_t(d[pos]) | std::uint8_t(d[pos + 1]) << 8;
        if (sigLength < kMinDerSignature || sigLength > kMaxDerSignature)
            return fail(Error::at(pos, QStringLiteral("signatureLength"),
                                  QStringLiteral("%1 bytes is no DER ECDSA P-256 signature (%2..%3 bytes)")
                                      .arg(sigLength).arg(kMinDerSignature).arg(kMaxDerSignature)));
        pos += 2;
        if (d.size() - pos < sigLength)
            return fail(Error::at(pos, QStringLiteral("signature"), QStringLiteral("truncated container: the signature needs %1 bytes, %2 remain")
                                                                        .arg(sigLength).arg(d.size() - pos)));
        c.signature = d.sliced(pos, sigLength).toByteArray();
        pos += sigLength;
    }
    if (pos != d.size())
        return fail(Error::at(pos, QStringLiteral("container"), QStringLiteral("%1 bytes follow the end of the container").arg(d.size() - pos)));
    return c;
}

Result<QByteArray> unpackFuotaImage(QByteArrayView block, const FuotaDeviceContext& device)
{
    if (device.flashCapacity <= 0)
        return fail(Error::at(-1, QStringLiteral("flashCapacity"), QStringLiteral("the device's flash capacity must be > 0")));
    auto tooBig = [&](qint64 n) {
        return Error::at(-1, QStringLiteral("imageLength"), QStringLiteral("image of %1 bytes does not fit the flash (%2 bytes)")
                                                                .arg(n).arg(device.flashCapacity));
    };
    if (!looksLikeFuotaContainer(block)) {
        if (device.requireSignature)
            return fail(Error::at(0, QStringLiteral("magic"), QStringLiteral("a raw image is refused: this device requires a signed FUOTA container")));
        if (!device.acceptRaw)
            return fail(parseFuotaContainer(block).error());
        if (block.size() > device.flashCapacity)
            return fail(tooBig(block.size()));
        return block.toByteArray();
    }
    auto c = parseFuotaContainer(block);
    if (!c)
        return fail(c.error());
    if (c->isSigned) {
        if (!device.trustedKey || device.trustedKey->isNull())
            return fail(Error::at(-1, QStringLiteral("signature"), QStringLiteral("signed image but no public key configured on the device")));
        const QByteArray digest = shaBytes(sha256Of(block.first(c->signedLength)));
        if (!mcuboot::verifyDigest(*device.trustedKey, kEcdsaSigTlv, digest, c->signature))
            return fail(Error::at(c->signedLength + 2, QStringLiteral("signature"),
                                  QStringLiteral("signature does not verify with the device's public key")));
    } else if (device.requireSignature) {
        return fail(Error::at(5, QStringLiteral("flags"), QStringLiteral("unsigned %1 container refused: this device requires a signature")
                                                              .arg(fuotaImageKindName(c->kind()))));
    }
    if (qint64(c->imageLength) > device.flashCapacity)
        return fail(tooBig(c->imageLength));
    QByteArray image;
    if (c->delta) {
        const Sha256 running = sha256Of(device.runningImage);
        if (running != c->baseSha256)
            return fail(Error::at(48, QStringLiteral("baseSha256"), QStringLiteral("delta is for base %1, this device runs %2")
                                                                        .arg(sha256Hex(c->baseSha256), sha256Hex(running))));
        auto patched = zstdPatchApply(device.runningImage, c->payload, device.flashCapacity);
        if (!patched) {
            Error e = patched.error();
            if (e.offset >= 0)
                e.offset += kFuotaHeaderSize;
            return fail(e);
        }
        if (patched->size() != qsizetype(c->imageLength))
            return fail(Error::at(8, QStringLiteral("imageLength"), QStringLiteral("patch decodes to %1 bytes, the header says %2")
                                                                        .arg(patched->size()).arg(c->imageLength)));
        image = std::move(*patched);
    } else {
        image = std::move(c->payload);
    }
    const Sha256 got = sha256Of(image);
    if (got != c->imageSha256)
        return fail(Error::at(16, QStringLiteral("imageSha256"), QStringLiteral("image SHA-256 mismatch: the image hashes to %1, the header says %2")
                                                                     .arg(sha256Hex(got), sha256Hex(c->imageSha256))));
    return image;
}

} // namespace otalab::core::lorawan
