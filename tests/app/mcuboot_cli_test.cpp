// SPDX-License-Identifier: Apache-2.0
// otalab-cli image create mcuboot / image sign on MCUboot images, driven in-process:
// create → inspect → verify, imgtool-identical output, and usage errors (exit 2).
#include "cli_test_support.h"
#include "core/mcuboot/image_parser.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab {
namespace {

using testing::runCli;

QString data(const QString& relative) { return QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/") + relative; }
QString key(const QString& name) { return data(QStringLiteral("test-keys/") + name); }

QByteArray slurp(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class McubootCli : public ::testing::Test {
protected:
    QString out(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

TEST_F(McubootCli, CreateGivesImgtoolsBytes)
{
    const QString o = out(QStringLiteral("deps.bin"));
    auto r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"),
                     QStringLiteral("--in"), data(QStringLiteral("app.bin")), QStringLiteral("--out"), o,
                     QStringLiteral("--header-size"), QStringLiteral("0x200"), QStringLiteral("--pad-header"),
                     QStringLiteral("--version"), QStringLiteral("2.5.3+1000"), QStringLiteral("--security-counter"), QStringLiteral("auto"),
                     QStringLiteral("--dependency"), QStringLiteral("1,2.0.0+0"), QStringLiteral("-d"), QStringLiteral("(2,1.5.7+99)")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(slurp(o) == slurp(data(QStringLiteral("imgtool/unsigned-seccnt-deps.bin"))));
    EXPECT_TRUE(r.out.startsWith(QStringLiteral("wrote ") + o + QStringLiteral(": 1596 bytes, MCUboot 2.5.3+1000"))) << r.out.toStdString();

    const QString s = out(QStringLiteral("signed.bin"));
    r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("-i"), data(QStringLiteral("app.bin")),
                QStringLiteral("-o"), s, QStringLiteral("-H"), QStringLiteral("0x200"), QStringLiteral("--pad-header"), QStringLiteral("-v"),
                QStringLiteral("1.2.3+4"), QStringLiteral("-k"), key(QStringLiteral("ed25519.pem")), QStringLiteral("--pad"), QStringLiteral("-S"),
                QStringLiteral("0x8000"), QStringLiteral("--confirm")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(slurp(s) == slurp(data(QStringLiteral("imgtool/ed25519-pad-confirm.bin"))));
    EXPECT_TRUE(r.out.contains(QStringLiteral("Ed25519 signed (key hash)")));
    EXPECT_TRUE(r.out.contains(QStringLiteral("padded to 0x8000, confirmed")));
}

TEST_F(McubootCli, CreateInspectVerifyEncrypted)
{
    const QString o = out(QStringLiteral("enc.bin"));
    auto r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("--in"), data(QStringLiteral("app.bin")),
                     QStringLiteral("--out"), o, QStringLiteral("--header-size"), QStringLiteral("0x200"), QStringLiteral("--pad-header"),
                     QStringLiteral("--version"), QStringLiteral("1.2.3"), QStringLiteral("--key"), key(QStringLiteral("ecdsa-p256.pem")),
                     QStringLiteral("--encrypt"), key(QStringLiteral("enc-ecies-p256.pub.pem")), QStringLiteral("--aes256"),
                     QStringLiteral("--pad"), QStringLiteral("--slot-size"), QStringLiteral("0x60000"), QStringLiteral("--confirm")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("AES-256 encrypted (ECIES-P256)"))) << r.out.toStdString();
    EXPECT_EQ(slurp(o).size(), 0x60000);

    r = runCli({QStringLiteral("image"), QStringLiteral("inspect"), o, QStringLiteral("--key"), key(QStringLiteral("ecdsa-p256.pub.pem")),
                QStringLiteral("--decrypt-key"), key(QStringLiteral("enc-ecies-p256.pem"))});
    EXPECT_EQ(r.code, 0) << r.out.toStdString() << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("AES-256-CTR, key wrapped with ECIES-P256"))) << r.out.toStdString();

    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), o, QStringLiteral("--key"), key(QStringLiteral("ecdsa-p256.pub.pem"))});
    EXPECT_EQ(r.code, 0) << r.out.toStdString() << r.err.toStdString();
    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), o, QStringLiteral("--key"), key(QStringLiteral("ecdsa-p256-other.pub.pem"))});
    EXPECT_EQ(r.code, 1);
}

TEST_F(McubootCli, AesKwKeyFileAndSignCommand)
{
    const QString o = out(QStringLiteral("kw.bin"));
    auto r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("--in"), data(QStringLiteral("app.bin")),
                     QStringLiteral("--out"), o, QStringLiteral("-H"), QStringLiteral("0x200"), QStringLiteral("--pad-header"), QStringLiteral("-v"),
                     QStringLiteral("1.2.3+4"), QStringLiteral("-E"), key(QStringLiteral("kek-128.bin"))});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("AES-128 encrypted (AES-KW)")));

    // image sign FILE: dispatches to the MCUboot signer; same bytes as imgtool -k.
    const QString s = out(QStringLiteral("signed.bin"));
    r = runCli({QStringLiteral("image"), QStringLiteral("sign"), data(QStringLiteral("imgtool/unsigned.bin")), QStringLiteral("--key"),
                key(QStringLiteral("ed25519.pem")), QStringLiteral("--out"), s});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(slurp(s) == slurp(data(QStringLiteral("imgtool/ed25519-hash.bin"))));
    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), s, QStringLiteral("--key"), key(QStringLiteral("ed25519.pub.pem"))});
    EXPECT_EQ(r.code, 0) << r.out.toStdString();
}

