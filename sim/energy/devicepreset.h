// SPDX-License-Identifier: Apache-2.0
// DevicePreset: supply voltage and per-state currents of one SoC, as data.
#pragma once

#include "core/common/error.h"
#include "sim/energy/energycomponent.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <optional>

namespace otalab::sim {

// The electrical figures the energy model needs for one device type. All currents in
// amperes (A), drawn from `supplyVoltageV` (V). The device's total current is the sum
// of its radio's and its CPU's current in their current states, so:
//   * cpu.sleepA is the whole chip's lowest RAM-retaining sleep current (RTC on);
//   * radio.sleepA is the radio's extra current when off (0 on these SoCs);
//   * radio.rxA/txA are the data sheets' radio-active figures, which already include
//     the chip's baseline with the CPU idle — adding cpu.activeA while the radio is
//     busy over-estimates by that baseline (conservative, < ~15 %).
// Value type; presets are data and round-trip through JSON.
struct DevicePreset {
    struct Radio {
        double sleepA = 0.0;
        double idleA = 0.0; // receiver on, listening (= RX current on these radios)
        double rxA = 0.0;
        double txA = 0.0;   // at the preset's txPowerDbm
    };
    struct Cpu {
        double sleepA = 0.0;
        double activeA = 0.0;
        double flashEraseA = 0.0;
        double flashWriteA = 0.0;
    };

    QString name;
    double supplyVoltageV = 3.0;
    double txPowerDbm = 0.0; // output power the radio.txA figure is for
    Radio radio;
    Cpu cpu;

    // Silicon Labs EFR32MG24, Texas Instruments CC2652R, Nordic nRF52840 (sources in
    // devicepreset.cpp next to each number).
    static DevicePreset efr32mg24();
    static DevicePreset cc2652r();
    static DevicePreset nrf52840();
    // By name ("EFR32MG24", "CC2652R", "nRF52840"; case-insensitive).
    static std::optional<DevicePreset> builtin(const QString& name);

    std::array<double, kRadioStateCount> radioCurrentsA() const;
    std::array<double, kCpuStateCount> cpuCurrentsA() const;

    // {"name": str, "supplyVoltageV": num, "txPowerDbm": num (optional, default 0),
    //  "radio": {"sleepA","idleA","rxA","txA"}, "cpu": {"sleepA","activeA",
    //  "flashEraseA","flashWriteA"}} — every current a number >= 0 (A), voltage > 0.
    // Unknown keys are errors. Error::field names the JSON key with `path` prefixed
    // (e.g. "devices[2].preset.radio.txA").
    static Result<DevicePreset> fromJson(const QJsonObject& json,
                                         const QString& path = QStringLiteral("preset"));
    QJsonObject toJson() const;
};

} // namespace otalab::sim
