// SPDX-License-Identifier: Apache-2.0
// `otalab-cli smp` refuses a request larger than the link or the board takes before it is
// sent: exit 2 (the input does not fit, like a usage error) with the limit and what raises
// it, instead of five retries and "did not answer" (exit 4).
#include "smp_e2e_support.h"

namespace otalab {
namespace {

using testing::LiveProcess;
using testing::ProcessRun;
using testing::show;

TEST(SmpRequestSizeEndToEnd, EchoLargerThanAUdpDatagramFailsAtOnce)
{
    // Nobody listens on port 9: before, 5 attempts × 5 s and exit 4; now refused unsent.
    const ProcessRun r = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                 QStringLiteral("udp:127.0.0.1:9"), QStringLiteral("echo"),
                                                 QString(2000, QLatin1Char('x'))},
                                                20000);
    EXPECT_EQ(r.code, 2) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("the os echo request is "))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("one UDP datagram carries at most 1472 bytes"))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("mtu="))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("CONFIG_MCUMGR_TRANSPORT_UDP_MTU"))) << show(r);
    EXPECT_FALSE(r.err.contains(QStringLiteral("did not answer"))) << show(r);

    const ProcessRun mtu = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                   QStringLiteral("udp:127.0.0.1:9"), QStringLiteral("--mtu"),
                                                   QStringLiteral("200"), QStringLiteral("echo"),
                                                   QString(300, QLatin1Char('x'))},
                                                  20000);
    EXPECT_EQ(mtu.code, 2) << show(mtu);
    EXPECT_TRUE(mtu.err.contains(QStringLiteral("--mtu 200 allows packets of at most 200 bytes"))) << show(mtu);
}

TEST(SmpRequestSizeEndToEnd, EchoLargerThanTheBoardsBuffersNamesBufSize)
{
    LiveProcess board({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--udp"), QStringLiteral("0"),
                       QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--boot-ms"),
                       QStringLiteral("50"), QStringLiteral("--buf-size"), QStringLiteral("384")});
    const auto port = board.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(port.hasMatch()) << board.output().toStdString();
    ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << board.output().toStdString();
    const QString conn = QStringLiteral("udp:127.0.0.1:") + port.captured(1);

    const ProcessRun big = testing::runCliProcess(
        {QStringLiteral("smp"), QStringLiteral("--conn"), conn, QStringLiteral("echo"), QString(600, QLatin1Char('b'))},
        20000);
    EXPECT_EQ(big.code, 2) << show(big);
    EXPECT_TRUE(big.err.contains(QStringLiteral("the board takes packets of at most 380 bytes"))) << show(big);
    EXPECT_TRUE(big.err.contains(QStringLiteral("CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE"))) << show(big);

    const QString fits(300, QLatin1Char('f'));
    const ProcessRun ok = testing::runCliProcess(
        {QStringLiteral("smp"), QStringLiteral("--conn"), conn, QStringLiteral("echo"), fits}, 20000);
    EXPECT_EQ(ok.code, 0) << show(ok);
    EXPECT_EQ(ok.out.trimmed(), fits) << show(ok);
    EXPECT_EQ(board.stop(), 0) << board.output().toStdString();
    // The refused request never reached the board: no oversized packet was dropped there.
    EXPECT_FALSE(board.output().contains(QStringLiteral("exceeds"))) << board.output().toStdString();
}

} // namespace
} // namespace otalab
