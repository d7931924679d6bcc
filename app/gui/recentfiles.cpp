// SPDX-License-Identifier: Apache-2.0
// Most-recently-used file list, persisted in QSettings.
#include "recentfiles.h"

#include <QFileInfo>
#include <QSettings>

namespace otalab::app {
namespace {

const QString Key = QStringLiteral("recentFiles");

} // namespace

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_paths.removeAll(absolute);
    m_paths.prepend(absolute);
    while (m_paths.size() > MaxCount)
        m_paths.removeLast();
}

void RecentFiles::remove(const QString& path)
{
    m_paths.removeAll(QFileInfo(path).absoluteFilePath());
}

void RecentFiles::load(const QSettings& settings)
{
    m_paths = settings.value(Key).toStringList();
    m_paths.removeDuplicates();
    while (m_paths.size() > MaxCount)
        m_paths.removeLast();
}

void RecentFiles::save(QSettings& settings) const
{
    settings.setValue(Key, m_paths);
}

} // namespace otalab::app
