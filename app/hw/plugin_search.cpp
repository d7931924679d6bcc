// SPDX-License-Identifier: Apache-2.0
// The plugin search shared by TransportRegistry and MqttLinkRegistry.
#include "plugin_search.h"

#include <QDir>
#include <QLibrary>

namespace otalab::hw {

void findPlugins(const QStringList& folders, const PluginKind& kind, QStringList& problems,
                 const std::function<void(FoundPlugin)>& accept)
{
    for (const QString& folder : folders) {
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
            if (iid != kind.iid) {
                if (iid.startsWith(kind.iidFamily))
                    problems << QStringLiteral("%1: built for %2, this program needs %3; install matching versions")
                                    .arg(path, iid, kind.iid);
                else if (kind.reportNonPlugins && meta.isEmpty())
                    problems << QStringLiteral("%1: not a Qt plugin, ignored").arg(path);
                continue;   // another kind of Qt plugin: not ours, not a problem
            }
            accept(FoundPlugin{path, meta.value(QLatin1String("MetaData")).toObject(), std::move(loader)});
        }
    }
}

} // namespace otalab::hw
