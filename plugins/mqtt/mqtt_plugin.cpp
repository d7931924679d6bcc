// SPDX-License-Identifier: Apache-2.0
// The MQTT link plugin's root object.
#include "mqtt_plugin.h"

#include "mosquitto_link.h"

#include <QFileInfo>

namespace otalab::plugins::mqtt {

using core::transport::MqttLink;
using core::transport::MqttLinkOptions;

namespace {

Result<void> checkReadable(const char* option, const QString& path)
{
    if (path.isEmpty())
        return {};
    const QFileInfo info(path);
    if (!info.exists())
        return fail(Error::at(-1, QLatin1String(option),
                              QStringLiteral("mqtt %1 '%2' does not exist").arg(QLatin1String(option), path)));
    if (!info.isFile() || !info.isReadable())
        return fail(Error::at(-1, QLatin1String(option),
                              QStringLiteral("mqtt %1 '%2' is not a readable file").arg(QLatin1String(option), path)));
    return {};
}

} // namespace

Result<MqttLink*> MqttLinkFactory::create(const MqttLinkOptions& options, QObject* parent)
{
    if (options.host.isEmpty())
        return fail(Error::at(-1, QStringLiteral("host"), QStringLiteral("mqtt: no broker host given")));
    if (options.certFile.isEmpty() != options.keyFile.isEmpty())
        return fail(Error::at(-1, QStringLiteral("certfile"),
                              QStringLiteral("a client certificate needs both certfile and keyfile")));
    if (!options.tls && (!options.caFile.isEmpty() || !options.certFile.isEmpty()))
        return fail(Error::at(-1, QStringLiteral("tls"),
                              QStringLiteral("cafile/certfile/keyfile need TLS (mqtts://)")));
    for (const auto& [option, path] : {std::pair{"cafile", options.caFile}, std::pair{"certfile", options.certFile},
                                       std::pair{"keyfile", options.keyFile}}) {
        if (auto ok = checkReadable(option, path); !ok)
            return fail(ok.error());
    }
    return new MosquittoLink(options, parent);
}

} // namespace otalab::plugins::mqtt
