// SPDX-License-Identifier: Apache-2.0
// FUOTA data blocks: raw, signed (ECDSA P-256) and zstd patch-from delta containers;
// interoperability with the zstd CLI; every refusal; the delta size of a realistic change.
#include "core/lorawan/fuotaimage.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

namespace otalab::core::lorawan {
namespace {

// A firmware-like image: functions made of 4-byte instruction words from a small
// vocabulary with random immediates, and absolute calls (u32 addresses) between them, so
// it compresses like code and moving a function changes every call that reaches past it.
struct FakeFirmware {
    std::vector<QByteArray> functions;

    static FakeFirmware make(int count, std::uint32_t seed)
    {
        std::mt19937 rng(seed);
        FakeFirmware fw;
        for (int i = 0; i < count; ++i)
            fw.functions.push_back(randomFunction(rng, 200 + int(rng() % 600)));
        return fw;
    }
    static QByteArray randomFunction(std::mt19937& rng, int words)
    {
        QByteArray f;
        for (int w = 0; w < words; ++w) {
            const std::uint32_t kind = rng() % 10;
            std::uint32_t word = 0;
            if (kind == 0)
                word = 0xf0000000u | (rng() % 512);  // call: target function index, resolved in link()
            else
                word = (kind << 24) | ((rng() % 8) << 16) | (rng() % (kind < 5 ? 16 : 4096));
            f.append(reinterpret_cast<const char*>(&word), 4);
        }
        return f;
    }
    QByteArray link() const
    {
        std::vector<std::uint32_t> address;
        std::uint32_t at = 0x08000000;
        for (const QByteArray& f : functions) {
            address.push_back(at);
            at += std::uint32_t(f.size());
        }
        QByteArray image;
        for (const QByteArray& f : functions) {
            QByteArray linked = f;
            for (qsizetype i = 0; i + 4 <= linked.size(); i += 4) {
                std::uint32_t word;
                std::memcpy(&word, linked.constData() + i, 4);
                if ((word & 0xf0000000u) == 0xf0000000u) {
                    const std::uint32_t target = address[(word & 0xffff) % address.size()];
                    std::memcpy(linked.data() + i, &target, 4);
                }
            }
            image += linked;
        }
        return image;
    }
};

crypto::PKey ecKey()
{
    static const crypto::PKey key = *crypto::PKey::generate(crypto::KeyType::EcdsaP256);
    return key;
}

crypto::PKey publicOnly(const crypto::PKey& key) { return *crypto::PKey::fromPem(key.publicPem()); }

QByteArray pseudoImage(int size, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    QByteArray out(size, '\0');
    for (int i = 0; i < size; ++i)
        out[i] = char(rng() % 7 == 0 ? rng() : i / 64);
    return out;
}

FuotaDeviceContext device(QByteArrayView running, const crypto::PKey* key, qint64 flash = 1 << 20)
{
    FuotaDeviceContext d;
    d.runningImage = running;
    d.trustedKey = key;
    d.flashCapacity = flash;
    return d;
}

TEST(LorawanFuotaImage, RawSignedDeltaAndSignedDeltaRoundTrip)
{
    const QByteArray base = pseudoImage(20000, 1);
    QByteArray target = base;
    target.replace(5000, 100, QByteArray(140, 'n'));
    const crypto::PKey key = ecKey();
    const crypto::PKey pub = publicOnly(key);
    for (FuotaImageKind kind : {FuotaImageKind::Raw, FuotaImageKind::Signed, FuotaImageKind::Delta, FuotaImageKind::SignedDelta}) {
        FuotaPackOptions o;
        o.kind = kind;
        o.signingKey = &key;
        o.base = base;
        auto block = packFuotaImage(target, o);
        ASSERT_TRUE(block) << block.error().toString().toStdString();
        if (kind == FuotaImageKind::Raw) {
            EXPECT_EQ(*block, target);
        } else {
            auto c = parseFuotaContainer(*block);
            ASSERT_TRUE(c) << c.error().toString().toStdString();
            EXPECT_EQ(c->kind(), kind);
            EXPECT_EQ(c->imageLength, std::uint32_t(target.size()));
            EXPECT_EQ(c->imageSha256, sha256Of(target));
        }
        auto image = unpackFuotaImage(*block, device(base, &pub));
        ASSERT_TRUE(image) << fuotaImageKindName(kind).toStdString() << ": " << image.error().toString().toStdString();
        EXPECT_EQ(*image, target);
    }
}

TEST(LorawanFuotaImage, KindNames)
{
    for (FuotaImageKind k : {FuotaImageKind::Raw, FuotaImageKind::Signed, FuotaImageKind::Delta, FuotaImageKind::SignedDelta})
        EXPECT_EQ(fuotaImageKindFromName(fuotaImageKindName(k)), k);
    EXPECT_EQ(fuotaImageKindFromName(QStringLiteral("signed-delta")), FuotaImageKind::SignedDelta);
    EXPECT_EQ(fuotaImageKindFromName(QStringLiteral("zip")).error().message,
              QStringLiteral("unknown FUOTA image kind 'zip' (raw, signed, delta, signed-delta)"));
}

TEST(LorawanFuotaImage, DeltaForAnotherBaseIsRefusedWithBothHashes)
{
    const QByteArray base = pseudoImage(8000, 2);
    const QByteArray other = pseudoImage(8000, 3);
    QByteArray target = base;
    target[100] = 'x';
    FuotaPackOptions o;
    o.kind = FuotaImageKind::Delta;
    o.base = base;
    auto block = packFuotaImage(target, o);
    ASSERT_TRUE(block);
    auto r = unpackFuotaImage(*block, device(other, nullptr));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, QStringLiteral("delta is for base %1, this device runs %2")
                                     .arg(sha256Hex(sha256Of(base)), sha256Hex(sha256Of(other))));
    EXPECT_EQ(r.error().field, QStringLiteral("baseSha256"));
}

TEST(LorawanFuotaImage, SignaturesAreCheckedAndRequired)
{
    const QByteArray target = pseudoImage(3000, 4);
    const crypto::PKey key = ecKey();
    const crypto::PKey pub = publicOnly(key);
    const crypto::PKey stranger = publicOnly(*crypto::PKey::generate(crypto::KeyType::EcdsaP256));
    FuotaPackOptions o;
    o.kind = FuotaImageKind::Signed;
    o.signingKey = &key;
    const QByteArray block = *packFuotaImage(target, o);

    auto wrongKey = unpackFuotaImage(block, device({}, &stranger));
    ASSERT_FALSE(wrongKey);
    EXPECT_EQ(wrongKey.error().message, QStringLiteral("signature does not verify with the device's public key"));
    auto noKey = unpackFuotaImage(block, device({}, nullptr));
    ASSERT_FALSE(noKey);
    EXPECT_EQ(noKey.error().message, QStringLiteral("signed image but no public key configured on the device"));

    QByteArray tampered = block;  // one payload bit: the signature no longer covers it
    tampered[kFuotaHeaderSize + 10] = char(tampered[kFuotaHeaderSize + 10] ^ 0x01);
    EXPECT_FALSE(unpackFuotaImage(tampered, device({}, &pub)));
    QByteArray badSig = block;
    badSig[badSig.size() - 5] = char(badSig[badSig.size() - 5] ^ 0x40);
    EXPECT_FALSE(unpackFuotaImage(badSig, device({}, &pub)));

    FuotaDeviceContext strict = device({}, &pub);
    strict.requireSignature = true;
    EXPECT_TRUE(unpackFuotaImage(block, strict));
    auto raw = unpackFuotaImage(target, strict);
    ASSERT_FALSE(raw);
    EXPECT_TRUE(raw.error().message.contains(QStringLiteral("requires a signed")));
    o.kind = FuotaImageKind::Delta;
    o.base = target;
    auto unsignedDelta = unpackFuotaImage(*packFuotaImage(target, o), strict);
    ASSERT_FALSE(unsignedDelta);
    EXPECT_EQ(unsignedDelta.error().message, QStringLiteral("unsigned delta container refused: this device requires a signature"));

    // Signing needs an ECDSA P-256 private key.
    o.kind = FuotaImageKind::Signed;
    o.signingKey = &pub;
    EXPECT_TRUE(packFuotaImage(target, o).error().message.contains(QStringLiteral("private key")));
    const crypto::PKey ed = *crypto::PKey::generate(crypto::KeyType::Ed25519);
    o.signingKey = &ed;
    EXPECT_TRUE(packFuotaImage(target, o).error().message.contains(QStringLiteral("ed25519")));
    o.signingKey = nullptr;
    EXPECT_FALSE(packFuotaImage(target, o));
    o.kind = FuotaImageKind::Delta;
    o.base.clear();
    EXPECT_EQ(packFuotaImage(target, o).error().field, QStringLiteral("base"));
}

TEST(LorawanFuotaImage, FlashLimits)
{
    const QByteArray base = pseudoImage(4000, 5);
    const QByteArray big(50000, 'z');  // compresses to almost nothing
    FuotaPackOptions o;
    o.kind = FuotaImageKind::Delta;
    o.base = base;
    const QByteArray block = *packFuotaImage(big, o);
    auto tooBig = unpackFuotaImage(block, device(base, nullptr, 40000));
    ASSERT_FALSE(tooBig);
    EXPECT_EQ(tooBig.error().message, QStringLiteral("image of 50000 bytes does not fit the flash (40000 bytes)"));

    // A header that lies about the length: the patch itself must be stopped at the flash size.
    QByteArray lying = block;
    lying[8] = char(100);
    lying[9] = lying[10] = lying[11] = 0;
    auto overrun = unpackFuotaImage(lying, device(base, nullptr, 40000));
    ASSERT_FALSE(overrun);
    EXPECT_TRUE(overrun.error().message.contains(QStringLiteral("more than the flash holds (40000 bytes)")))
        << overrun.error().toString().toStdString();
    auto shorter = unpackFuotaImage(lying, device(base, nullptr, 60000));
    ASSERT_FALSE(shorter);
    EXPECT_EQ(shorter.error().message, QStringLiteral("patch decodes to 50000 bytes, the header says 100"));

    // The same check directly, with a frame whose header does not state the size is
    // covered by zstdPatchApply's streaming limit:
    auto patch = zstdPatchCreate(base, big);
    ASSERT_TRUE(patch);
    EXPECT_TRUE(zstdPatchApply(base, *patch, 49999).error().message.contains(QStringLiteral("more than the flash holds")));
    EXPECT_EQ(*zstdPatchApply(base, *patch, 50000), big);
    EXPECT_FALSE(unpackFuotaImage(QByteArray(10, 'r'), device({}, nullptr, 9)));
    EXPECT_TRUE(unpackFuotaImage(QByteArray(10, 'r'), device({}, nullptr, 10)));
    EXPECT_FALSE(unpackFuotaImage(QByteArray(10, 'r'), device({}, nullptr, 0)));
}

TEST(LorawanFuotaImage, MalformedContainersNeverYieldAnImage)
{
    const QByteArray base = pseudoImage(6000, 6);
    QByteArray target = base;
    target.insert(3000, QByteArray(64, 'i'));
    const crypto::PKey key = ecKey();
    const crypto::PKey pub = publicOnly(key);
    FuotaPackOptions o;
    o.kind = FuotaImageKind::SignedDelta;
    o.signingKey = &key;
    o.base = base;
    const QByteArray block = *packFuotaImage(target, o);
    FuotaDeviceContext d = device(base, &pub);
    d.acceptRaw = false;
    // Every truncation is an error (never a shorter image).
    for (qsizetype n = 0; n < block.size(); ++n)
        ASSERT_FALSE(unpackFuotaImage(block.first(n), d)) << n;
    // Every single-byte corruption is an error.
    for (qsizetype i = 0; i < block.size(); ++i) {
        QByteArray bad = block;
        bad[i] = char(bad[i] ^ 0x5a);
        ASSERT_FALSE(unpackFuotaImage(bad, d)) << i;
    }

    auto expectError = [](const QByteArray& data, qint64 offset, const QString& fragment) {
        auto r = parseFuotaContainer(data);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().offset, offset) << r.error().toString().toStdString();
        EXPECT_TRUE(r.error().message.contains(fragment)) << r.error().toString().toStdString();
    };
    expectError(QByteArray("XLFU") + block.mid(4), 0, QStringLiteral("expected \"OLFU\", got 58 4c 46 55"));
    expectError(block.first(40), 40, QStringLiteral("the header needs 80 bytes, got 40"));
    QByteArray v = block;
    v[4] = 9;
    expectError(v, 4, QStringLiteral("container version 9"));
    v = block;
    v[5] = char(0x83);
    expectError(v, 5, QStringLiteral("unknown flag bits 0x80"));
    v = block;
    v[7] = 1;
    expectError(v, 6, QStringLiteral("reserved"));
    expectError(block.first(kFuotaHeaderSize + 3), 12, QStringLiteral("payload length"));
    expectError(block + "x", block.size(), QStringLiteral("1 bytes follow"));

