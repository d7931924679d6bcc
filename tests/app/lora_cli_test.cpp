// SPDX-License-Identifier: Apache-2.0
// otalab-cli lora airtime, in-process: the table of every data rate, one data rate, the
// LoRaWAN overhead of --app-payload, JSON, and usage errors (exit 2).
#include "cli_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <gtest/gtest.h>

namespace otalab {
namespace {

using testing::runCli;

QStringList airtime(const QStringList& options) { return QStringList{QStringLiteral("lora"), QStringLiteral("airtime")} + options; }

QJsonObject json(const QStringList& options)
{
    const auto run = runCli(airtime(options + QStringList{QStringLiteral("--json")}));
    EXPECT_EQ(run.code, 0) << run.err.toStdString();
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

TEST(LoraCli, TableListsEveryEu868DataRateWithDutyCycleFigures)
{
    const auto run = runCli(airtime({QStringLiteral("--app-payload"), QStringLiteral("20")}));
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("20 B application payload + 13 B LoRaWAN overhead = 33 B PHYPayload")));
    EXPECT_TRUE(run.out.contains(QStringLiteral("wait at 1 %")));
    // DR0: max frame 64 B = 2793.472 ms, 276.6 s off, 12 frames/h; DR5: 399.616 ms, 90 frames/h.
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("\\n0 +12 +125 +51 +64 +1810\\.432 ms +2793\\.472 ms +276\\.6 s +12\\n"))))
        << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("\\n5 +7 +125 +242 +255 +71\\.936 ms +399\\.616 ms +39\\.6 s +90\\n"))))
        << run.out.toStdString();
}

TEST(LoraCli, JsonGivesExactFiguresPerDataRate)
{
    const QJsonObject o = json({QStringLiteral("--payload"), QStringLiteral("13")});
    EXPECT_EQ(o[QStringLiteral("region")].toString(), QStringLiteral("EU868"));
    const QJsonArray rows = o[QStringLiteral("rows")].toArray();
    ASSERT_EQ(rows.size(), 7);
    const QJsonObject dr5 = rows[5].toObject();
    EXPECT_EQ(dr5[QStringLiteral("dr")].toInt(), 5);
    EXPECT_DOUBLE_EQ(dr5[QStringLiteral("airtimeMs")].toDouble(), 46.336);
    EXPECT_DOUBLE_EQ(dr5[QStringLiteral("maxFrameAirtimeMs")].toDouble(), 399.616);
    EXPECT_DOUBLE_EQ(dr5[QStringLiteral("dutyCycleWaitS")].toDouble(), 39.561984);
    EXPECT_EQ(dr5[QStringLiteral("framesPerHour")].toInt(), 90);
}

TEST(LoraCli, OneDataRateBySfAndBandwidth)
{
    const QJsonObject o = json({QStringLiteral("--sf"), QStringLiteral("12"), QStringLiteral("--payload"), QStringLiteral("51")});
    const QJsonArray rows = o[QStringLiteral("rows")].toArray();
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].toObject()[QStringLiteral("dr")].toInt(), 0);
    EXPECT_DOUBLE_EQ(rows[0].toObject()[QStringLiteral("airtimeMs")].toDouble(), 2465.792);
    // SF9/250 kHz is no EU868 data rate: computed all the same, max frame 255 B.
    const QJsonObject bare = json({QStringLiteral("--sf"), QStringLiteral("9"), QStringLiteral("--bw"), QStringLiteral("250")});
    EXPECT_TRUE(bare[QStringLiteral("rows")].toArray()[0].toObject()[QStringLiteral("dr")].isNull());
}

