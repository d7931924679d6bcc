// SPDX-License-Identifier: Apache-2.0
// Simulated SMP boards in virtual time: uploads and upgrades over serial, BLE and UDP,
// determinism of the trace, line noise, board timing.
#include "core/smp/client_command.h"
#include "core/smp/client_upgrade.h"
#include "core/smp/client_upload.h"
#include "sim/smp/smptestbed.h"
#include "smp_test_support.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using otalab::core::smp::UpgradeMode;
using otalab::core::smp::UpgradeOperation;
using otalab::core::smp::UpgradeOptions;
using otalab::core::smp::UploadOperation;
using otalab::core::smp::UploadOptions;
using otalab::test::simsmp::makeImage;

namespace {

SmpTestbedConfig spec(const QString& target, const QVariantMap& options = {})
{
    auto parsed = parseSmpSimSpec(target, options);
    EXPECT_TRUE(parsed) << (parsed ? std::string() : parsed.error().toString().toStdString());
    return parsed ? *parsed : SmpTestbedConfig{};
}

std::unique_ptr<SmpTestbed> bench(const QString& target, const QVariantMap& options = {})
{
    auto tb = std::make_unique<SmpTestbed>(spec(target, options));
    auto installed = tb->device().install(makeImage(20000, QStringLiteral("1.0.0"), 1));
    EXPECT_TRUE(installed) << (installed ? std::string() : installed.error().toString().toStdString());
    return tb;
}

QByteArray secondary(SmpTestbed& tb, qint64 size)
{
    return tb.device().board().flash().read(otalab::core::mcuboot::kSecondarySlot, 0, size);
}

UploadOptions uploadOptions(SmpTestbed& tb)
{
    UploadOptions o;
    o.maxPacketBytes = tb.link().maxPacketSize();   // what a client takes from its transport
    return o;
}

UpgradeOptions upgradeOptions(SmpTestbed& tb)
{
    UpgradeOptions o;
    o.upload = uploadOptions(tb);
    return o;
}

otalab::core::mcuboot::ImageVersion version(const char* text)
{
    return otalab::core::mcuboot::ImageVersion::parse(QString::fromLatin1(text)).value();
}

std::string failureText(const SmpOperationHost& host)
{
    const auto f = host.failure();
    return f ? f->toString().toStdString() : std::string();
}

} // namespace

TEST(SmpSimDevice, UploadOverSerialArrivesIntactAndTakesAtLeastTheWireTime)
{
    auto tb = bench(QStringLiteral("serial"));
    // A board that was upgraded before: its secondary slot holds the previous image, so
    // the first chunk waits for the slot erase.
    ASSERT_TRUE(tb->device().board().flash().program(otalab::core::mcuboot::kSecondarySlot,
                                                     makeImage(60000, QStringLiteral("0.9.0"), 9)));
    const QByteArray image = makeImage(64 * 1024, QStringLiteral("1.1.0"), 2);
    UploadOperation op(image, uploadOptions(*tb));
    SmpOperationHost& host = tb->run(op);
    ASSERT_TRUE(host.isFinished());
    ASSERT_FALSE(host.failure()) << failureText(host);
    EXPECT_EQ(secondary(*tb, image.size()), image);
    EXPECT_EQ(op.window(), 3);                       // buf_count 4 − 1
    EXPECT_EQ(op.maxPacketBytes(), 380);             // buf_size 384 − 4 (length + CRC)
    const SmpLinkStats& s = tb->link().stats();
    const double seconds = (*host.finishedAt() - *host.startedAt()).toSeconds();
    const double wireSeconds = double(s.hostWireBytes) * 10.0 / 115200.0;
    EXPECT_GE(seconds, wireSeconds);
    // Pipelined: the link is the bottleneck, plus the first chunk's slot erase.
    const double erase = tb->device().stats().flashErase.toSeconds();
    EXPECT_GT(erase, 1.0);                           // 17 pages × 85 ms
    EXPECT_LT(seconds, wireSeconds * 1.1 + erase + 0.5);
    EXPECT_EQ(op.stats().timeouts, 0);
    EXPECT_EQ(tb->device().stats().droppedNoBuffer, 0);
    EXPECT_EQ(s.framesDroppedAtDevice, 0);
}

