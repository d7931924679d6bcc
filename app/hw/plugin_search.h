// SPDX-License-Identifier: Apache-2.0
// The plugin search shared by TransportRegistry and MqttLinkRegistry: which files in the
// plugin folders carry a given interface (read from their metadata, without loading
// them), and loading one of them as that interface.
#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QLatin1String>
#include <QPluginLoader>
#include <QStringList>

#include <functional>
#include <memory>

namespace otalab::hw {

// The kind of plugin a registry looks for.
struct PluginKind {
    QLatin1String iid;         // "org.otalab.Transport/1": the exact interface id wanted
    QLatin1String iidFamily;   // "org.otalab.Transport/": another version of it is a problem
    QLatin1String aKind;       // "a transport", for "<file> says it is a transport plugin but …"
    bool reportNonPlugins = false;   // a library without Qt plugin metadata is a problem too
};

// One file whose metadata carries kind.iid; not loaded yet.
struct FoundPlugin {
    QString path;                            // absolute file path
    QJsonObject data;                        // the plugin's own metadata ("MetaData")
    std::unique_ptr<QPluginLoader> loader;   // for that file
};

// Visits the libraries of each folder in order (missing folders skipped, files sorted by
// name) and hands each one carrying kind.iid to accept. A file built for another version
// of the interface (and, with kind.reportNonPlugins, a library that is no Qt plugin) is
// added to problems with why; any other Qt plugin is passed over silently.
void findPlugins(const QStringList& folders, const PluginKind& kind, QStringList& problems,
                 const std::function<void(FoundPlugin)>& accept);

// Loads the plugin and casts its root object to Interface. Errors name the file:
// "<label> <path> does not load: <why>" (label e.g. "the MQTT link plugin") and
// "<path> says it is <kind.aKind> plugin but does not implement <kind.iid>".
template <typename Interface>
Result<Interface*> loadPlugin(QPluginLoader& loader, const QString& path, const QString& label, const PluginKind& kind)
{
    QObject* root = loader.instance();
    if (root == nullptr)
        return fail(QStringLiteral("%1 %2 does not load: %3").arg(label, path, loader.errorString()));
    auto* found = qobject_cast<Interface*>(root);
    if (found == nullptr)
        return fail(QStringLiteral("%1 says it is %2 plugin but does not implement %3").arg(path, kind.aKind, kind.iid));
    return found;
}

} // namespace otalab::hw
