// SPDX-License-Identifier: Apache-2.0
// LoRaWAN device energy: radio (SX1276 / SX1262) + MCU currents, and a device's time per state.
#pragma once

#include "sim/kernel/simtime.h"

#include <QString>

#include <optional>

namespace otalab::sim {

// Supply currents (A) of one radio + MCU pair; sources in lorawanenergy.cpp.
struct LorawanEnergyPreset {
    QString radio;                 // "SX1276" | "SX1262"
    QString mcu;                   // "STM32L072" | "STM32WL55"
    double radioSleepA = 0;
    double radioRxA = 0;           // LoRa receive, 125 kHz
    double mcuActiveA = 0;         // MCU running (protocol stack, decoding, flash driver)
    double mcuSleepA = 0;          // MCU stop mode with RTC
    double flashWriteA = 0;        // extra current while programming flash
    double flashSecondsPerByte = 0;  // program (and erase) time per byte of update storage
    double volts = 3.3;            // supply when mains powered
    // Transmit current at `dbm` (interpolated in the datasheet's table).
    double radioTxA(double dbm) const;

    static std::optional<LorawanEnergyPreset> byName(const QString& radio, const QString& mcu);
};

// Time a device spent in each drawing state since t = 0 (integer nanoseconds; sleep is the
// rest). Kept per device: 32 bytes.
struct LorawanEnergyTimes {
    std::int64_t txNs = 0;
    std::int64_t rxNs = 0;
    std::int64_t mcuNs = 0;     // MCU active beyond radio time (stack, decoder, MIC)
    std::int64_t flashNs = 0;   // flash programming
};

// Energy (J) of `times` over `elapsed` at `volts`, transmitting at `txDbm`.
double lorawanJoules(const LorawanEnergyPreset& preset, const LorawanEnergyTimes& times, SimTime elapsed, double txDbm,
                     double volts);

} // namespace otalab::sim