TEST(SmpSimDevice, StopAndWaitIsSlowerThanPipelining)
{
    const QByteArray image = makeImage(32 * 1024, QStringLiteral("1.1.0"), 3);
    double times[2] = {};
    for (int i = 0; i < 2; ++i) {
        auto tb = bench(QStringLiteral("serial"));
        UploadOptions options = uploadOptions(*tb);
        if (i == 0)
            options.window = 1;
        UploadOperation op(image, options);
        SmpOperationHost& host = tb->run(op);
        ASSERT_FALSE(host.failure()) << failureText(host);
        times[i] = (*host.finishedAt() - *host.startedAt()).toSeconds();
    }
    EXPECT_GT(times[0], times[1] * 1.05);
}

TEST(SmpSimDevice, UpgradeTestAndConfirmOverUsbSerialSurvivesThePortVanishing)
{
    auto tb = bench(QStringLiteral("serial"));
    const QByteArray image = makeImage(40000, QStringLiteral("1.2.0"), 4);
    UpgradeOperation op(image, upgradeOptions(*tb));
    SmpOperationHost& host = tb->run(op);
    ASSERT_TRUE(host.isFinished());
    ASSERT_FALSE(host.failure()) << failureText(host) << "\n" << host.log().join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(op.report().uploaded);
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_FALSE(op.report().rolledBack);
    EXPECT_EQ(op.report().runningVersion, QStringLiteral("1.2.0"));
    EXPECT_EQ(tb->device().stats().resets, 1);
    EXPECT_GE(host.linkDowns() + host.reopens(), 1);
    ASSERT_TRUE(tb->device().lastBoot());
    EXPECT_EQ(tb->device().lastBoot()->version, version("1.2.0"));
    EXPECT_GT(tb->device().stats().booting.toSeconds(), 1.0);   // swap-move of ~10 sectors
}

TEST(SmpSimDevice, UpgradeOverUdpAndBleEndToEnd)
{
    for (const QString& kind : {QStringLiteral("udp"), QStringLiteral("ble")}) {
        auto tb = bench(kind);
        const QByteArray image = makeImage(50000, QStringLiteral("2.0.0"), 5);
        UpgradeOperation op(image, upgradeOptions(*tb));
        SmpOperationHost& host = tb->run(op);
        ASSERT_TRUE(host.isFinished()) << kind.toStdString();
        ASSERT_FALSE(host.failure()) << kind.toStdString() << ": " << failureText(host);
        EXPECT_TRUE(op.report().confirmed) << kind.toStdString();
        EXPECT_EQ(op.report().runningVersion, QStringLiteral("2.0.0"));
        EXPECT_EQ(tb->device().stats().resets, 1);
        if (kind == QLatin1String("udp"))
            EXPECT_EQ(host.linkDowns(), 0);   // the board is silent while it restarts
        else
            EXPECT_GE(host.linkDowns() + host.reopens(), 1);   // the reset ends the BLE connection
    }
}

TEST(SmpSimDevice, TestOnlyUpgradeOfABrokenImageRollsBack)
{
    auto tb = bench(QStringLiteral("udp"));
    QByteArray image = makeImage(30000, QStringLiteral("1.5.0"), 6);
    image[600] = char(image[600] ^ 0x01);   // body no longer matches its SHA256 TLV
    UpgradeOptions options = upgradeOptions(*tb);
    options.mode = UpgradeMode::TestAndConfirm;
    UpgradeOperation op(image, options);
    SmpOperationHost& host = tb->run(op);
    ASSERT_TRUE(host.isFinished());
    EXPECT_TRUE(host.failure());
    EXPECT_TRUE(op.report().rolledBack) << failureText(host) << "\n" << host.log().join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(tb->device().lastBoot()->version, version("1.0.0"));
}

