// SPDX-License-Identifier: Apache-2.0
// Finds the transport plugins (IID org.otalab.Transport/1) and creates transports by scheme.
#include "transport_registry.h"

#include "simulated_transport.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonObject>
#include <QLibrary>
#include <QPluginLoader>

namespace otalab::hw {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Transport;
using core::transport::TransportFactory;

namespace {

constexpr int kMetadataVersion = 1;

} // namespace

QStringList TransportRegistry::defaultSearchPaths()
{
    QStringList paths;
    const QString env = qEnvironmentVariable("OTALAB_PLUGIN_PATH");
    for (const QString& entry : env.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        paths << entry;
    if (QCoreApplication::instance()) {
        const QString app = QCoreApplication::applicationDirPath();
        paths << app + QStringLiteral("/../plugins") << app + QStringLiteral("/../../plugins")
              << app + QStringLiteral("/plugins")
              << app + QStringLiteral("/../") + QStringLiteral(OTALAB_PLUGIN_INSTALL_DIR)
              << app + QStringLiteral("/../lib/otalab/plugins");
    }
    // The build tree this program came from, while it exists (not on users' machines).
    if (QDir(QStringLiteral(OTALAB_PLUGIN_BUILD_DIR)).exists())
        paths << QStringLiteral(OTALAB_PLUGIN_BUILD_DIR);
    QStringList unique;
    for (const QString& path : paths) {
        const QString clean = QDir::cleanPath(QDir(path).absolutePath());
        if (!unique.contains(clean))
            unique << clean;
    }
    return unique;
}

TransportRegistry::TransportRegistry(QStringList searchPaths) : m_paths(std::move(searchPaths)) {}

TransportRegistry::~TransportRegistry() = default;   // QPluginLoader never unloads on destruction

void TransportRegistry::scan()
{
    if (m_scanned)
        return;
    m_scanned = true;
    for (const QString& folder : m_paths)
        scanFolder(folder);
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry& a, const Entry& b) { return a.info.scheme < b.info.scheme; });
}

void TransportRegistry::scanFolder(const QString& folder)
{
    const QDir dir(folder);
    if (!dir.exists())
        return;
    for (const QFileInfo& file : dir.entryInfoList(QDir::Files, QDir::Name)) {
        const QString path = file.absoluteFilePath();
        if (!QLibrary::isLibrary(path))
            continue;
        auto loader = std::make_unique<QPluginLoader>(path);
        const QJsonObject meta = loader->metaData();
        const QString iid = meta.value(QLatin1String("IID")).toString();
        if (iid != QLatin1String(OTALAB_TRANSPORT_IID)) {
            if (iid.startsWith(QLatin1String("org.otalab.Transport/")))
                m_problems << QStringLiteral("%1: built for %2, this program needs %3; install matching versions")
                                  .arg(path, iid, QLatin1String(OTALAB_TRANSPORT_IID));
            else if (meta.isEmpty())
                m_problems << QStringLiteral("%1: not a Qt plugin, ignored").arg(path);
            continue;   // another kind of Qt plugin: not ours, not a problem
        }
        const QJsonObject data = meta.value(QLatin1String("MetaData")).toObject();
        TransportPluginInfo info{data.value(QLatin1String("scheme")).toString(),
                                 data.value(QLatin1String("name")).toString(),
                                 data.value(QLatin1String("version")).toInt(), path};
        if (info.scheme.isEmpty() || info.version != kMetadataVersion) {
            m_problems << QStringLiteral("%1: metadata must name a scheme and say version %2 (has scheme '%3', "
                                         "version %4)").arg(path).arg(kMetadataVersion).arg(info.scheme).arg(info.version);
            continue;
        }
        const auto same = std::find_if(m_entries.begin(), m_entries.end(),
                                       [&](const Entry& e) { return e.info.scheme == info.scheme; });
        if (same != m_entries.end())
            continue;   // an earlier folder provides this scheme (installed copy vs build tree)
        m_entries.push_back(Entry{std::move(info), std::move(loader)});
    }
}

QList<TransportPluginInfo> TransportRegistry::plugins()
{
    scan();
    QList<TransportPluginInfo> list;
    for (const Entry& entry : m_entries)
        list << entry.info;
    return list;
}

QStringList TransportRegistry::problems()
{
    scan();
    return m_problems;
}

Result<TransportFactory*> TransportRegistry::factory(const QString& scheme)
{
    if (TransportFactory* builtin = builtinTransportFactory(scheme))   // "sim": app/hw/simulated_transport.h
        return builtin;
    scan();
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&](const Entry& e) { return e.info.scheme == scheme; });
    if (it == m_entries.end()) {
        QStringList schemes;
        for (const Entry& entry : m_entries)
            schemes << entry.info.scheme;
        QString message = QStringLiteral("no transport plugin for scheme '%1'; looked in %2")
                              .arg(scheme, m_paths.join(QStringLiteral(", ")));
        message += schemes.isEmpty()
            ? QStringLiteral(" and found none: set OTALAB_PLUGIN_PATH to the folder holding libotalab_transport_*.so")
            : QStringLiteral(" (available: %1)").arg(schemes.join(QStringLiteral(", ")));
        if (!m_problems.isEmpty())
            message += QStringLiteral("; skipped: ") + m_problems.join(QStringLiteral("; "));
        return fail(message);
    }
    QObject* root = it->loader->instance();
    if (root == nullptr)
        return fail(QStringLiteral("the %1 transport plugin %2 does not load: %3")
                        .arg(scheme, it->info.path, it->loader->errorString()));
    auto* factory = qobject_cast<TransportFactory*>(root);
    if (factory == nullptr)
        return fail(QStringLiteral("%1 says it is a transport plugin but does not implement %2")
                        .arg(it->info.path, QLatin1String(OTALAB_TRANSPORT_IID)));
    return factory;
}

Result<Transport*> TransportRegistry::create(const ConnectionSpec& spec, QObject* parent)
{
    auto found = factory(spec.scheme);
    if (!found)
        return fail(found.error());
    return (*found)->create(spec, parent);
}

Result<Transport*> TransportRegistry::create(const QString& text, QObject* parent, bool serve)
{
    auto spec = ConnectionSpec::parse(text);
    if (!spec)
        return fail(spec.error());
    if (serve)
        spec->serve = true;
    return create(*spec, parent);
}

Result<Discovery*> TransportRegistry::discover(const QString& scheme, QObject* parent)
{
    auto found = factory(scheme);
    if (!found)
        return fail(found.error());
    return (*found)->discover(parent);
}

} // namespace otalab::hw
