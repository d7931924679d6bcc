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
class QTabWidget;

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
class SweepPanel;
class TimelinePanel;
class TopologyPanel;

// Owns the session, the selection and the scenario document, and only assembles. The
// window's centre is three views in tabs (viewTabs()): "Lab", "Scenario" (the editor,
// full width) and "Image Inspector" (brought forward when an image is opened). The Lab
// view is a dock area of its own (labArea()): the topology in its centre, a right column
// over the full height with the device inspector, charts and compare runs as tabs, and
// timeline and event log as tabs below the topology. Default sizes follow the window
// (1366×768 and up: every panel at its minimum useful size or more; smaller windows
// scroll the charts and compare panels rather than cut them). Run-controls toolbar and
// status labels; File / Run / Tools / View / Help menus. Window title
// "<scenario>[*] — OTA Lab" ("OTA Lab — <image>" after opening an image). Geometry,
// dock layout (kLayoutVersion: older layouts are ignored), recent scenarios and images
// and the speed persist in QSettings("OTA Lab", "otalab"). GUI thread only.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // 1600×1000, or less on a smaller screen (fits the available desktop area).
    static QSize defaultWindowSize();
    // Bumped whenever the default layout changes: a state saved by another layout version
    // is not restored (it would bring back that layout).
    static constexpr int kLayoutVersion = 3;

    // Opens `path` in the Image Inspector and brings it to the front.
    bool openImage(const QString& path);
    // Opens a scenario file (asks to save unsaved edits first) and loads it into the
    // session. False (with a message box unless `quiet`) when it cannot be read.
    bool openScenario(const QString& path, bool quiet = false);
    // First start: the bundled starter; later starts: the last scenario opened (if it
    // still exists), else the starter. False when none can be found.
    bool openStartupScenario();
    // Opens a sweep folder (otalab-cli sweep --out DIR) in the Sweep view, read off the GUI
    // thread; the view comes forward once read. A folder that is not a sweep: a message
    // box (unless `quiet`) and the status bar say why; the sweep shown before stays.
    // A run asked for in the view (row activated, plot point clicked) is read from its
    // report.json and kept for Compare runs (LabSession::keepRun): with two or more kept
    // runs Compare comes forward with the previous one as A and this one as B.
    void openSweep(const QString& dir, bool quiet = false);

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
    SweepPanel* sweepPanel() const { return m_sweepPanel; }
    // The Bench (real boards), its own top-level window; created on first use.
    BenchWindow* bench();
    // Shows the Bench and brings it to the front (Tools → Bench…, Ctrl+B).
    BenchWindow* showBench();
    RunControlsBar* runControlsBar() const { return m_runBar; }
    // The dock hosting `panel` (nullptr for the topology and the views in tabs).
    QDockWidget* dockOf(const QWidget* panel) const;
    // The views in the window's centre: Lab (labArea()), Scenario, Image Inspector, Sweep.
    QTabWidget* viewTabs() const { return m_views; }
    QMainWindow* labArea() const { return m_lab; }
    // Shows `view` (labArea(), scenarioPanel() or imageInspector()) in front.
    void showView(QWidget* view);
    // Lays the docks out as on first start, for the window's current size (View →
    // Reset layout).
    void applyDefaultLayout();
    // Brings a panel forward by name: lab, topology, scenario, image, inspector, charts,
    // compare, timeline, log, sweep. False for an unknown name. (--show, screenshots.)
    bool showPanel(const QString& name);

    const RecentFiles& recentFiles() const { return m_recent; }            // images
    const RecentFiles& recentScenarios() const { return m_recentScenarios; }

    // Writes geometry, dock layout, panel state, recent files and speed (also on close).
    void saveSettings() const;

protected:
    void showEvent(QShowEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPanels();
    QDockWidget* addDock(QWidget* panel, const QString& title, const QString& objectName, Qt::DockWidgetArea area);
    void buildMenus();
    void restoreSettings();
    void rebuildRecentMenu();
    void rebuildRecentScenarioMenu();
    void fileOpened(const QString& path);
    void updateTitle();
    void loadDocumentIntoSession(bool force);
    void showAbout();
    void connectSweep();

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
    SweepPanel* m_sweepPanel = nullptr;
    bool m_sweepQuiet = false;
    ImageInspectorPanel* m_inspector = nullptr;
    QTabWidget* m_views = nullptr;
    QMainWindow* m_lab = nullptr;
    QList<QDockWidget*> m_docks;
    std::unique_ptr<BenchWindow> m_bench;

    QMenu* m_recentMenu = nullptr;
    QMenu* m_recentScenarioMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    RecentFiles m_recent;
    RecentFiles m_recentScenarios;
    bool m_titleShowsImage = false;
    bool m_defaultLayoutPending = true;  // no saved layout of this version: applyDefaultLayout() on show
    QString m_imageName;
    QString m_loadedText;      // scenario text last loaded into the session
    QString m_loadedBaseDir;
};

} // namespace otalab::app
