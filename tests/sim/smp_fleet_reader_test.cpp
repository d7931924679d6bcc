// SPDX-License-Identifier: Apache-2.0
// Reading an SMP fleet from a scenario: every key, defaults, and errors that name the JSON path.
#include "sim/scenario/smpfleetreader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

QJsonObject json(const char* text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << text;
    return doc.object();
}

std::string errorOf(const char* text)
{
    auto read = readSmpFleet(json(text), QStringLiteral("$.fleets[2]"));
    EXPECT_FALSE(read) << text;
    return read ? std::string() : (read.error().field + QStringLiteral(": ") + read.error().message).toStdString();
}

} // namespace

TEST(SmpFleetReader, ReadsEveryKey)
{
    auto read = readSmpFleet(json(R"({"name": "lab", "family": "smp", "link": "ble",
        "ble": {"connections": 8, "connectMs": 900, "intervalMs": 15, "mtu": 498, "dle": 27, "pdus": 6, "phy": "2m",
                "encrypted": true, "byteErrorRate": 1e-6},
        "image": {"sizeBytes": 65536, "version": "2.3.4+5"},
        "boards": {"count": 42, "runningVersion": "2.3.3", "preset": "nRF52840", "battery": "CR2032", "bufSize": 1024,
                   "bufCount": 6, "strategy": "overwrite-only", "slotKb": 128, "eraseMs": 50, "writeUs": 20, "procUs": 150,
                   "unhealthyShare": 0.1, "faultAfterMs": 250, "powerCutShare": 0.05, "powerOffS": 4, "spacingM": 3,
                   "signatureKey": "ed25519"},
        "host": {"resetWaitS": 60, "uploadAttempts": 5, "retryDelayS": 2.5}})"),
                             QStringLiteral("$.fleets[0]"));
    ASSERT_TRUE(read) << read.error().toString().toStdString();
    const SmpFleetConfig& c = *read;
    EXPECT_EQ(c.link, SmpFleetConfig::Link::Ble);
    EXPECT_EQ(c.ble.gatewayConnections, 8);
    EXPECT_EQ(c.ble.connectTime, SimTime::fromMillis(900));
    EXPECT_EQ(c.ble.link.connectionInterval, SimTime::fromMillis(15));
    EXPECT_EQ(c.ble.link.attMtu, 498);
    EXPECT_EQ(c.ble.link.llPayload, 27);
    EXPECT_EQ(c.ble.link.maxPdusPerEvent, 6);
    EXPECT_EQ(c.ble.link.phyBitRate, 2'000'000);
    EXPECT_TRUE(c.ble.link.encrypted);
    EXPECT_DOUBLE_EQ(c.ble.link.byteErrorRate, 1e-6);
    EXPECT_EQ(c.image.sizeBytes, 65536u);
    EXPECT_EQ(c.image.version, QStringLiteral("2.3.4+5"));
    EXPECT_FALSE(c.image.path.has_value());
    EXPECT_EQ(c.boards.count, 42);
    EXPECT_EQ(c.boards.runningVersion, QStringLiteral("2.3.3"));
    EXPECT_EQ(c.boards.battery, QStringLiteral("CR2032"));
    EXPECT_EQ(c.boards.bufSize, 1024u);
    EXPECT_EQ(c.boards.device.server.bufCount, 6u);
    EXPECT_EQ(c.boards.device.boot.strategy, otalab::core::mcuboot::BootStrategy::OverwriteOnly);
    EXPECT_EQ(c.boards.slotKb, 128);
    EXPECT_EQ(c.boards.device.timing.flashPageErase, SimTime::fromMillis(50));
    EXPECT_EQ(c.boards.device.timing.flashWordWrite, SimTime::fromMicros(20));
    EXPECT_EQ(c.boards.device.timing.requestProcessing, SimTime::fromMicros(150));
    EXPECT_DOUBLE_EQ(c.boards.unhealthyShare, 0.1);
    EXPECT_EQ(c.boards.faultAfter, SimTime::fromMillis(250));
    EXPECT_DOUBLE_EQ(c.boards.powerCutShare, 0.05);
    EXPECT_EQ(c.boards.powerOffTime, SimTime::fromSecondsInt(4));
    EXPECT_DOUBLE_EQ(c.boards.spacingM, 3.0);
    EXPECT_EQ(c.boards.signatureKey, QStringLiteral("ed25519"));
    EXPECT_EQ(c.host.resetWait, SimTime::fromSecondsInt(60));
    EXPECT_EQ(c.host.uploadAttempts, 5);
    EXPECT_EQ(c.host.retryDelay, SimTime::fromMillis(2500));
}

