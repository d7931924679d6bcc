// SPDX-License-Identifier: Apache-2.0
// Ids of a device's energy-drawing components and the states of each.
#pragma once

#include <cstddef>
#include <cstdint>

namespace otalab::sim {

// Value of StateChange::machine and EnergySample::component for the device models'
// power state machines. Other machines (OTA client status, ...) must use ids >= 16.
enum class EnergyComponent : std::uint16_t {
    Radio = 1,
    Cpu = 2,
};

// Radio transceiver states (StateChange::from/to, EnergySample::state when
// component == Radio).
enum class RadioState : std::uint16_t {
    Sleep = 0, // transceiver off (deep sleep); draws the preset's radio sleep current
    Idle = 1,  // receiver on, listening (backoff, CCA, ACK wait, rx-on-when-idle)
    Rx = 2,    // receiving a frame (locked on a preamble)
    Tx = 3,    // transmitting a frame or an ACK
};
inline constexpr std::size_t kRadioStateCount = 4;

// CPU/flash states (component == Cpu).
enum class CpuState : std::uint16_t {
    Sleep = 0,      // MCU in its lowest RAM-retaining mode with an RTC running
    Active = 1,     // MCU running from flash
    FlashErase = 2, // page erase in progress
    FlashWrite = 3, // flash programming in progress
};
inline constexpr std::size_t kCpuStateCount = 4;

const char* toString(RadioState state);
const char* toString(CpuState state);

} // namespace otalab::sim
