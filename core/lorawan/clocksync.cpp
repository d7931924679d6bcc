// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/clocksync.h"

#include "core/lorawan/command_reader.h"

namespace otalab::core::lorawan::clocksync {
namespace {

using detail::CommandReader;
using detail::putLe;
using detail::rangeError;

using detail::Overloaded;

} // namespace

Direction directionOf(const Command& c)
{
    return std::visit(Overloaded{
                          [](const PackageVersionAns&) { return Direction::Uplink; },
                          [](const AppTimeReq&) { return Direction::Uplink; },
                          [](const DeviceAppTimePeriodicityAns&) { return Direction::Uplink; },
                          [](const auto&) { return Direction::Downlink; },
                      },
                      c);
}

QString commandName(const Command& c)
{
    return std::visit(Overloaded{
                          [](const PackageVersionReq&) { return QStringLiteral("PackageVersionReq"); },
                          [](const PackageVersionAns&) { return QStringLiteral("PackageVersionAns"); },
                          [](const AppTimeReq&) { return QStringLiteral("AppTimeReq"); },
                          [](const AppTimeAns&) { return QStringLiteral("AppTimeAns"); },
                          [](const DeviceAppTimePeriodicityReq&) { return QStringLiteral("DeviceAppTimePeriodicityReq"); },
                          [](const DeviceAppTimePeriodicityAns&) { return QStringLiteral("DeviceAppTimePeriodicityAns"); },
                          [](const ForceDeviceResyncReq&) { return QStringLiteral("ForceDeviceResyncReq"); },
                      },
                      c);
}

Result<QByteArray> encodeCommand(const Command& command)
{
    QByteArray out;
    std::optional<Error> error;
    std::visit(Overloaded{
                   [&](const PackageVersionReq&) { out.append(char(0x00)); },
                   [&](const PackageVersionAns& c) {
                       out.append(char(0x00));
                       out.append(char(c.packageIdentifier));
                       out.append(char(c.packageVersion));
                   },
                   [&](const AppTimeReq& c) {
                       if (c.tokenReq > 0x0f)
                           return void(error = rangeError(QStringLiteral("AppTimeReq.TokenReq"), 4, c.tokenReq));
                       out.append(char(0x01));
                       putLe(out, c.deviceTime, 4);
                       out.append(char(c.tokenReq | (c.ansRequired ? 0x10 : 0)));
                   },
                   [&](const AppTimeAns& c) {
                       if (c.tokenAns > 0x0f)
                           return void(error = rangeError(QStringLiteral("AppTimeAns.TokenAns"), 4, c.tokenAns));
                       out.append(char(0x01));
                       putLe(out, std::uint32_t(c.timeCorrection), 4);
                       out.append(char(c.tokenAns));
                   },
                   [&](const DeviceAppTimePeriodicityReq& c) {
                       if (c.period > 0x0f)
                           return void(error = rangeError(QStringLiteral("DeviceAppTimePeriodicityReq.Period"), 4, c.period));
                       out.append(char(0x02));
                       out.append(char(c.period));
                   },
                   [&](const DeviceAppTimePeriodicityAns& c) {
                       out.append(char(0x02));
                       out.append(char(c.notSupported ? 0x01 : 0x00));
                       putLe(out, c.time, 4);
                   },
                   [&](const ForceDeviceResyncReq& c) {
                       if (c.nbTransmissions > 0x07)
                           return void(error = rangeError(QStringLiteral("ForceDeviceResyncReq.NbTransmissions"), 3, c.nbTransmissions));
                       out.append(char(0x03));
                       out.append(char(c.nbTransmissions));
                   },
               },
               command);
    if (error)
        return fail(*error);
    return out;
}

Result<QByteArray> encodeCommands(const std::vector<Command>& commands)
{
    return detail::encodeEach(commands, [](const Command& c) { return encodeCommand(c); });
}

Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload)
{
    std::vector<Command> commands;
    CommandReader r(payload);
    const bool up = direction == Direction::Uplink;
    while (!r.atEnd()) {
        const qsizetype at = r.pos();
        const std::uint8_t cid = r.u8(QStringLiteral("CID"));
        if (up && cid == 0x00) {
            PackageVersionAns c;
            c.packageIdentifier = r.u8(QStringLiteral("PackageVersionAns.PackageIdentifier"));
            c.packageVersion = r.u8(QStringLiteral("PackageVersionAns.PackageVersion"));
            commands.push_back(c);
        } else if (!up && cid == 0x00) {
            commands.push_back(PackageVersionReq{});
        } else if (up && cid == 0x01) {
            AppTimeReq c;
            c.deviceTime = r.u32(QStringLiteral("AppTimeReq.DeviceTime"));
            const std::uint8_t param = r.u8(QStringLiteral("AppTimeReq.Param"));
            c.tokenReq = param & 0x0f;
            c.ansRequired = param & 0x10;
            commands.push_back(c);
        } else if (!up && cid == 0x01) {
            AppTimeAns c;
            c.timeCorrection = std::int32_t(r.u32(QStringLiteral("AppTimeAns.TimeCorrection")));
            c.tokenAns = r.u8(QStringLiteral("AppTimeAns.Param")) & 0x0f;
            commands.push_back(c);
        } else if (!up && cid == 0x02) {
            commands.push_back(DeviceAppTimePeriodicityReq{std::uint8_t(r.u8(QStringLiteral("DeviceAppTimePeriodicityReq.Periodicity")) & 0x0f)});
        } else if (up && cid == 0x02) {
            DeviceAppTimePeriodicityAns c;
            c.notSupported = r.u8(QStringLiteral("DeviceAppTimePeriodicityAns.Status")) & 0x01;
            c.time = r.u32(QStringLiteral("DeviceAppTimePeriodicityAns.Time"));
            commands.push_back(c);
        } else if (!up && cid == 0x03) {
            commands.push_back(ForceDeviceResyncReq{std::uint8_t(r.u8(QStringLiteral("ForceDeviceResyncReq.ForceConf")) & 0x07)});
        } else {
            r.setError(Error::at(at, QStringLiteral("CID"),
                                 QStringLiteral("0x%1 is not a clock synchronization %2 command (port 202)")
                                     .arg(cid, 2, 16, QLatin1Char('0')).arg(directionName(direction))));
        }
        if (r.failed())
            return fail(r.error());
    }
    return commands;
}

} // namespace otalab::core::lorawan::clocksync
