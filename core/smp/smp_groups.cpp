// SPDX-License-Identifier: Apache-2.0
// Names of SMP groups and commands for logs and messages.
#include "core/smp/smp_groups.h"

namespace otalab::core::smp {

QString groupName(std::uint16_t group)
{
    switch (Group(group)) {
    case Group::Os: return QStringLiteral("os");
    case Group::Image: return QStringLiteral("image");
    case Group::Stat: return QStringLiteral("stat");
    case Group::Settings: return QStringLiteral("settings");
    case Group::Log: return QStringLiteral("log");
    case Group::Crash: return QStringLiteral("crash");
    case Group::Split: return QStringLiteral("split");
    case Group::Run: return QStringLiteral("run");
    case Group::Fs: return QStringLiteral("fs");
    case Group::Shell: return QStringLiteral("shell");
    case Group::Enumeration: return QStringLiteral("enumeration");
    case Group::Zephyr: return QStringLiteral("zephyr");
    }
    return QStringLiteral("group %1").arg(group);
}

namespace {

const char* osCommand(std::uint8_t command)
{
    switch (command) {
    case os::Echo: return "echo";
    case os::ConsoleEcho: return "console echo";
    case os::TaskStats: return "task stats";
    case os::MemoryPool: return "memory pool stats";
    case os::DateTime: return "date-time";
    case os::Reset: return "reset";
    case os::McumgrParams: return "mcumgr params";
    case os::Info: return "info";
    case os::BootloaderInfo: return "bootloader info";
    }
    return nullptr;
}

const char* imageCommand(std::uint8_t command)
{
    switch (command) {
    case image::State: return "state";
    case image::Upload: return "upload";
    case image::File: return "file";
    case image::CoreList: return "core list";
    case image::CoreLoad: return "core load";
    case image::Erase: return "erase";
    case image::SlotInfo: return "slot info";
    }
    return nullptr;
}

} // namespace

QString commandName(std::uint16_t group, std::uint8_t command)
{
    const char* name = nullptr;
    if (group == std::uint16_t(Group::Os))
        name = osCommand(command);
    else if (group == std::uint16_t(Group::Image))
        name = imageCommand(command);
    if (name)
        return groupName(group) + QLatin1Char(' ') + QLatin1String(name);
    return QStringLiteral("group %1 command %2").arg(group).arg(command);
}

} // namespace otalab::core::smp
