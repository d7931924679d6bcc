// SPDX-License-Identifier: Apache-2.0
// otalab-cli image create zigbee / image sign on Zigbee OTA files, in-process:
// create → inspect → sign → verify exit codes, and usage errors (exit 2).
#include "cli_test_support.h"

#include "core/zigbee/ota_parser.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab {
namespace {

using testing::runCli;

QString keyFile(const QString& name) { return QStringLiteral(OTALAB_TEST_DATA_DIR "/zigbee/keys/") + name; }

QByteArray slurp(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

class ZigbeeCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        QFile fw(path(QStringLiteral("fw.bin")));
        ASSERT_TRUE(fw.open(QIODevice::WriteOnly));
        fw.write(QByteArray(300, '\x42'));
    }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    testing::CliRun create(const QStringList& extra)
    {
        return runCli(QStringList{QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("zigbee"), QStringLiteral("--in"),
                                  path(QStringLiteral("fw.bin")), QStringLiteral("--out"), path(QStringLiteral("fw.ota")),
                                  QStringLiteral("--manufacturer"), QStringLiteral("0x1234"), QStringLiteral("--image-type"),
                                  QStringLiteral("0x0001"), QStringLiteral("--file-version"), QStringLiteral("0x10053519")}
                      + extra);
    }
    QTemporaryDir m_dir;
};

TEST_F(ZigbeeCli, CreateInspectSignVerify)
{
    auto r = create({QStringLiteral("--header-string"), QStringLiteral("lab image"), QStringLiteral("--hw-min"), QStringLiteral("0x0100"),
                     QStringLiteral("--hw-max"), QStringLiteral("0x0200"), QStringLiteral("--integrity")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.startsWith(QStringLiteral("wrote ") + path(QStringLiteral("fw.ota")) + QStringLiteral(": 388 bytes")))
        << r.out.toStdString();
    const auto parsed = core::zigbee::parseOtaFile(slurp(path(QStringLiteral("fw.ota"))));
    EXPECT_FALSE(parsed.hasErrors());
    EXPECT_EQ(parsed.file.header.headerLength, 60);
    EXPECT_EQ(parsed.file.header.headerString, QByteArray("lab image"));

    r = runCli({QStringLiteral("image"), QStringLiteral("inspect"), path(QStringLiteral("fw.ota"))});
    EXPECT_EQ(r.code, 0) << r.out.toStdString() << r.err.toStdString();

    // Unsigned: verify fails (exit 1).
    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), path(QStringLiteral("fw.ota")), QStringLiteral("--key"),
                keyFile(QStringLiteral("cs1_public.pem"))});
    EXPECT_EQ(r.code, 1);

    for (const QString& suite : {QStringLiteral("cs1"), QStringLiteral("cs2")}) {
        const QString signedPath = path(suite + QStringLiteral("-signed.ota"));
        r = runCli({QStringLiteral("image"), QStringLiteral("sign"), path(QStringLiteral("fw.ota")), QStringLiteral("--key"),
                    keyFile(suite + QStringLiteral("_private.pem")), QStringLiteral("--signer-ieee"), QStringLiteral("00:12:4b:00:01:02:03:04"),
                    QStringLiteral("--out"), signedPath});
        ASSERT_EQ(r.code, 0) << r.err.toStdString();
        EXPECT_TRUE(r.out.contains(QStringLiteral("signed with crypto suite"))) << r.out.toStdString();
        r = runCli({QStringLiteral("image"), QStringLiteral("verify"), signedPath, QStringLiteral("--key"),
                    keyFile(suite + QStringLiteral("_public.pem"))});
        EXPECT_EQ(r.code, 0) << r.out.toStdString() << r.err.toStdString();
        // The other suite's key cannot check it: verify demands a valid signature.
        const QString otherSuite = suite == QStringLiteral("cs1") ? QStringLiteral("cs2") : QStringLiteral("cs1");
        r = runCli({QStringLiteral("image"), QStringLiteral("verify"), signedPath, QStringLiteral("--key"),
                    keyFile(otherSuite + QStringLiteral("_public.pem"))});
        EXPECT_EQ(r.code, 1);
        // A tampered byte: exit 1.
        QByteArray bytes = slurp(signedPath);
        bytes[120] = char(bytes[120] ^ 1);
        QFile f(signedPath);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        r = runCli({QStringLiteral("image"), QStringLiteral("verify"), signedPath, QStringLiteral("--key"),
                    keyFile(suite + QStringLiteral("_public.pem"))});
        EXPECT_EQ(r.code, 1);
    }
}

