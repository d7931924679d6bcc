// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary text as an MQTT broker address ("mqtts://host:port,key=value").
// MqttLinkOptions::parse returns options or an Error naming the bad part (Error::field);
// what it accepts, toString() writes back in a form parse accepts again, unchanged.
#include "core/transport/mqtt_link.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto options = otalab::core::transport::MqttLinkOptions::parse(text);
    if (!options) {
        if (options.error().field.isEmpty() || options.error().message.isEmpty())
            __builtin_trap();
        return 0;
    }
    const QString written = options->toString();
    const auto again = otalab::core::transport::MqttLinkOptions::parse(written);
    // A password without its username cannot be written back (toString omits passwords),
    // and values holding ',' or surrounding spaces have no escaping: those may not round-trip.
    const bool writable = !written.contains(QLatin1String(",,"));
    if (writable && (!again || again->toString() != written)) {
        const bool valueSyntax = options->clientId.contains(QLatin1Char(',')) || options->username.contains(QLatin1Char(','))
                              || options->caFile.contains(QLatin1Char(',')) || options->certFile.contains(QLatin1Char(','))
                              || options->keyFile.contains(QLatin1Char(','));
        if (!valueSyntax)
            __builtin_trap();
    }
    return 0;
}
