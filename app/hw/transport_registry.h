// SPDX-License-Identifier: Apache-2.0
// Finds the transport plugins (IID org.otalab.Transport/1) and creates transports by scheme.
#pragma once

#include "core/transport/transport.h"

#include <QStringList>
#include <memory>
#include <vector>

class QPluginLoader;

namespace otalab::hw {

// What a plugin's metadata says, read without loading it.
struct TransportPluginInfo {
    QString scheme;    // "serial"
    QString name;      // "Serial (mcumgr console framing)"
    int version = 0;   // metadata version, 1
    QString path;      // the plugin file
};

// Scans the plugin folders once, on first use, reading each file's metadata only; a
// plugin is loaded when its scheme is first asked for. For a scheme found in several
// folders the first folder wins. Plugins stay loaded for the life of the process.
// Threading: the GUI/main thread only.
class TransportRegistry final {
public:
    // In order: each entry of $OTALAB_PLUGIN_PATH (':'-separated), then beside the
    // program <appdir>/../plugins, <appdir>/../../plugins (build tree: build/app/cli →
    // build/plugins), <appdir>/plugins, the installed <appdir>/../<libdir>/otalab/plugins
    // and <appdir>/../lib/otalab/plugins, and last the build tree's plugin folder
    // (while it exists).
    static QStringList defaultSearchPaths();

    explicit TransportRegistry(QStringList searchPaths = defaultSearchPaths());
    ~TransportRegistry();
    TransportRegistry(const TransportRegistry&) = delete;
    TransportRegistry& operator=(const TransportRegistry&) = delete;

    const QStringList& searchPaths() const { return m_paths; }
    // Sorted by scheme.
    QList<TransportPluginInfo> plugins();
    // Files skipped while scanning, each with why ("… built for org.otalab.Transport/2").
    QStringList problems();

    // "no transport plugin for scheme 'x'; looked in …" when none provides it.
    Result<core::transport::TransportFactory*> factory(const QString& scheme);
    Result<core::transport::Transport*> create(const core::transport::ConnectionSpec& spec, QObject* parent);
    // Parses "serial:/dev/ttyACM0,baud=115200" first.
    Result<core::transport::Transport*> create(const QString& spec, QObject* parent, bool serve = false);
    Result<core::transport::Discovery*> discover(const QString& scheme, QObject* parent);

private:
    struct Entry {
        TransportPluginInfo info;
        std::unique_ptr<QPluginLoader> loader;
    };
    void scan();
    void scanFolder(const QString& folder);

    QStringList m_paths;
    bool m_scanned = false;
    std::vector<Entry> m_entries;
    QStringList m_problems;
};

} // namespace otalab::hw
