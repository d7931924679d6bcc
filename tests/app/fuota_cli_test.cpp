// SPDX-License-Identifier: Apache-2.0
// `otalab-cli fuota fragment` / `fuota decode`: stream files, any sufficient subset,
// "not enough: missing N", the wrong version, bad input.
#include "cli_test_support.h"

#include "core/lorawan/datafragment.h"
#include "core/lorawan/fragencoder.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

QByteArray testImage(int size)
{
    QByteArray data(size, '\0');
    std::uint32_t x = 12345;
    for (int i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        data[i] = static_cast<char>(x >> 16);
    }
    return data;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

struct Fixture {
    QTemporaryDir dir;
    QByteArray image = testImage(1000);
    QString imagePath;
    QString prefix;

    explicit Fixture(int version = 2, const QStringList& extra = {"--redundancy", "20"})
    {
        imagePath = dir.filePath(QStringLiteral("image.bin"));
        QFile f(imagePath);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(image);
        f.close();
        prefix = dir.filePath(QStringLiteral("stream"));
        const auto run = runCli(QStringList{"fuota", "fragment", imagePath, "--size", "48", "--version",
                                            QString::number(version), "--out", prefix}
                                + extra);
        EXPECT_EQ(run.code, 0) << run.err.toStdString();
    }
    QString bin() const { return prefix + QStringLiteral(".bin"); }
    QString json() const { return prefix + QStringLiteral(".json"); }
    QString out() const { return dir.filePath(QStringLiteral("decoded.bin")); }
};

} // namespace

TEST(FuotaCli, OverviewListsEachCommandOnce)
{
    const auto run = runCli({"--help"});
    EXPECT_EQ(run.out.count(QStringLiteral("fuota fragment")), 1);
    EXPECT_EQ(run.out.count(QStringLiteral("fuota decode")), 1);
}

TEST(FuotaCli, HelpOnBothCommandsDocumentsTheStream)
{
    for (const char* cmd : {"fragment", "decode"}) {
        const auto run = runCli({"fuota", cmd, "--help"});
        EXPECT_EQ(run.code, 0);
        EXPECT_TRUE(run.out.startsWith(QStringLiteral("Usage: otalab-cli fuota ") + cmd)) << run.out.left(80).toStdString();
        EXPECT_TRUE(run.out.contains(QStringLiteral("u16")));
        EXPECT_TRUE(run.out.contains(QStringLiteral("CID 0x08")));
    }
}

// 1000 bytes / 48 = 21 fragments (padding 8) + ceil(21 x 20 %) = 5 parity frames; the
// .bin holds length-prefixed DataFragment commands, the .json describes them.
TEST(FuotaCli, FragmentWritesStreamAndDescription)
{
    Fixture fx;
    const QJsonObject j = QJsonDocument::fromJson(readAll(fx.json())).object();
    EXPECT_EQ(j.value("fragmentCount").toInt(), 21);
    EXPECT_EQ(j.value("fragmentSize").toInt(), 48);
    EXPECT_EQ(j.value("padding").toInt(), 8);
    EXPECT_EQ(j.value("version").toInt(), 2);
    EXPECT_EQ(j.value("parityFrames").toInt(), 5);
    EXPECT_EQ(j.value("imageSha256").toString(),
              QString::fromLatin1(QCryptographicHash::hash(fx.image, QCryptographicHash::Sha256).toHex()));
    const QJsonArray frames = j.value("frames").toArray();
    ASSERT_EQ(frames.size(), 26);
    EXPECT_EQ(frames[20].toObject().value("kind").toString(), QStringLiteral("uncoded"));
    EXPECT_EQ(frames[21].toObject().value("kind").toString(), QStringLiteral("parity"));
    EXPECT_EQ(frames[21].toObject().value("counter").toInt(), 22);
    EXPECT_EQ(frames[25].toObject().value("bytes").toInt(), 51);

    const QByteArray bin = readAll(fx.bin());
    ASSERT_EQ(bin.size(), 26 * (2 + 51));
    EXPECT_EQ(bin.left(2), QByteArray::fromHex("3300")); // 51, little-endian
    auto first = otalab::core::lorawan::parseDataFragment(bin.mid(2, 51));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->counter, 1);
    EXPECT_EQ(first->payload, fx.image.left(48));
    const otalab::core::lorawan::FragEncoder enc(fx.image, 48, otalab::core::lorawan::FecVersion::V2);
    auto parity = otalab::core::lorawan::parseDataFragment(bin.mid(frames[23].toObject().value("offset").toInt() + 2, 51));
    ASSERT_TRUE(parity.has_value());
    EXPECT_EQ(parity->counter, 24);
    EXPECT_EQ(parity->payload, enc.frame(24));
}

