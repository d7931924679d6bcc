// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/devicepreset.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

TEST(EnergyPreset, BuiltinsArePlausible)
{
    for (const char* name : {"EFR32MG24", "CC2652R", "nRF52840"}) {
        const auto p = DevicePreset::builtin(QString::fromLatin1(name));
        ASSERT_TRUE(p) << name;
        EXPECT_EQ(p->supplyVoltageV, 3.0);
        EXPECT_GT(p->radio.txA, 1e-3);
        EXPECT_LT(p->radio.txA, 20e-3);
        EXPECT_GT(p->radio.rxA, 1e-3);
        EXPECT_LT(p->cpu.sleepA, 5e-6);
        EXPECT_GT(p->cpu.activeA, p->cpu.sleepA);
    }
    EXPECT_NEAR(DevicePreset::nrf52840().radio.txA, 6.40e-3, 1e-12);
    EXPECT_NEAR(DevicePreset::efr32mg24().cpu.activeA, 33.4e-6 * 39.0, 1e-12);
    EXPECT_FALSE(DevicePreset::builtin(QStringLiteral("ESP32")));
}

TEST(EnergyPreset, JsonRoundTrip)
{
    const DevicePreset original = DevicePreset::cc2652r();
    const auto parsed = DevicePreset::fromJson(original.toJson());
    ASSERT_TRUE(parsed) << parsed.error().toString().toStdString();
    EXPECT_EQ(parsed->name, original.name);
    EXPECT_EQ(parsed->radio.rxA, original.radio.rxA);
    EXPECT_EQ(parsed->cpu.flashWriteA, original.cpu.flashWriteA);
    EXPECT_EQ(parsed->supplyVoltageV, original.supplyVoltageV);
}

namespace {

QJsonObject parse(const char* text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

TEST(EnergyPreset, ErrorsNameTheJsonKey)
{
    const char* good = R"({"name":"x","supplyVoltageV":3.3,
        "radio":{"sleepA":0,"idleA":0.005,"rxA":0.005,"txA":0.006},
        "cpu":{"sleepA":1e-6,"activeA":0.003,"flashEraseA":0.004,"flashWriteA":0.004}})";
    ASSERT_TRUE(DevicePreset::fromJson(parse(good)));

    const auto missing = DevicePreset::fromJson(parse(R"({"name":"x","supplyVoltageV":3,
        "radio":{"sleepA":0,"idleA":0.005,"rxA":0.005},
        "cpu":{"sleepA":1e-6,"activeA":0.003,"flashEraseA":0.004,"flashWriteA":0.004}})"),
                                                QStringLiteral("devices[2].preset"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().field, QStringLiteral("devices[2].preset.radio.txA"));

    const auto unknown = DevicePreset::fromJson(parse(R"({"name":"x","supplyVoltageV":3,
        "radio":{"sleepA":0,"idleA":0.005,"rxA":0.005,"txA":0.006},
        "cpu":{"sleepA":1e-6,"activeA":0.003,"flashEraseA":0.004,"flashWriteA":0.004,"turbo":1}})"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, QStringLiteral("preset.cpu.turbo"));

    const auto negative = DevicePreset::fromJson(parse(R"({"name":"x","supplyVoltageV":3,
        "radio":{"sleepA":0,"idleA":0.005,"rxA":-0.005,"txA":0.006},
        "cpu":{"sleepA":1e-6,"activeA":0.003,"flashEraseA":0.004,"flashWriteA":0.004}})"));
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().field, QStringLiteral("preset.radio.rxA"));

    const auto volts = DevicePreset::fromJson(parse(R"({"name":"x","supplyVoltageV":"3V",
        "radio":{}, "cpu":{}})"));
    ASSERT_FALSE(volts);
    EXPECT_EQ(volts.error().field, QStringLiteral("preset.supplyVoltageV"));
    EXPECT_TRUE(volts.error().message.contains(QStringLiteral("a string")));

    const auto topUnknown = DevicePreset::fromJson(parse(R"({"name":"x","voltage":3})"));
    ASSERT_FALSE(topUnknown);
    EXPECT_EQ(topUnknown.error().field, QStringLiteral("preset.voltage"));
}