TEST(SmpFleetReader, ReadsUdpAndKeepsDefaults)
{
    auto read = readSmpFleet(json(R"({"link": "udp", "udp": {"concurrency": 50, "latencyMs": 5, "rateKbps": 2000,
                                      "mtu": 1400, "headerBytes": 28, "loss": 0.01}})"),
                             QStringLiteral("$.fleets[0]"));
    ASSERT_TRUE(read) << read.error().toString().toStdString();
    EXPECT_EQ(read->link, SmpFleetConfig::Link::Udp);
    EXPECT_EQ(read->concurrency(), 50);
    EXPECT_EQ(read->udp.link.latency, SimTime::fromMillis(5));
    EXPECT_DOUBLE_EQ(read->udp.link.bitRate, 2e6);
    EXPECT_EQ(read->udp.link.maxDatagram, 1400);
    EXPECT_EQ(read->udp.link.headerBytes, 28);
    EXPECT_DOUBLE_EQ(read->udp.datagramLoss, 0.01);
    const SmpFleetConfig defaults;
    EXPECT_EQ(read->boards.count, defaults.boards.count);
    EXPECT_EQ(read->image.sizeBytes, defaults.image.sizeBytes);
    EXPECT_EQ(read->host.uploadAttempts, defaults.host.uploadAttempts);
}

TEST(SmpFleetReader, ErrorsNameTheJsonPath)
{
    EXPECT_NE(errorOf(R"({"colour": "blue"})").find("$.fleets[2].colour"), std::string::npos);
    EXPECT_NE(errorOf(R"({"boards": {"count": 10, "colour": 1}})").find("$.fleets[2].boards.colour"), std::string::npos);
    EXPECT_NE(errorOf(R"({"ble": {"connections": "six"}})").find("$.fleets[2].ble.connections"), std::string::npos);
    EXPECT_NE(errorOf(R"({"ble": {"connections": 21}})").find("$.fleets[2].ble.connections"), std::string::npos);
    EXPECT_NE(errorOf(R"({"link": "lora"})").find("$.fleets[2].link"), std::string::npos);
    EXPECT_NE(errorOf(R"({"boards": {"unhealthyShare": 1.5}})").find("$.fleets[2].boards.unhealthyShare"), std::string::npos);
    EXPECT_NE(errorOf(R"({"boards": {"runningVersion": "one"}})").find("$.fleets[2].boards.runningVersion"), std::string::npos);
    EXPECT_NE(errorOf(R"({"boards": {"preset": "ESP32"}})").find("$.fleets[2].boards.preset"), std::string::npos);
    const std::string ecdsa = errorOf(R"({"boards": {"signatureKey": "ecdsa-p256"}})");
    EXPECT_NE(ecdsa.find("$.fleets[2].boards.signatureKey"), std::string::npos) << ecdsa;
    EXPECT_NE(ecdsa.find("expected \"ed25519\""), std::string::npos) << ecdsa;
    EXPECT_NE(errorOf(R"({"image": {"path": "a.bin", "sizeBytes": 4096}})").find("$.fleets[2].image.sizeBytes"), std::string::npos);
    EXPECT_NE(errorOf(R"({"host": {"uploadAttempts": 0}})").find("$.fleets[2].host.uploadAttempts"), std::string::npos);
    EXPECT_NE(errorOf(R"({"boards": []})").find("$.fleets[2].boards"), std::string::npos);
}

TEST(SmpFleetReader, SettingsOfTheOtherLinkAreAnError)
{
    const std::string udpWithBle = errorOf(R"({"link": "udp", "ble": {"connections": 4}})");
    EXPECT_NE(udpWithBle.find("$.fleets[2].ble"), std::string::npos) << udpWithBle;
    const std::string bleWithUdp = errorOf(R"({"udp": {"concurrency": 4}})");
    EXPECT_NE(bleWithUdp.find("$.fleets[2].udp"), std::string::npos) << bleWithUdp;
    EXPECT_NE(bleWithUdp.find("\"link\": \"udp\""), std::string::npos) << bleWithUdp;
}

TEST(SmpFleetReader, ARelativeImagePathResolvesAgainstTheScenarioFolder)
{
    const QString dir = QStringLiteral(OTALAB_TEST_DATA_DIR);
    auto missing = readSmpFleet(json(R"({"image": {"path": "no-such-image.bin"}})"), QStringLiteral("$.fleets[0]"), dir);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, QStringLiteral("$.fleets[0].image.path"));
}
