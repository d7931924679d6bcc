// SPDX-License-Identifier: Apache-2.0
// SMP management group and command ids (Zephyr include/zephyr/mgmt/mcumgr/grp/*).
#pragma once

#include <QString>
#include <cstdint>

namespace otalab::core::smp {

enum class Group : std::uint16_t {
    Os = 0, Image = 1, Stat = 2, Settings = 3, Log = 4, Crash = 5, Split = 6, Run = 7,
    Fs = 8, Shell = 9, Enumeration = 10, Zephyr = 63,
};

namespace os {
inline constexpr std::uint8_t Echo = 0;
inline constexpr std::uint8_t ConsoleEcho = 1;
inline constexpr std::uint8_t TaskStats = 2;
inline constexpr std::uint8_t MemoryPool = 3;
inline constexpr std::uint8_t DateTime = 4;
inline constexpr std::uint8_t Reset = 5;
inline constexpr std::uint8_t McumgrParams = 6;
inline constexpr std::uint8_t Info = 7;
inline constexpr std::uint8_t BootloaderInfo = 8;
} // namespace os

namespace image {
inline constexpr std::uint8_t State = 0;
inline constexpr std::uint8_t Upload = 1;
inline constexpr std::uint8_t File = 2;
inline constexpr std::uint8_t CoreList = 3;
inline constexpr std::uint8_t CoreLoad = 4;
inline constexpr std::uint8_t Erase = 5;
inline constexpr std::uint8_t SlotInfo = 6;
} // namespace image

// "os", "image", ..., or "group 42".
QString groupName(std::uint16_t group);
// "os echo", "image upload", ..., or "group 1 command 9".
QString commandName(std::uint16_t group, std::uint8_t command);

} // namespace otalab::core::smp
