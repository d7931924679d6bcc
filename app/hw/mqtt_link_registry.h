// SPDX-License-Identifier: Apache-2.0
// Finds the MQTT link plugin (IID org.otalab.MqttLink/1) and creates links from
// "mqtt://host:port,…" / "mqtts://…" addresses.
#pragma once

#include "core/transport/mqtt_link.h"

#include <QStringList>
#include <memory>
#include <vector>

class QPluginLoader;

namespace otalab::hw {

// What an MQTT link plugin's metadata says, read without loading it.
struct MqttLinkPluginInfo {
    QString name;      // "MQTT (libmosquitto)"
    int version = 0;   // metadata version, 1
    QString path;      // the plugin file
};

// Scans the same folders as TransportRegistry (TransportRegistry::defaultSearchPaths()),
// once, on first use, reading metadata only; the first plugin found is loaded when a link
// is first asked for and stays loaded. Threading: the GUI/main thread only.
class MqttLinkRegistry final {
public:
    explicit MqttLinkRegistry(QStringList searchPaths = defaultSearchPaths());
    ~MqttLinkRegistry();
    MqttLinkRegistry(const MqttLinkRegistry&) = delete;
    MqttLinkRegistry& operator=(const MqttLinkRegistry&) = delete;

    static QStringList defaultSearchPaths();
    const QStringList& searchPaths() const { return m_paths; }
    QList<MqttLinkPluginInfo> plugins();
    QStringList problems();   // files skipped, each with why

    // "no MQTT link plugin (libotalab_mqtt_link.so); looked in …" when none is found.
    Result<core::transport::MqttLinkFactory*> factory();
    Result<core::transport::MqttLink*> create(const core::transport::MqttLinkOptions& options, QObject* parent);
    // Parses "mqtt://127.0.0.1:1883,clientId=thing-1" first.
    Result<core::transport::MqttLink*> create(const QString& address, QObject* parent);

private:
    struct Entry {
        MqttLinkPluginInfo info;
        std::unique_ptr<QPluginLoader> loader;
    };
    void scan();

    QStringList m_paths;
    bool m_scanned = false;
    std::vector<Entry> m_entries;
    QStringList m_problems;
};

} // namespace otalab::hw
