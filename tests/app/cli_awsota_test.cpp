// SPDX-License-Identifier: Apache-2.0
// `otalab-cli awsota keygen | sign | verify | jobdoc`: a test identity, signatures the
// agent's verifier accepts, each refusal with its exit code, a job document that
// core/awsota's parser reads back with the same signature.
#include "cli_test_support.h"

#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/otabase64.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;
using namespace otalab::core::awsota;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly)) << path.toStdString();
    f.write(data);
}

struct Fixture {
    QTemporaryDir dir;
    QString firmware = dir.filePath(QStringLiteral("fw.bin"));
    QString id = dir.filePath(QStringLiteral("id"));
    QString key = id + QStringLiteral("/key.pem");
    QString cert = id + QStringLiteral("/cert.pem");
    QByteArray image;

    Fixture()
    {
        for (int i = 0; i < 9000; ++i)
            image.append(char(i * 7 + 3));
        writeAll(firmware, image);
        const auto run = runCli({"awsota", "keygen", "--out", id, "--cn", "cli test"});
        EXPECT_EQ(run.code, 0) << run.err.toStdString();
    }
};

} // namespace

TEST(CliAwsota, KeygenWritesATestOnlyIdentityAndRefusesToOverwrite)
{
    Fixture f;
    EXPECT_TRUE(readAll(f.key).startsWith("-----BEGIN PRIVATE KEY-----"));
    EXPECT_TRUE(readAll(f.cert).startsWith("-----BEGIN CERTIFICATE-----"));
    EXPECT_TRUE(checkKeyMatchesCertificate(readAll(f.key), readAll(f.cert)).has_value());
    EXPECT_EQ(QFile::permissions(f.key) & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    const auto again = runCli({"awsota", "keygen", "--out", f.id});
    EXPECT_EQ(again.code, 3);
    EXPECT_TRUE(again.err.contains(QStringLiteral("--force")));
    EXPECT_EQ(runCli({"awsota", "keygen", "--out", f.id, "--force"}).code, 0);
    EXPECT_EQ(runCli({"awsota", "keygen"}).code, 2);
}

TEST(CliAwsota, SignPrintsBase64DerThatVerifies)
{
    Fixture f;
    const QString der = f.dir.filePath(QStringLiteral("fw.sig"));
    const auto run = runCli({"awsota", "sign", f.firmware, "--key", f.key, "--cert", f.cert, "--out", der});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    auto sig = decodeOtaBase64(run.out.trimmed().toLatin1(), 384);
    ASSERT_TRUE(sig.has_value());
    EXPECT_EQ(*sig, readAll(der));
    EXPECT_TRUE(verifyFileSignature(f.image, *sig, readAll(f.cert)).has_value());
    const auto ok = runCli({"awsota", "verify", f.firmware, "--cert", f.cert, "--signature", run.out.trimmed()});
    EXPECT_EQ(ok.code, 0) << ok.err.toStdString();
    const auto okFile = runCli({"awsota", "verify", f.firmware, "--cert", f.cert, "--signature-file", der});
    EXPECT_EQ(okFile.code, 0) << okFile.err.toStdString();
}

TEST(CliAwsota, RefusalsCarryTheirReasonAndExitCode)
{
    Fixture f;
    const QString other = f.dir.filePath(QStringLiteral("other"));
    ASSERT_EQ(runCli({"awsota", "keygen", "--out", other}).code, 0);
    // A key that is not the certificate's: refused before signing.
    const auto mismatch = runCli({"awsota", "sign", f.firmware, "--key", f.key, "--cert", other + "/cert.pem"});
    EXPECT_EQ(mismatch.code, 1);
    EXPECT_TRUE(mismatch.err.contains(QStringLiteral("key-certificate-mismatch"))) << mismatch.err.toStdString();
    // A signature over other bytes.
    const auto sign = runCli({"awsota", "sign", f.firmware, "--key", f.key});
    ASSERT_EQ(sign.code, 0);
    QByteArray changed = f.image;
    changed[100] = char(changed[100] ^ 0x40);
    const QString changedPath = f.dir.filePath(QStringLiteral("changed.bin"));
    writeAll(changedPath, changed);
    const auto bad = runCli({"awsota", "verify", changedPath, "--cert", f.cert, "--signature", sign.out.trimmed()});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(bad.err.contains(QStringLiteral("signature-mismatch"))) << bad.err.toStdString();
    // Malformed DER, bad base64, missing files and options.
    const QString junk = f.dir.filePath(QStringLiteral("junk.sig"));
    writeAll(junk, "not der");
    const auto malformed = runCli({"awsota", "verify", f.firmware, "--cert", f.cert, "--signature-file", junk});
    EXPECT_EQ(malformed.code, 1);
    EXPECT_TRUE(malformed.err.contains(QStringLiteral("malformed-signature"))) << malformed.err.toStdString();
    EXPECT_EQ(runCli({"awsota", "verify", f.firmware, "--cert", f.cert, "--signature", "!!"}).code, 2);
    EXPECT_EQ(runCli({"awsota", "verify", f.firmware, "--cert", f.key, "--signature-file", junk}).code, 1);
    EXPECT_EQ(runCli({"awsota", "sign", f.firmware}).code, 2);
    EXPECT_EQ(runCli({"awsota", "sign", f.dir.filePath(QStringLiteral("missing.bin")), "--key", f.key}).code, 3);
    EXPECT_EQ(runCli({"awsota", "sign", f.firmware, "--key", f.firmware}).code, 1);
}

TEST(CliAwsota, JobdocIsASignedAfrOtaDocumentTheParserReads)
{
    Fixture f;
    const auto run = runCli({"awsota", "jobdoc", "--file", f.firmware, "--file-id", "3", "--stream", "AFR_OTA-s1",
                             "--cert-path", "/certs/signer.pem", "--key", f.key, "--cert", f.cert, "--file-path",
                             "/ota/fw.bin"});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    const QJsonObject jobDocument = QJsonDocument::fromJson(run.out.toUtf8()).object();
    ASSERT_TRUE(jobDocument.contains(QStringLiteral("afr_ota")));
    // Wrapped as the service delivers it, the document parses with every field.
    const QJsonObject body{{QStringLiteral("execution"),
                            QJsonObject{{QStringLiteral("jobId"), QStringLiteral("job-1")},
                                        {QStringLiteral("jobDocument"), jobDocument}}}};
    auto parsed = parseJobNotification(QJsonDocument(body).toJson());
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString().toStdString();
    ASSERT_TRUE(parsed->has_value());
    const OtaJobDocument& doc = **parsed;
    EXPECT_EQ(doc.streamName, QStringLiteral("AFR_OTA-s1"));
    ASSERT_EQ(doc.files.size(), 1u);
    EXPECT_EQ(doc.files[0].fileId, 3u);
    EXPECT_EQ(doc.files[0].fileSize, std::uint32_t(f.image.size()));
    EXPECT_EQ(doc.files[0].filePath, QStringLiteral("/ota/fw.bin"));
    EXPECT_EQ(doc.files[0].certFile, QStringLiteral("/certs/signer.pem"));
    EXPECT_TRUE(verifyFileSignature(f.image, doc.files[0].signature, readAll(f.cert)).has_value());

    const auto note = runCli({"awsota", "jobdoc", "--file", f.firmware, "--stream", "s", "--cert-path", "c", "--key",
                              f.key, "--notification", "job-9"});
    ASSERT_EQ(note.code, 0) << note.err.toStdString();
    auto whole = parseJobNotification(note.out.toUtf8());
    ASSERT_TRUE(whole.has_value() && whole->has_value());
    EXPECT_EQ((*whole)->jobId, QStringLiteral("job-9"));
    EXPECT_EQ((*whole)->files[0].fileId, 0u);

    EXPECT_EQ(runCli({"awsota", "jobdoc", "--file", f.firmware, "--stream", "s", "--key", f.key}).code, 2);  // no --cert-path
    EXPECT_EQ(runCli({"awsota", "jobdoc", "--file", f.firmware, "--stream", "s", "--cert-path", "c", "--key", f.key,
                      "--file-id", "256"}).code, 2);
    EXPECT_EQ(runCli({"awsota", "jobdoc", "--file", f.firmware, "--stream", "a/b", "--cert-path", "c", "--key", f.key}).code, 2);
    const QString empty = f.dir.filePath(QStringLiteral("empty.bin"));
    writeAll(empty, {});
    EXPECT_EQ(runCli({"awsota", "jobdoc", "--file", empty, "--stream", "s", "--cert-path", "c", "--key", f.key}).code, 1);
}

TEST(CliAwsota, HelpForEachCommand)
{
    for (const char* sub : {"sign", "verify", "keygen", "jobdoc"}) {
        const auto run = runCli({"awsota", sub, "--help"});
        EXPECT_EQ(run.code, 0) << sub;
        EXPECT_TRUE(run.out.contains(QStringLiteral("Usage: otalab-cli awsota ") + QLatin1String(sub))) << sub;
    }
    const auto group = runCli({"awsota"});
    EXPECT_EQ(group.code, 2);
    EXPECT_TRUE(group.out.contains(QStringLiteral("awsota jobdoc")));
}