TEST(FuotaCli, DecodesWholeStreamAndSufficientSubsets)
{
    for (int version : {1, 2}) {
        Fixture fx(version);
        auto run = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--out", fx.out()});
        ASSERT_EQ(run.code, 0) << run.err.toStdString();
        EXPECT_EQ(readAll(fx.out()), fx.image);
        EXPECT_TRUE(run.out.contains(QStringLiteral("SHA-256 ok")));
        // Two uncoded fragments lost, repaired by parity frames.
        QFile::remove(fx.out());
        run = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--drop", "3,17", "--out", fx.out()});
        ASSERT_EQ(run.code, 0) << run.err.toStdString();
        EXPECT_EQ(readAll(fx.out()), fx.image);
    }
}

TEST(FuotaCli, NotEnoughSaysHowManyAreMissing)
{
    Fixture fx;
    const auto run = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--drop", "1-8", "--out", fx.out()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("not enough: missing 3 (received 18 of 21+5 frames)"))) << run.err.toStdString();
    EXPECT_FALSE(QFile::exists(fx.out()));
}

TEST(FuotaCli, KeepRandomIsReproducible)
{
    Fixture fx(2, {"--parity", "15"});
    const QStringList args{"fuota", "decode", fx.bin(), "--json", fx.json(), "--keep-random", "80", "--seed", "7",
                           "--out", fx.out()};
    const auto a = runCli(args);
    const auto b = runCli(args);
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.err, b.err);
    const auto none = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--keep-random", "0", "--out", fx.out()});
    EXPECT_EQ(none.code, 1);
    EXPECT_TRUE(none.err.contains(QStringLiteral("missing 21 (received 0 of 21+15 frames)"))) << none.err.toStdString();
}

// A v1 stream decoded as v2 rebuilds wrong bytes; the SHA-256 check refuses them.
TEST(FuotaCli, WrongVersionIsCaughtByTheHash)
{
    Fixture fx(1);
    const auto run = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--drop", "2,5", "--version", "2",
                             "--out", fx.out()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("do not match imageSha256"))) << run.err.toStdString();
    EXPECT_FALSE(QFile::exists(fx.out()));
}

TEST(FuotaCli, BadInputGetsClearErrors)
{
    Fixture fx;
    auto run = runCli({"fuota", "fragment", fx.imagePath, "--size", "300", "--version", "2", "--out", fx.prefix});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--size")));
    run = runCli({"fuota", "fragment", fx.imagePath, "--size", "48", "--version", "3", "--out", fx.prefix});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("1 or 2")));
    run = runCli({"fuota", "fragment", fx.imagePath, "--size", "48", "--out", fx.prefix});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--version is required")));
    run = runCli({"fuota", "fragment", fx.imagePath, "--size", "48", "--version", "1", "--redundancy", "5",
                  "--parity", "3", "--out", fx.prefix});
    EXPECT_EQ(run.code, 2);
    run = runCli({"fuota", "fragment", fx.dir.filePath("absent"), "--size", "48", "--version", "1", "--out", fx.prefix});
    EXPECT_EQ(run.code, 3);
    run = runCli({"fuota", "decode", fx.bin(), "--json", fx.json(), "--drop", "5-2", "--out", fx.out()});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("5-2")));

    // A truncated stream: the error names the record and the offset.
    const QString cut = fx.dir.filePath("cut.bin");
    QFile f(cut);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(readAll(fx.bin()).left(53 + 20));
    f.close();
    run = runCli({"fuota", "decode", cut, "--json", fx.json(), "--out", fx.out()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("record 2"))) << run.err.toStdString();
    // A description that does not add up.
    QJsonObject j = QJsonDocument::fromJson(readAll(fx.json())).object();
    j.insert("padding", 9);
    const QString badJson = fx.dir.filePath("bad.json");
    QFile jf(badJson);
    ASSERT_TRUE(jf.open(QIODevice::WriteOnly));
    jf.write(QJsonDocument(j).toJson());
    jf.close();
    run = runCli({"fuota", "decode", fx.bin(), "--json", badJson, "--out", fx.out()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("imageSize"))) << run.err.toStdString();
}
