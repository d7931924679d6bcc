// SPDX-License-Identifier: Apache-2.0
// One entry point for the application-layer packages on their default ports:
// 200 remote multicast setup (TS005), 201 fragmentation (TS004 v1/v2), 202 clock sync (TS003).
// A payload may hold several commands in a row; every one is decoded or the first bad
// byte is reported (Error::offset is its position in the payload).
#pragma once

#include "core/lorawan/clocksync.h"
#include "core/lorawan/fragsessioncommands.h"
#include "core/lorawan/multicastsetup.h"

#include <type_traits>
#include <variant>
#include <vector>

namespace otalab::core::lorawan {

using PackageCommand = std::variant<clocksync::Command, multicastsetup::Command, fragmentation::Command>;

// Error for a port that is none of 200/201/202.
Result<std::vector<PackageCommand>> parsePackageCommands(std::uint8_t port, Direction direction, QByteArrayView payload,
                                                         fragmentation::Version fragVersion = fragmentation::Version::V1);
Result<QByteArray> encodePackageCommand(const PackageCommand& command,
                                        fragmentation::Version fragVersion = fragmentation::Version::V1);
std::uint8_t portOf(const PackageCommand& command);   // 202, 200 or 201
QString commandName(const PackageCommand& command);   // "AppTimeReq", "McGroupSetupReq", ...
// One line for traces and logs: the name and every field in wire units, e.g.
// "McClassCSessionReq group=0 sessionTime=1228833586 timeout=2^7s freq=869525000Hz dr=0".
QString describeCommand(const PackageCommand& command);

namespace detail {
template <class T, class V>
struct IsAlternative : std::false_type {};
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
} // namespace detail

// The command as T when it is one, else nullptr:
//   if (auto* ans = commandAs<clocksync::AppTimeAns>(cmd)) ...
template <class T>
const T* commandAs(const PackageCommand& command)
{
    return std::visit([](const auto& inner) -> const T* {
        if constexpr (detail::IsAlternative<T, std::decay_t<decltype(inner)>>::value)
            return std::get_if<T>(&inner);
        else
            return nullptr;
    }, command);
}

} // namespace otalab::core::lorawan
