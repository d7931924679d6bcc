// SPDX-License-Identifier: Apache-2.0
// The lab's main window: assembles the panels around one LabSession.
#pragma once

#include "lab/labselection.h"
#include "lab/labsession.h"
#include "recentfiles.h"

#include <QMainWindow>
#include <memory>

class QDockWidget;
class QMenu;

namespace otalab::app {

class BenchWindow;
class ChartsPanel;
class ComparePanel;
class DeviceInspectorPanel;
class EventLogPanel;
class ExportController;
class ImageInspectorPanel;
class RunControlsBar;
class RunControlsController;
class RunStatusLabels;
class ScenarioDocument;
class ScenarioPanel;
class TimelinePanel;
class TopologyPanel;

// Owns the session, the selection and the scenario document, and only assembles:
// the topology in the centre; docks for the device inspector and charts (right),
// timeline, event log and compare (bottom), scenario editor and Image Inspector (left);
// the run-controls toolbar and status labels; File / Run / Tools / View / Help menus. Window
// title "<scenario>[*] — OTA Lab" ("OTA Lab — <image>" after opening an image).
// Geometry, dock layout, recent scenarios and images and the speed persist in
// QSettings("OTA Lab", "otalab"). GUI thread only.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // 1600×1000, or less on a smaller screen (fits the available desktop area).
    static QSize defaultWindowSize();

    // Opens `path` in the Image Inspector and brings it to the front.
    bool openImage(const QString& path);
    // Opens a scenario file (asks to save unsaved edits first) and loads it into the
    // session. False (with a message box unless `quiet`) when it cannot be read.
    bool openScenario(const QString& path, bool quiet = false);
    // First start: the bundled starter; later starts: the last scenario opened (if it
    // still exists), else the starter. False when none can be found.
    bool openStartupScenario();

    LabSession& session() { return m_session; }
    LabSelection& selection() { return m_selection; }
    ScenarioDocument& scenario() const { return *m_document; }
    RunControlsController& runControls() const { return *m_runControls; }
    ExportController& exporter() const { return *m_export; }

    ImageInspectorPanel* imageInspector() const { return m_inspector; }
    TopologyPanel* topologyPanel() const { return m_topology; }
    DeviceInspectorPanel* deviceInspector() const { return m_deviceInspector; }
    TimelinePanel* timelinePanel() const { return m_timeline; }
    EventLogPanel* eventLogPanel() const { return m_eventLog; }
    ChartsPanel* chartsPanel() const { return m_charts; }
    ComparePanel* comparePanel() const { return m_compare; }
    ScenarioPanel* scenarioPanel() const { return m_scenarioPanel; }
    // The Bench (real boards), its own top-level window; created on first use.
    BenchWindow* bench();
    // Shows the Bench and brings it to the front (Tools → Bench…, Ctrl+B).
    BenchWindow* showBench();
    RunControlsBar* runControlsBar() const { return m_runBar; }
    // The dock hosting `panel` (nullptr for the central topology).
    QDockWidget* dockOf(const QWidget* panel) const;

    const RecentFiles& recentFiles() const { return m_recent; }            // images
    const RecentFiles& recentScenarios() const { return m_recentScenarios; }

    // Writes geometry, dock layout, panel state, recent files and speed (also on close).
    void saveSettings() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPanels();
    void applyDefaultDockSizes();
    QDockWidget* addDock(QWidget* panel, const QString& title, const QString& objectName, Qt::DockWidgetArea area);
    void buildMenus();
    void restoreSettings();
    void rebuildRecentMenu();
    void rebuildRecentScenarioMenu();
    void fileOpened(const QString& path);
    void updateTitle();
    void loadDocumentIntoSession(bool force);
    void showAbout();

    LabSession m_session;
    LabSelection m_selection;
    ScenarioDocument* m_document = nullptr;
    RunControlsController* m_runControls = nullptr;
    RunControlsBar* m_runBar = nullptr;
    RunStatusLabels* m_statusLabels = nullptr;
    ExportController* m_export = nullptr;

    TopologyPanel* m_topology = nullptr;
    DeviceInspectorPanel* m_deviceInspector = nullptr;
    TimelinePanel* m_timeline = nullptr;
    EventLogPanel* m_eventLog = nullptr;
    ChartsPanel* m_charts = nullptr;
    ComparePanel* m_compare = nullptr;
    ScenarioPanel* m_scenarioPanel = nullptr;
    ImageInspectorPanel* m_inspector = nullptr;
    QList<QDockWidget*> m_docks;
    std::unique_ptr<BenchWindow> m_bench;

    QMenu* m_recentMenu = nullptr;
    QMenu* m_recentScenarioMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    RecentFiles m_recent;
    RecentFiles m_recentScenarios;
    bool m_titleShowsImage = false;
    QString m_imageName;
    QString m_loadedText;      // scenario text last loaded into the session
    QString m_loadedBaseDir;
};

} // namespace otalab::app
