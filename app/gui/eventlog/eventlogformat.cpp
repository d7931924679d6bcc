// SPDX-License-Identifier: Apache-2.0
#include "eventlog/eventlogformat.h"

#include "core/zigbee/ota_cluster_actions.h"
#include "core/zigbee/ota_commands.h"
#include "sim/kernel/observerrecords.h"
#include "sim/zigbee/otahostbase.h"

#include <QCoreApplication>

#include <cstdlib>

namespace otalab::app {

QString formatLogTime(std::int64_t timeNs)
{
    const bool negative = timeNs < 0;
    const auto ns = static_cast<std::uint64_t>(negative ? -timeNs : timeNs);
    const std::uint64_t ms = ns / 1'000'000;
    const std::uint64_t s = ms / 1000;
    return QStringLiteral("%1%2:%3:%4.%5")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

namespace {

// The loaded scenario's machine descriptions (GUI thread only).
std::vector<sim::MachineDescription>& logMachines()
{
    static std::vector<sim::MachineDescription> machines;
    return machines;
}

const sim::MachineDescription* findMachine(std::uint16_t id)
{
    for (const sim::MachineDescription& m : logMachines())
        if (m.id == id)
            return &m;
    return nullptr;
}

} // namespace

void setLogMachines(const LabTopology& topology)
{
    logMachines().clear();
    for (const LabFleetInfo& fleet : topology.fleets)
        for (const sim::MachineDescription& m : fleet.machines)
            if (!findMachine(m.id))
                logMachines().push_back(m);
}

QString describeLogRow(const LabLogRow& row, const LabTopology& topology)
{
    auto name = [&](sim::NodeId node) {
        if (node == sim::kBroadcastNode)
            return QCoreApplication::translate("EventLog", "broadcast");
        return node < topology.nodes.size() ? topology.nodes[node].name : QStringLiteral("#%1").arg(node);
    };
    if (row.kind == LabLogRow::Kind::StateChange)
        return logRowWhat(row);
    return QStringLiteral("%1 → %2 · %3").arg(name(row.src), name(row.dst), logRowWhat(row));
}

QString formatLogNode(sim::NodeId node, std::span<const QString> names)
{
    if (node == sim::kNoNode)
        return QStringLiteral("—");
    if (node == sim::kBroadcastNode)
        return QCoreApplication::translate("EventLog", "broadcast");
    if (node < names.size())
        return names[node];
    return QStringLiteral("#%1").arg(node);
}

QString logKindName(LabLogRow::Kind kind)
{
    return kind == LabLogRow::Kind::Frame ? QCoreApplication::translate("EventLog", "Frame")
                                          : QCoreApplication::translate("EventLog", "State");
}

QString otaCommandTitle(std::uint8_t zclCommand)
{
    const QString name = core::zigbee::otaCommandName(zclCommand);
    if (name.startsWith(QLatin1String("0x")))
        return QStringLiteral("OTA command ") + name;
    QString words = QStringLiteral("OTA");
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (name[i].isUpper() || i == 0)
            words += QLatin1Char(' ');
        words += name[i];
    }
    return words;
}

QString macFrameTypeName(std::uint8_t macType)
{
    switch (macType) {
    case 0: return QCoreApplication::translate("EventLog", "Beacon");
    case 1: return QCoreApplication::translate("EventLog", "Data");
    case 2: return QCoreApplication::translate("EventLog", "Ack");
    case 3: return QCoreApplication::translate("EventLog", "MAC command");
    }
    return QCoreApplication::translate("EventLog", "Frame type %1").arg(macType);
}

QString frameFateName(std::uint8_t fate)
{
    switch (sim::FrameFate(fate)) {
    case sim::FrameFate::Transmitted: return QCoreApplication::translate("EventLog", "Transmitted");
    case sim::FrameFate::Delivered: return QCoreApplication::translate("EventLog", "Delivered");
    case sim::FrameFate::Lost: return QCoreApplication::translate("EventLog", "Lost");
    case sim::FrameFate::Collided: return QCoreApplication::translate("EventLog", "Collided");
    case sim::FrameFate::Missed: return QCoreApplication::translate("EventLog", "Missed");
    }
    return QCoreApplication::translate("EventLog", "Fate %1").arg(fate);
}

QString stateMachineName(std::uint16_t machine)
{
    if (const sim::MachineDescription* m = findMachine(machine))
        return m->name;
    if (machine == sim::kOtaStatusMachine)
        return QStringLiteral("ImageUpgradeStatus");
    if (machine == sim::kOtaPhaseMachine)
        return QCoreApplication::translate("EventLog", "Campaign");
    return QCoreApplication::translate("EventLog", "Machine %1").arg(machine);
}

QString stateValueName(std::uint16_t machine, std::uint16_t value)
{
    if (const sim::MachineDescription* m = findMachine(machine); m && value < m->states.size())
        return m->states[value];
    if (machine == sim::kOtaStatusMachine)
        return core::zigbee::imageUpgradeStatusName(core::zigbee::ImageUpgradeStatus(value & 0xFF));
    if (machine == sim::kOtaPhaseMachine) {
        switch (value) {
        case 0: return QCoreApplication::translate("EventLog", "Idle");
        case 1: return QCoreApplication::translate("EventLog", "Downloading");
        case 2: return QCoreApplication::translate("EventLog", "Upgraded");
        case 3: return QCoreApplication::translate("EventLog", "Failed");
        case 4: return QCoreApplication::translate("EventLog", "Refused");
        }
    }
    return QString::number(value);
}

QString logRowWhat(const LabLogRow& row)
{
    static const QString sep = QStringLiteral(" · ");
    if (row.kind == LabLogRow::Kind::StateChange) {
        return stateMachineName(row.machine) + QStringLiteral(": ") + stateValueName(row.machine, row.from)
               + QStringLiteral(" → ") + stateValueName(row.machine, row.to);
    }
    QString text;
    if (row.zclCommand != 0xFF)
        text = otaCommandTitle(row.zclCommand) + sep;
    text += macFrameTypeName(row.macType) + sep + QStringLiteral("%1 B").arg(row.length) + sep + frameFateName(row.fate);
    return text;
}

} // namespace otalab::app