TEST_F(ZigbeeCli, CreateSignedInOneStepWithElementsAndDestination)
{
    QFile extra(path(QStringLiteral("extra.bin")));
    ASSERT_TRUE(extra.open(QIODevice::WriteOnly));
    extra.write("vendor data");
    extra.close();
    auto r = create({QStringLiteral("--image-type"), QStringLiteral("0xffc1"), QStringLiteral("--destination"), QStringLiteral("00:11:22:33:44:55:66:77"),
                     QStringLiteral("--security-credential-version"), QStringLiteral("1"), QStringLiteral("--element"),
                     QStringLiteral("0xf001:") + path(QStringLiteral("extra.bin")), QStringLiteral("--sign-key"), keyFile(QStringLiteral("cs1_private.pem")),
                     QStringLiteral("--signer-ieee"), QStringLiteral("0x00124b0001020304")});
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const auto parsed = core::zigbee::parseOtaFile(slurp(path(QStringLiteral("fw.ota"))));
    EXPECT_FALSE(parsed.hasErrors());
    EXPECT_EQ(parsed.file.header.imageType, 0xffc1);
    EXPECT_EQ(parsed.file.header.upgradeFileDestination, 0x0011223344556677ull);
    ASSERT_EQ(parsed.file.elements.size(), 4u);  // image, 0xf001, certificate, signature
    EXPECT_EQ(parsed.file.elements[1].tag, 0xf001);
    EXPECT_EQ(parsed.file.elements[3].tag, 0x0001);
    r = runCli({QStringLiteral("image"), QStringLiteral("verify"), path(QStringLiteral("fw.ota")), QStringLiteral("--key"),
                keyFile(QStringLiteral("cs1_public.pem"))});
    EXPECT_EQ(r.code, 0) << r.out.toStdString();
}

TEST_F(ZigbeeCli, BadOptionsExitWithUsage)
{
    EXPECT_EQ(create({QStringLiteral("--manufacturer"), QStringLiteral("0x12345")}).code, 2);   // > u16
    EXPECT_EQ(create({QStringLiteral("--file-version"), QStringLiteral("abc")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--image-type"), QStringLiteral("0xffc0")}).code, 2);     // device specific, no destination
    EXPECT_EQ(create({QStringLiteral("--destination"), QStringLiteral("12:34")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--hw-min"), QStringLiteral("0x0300"), QStringLiteral("--hw-max"), QStringLiteral("0x0200")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--hw-min"), QStringLiteral("0x0100")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--header-string"), QString(33, QLatin1Char('x'))}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--element"), QStringLiteral("0x0001:") + path(QStringLiteral("fw.bin"))}).code, 2);  // reserved tag
    EXPECT_EQ(create({QStringLiteral("--element"), QStringLiteral("nonsense")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--no-such-option")}).code, 2);
    EXPECT_EQ(create({QStringLiteral("--sign-key"), keyFile(QStringLiteral("cs1_private.pem"))}).code, 2);  // no --signer-ieee
    EXPECT_EQ(create({QStringLiteral("--sign-key"), keyFile(QStringLiteral("cs1_public.pem")), QStringLiteral("--signer-ieee"),
                      QStringLiteral("0011223344556677")}).code, 2);  // public key cannot sign
    EXPECT_EQ(runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("zigbee"), QStringLiteral("--out"),
                      path(QStringLiteral("x.ota"))}).code, 2);  // missing required options
    // Missing input file: I/O error.
    EXPECT_EQ(runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("zigbee"), QStringLiteral("--in"),
                      path(QStringLiteral("missing.bin")), QStringLiteral("--out"), path(QStringLiteral("x.ota")), QStringLiteral("--manufacturer"),
                      QStringLiteral("1"), QStringLiteral("--image-type"), QStringLiteral("1"), QStringLiteral("--file-version"), QStringLiteral("1")}).code, 3);

    ASSERT_EQ(create({}).code, 0);
    const QStringList sign{QStringLiteral("image"), QStringLiteral("sign"), path(QStringLiteral("fw.ota"))};
    EXPECT_EQ(runCli(sign + QStringList{QStringLiteral("--out"), path(QStringLiteral("s.ota")), QStringLiteral("--signer-ieee"),
                                        QStringLiteral("0011223344556677")}).code, 2);  // no --key
    EXPECT_EQ(runCli(sign + QStringList{QStringLiteral("--key"), keyFile(QStringLiteral("cs1_private.pem")), QStringLiteral("--signer-ieee"),
                                        QStringLiteral("0011223344556677")}).code, 2);  // no --out
    EXPECT_EQ(runCli(sign + QStringList{QStringLiteral("--key"), keyFile(QStringLiteral("cs1_private.pem")), QStringLiteral("--out"),
                                        path(QStringLiteral("s.ota"))}).code, 2);  // no --signer-ieee
}

TEST_F(ZigbeeCli, HelpDocumentsEveryOption)
{
    auto r = runCli({QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("zigbee"), QStringLiteral("--help")});
    EXPECT_EQ(r.code, 0);
    for (const char* option : {"--in", "--out", "--manufacturer", "--image-type", "--file-version", "--stack-version", "--header-string",
                               "--security-credential-version", "--destination", "--hw-min", "--hw-max", "--element", "--integrity",
                               "--integrity-convention", "--sign-key", "--signer-ieee", "--issuer-ieee"})
        EXPECT_TRUE(r.out.contains(QLatin1String(option))) << option;
    r = runCli({QStringLiteral("image"), QStringLiteral("sign"), QStringLiteral(OTALAB_TEST_DATA_DIR "/zigbee/good/minimal.ota"), QStringLiteral("--help")});
    EXPECT_EQ(r.code, 0);
    for (const char* option : {"--key", "--signer-ieee", "--issuer-ieee", "--out"})
        EXPECT_TRUE(r.out.contains(QLatin1String(option))) << option;
}

} // namespace
} // namespace otalab