    o.kind = FuotaImageKind::Signed;
    QByteArray plainBlock = *packFuotaImage(target, o);
    plainBlock[5] = 0;  // drop the signed flag → the signature bytes become trailing garbage
    expectError(plainBlock, kFuotaHeaderSize + target.size(), QStringLiteral("follow the end"));
    plainBlock.truncate(kFuotaHeaderSize + target.size());
    plainBlock[kFuotaHeaderSize] = char(plainBlock[kFuotaHeaderSize] ^ 1);
    auto mismatch = unpackFuotaImage(plainBlock, device({}, nullptr));
    ASSERT_FALSE(mismatch);
    EXPECT_TRUE(mismatch.error().message.startsWith(QStringLiteral("image SHA-256 mismatch")));
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

bool runZstd(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/zstd"), args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// `zstd --patch-from` (Debian's zstd, the CLI of the libzstd linked here) reads our patches
// and writes patches our decoder applies: the delta format is plain zstd, not ours.
TEST(LorawanFuotaImage, ZstdCliInterop)
{
    if (!QFile::exists(QStringLiteral("/usr/bin/zstd")))
        GTEST_SKIP() << "/usr/bin/zstd is not installed (Debian package zstd): CLI interoperability not checked";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    FakeFirmware fw = FakeFirmware::make(52, 7);
    const QByteArray base = fw.link();
    std::mt19937 rng(8);
    fw.functions[40] = FakeFirmware::randomFunction(rng, 300);
    fw.functions.insert(fw.functions.begin() + 26, FakeFirmware::randomFunction(rng, 120));
    const QByteArray target = fw.link();
    const QString basePath = dir.filePath(QStringLiteral("base.bin"));
    const QString targetPath = dir.filePath(QStringLiteral("target.bin"));
    ASSERT_TRUE(writeFile(basePath, base));
    ASSERT_TRUE(writeFile(targetPath, target));

    // CLI patch → our decoder.
    const QString cliPatch = dir.filePath(QStringLiteral("cli.zst"));
    ASSERT_TRUE(runZstd({QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("-19"), QStringLiteral("--patch-from=") + basePath,
                         targetPath, QStringLiteral("-o"), cliPatch}));
    auto applied = zstdPatchApply(base, readFile(cliPatch), target.size());
    ASSERT_TRUE(applied) << applied.error().toString().toStdString();
    EXPECT_EQ(*applied, target);

    // Our patch → CLI decoder.
    auto ours = zstdPatchCreate(base, target);
    ASSERT_TRUE(ours);
    const QString ourPatch = dir.filePath(QStringLiteral("ours.zst"));
    const QString outPath = dir.filePath(QStringLiteral("out.bin"));
    ASSERT_TRUE(writeFile(ourPatch, *ours));
    ASSERT_TRUE(runZstd({QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("-d"), QStringLiteral("--patch-from=") + basePath,
                         ourPatch, QStringLiteral("-o"), outPath}));
    EXPECT_EQ(readFile(outPath), target);
    std::printf("[ delta ] CLI patch %lld B, ours %lld B for a %lld B image\n", qint64(readFile(cliPatch).size()),
                qint64(ours->size()), qint64(target.size()));
}

// The figures for the report: a ~100 KiB firmware (1) with three functions rewritten in
// place, (2) with, in addition, one new function inserted in the middle, so every absolute
// call past it is relinked (the pessimistic case: PC-relative calls would change less).
TEST(LorawanFuotaImage, DeltaSizeForARealisticChange)
{
    FakeFirmware fw = FakeFirmware::make(52, 11);
    const QByteArray base = fw.link();
    std::mt19937 rng(12);
    for (int f : {7, 23, 40})
        fw.functions[size_t(f)] = FakeFirmware::randomFunction(rng, int(fw.functions[size_t(f)].size() / 4));
    const QByteArray inPlace = fw.link();
    fw.functions.insert(fw.functions.begin() + 26, FakeFirmware::randomFunction(rng, 150));
    const QByteArray relinked = fw.link();
    const crypto::PKey key = ecKey();
    auto full = zstdPatchCreate({}, relinked);  // the image compressed without a base
    ASSERT_TRUE(full);
    std::printf("[ delta ] base %lld B; zstd -19 of the new image without a base: %lld B\n", qint64(base.size()), qint64(full->size()));
    for (const QByteArray* target : {&inPlace, &relinked}) {
        FuotaPackOptions o;
        o.kind = FuotaImageKind::SignedDelta;
        o.signingKey = &key;
        o.base = base;
        auto block = packFuotaImage(*target, o);
        ASSERT_TRUE(block);
        std::printf("[ delta ] %s: image %lld B, signed delta container %lld B (%.1f %% of the image)\n",
                    target == &inPlace ? "3 functions rewritten" : "3 rewritten + 1 inserted, calls relinked", qint64(target->size()),
                    qint64(block->size()), 100.0 * double(block->size()) / double(target->size()));
        EXPECT_GT(target->size(), 90 * 1024);
        EXPECT_LT(block->size(), target->size() / 5);
        const crypto::PKey pub = publicOnly(key);
        auto image = unpackFuotaImage(*block, device(base, &pub));
        ASSERT_TRUE(image);
        EXPECT_EQ(*image, *target);
    }
}

} // namespace
} // namespace otalab::core::lorawan