TEST(LoraCli, Us915DownlinkAndCodingRate)
{
    const QJsonObject o = json({QStringLiteral("--region"), QStringLiteral("us915"), QStringLiteral("--downlink"),
                                QStringLiteral("--cr"), QStringLiteral("4/8")});
    EXPECT_EQ(o[QStringLiteral("direction")].toString(), QStringLiteral("downlink"));
    EXPECT_EQ(o[QStringLiteral("codingRate")].toString(), QStringLiteral("4/8"));
    EXPECT_FALSE(o[QStringLiteral("crc")].toBool());
    const QJsonArray rows = o[QStringLiteral("rows")].toArray();
    ASSERT_EQ(rows.size(), 6); // DR8..13
    EXPECT_EQ(rows[0].toObject()[QStringLiteral("dr")].toInt(), 8);
    EXPECT_FALSE(rows[0].toObject().contains(QStringLiteral("framesPerHour"))); // no duty cycle
    const auto table = runCli(airtime({QStringLiteral("--region"), QStringLiteral("US915")}));
    EXPECT_TRUE(table.out.contains(QStringLiteral("400 ms dwell time")));
}

TEST(LoraCli, ImpossibleCombinationsAreUsageErrors)
{
    const struct {
        QStringList options;
        const char* message;
    } cases[] = {
        {{QStringLiteral("--dr"), QStringLiteral("0"), QStringLiteral("--app-payload"), QStringLiteral("52")},
         "over the maximum of EU868 DR0"},
        {{QStringLiteral("--dr"), QStringLiteral("3"), QStringLiteral("--payload"), QStringLiteral("129")},
         "over the maximum of EU868 DR3"},
        {{QStringLiteral("--sf"), QStringLiteral("13")}, "--sf: 13 is out of range (7..12)"},
        {{QStringLiteral("--sf"), QStringLiteral("6")}, "--sf: 6 is out of range"},
        {{QStringLiteral("--sf"), QStringLiteral("7"), QStringLiteral("--bw"), QStringLiteral("200")}, "not a LoRaWAN bandwidth"},
        {{QStringLiteral("--bw"), QStringLiteral("125")}, "--bw needs --sf"},
        {{QStringLiteral("--dr"), QStringLiteral("1"), QStringLiteral("--sf"), QStringLiteral("7")}, "either --dr or --sf"},
        {{QStringLiteral("--dr"), QStringLiteral("7")}, "EU868 has no LoRa data rate DR7"},
        {{QStringLiteral("--region"), QStringLiteral("US915"), QStringLiteral("--dr"), QStringLiteral("8")},
         "DR8 is not an uplink data rate in US915"},
        {{QStringLiteral("--region"), QStringLiteral("AS923")}, "not a known region"},
        {{QStringLiteral("--cr"), QStringLiteral("4/9")}, "not a LoRa coding rate"},
        {{QStringLiteral("--payload"), QStringLiteral("256")}, "--payload: 256 is out of range (0..255)"},
        {{QStringLiteral("--payload"), QStringLiteral("abc")}, "not a whole number"},
        {{QStringLiteral("--payload"), QStringLiteral("10"), QStringLiteral("--app-payload"), QStringLiteral("10")}, "not both"},
        {{QStringLiteral("--uplink"), QStringLiteral("--downlink")}, "not both"},
    };
    for (const auto& c : cases) {
        const auto run = runCli(airtime(c.options));
        EXPECT_EQ(run.code, 2) << c.options.join(QLatin1Char(' ')).toStdString();
        EXPECT_TRUE(run.err.contains(QString::fromUtf8(c.message))) << run.err.toStdString();
    }
}

TEST(LoraCli, HelpAndOverview)
{
    const auto help = runCli(airtime({QStringLiteral("--help")}));
    EXPECT_EQ(help.code, 0);
    EXPECT_TRUE(help.out.contains(QStringLiteral("--app-payload")));
    EXPECT_TRUE(help.out.contains(QStringLiteral("AN1200.13")));
    const auto overview = runCli({QStringLiteral("--help")});
    EXPECT_TRUE(overview.out.contains(QStringLiteral("lora airtime")));
}

} // namespace
} // namespace otalab
