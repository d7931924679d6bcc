// SPDX-License-Identifier: Apache-2.0
// `otalab-cli ocf serve-image` against libcoap's coap-client as an independent CoAP peer:
// a block-wise GET (RFC 7959) at 64- and 1024-byte blocks returns the file byte for byte.
#include "tests/app/smp_e2e_support.h"
#include "tests/support/coap_process.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab::testing {
namespace {

QByteArray patternBytes(int size, std::uint32_t seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        seed = seed * 1664525u + 1013904223u;
        bytes[i] = char(seed >> 24);
    }
    return bytes;
}

TEST(OcfImageServer, CoapClientBlockwiseGetReturnsTheFileByteForByte)
{
    if (coapClientBinary().isEmpty())
        GTEST_SKIP() << "coap-client-notls (Debian libcoap3-bin) is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QByteArray file = patternBytes(10 * 1024 + 77, 0x0cf);   // not a multiple of any block size
    const QString path = dir.filePath(QStringLiteral("image.bin"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(file);
    }
    LiveProcess server({QStringLiteral("ocf"), QStringLiteral("serve-image"), path, QStringLiteral("--udp"),
                        QStringLiteral("0"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                        QStringLiteral("-v")});
    ASSERT_TRUE(server.started());
    const auto ready = server.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(ready.hasMatch()) << server.output().toStdString();
    const QString url = QStringLiteral("coap://127.0.0.1:%1/fw/image").arg(ready.captured(1));
    for (const int block : {64, 1024}) {
        const QString out = dir.filePath(QStringLiteral("got-%1.bin").arg(block));
        const BinaryRun run = runProgram(coapClientBinary(), {QStringLiteral("-b"), QString::number(block),
                                                              QStringLiteral("-B"), QStringLiteral("20"),
                                                              QStringLiteral("-o"), out, url});
        ASSERT_TRUE(run.finished) << run.err.toStdString();
        EXPECT_EQ(run.code, 0) << run.err.toStdString();
        QFile got(out);
        ASSERT_TRUE(got.open(QIODevice::ReadOnly)) << "block " << block << ": " << run.err.toStdString();
        EXPECT_EQ(got.readAll(), file) << "block size " << block;
    }
    // -v prints each block: the 64-byte transfer took ceil(10317 / 64) = 162 blocks.
    const auto last64 = server.waitFor(QStringLiteral("block 161 \\(13 bytes, last\\)"));
    EXPECT_TRUE(last64.hasMatch()) << server.output().toStdString();
    const auto last1024 = server.waitFor(QStringLiteral("block 10 \\(77 bytes, last\\)"));
    EXPECT_TRUE(last1024.hasMatch()) << server.output().toStdString();
}

TEST(OcfImageServer, UnknownPathIsNotFoundAndUsageErrorsExitTwo)
{
    if (coapClientBinary().isEmpty())
        GTEST_SKIP() << "coap-client-notls (Debian libcoap3-bin) is not installed";
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.bin"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(patternBytes(300, 7));
    }
    EXPECT_EQ(runCliProcess({QStringLiteral("ocf"), QStringLiteral("serve-image")}).code, 2);
    EXPECT_EQ(runCliProcess({QStringLiteral("ocf"), QStringLiteral("serve-image"), path, QStringLiteral("--block-size"),
                             QStringLiteral("100")}).code, 2);
    LiveProcess server({QStringLiteral("ocf"), QStringLiteral("serve-image"), path, QStringLiteral("--udp"),
                        QStringLiteral("0"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                        QStringLiteral("--path"), QStringLiteral("/fw/a")});
    const auto ready = server.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(ready.hasMatch()) << server.output().toStdString();
    const BinaryRun run = runProgram(coapClientBinary(), {QStringLiteral("-B"), QStringLiteral("10"),
                                                          QStringLiteral("coap://127.0.0.1:%1/fw/b").arg(ready.captured(1))});
    ASSERT_TRUE(run.finished);
    EXPECT_TRUE(server.waitFor(QStringLiteral("refused 127\\.0\\.0\\.1:\\d+: 4\\.04")).hasMatch()) << server.output().toStdString();
}

} // namespace
} // namespace otalab::testing
