// SPDX-License-Identifier: Apache-2.0
// `otalab-cli ocf` as a script sees it: usage errors exit 2, a device that never answers
// exits 3, several --conn run the step on every device at once.
#include "tests/support/coap_ocf_lab.h"

#include <gtest/gtest.h>

namespace otalab::testing {
namespace {

TEST(OcfClientCli, UsageErrorsExitTwo)
{
    const QString conn = QStringLiteral("coap://127.0.0.1:5683");
    for (const QStringList& args : {
             QStringList{QStringLiteral("ocf")},
             QStringList{QStringLiteral("ocf"), QStringLiteral("status")},   // no --conn
             QStringList{QStringLiteral("ocf"), QStringLiteral("--conn"), QStringLiteral("http://127.0.0.1"),
                         QStringLiteral("status")},
             QStringList{QStringLiteral("ocf"), QStringLiteral("--conn"), conn, QStringLiteral("reboot")},
             QStringList{QStringLiteral("ocf"), QStringLiteral("--conn"), conn, QStringLiteral("upgrade"),
                         QStringLiteral("--at"), QStringLiteral("tomorrow")},
             QStringList{QStringLiteral("ocf"), QStringLiteral("--conn"), conn, QStringLiteral("status"),
                         QStringLiteral("--watch")},
             QStringList{QStringLiteral("ocf"), QStringLiteral("--conn"), conn, QStringLiteral("check"),
                         QStringLiteral("--at"), QStringLiteral("now")},
         }) {
        const ProcessRun run = runCliProcess(args);
        EXPECT_EQ(run.code, 2) << args.join(QLatin1Char(' ')).toStdString() << "\n" << show(run);
        EXPECT_TRUE(run.err.startsWith(QStringLiteral("error: "))) << show(run);
    }
    const ProcessRun help = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--help")});
    EXPECT_EQ(help.code, 0) << show(help);
    EXPECT_TRUE(help.out.contains(QStringLiteral("status | check | validate | upgrade | discover"))) << show(help);
}

TEST(OcfClientCli, NoAnswerExitsThree)
{
    OcfLab lab;
    ASSERT_TRUE(lab.startTarget());
    const QString port = lab.conn().section(QLatin1Char(':'), -1);
    lab.killTarget();   // the port is now silent
    const ProcessRun run = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"),
                                          QStringLiteral("coap://127.0.0.1:") + port, QStringLiteral("status"),
                                          QStringLiteral("--timeout"), QStringLiteral("1")});
    EXPECT_EQ(run.code, 3) << show(run);
}

TEST(OcfClientCli, SeveralDevicesAtOnce)
{
    OcfLab first;
    OcfLab second;
    ASSERT_TRUE(first.serveImage(first.makeImage(QStringLiteral("app.bin"), QStringLiteral("1.2.0"), 3000, std::nullopt)));
    ASSERT_TRUE(first.startTarget({QStringLiteral("--name"), QStringLiteral("dev-a")}));
    ASSERT_TRUE(second.startTarget({QStringLiteral("--name"), QStringLiteral("dev-b"), QStringLiteral("--version"),
                                    QStringLiteral("1.5.0")}));
    const ProcessRun run = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), first.conn(),
                                          QStringLiteral("--conn"), second.conn(), QStringLiteral("check"),
                                          QStringLiteral("--purl"), first.purl(), QStringLiteral("--watch"),
                                          QStringLiteral("--timeout"), QStringLiteral("20")});
    EXPECT_EQ(run.code, 0) << show(run);
    const QString a = first.conn().mid(7) + QStringLiteral(": ");
    const QString b = second.conn().mid(7) + QStringLiteral(": ");
    EXPECT_TRUE(run.out.contains(a + QStringLiteral("new software available: 1.2.0"))) << show(run);
    EXPECT_TRUE(run.out.contains(b + QStringLiteral("no newer software"))) << show(run);
}

} // namespace
} // namespace otalab::testing
