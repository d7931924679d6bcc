// SPDX-License-Identifier: Apache-2.0
// otalab-cli's generic commands: overview, help on every command, unknown commands,
// keygen, inspect/verify exit codes on files that are not images.
#include "cli_test_support.h"

#include "core/crypto/pkey.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

QString writeTemp(const QTemporaryDir& dir, const QString& name, const QByteArray& data)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(data);
    return path;
}

} // namespace

TEST(CliDispatch, NoArgumentsPrintsOverviewAndUsageCode)
{
    const auto run = runCli({});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.out.contains(QStringLiteral("image inspect")));
    EXPECT_TRUE(run.out.contains(QStringLiteral("image create zigbee")));
}

TEST(CliDispatch, EveryCommandHasHelp)
{
    for (const QStringList& cmd : {QStringList{"image", "inspect"}, QStringList{"image", "verify"},
                                   QStringList{"image", "create", "zigbee"}, QStringList{"image", "create", "mcuboot"},
                                   QStringList{"image", "sign"}, QStringList{"image", "keygen"}}) {
        const auto run = runCli(cmd + QStringList{"--help"});
        EXPECT_EQ(run.code, otalab::cli::ExitOk) << cmd.join(' ').toStdString();
        EXPECT_TRUE(run.out.startsWith(QStringLiteral("Usage: otalab-cli ") + cmd.join(' ')))
            << run.out.left(120).toStdString();
    }
}

TEST(CliDispatch, UnknownCommandIsUsageError)
{
    const auto run = runCli({"image", "frobnicate"});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.err.contains(QStringLiteral("unknown command")));
}

TEST(CliDispatch, GroupAloneListsItsCommands)
{
    const auto run = runCli({"image"});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.out.contains(QStringLiteral("image verify")));
}

TEST(CliDispatch, GroupHelpListsItsCommands)
{
    for (const char* group : {"jobs", "awsota", "image", "fuota"}) {
        const auto run = runCli({group, "--help"});
        EXPECT_EQ(run.code, otalab::cli::ExitOk) << group;
        EXPECT_TRUE(run.out.contains(QStringLiteral("%1 ").arg(QLatin1String(group)))) << group;
        EXPECT_TRUE(run.err.isEmpty()) << group;
    }
    EXPECT_TRUE(runCli({"jobs", "-h"}).out.contains(QStringLiteral("jobs cancel")));
}

TEST(CliDispatch, UnknownOptionIsUsageError)
{
    const auto run = runCli({"image", "inspect", "--no-such-option", "x"});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.err.contains(QStringLiteral("no-such-option")));
}

TEST(CliInspect, MissingFileIsIoError)
{
    const auto run = runCli({"image", "inspect", "/nonexistent/file.ota"});
    EXPECT_EQ(run.code, otalab::cli::ExitIo);
    EXPECT_TRUE(run.err.contains(QStringLiteral("/nonexistent/file.ota")));
}

TEST(CliInspect, NonImageIsInvalidWithReason)
{
    QTemporaryDir dir;
    const QString path = writeTemp(dir, "junk.bin", QByteArray("hello world, not firmware"));
    const auto run = runCli({"image", "inspect", path});
    EXPECT_EQ(run.code, otalab::cli::ExitInvalid);
    EXPECT_TRUE(run.out.contains(QStringLiteral("INVALID")));
    EXPECT_TRUE(run.out.contains(QStringLiteral("0x0BEEF11E")));
}

TEST(CliInspect, EmptyFileJsonSaysInvalid)
{
    QTemporaryDir dir;
    const QString path = writeTemp(dir, "empty.bin", {});
    const auto run = runCli({"image", "inspect", path, "--json"});
    EXPECT_EQ(run.code, otalab::cli::ExitInvalid);
    EXPECT_TRUE(run.out.contains(QStringLiteral("\"valid\": false")));
    EXPECT_TRUE(run.out.contains(QStringLiteral("file is empty")));
}

TEST(CliVerify, RequiresKey)
{
    const auto run = runCli({"image", "verify", "x.ota"});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--key")));
}

TEST(CliKeygen, WritesLoadableKeysOfEveryType)
{
    QTemporaryDir dir;
    for (const char* type : {"ecdsa-p256", "ed25519", "x25519", "sect163k1", "sect283k1"}) {
        const QString priv = dir.filePath(QStringLiteral("%1.pem").arg(type));
        const QString pub = dir.filePath(QStringLiteral("%1.pub.pem").arg(type));
        const auto run = runCli({"image", "keygen", "--type", type, "--out", priv, "--public-out", pub});
        ASSERT_EQ(run.code, otalab::cli::ExitOk) << run.err.toStdString();
        auto key = otalab::core::crypto::PKey::fromFile(priv);
        ASSERT_TRUE(key.has_value()) << type;
        EXPECT_TRUE(key->hasPrivate());
        EXPECT_EQ(otalab::core::crypto::keyTypeName(*key->type()), QString::fromLatin1(type));
        auto pubKey = otalab::core::crypto::PKey::fromFile(pub);
        ASSERT_TRUE(pubKey.has_value());
        EXPECT_FALSE(pubKey->hasPrivate());
        EXPECT_EQ(pubKey->publicDer(), key->publicDer());
    }
}

TEST(CliKeygen, RefusesToOverwriteAndRejectsUnknownType)
{
    QTemporaryDir dir;
    const QString path = writeTemp(dir, "existing.pem", "keep me");
    auto run = runCli({"image", "keygen", "--out", path});
    EXPECT_EQ(run.code, otalab::cli::ExitIo);
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(f.readAll(), QByteArray("keep me"));
    run = runCli({"image", "keygen", "--type", "dsa", "--out", dir.filePath("new.pem")});
    EXPECT_EQ(run.code, otalab::cli::ExitUsage);
    EXPECT_TRUE(run.err.contains(QStringLiteral("unknown key type")));
}

TEST(CliSign, UnknownFormatIsInvalid)
{
    QTemporaryDir dir;
    const QString path = writeTemp(dir, "junk.bin", QByteArray(100, 'x'));
    const auto run = runCli({"image", "sign", path, "--key", "k.pem", "--out", dir.filePath("o")});
    EXPECT_EQ(run.code, otalab::cli::ExitInvalid);
}
