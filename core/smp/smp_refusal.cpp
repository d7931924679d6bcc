// SPDX-License-Identifier: Apache-2.0
// Refusals told apart by what the link knows. The Kconfig names below are those of Zephyr's
// MCUmgr handler tables (subsys/mgmt/mcumgr/grp/os_mgmt and img_mgmt: a command compiled
// out has no handler, and smp.c answers MGMT_ERR_ENOTSUP for it).
#include "core/smp/smp_refusal.h"

#include "core/smp/smp_groups.h"

#include <array>

namespace otalab::core::smp {

namespace {

// The firmware option behind one command: `advice` is what to do when it is missing.
struct CommandOption {
    Group group;
    std::uint8_t command;
    bool writeOnly;       // only the write handler depends on the option
    const char* advice;
};

constexpr std::array<CommandOption, 9> kOptions{{
    {Group::Os, os::Echo, false, "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_ECHO)"},
    {Group::Os, os::TaskStats, false, "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_TASKSTAT)"},
    {Group::Os, os::DateTime, false, "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_DATETIME)"},
    {Group::Os, os::Reset, false, "enable reboot support in the firmware (Kconfig CONFIG_REBOOT)"},
    {Group::Os, os::McumgrParams, false,
     "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_MCUMGR_PARAMS)"},
    {Group::Os, os::Info, false, "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_INFO)"},
    {Group::Os, os::BootloaderInfo, false,
     "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_BOOTLOADER_INFO)"},
    // img_mgmt.c registers no state write (test, confirm) in direct-XIP mode.
    {Group::Image, image::State, true,
     "Zephyr leaves image test and confirm out when MCUboot runs in direct-XIP mode "
     "(Kconfig CONFIG_MCUBOOT_BOOTLOADER_MODE_DIRECT_XIP), where MCUboot boots the slot with the "
     "higher version: upload a newer image and reset instead, or build the firmware for "
     "CONFIG_MCUBOOT_BOOTLOADER_MODE_DIRECT_XIP_WITH_REVERT or a swap mode"},
    {Group::Image, image::SlotInfo, false, "enable it in the firmware (Kconfig CONFIG_MCUMGR_GRP_IMG_SLOT_INFO)"},
}};

const char* optionAdvice(const RefusalContext& context)
{
    for (const CommandOption& o : kOptions)
        if (std::uint16_t(o.group) == context.group && o.command == context.command
            && (!o.writeOnly || context.write))
            return o.advice;
    return nullptr;
}

// The Kconfig option that registers a whole group, where it is known.
const char* groupOption(std::uint16_t group)
{
    switch (Group(group)) {
    case Group::Os: return "CONFIG_MCUMGR_GRP_OS";
    case Group::Image: return "CONFIG_MCUMGR_GRP_IMG";
    default: return nullptr;
    }
}

QString operationOf(const RefusalContext& context)
{
    return context.operation.isEmpty() ? commandName(context.group, context.command) : context.operation;
}

QString notSupported(const RefusalContext& context)
{
    const QString operation = operationOf(context);
    const QString group = groupName(context.group);
    const char* advice = optionAdvice(context);
    if (context.groupAnswered) {
        QString text = QStringLiteral("this board's configuration does not support %1 (MGMT_ERR_ENOTSUP), "
                                      "although its %2 group answers other commands")
                           .arg(operation, group);
        if (advice)
            return text + QStringLiteral(": ") + QLatin1StringView(advice);
        return text + QStringLiteral(": the firmware was built without this operation; check its MCUmgr "
                                     "Kconfig options or use another way to do it");
    }
    const char* option = groupOption(context.group);
    QString text = QStringLiteral("the board does not support %1 (MGMT_ERR_ENOTSUP): enable the %2 group in the "
                                  "firmware (Kconfig %3)")
                       .arg(operation, group,
                            option ? QLatin1StringView(option) : QLatin1StringView("CONFIG_MCUMGR_GRP_*"));
    if (advice)
        text += QStringLiteral("; if it is enabled, ") + QLatin1StringView(advice);
    return text;
}

} // namespace

QString describeRefusal(const DeviceError& error, const RefusalContext& context)
{
    if (error.group || error.rc != int(MgmtErr::NotSup))
        return describeError(error);
    QString text = notSupported(context);
    if (!error.reason.isEmpty())
        text += QStringLiteral(" — the board says: \"%1\"").arg(error.reason);
    return text;
}

} // namespace otalab::core::smp