TEST_F(McubootCli, BadOptionsExitWithUsageError)
{
    const QStringList base{QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("--in"),
                           data(QStringLiteral("app.bin")), QStringLiteral("--out"), out(QStringLiteral("x.bin"))};
    const QStringList ok{QStringLiteral("-H"), QStringLiteral("0x200"), QStringLiteral("--pad-header"), QStringLiteral("-v"), QStringLiteral("1.0.0")};
    const std::vector<QStringList> bad = {
        {QStringLiteral("-H"), QStringLiteral("0x200")},                                 // no --version
        {QStringLiteral("-v"), QStringLiteral("1.0.0")},                                 // no --header-size
        ok + QStringList{QStringLiteral("--bogus")},
        {QStringLiteral("-H"), QStringLiteral("0x10"), QStringLiteral("-v"), QStringLiteral("1")},
        {QStringLiteral("-H"), QStringLiteral("0x200"), QStringLiteral("-v"), QStringLiteral("1.2.3.4")},
        ok + QStringList{QStringLiteral("--align"), QStringLiteral("3")},
        ok + QStringList{QStringLiteral("--pad")},
        ok + QStringList{QStringLiteral("--confirm")},
        ok + QStringList{QStringLiteral("--public-key-format"), QStringLiteral("pem")},
        ok + QStringList{QStringLiteral("-s"), QStringLiteral("soon")},
        ok + QStringList{QStringLiteral("-d"), QStringLiteral("x,1.0")},
        ok + QStringList{QStringLiteral("-k"), key(QStringLiteral("ed25519.pub.pem"))},  // public key cannot sign
        ok + QStringList{QStringLiteral("-E"), key(QStringLiteral("ed25519.pub.pem"))},  // not an encryption key
        ok + QStringList{QStringLiteral("--aes256")},
    };
    for (const QStringList& extra : bad) {
        auto r = runCli(base + extra);
        EXPECT_EQ(r.code, 2) << extra.join(QLatin1Char(' ')).toStdString() << " → " << r.err.toStdString();
        EXPECT_TRUE(r.err.startsWith(QStringLiteral("error: "))) << r.err.toStdString();
    }
    auto missing = runCli(QStringList{QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("--in"),
                                      out(QStringLiteral("nope.bin")), QStringLiteral("--out"), out(QStringLiteral("x.bin"))} + ok);
    EXPECT_EQ(missing.code, 3);
    auto tooSmall = runCli(base + ok + QStringList{QStringLiteral("--pad"), QStringLiteral("-S"), QStringLiteral("0x400")});
    EXPECT_EQ(tooSmall.code, 1);
    EXPECT_TRUE(tooSmall.err.contains(QStringLiteral("exceeds the slot size")));
    auto signPublic = runCli({QStringLiteral("image"), QStringLiteral("sign"), data(QStringLiteral("imgtool/unsigned.bin")),
                              QStringLiteral("--key"), key(QStringLiteral("ed25519.pub.pem"))});
    EXPECT_EQ(signPublic.code, 2);
}

TEST_F(McubootCli, HelpNamesTheImgtoolOptions)
{
    auto r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot"), QStringLiteral("--help")});
    EXPECT_EQ(r.code, 0);
    const QString help = r.out.simplified();  // help text is wrapped
    for (const char* s : {"imgtool -H/--header-size", "imgtool --pad-header", "imgtool -s", "imgtool -E", "imgtool -M/--max-sectors",
                          "imgtool --overwrite-only", "imgtool --confirm", "imgtool --public-key-format"})
        EXPECT_TRUE(help.contains(QLatin1String(s))) << s;
}

// MCUboot (bootutil_find_key) only checks a signature with the key its KEYHASH names: an
// image whose KEYHASH names another key is refused by the bootloader even though the
// signature itself verifies with the given key. verify must exit 1, inspect say invalid.
TEST_F(McubootCli, VerifyRefusesAKeyHashThatDoesNotNameTheKey)
{
    QByteArray bytes = slurp(data(QStringLiteral("imgtool/ed25519-hash.bin")));
    auto image = core::mcuboot::parseImage(bytes);
    ASSERT_TRUE(image.has_value());
    const auto& keyHash = image->unprotectedTlvs.tlvs.at(1);
    ASSERT_EQ(keyHash.type, core::mcuboot::TlvKeyHash);
    bytes[keyHash.valueOffset()] = char(bytes[keyHash.valueOffset()] ^ 0x01);
    const QString o = out(QStringLiteral("foreign-keyhash.bin"));
    QFile f(o);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    const QString pub = key(QStringLiteral("ed25519.pub.pem"));

    auto r = runCli({QStringLiteral("image"), QStringLiteral("verify"), o, QStringLiteral("--key"), pub});
    EXPECT_EQ(r.code, 1) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("bytes — INVALID"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("signature  invalid"))) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("MCUboot would not find the key"))) << r.out.toStdString();

    r = runCli({QStringLiteral("image"), QStringLiteral("inspect"), o, QStringLiteral("--key"), pub, QStringLiteral("--json")});
    EXPECT_EQ(r.code, 1) << r.out.toStdString();
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    EXPECT_FALSE(json.value(QStringLiteral("valid")).toBool(true));
    EXPECT_EQ(json.value(QStringLiteral("signature")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("invalid"));

    // The same image before the KEYHASH was touched verifies.
    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), data(QStringLiteral("imgtool/ed25519-hash.bin")), QStringLiteral("--key"), pub});
    EXPECT_EQ(r.code, 0) << r.out.toStdString();
}

} // namespace
} // namespace otalab
