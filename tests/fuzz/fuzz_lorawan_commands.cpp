// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as an application-layer package payload. The first
// byte picks the port (200/201/202), the direction and the TS004 version; the rest is the
// FRMPayload. A payload that parses re-encodes into a canonical form that parses to the
// same canonical form; errors carry an offset inside the payload.
#include "core/lorawan/packagecommands.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::lorawan;

QByteArray canonical(const std::vector<PackageCommand>& commands, fragmentation::Version version)
{
    QByteArray out;
    for (const PackageCommand& c : commands) {
        auto bytes = encodePackageCommand(c, version);
        if (!bytes)
            std::abort();  // whatever the parser produced must be encodable
        out += *bytes;
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    static constexpr std::uint8_t ports[] = {200, 201, 202, 201};
    const std::uint8_t port = ports[data[0] & 0x03];
    const Direction direction = (data[0] & 0x04) ? Direction::Uplink : Direction::Downlink;
    const auto version = (data[0] & 0x08) ? fragmentation::Version::V2 : fragmentation::Version::V1;
    const QByteArrayView payload(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));

    auto parsed = parsePackageCommands(port, direction, payload, version);
    if (!parsed) {
        if (parsed.error().offset < 0 || parsed.error().offset > payload.size() || parsed.error().field.isEmpty())
            std::abort();
        return 0;
    }
    for (const PackageCommand& c : *parsed) {
        if (portOf(c) != port || commandName(c).isEmpty() || !describeCommand(c).startsWith(commandName(c)))
            std::abort();
    }
    const QByteArray first = canonical(*parsed, version);
    auto reparsed = parsePackageCommands(port, direction, first, version);
    if (!reparsed || reparsed->size() != parsed->size() || canonical(*reparsed, version) != first)
        std::abort();
    return 0;
}
