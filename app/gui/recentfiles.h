// SPDX-License-Identifier: Apache-2.0
// Most-recently-used file list, persisted in QSettings.
#pragma once

#include <QStringList>

class QSettings;

namespace otalab::app {

// Newest first, no duplicates (compared as absolute paths), at most MaxCount.
class RecentFiles final {
public:
    static constexpr int MaxCount = 10;

    void add(const QString& path);
    void remove(const QString& path);
    void clear() { m_paths.clear(); }
    const QStringList& paths() const { return m_paths; }

    // Key "recentFiles" in the settings' current group.
    void load(const QSettings& settings);
    void save(QSettings& settings) const;

private:
    QStringList m_paths;
};

} // namespace otalab::app
