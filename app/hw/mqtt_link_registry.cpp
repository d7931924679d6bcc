// SPDX-License-Identifier: Apache-2.0
// Finds the MQTT link plugin (IID org.otalab.MqttLink/1).
#include "mqtt_link_registry.h"

#include "plugin_search.h"
#include "transport_registry.h"

namespace otalab::hw {

using core::transport::MqttLink;
using core::transport::MqttLinkFactory;
using core::transport::MqttLinkOptions;

namespace {

constexpr int kMetadataVersion = 1;
const PluginKind kMqttLinkKind{QLatin1String(OTALAB_MQTT_LINK_IID), QLatin1String("org.otalab.MqttLink/"),
                               QLatin1String("an MQTT link"), false};

} // namespace

QStringList MqttLinkRegistry::defaultSearchPaths()
{
    return TransportRegistry::defaultSearchPaths();
}

MqttLinkRegistry::MqttLinkRegistry(QStringList searchPaths) : m_paths(std::move(searchPaths)) {}

MqttLinkRegistry::~MqttLinkRegistry() = default;   // QPluginLoader never unloads on destruction

void MqttLinkRegistry::scan()
{
    if (m_scanned)
        return;
    m_scanned = true;
    findPlugins(m_paths, kMqttLinkKind, m_problems, [this](FoundPlugin found) {
        MqttLinkPluginInfo info{found.data.value(QLatin1String("name")).toString(),
                                found.data.value(QLatin1String("version")).toInt(), found.path};
        if (found.data.value(QLatin1String("scheme")).toString() != QLatin1String("mqtt")
            || info.version != kMetadataVersion) {
            m_problems << QStringLiteral("%1: metadata must say scheme 'mqtt' and version %2").arg(found.path).arg(kMetadataVersion);
            return;
        }
        m_entries.push_back(Entry{std::move(info), std::move(found.loader)});   // first folder first
    });
}

QList<MqttLinkPluginInfo> MqttLinkRegistry::plugins()
{
    scan();
    QList<MqttLinkPluginInfo> list;
    for (const Entry& entry : m_entries)
        list << entry.info;
    return list;
}

QStringList MqttLinkRegistry::problems()
{
    scan();
    return m_problems;
}

Result<MqttLinkFactory*> MqttLinkRegistry::factory()
{
    scan();
    if (m_entries.empty()) {
        QString message = QStringLiteral("no MQTT link plugin (libotalab_mqtt_link.so); looked in %1: set "
                                         "OTALAB_PLUGIN_PATH to the folder holding it")
                              .arg(m_paths.join(QStringLiteral(", ")));
        if (!m_problems.isEmpty())
            message += QStringLiteral("; skipped: ") + m_problems.join(QStringLiteral("; "));
        return fail(message);
    }
    Entry& entry = m_entries.front();
    return loadPlugin<MqttLinkFactory>(*entry.loader, entry.info.path, QStringLiteral("the MQTT link plugin"),
                                       kMqttLinkKind);
}

Result<MqttLink*> MqttLinkRegistry::create(const MqttLinkOptions& options, QObject* parent)
{
    auto found = factory();
    if (!found)
        return fail(found.error());
    return (*found)->create(options, parent);
}

Result<MqttLink*> MqttLinkRegistry::create(const QString& address, QObject* parent)
{
    auto options = MqttLinkOptions::parse(address);
    if (!options)
        return fail(options.error());
    return create(*options, parent);
}

} // namespace otalab::hw
