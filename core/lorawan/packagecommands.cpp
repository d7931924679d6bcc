// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/packagecommands.h"

namespace otalab::core::lorawan {
namespace {

template <class Inner>
Result<std::vector<PackageCommand>> widen(Result<std::vector<Inner>> inner)
{
    if (!inner)
        return fail(inner.error());
    std::vector<PackageCommand> out;
    out.reserve(inner->size());
    for (auto& c : *inner)
        out.emplace_back(std::move(c));
    return out;
}

} // namespace

Result<std::vector<PackageCommand>> parsePackageCommands(std::uint8_t port, Direction direction, QByteArrayView payload,
                                                         fragmentation::Version fragVersion)
{
    switch (port) {
    case clocksync::kPort: return widen(clocksync::parseCommands(direction, payload));
    case multicastsetup::kPort: return widen(multicastsetup::parseCommands(direction, payload));
    case fragmentation::kPort: return widen(fragmentation::parseCommands(direction, payload, fragVersion));
    default: break;
    }
    return fail(Error::at(-1, QStringLiteral("FPort"),
                          QStringLiteral("port %1 carries no application-layer package (200 multicast setup, "
                                         "201 fragmentation, 202 clock sync)").arg(port)));
}

Result<QByteArray> encodePackageCommand(const PackageCommand& command, fragmentation::Version fragVersion)
{
    switch (command.index()) {
    case 0: return clocksync::encodeCommand(std::get<0>(command));
    case 1: return multicastsetup::encodeCommand(std::get<1>(command));
    default: return fragmentation::encodeCommand(std::get<2>(command), fragVersion);
    }
}

std::uint8_t portOf(const PackageCommand& command)
{
    static constexpr std::uint8_t ports[] = {clocksync::kPort, multicastsetup::kPort, fragmentation::kPort};
    return ports[command.index()];
}

QString commandName(const PackageCommand& command)
{
    return std::visit([](const auto& inner) {
        using Inner = std::decay_t<decltype(inner)>;
        if constexpr (std::is_same_v<Inner, clocksync::Command>)
            return clocksync::commandName(inner);
        else if constexpr (std::is_same_v<Inner, multicastsetup::Command>)
            return multicastsetup::commandName(inner);
        else
            return fragmentation::commandName(inner);
    }, command);
}

} // namespace otalab::core::lorawan