TEST(SmpSimDevice, SameSeedSameTraceDifferentSeedDifferentTrace)
{
    const QByteArray image = makeImage(24 * 1024, QStringLiteral("1.1.0"), 7);
    auto runOnce = [&](const QString& seed) {
        QVariantMap o;
        o.insert(QStringLiteral("seed"), seed);
        o.insert(QStringLiteral("noise"), QStringLiteral("2e-4"));
        auto tb = bench(QStringLiteral("serial"), o);
        UploadOperation op(image, uploadOptions(*tb));
        SmpOperationHost& host = tb->run(op);
        EXPECT_FALSE(host.failure()) << failureText(host);
        return std::make_pair(host.traceHash(), host.finishedAt()->nanos());
    };
    const auto a = runOnce(QStringLiteral("11"));
    const auto b = runOnce(QStringLiteral("11"));
    const auto c = runOnce(QStringLiteral("12"));
    EXPECT_EQ(a, b);
    EXPECT_NE(a.first, c.first);
}

TEST(SmpSimDevice, LineNoiseCausesRetriesButTheImageArrivesIntact)
{
    QVariantMap o;
    o.insert(QStringLiteral("noise"), QStringLiteral("3e-4"));
    o.insert(QStringLiteral("seed"), QStringLiteral("3"));
    auto tb = bench(QStringLiteral("serial"), o);
    const QByteArray image = makeImage(48 * 1024, QStringLiteral("1.1.0"), 8);
    UploadOperation op(image, uploadOptions(*tb));
    SmpOperationHost& host = tb->run(op);
    ASSERT_TRUE(host.isFinished());
    ASSERT_FALSE(host.failure()) << failureText(host);
    EXPECT_EQ(secondary(*tb, image.size()), image);
    const SmpLinkStats& s = tb->link().stats();
    EXPECT_GT(s.corruptedBytes, 0);
    EXPECT_GT(s.framesDroppedAtDevice + s.framesDroppedAtHost, 0);
    EXPECT_GT(op.stats().chunksResent, 0);
    EXPECT_GT(op.stats().timeouts + op.stats().rewinds, 0);
}

TEST(SmpSimDevice, UdpNoiseLosesDatagramsAndTheUploadStillCompletes)
{
    QVariantMap o;
    o.insert(QStringLiteral("noise"), QStringLiteral("2e-5"));
    auto tb = bench(QStringLiteral("udp"), o);
    const QByteArray image = makeImage(100 * 1024, QStringLiteral("1.1.0"), 9);
    UploadOperation op(image, uploadOptions(*tb));
    SmpOperationHost& host = tb->run(op);
    ASSERT_FALSE(host.failure()) << failureText(host);
    EXPECT_EQ(secondary(*tb, image.size()), image);
    EXPECT_GT(tb->link().stats().lostUnits, 0);
}

TEST(SmpSimDevice, BoardWithTooFewBuffersDropsPipelinedRequests)
{
    QVariantMap o;
    o.insert(QStringLiteral("buf_count"), QStringLiteral("2"));
    auto tb = bench(QStringLiteral("udp"), o);
    const QByteArray image = makeImage(30000, QStringLiteral("1.1.0"), 10);
    UploadOptions options = uploadOptions(*tb);
    options.window = 4;   // more than the board can hold
    UploadOperation op(image, options);
    SmpOperationHost& host = tb->run(op);
    ASSERT_FALSE(host.failure()) << failureText(host);
    EXPECT_EQ(secondary(*tb, image.size()), image);
    EXPECT_GT(tb->device().stats().droppedNoBuffer + tb->device().stats().unansweredNoBuffer, 0);
}

TEST(SmpSimDevice, CommandsAnswerAndPowerCycleDuringUploadResumes)
{
    auto tb = bench(QStringLiteral("serial"));
    auto echo = otalab::core::smp::CommandOperation::echo(QStringLiteral("hello"));
    SmpOperationHost& h1 = tb->run(*echo);
    ASSERT_FALSE(h1.failure()) << failureText(h1);
    ASSERT_TRUE(echo->result().text);
    EXPECT_EQ(*echo->result().text, QStringLiteral("hello"));

    const QByteArray image = makeImage(40 * 1024, QStringLiteral("1.1.0"), 11);
    UploadOperation op(image, uploadOptions(*tb));
    tb->device().server().resetDuringUploadAt(20 * 1024);
    SmpOperationHost& h2 = tb->run(op);
    ASSERT_FALSE(h2.failure()) << failureText(h2) << "\n" << h2.log().join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(secondary(*tb, image.size()), image);
    EXPECT_EQ(tb->device().stats().resets, 1);
    EXPECT_GE(h2.linkDowns(), 1);
}
