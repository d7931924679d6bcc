// SPDX-License-Identifier: Apache-2.0
// The lab's main window: menus, status bar and one tab per panel.
#pragma once

#include "recentfiles.h"

#include <QMainWindow>

class QMenu;
class QTabWidget;

namespace otalab::app {

class ImageInspectorPanel;

// Assembles the panels (Image Inspector first; topology, timeline, charts and bench
// come as further tabs) and owns only window-level state: title, menus, status bar,
// recent files, and geometry/state persisted in QSettings("OTA Lab", "otalab").
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens `path` in the Image Inspector and brings it to the front.
    bool openImage(const QString& path);
    ImageInspectorPanel* imageInspector() const { return m_inspector; }
    QTabWidget* tabs() const { return m_tabs; }
    const RecentFiles& recentFiles() const { return m_recent; }

    // Writes geometry, window and panel state and recent files (also done on close).
    void saveSettings() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void restoreSettings();
    void rebuildRecentMenu();
    void fileOpened(const QString& path);
    void showAbout();

    QTabWidget* m_tabs = nullptr;
    ImageInspectorPanel* m_inspector = nullptr;
    QMenu* m_recentMenu = nullptr;
    RecentFiles m_recent;
};

} // namespace otalab::app
