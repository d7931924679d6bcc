// SPDX-License-Identifier: Apache-2.0
// Finds the transport plugins (IID org.otalab.Transport/1) and creates transports by scheme.
#include "transport_registry.h"

#include "plugin_search.h"
#include "simulated_transport.h"

#include <QCoreApplication>
#include <QDir>
#include <QPluginLoader>

namespace otalab::hw {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Transport;
using core::transport::TransportFactory;

namespace {

constexpr int kMetadataVersion = 1;
const PluginKind kTransportKind{QLatin1String(OTALAB_TRANSPORT_IID), QLatin1String("org.otalab.Transport/"),
                                QLatin1String("a transport"), true};

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
    findPlugins({folder}, kTransportKind, m_problems, [this](FoundPlugin found) {
        TransportPluginInfo info{found.data.value(QLatin1String("scheme")).toString(),
                                 found.data.value(QLatin1String("name")).toString(),
                                 found.data.value(QLatin1String("version")).toInt(), found.path};
        if (info.scheme.isEmpty() || info.version != kMetadataVersion) {
            m_problems << QStringLiteral("%1: metadata must name a scheme and say version %2 (has scheme '%3', "
                                         "version %4)").arg(found.path).arg(kMetadataVersion).arg(info.scheme).arg(info.version);
            return;
        }
        const auto same = std::find_if(m_entries.begin(), m_entries.end(),
                                       [&](const Entry& e) { return e.info.scheme == info.scheme; });
        if (same != m_entries.end())
            return;   // an earlier folder provides this scheme (installed copy vs build tree)
        m_entries.push_back(Entry{std::move(info), std::move(found.loader)});
    });
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
    return loadPlugin<TransportFactory>(*it->loader, it->info.path,
                                        QStringLiteral("the %1 transport plugin").arg(scheme), kTransportKind);
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
