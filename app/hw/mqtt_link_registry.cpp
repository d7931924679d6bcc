// SPDX-License-Identifier: Apache-2.0
// Finds the MQTT link plugin (IID org.otalab.MqttLink/1).
#include "mqtt_link_registry.h"

#include "transport_registry.h"

#include <QDir>
#include <QJsonObject>
#include <QLibrary>
#include <QPluginLoader>

namespace otalab::hw {

using core::transport::MqttLink;
using core::transport::MqttLinkFactory;
using core::transport::MqttLinkOptions;

namespace {

constexpr int kMetadataVersion = 1;

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
    for (const QString& folder : m_paths) {
        const QDir dir(folder);
        if (!dir.exists())
            continue;
        for (const QFileInfo& file : dir.entryInfoList(QDir::Files, QDir::Name)) {
            const QString path = file.absoluteFilePath();
            if (!QLibrary::isLibrary(path))
                continue;
            auto loader = std::make_unique<QPluginLoader>(path);
            const QJsonObject meta = loader->metaData();
            const QString iid = meta.value(QLatin1String("IID")).toString();
            if (iid != QLatin1String(OTALAB_MQTT_LINK_IID)) {
                if (iid.startsWith(QLatin1String("org.otalab.MqttLink/")))
                    m_problems << QStringLiteral("%1: built for %2, this program needs %3; install matching versions")
                                      .arg(path, iid, QLatin1String(OTALAB_MQTT_LINK_IID));
                continue;   // a transport or another Qt plugin: not ours
            }
            const QJsonObject data = meta.value(QLatin1String("MetaData")).toObject();
            MqttLinkPluginInfo info{data.value(QLatin1String("name")).toString(),
                                    data.value(QLatin1String("version")).toInt(), path};
            if (data.value(QLatin1String("scheme")).toString() != QLatin1String("mqtt")
                || info.version != kMetadataVersion) {
                m_problems << QStringLiteral("%1: metadata must say scheme 'mqtt' and version %2").arg(path).arg(kMetadataVersion);
                continue;
            }
            m_entries.push_back(Entry{std::move(info), std::move(loader)});   // first folder first
        }
    }
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
    QObject* root = entry.loader->instance();
    if (root == nullptr)
        return fail(QStringLiteral("the MQTT link plugin %1 does not load: %2")
                        .arg(entry.info.path, entry.loader->errorString()));
    auto* found = qobject_cast<MqttLinkFactory*>(root);
    if (found == nullptr)
        return fail(QStringLiteral("%1 says it is an MQTT link plugin but does not implement %2")
                        .arg(entry.info.path, QLatin1String(OTALAB_MQTT_LINK_IID)));
    return found;
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
