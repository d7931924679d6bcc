// SPDX-License-Identifier: Apache-2.0
// The lab's main window: panels in docks around the topology, menus, status bar, settings.
#include "mainwindow.h"

#include "bench/benchwindow.h"
#include "charts/chartspanel.h"
#include "compare/comparepanel.h"
#include "eventlog/eventlogpanel.h"
#include "export/exportcontroller.h"
#include "imageinspectorcontroller.h"
#include "imageinspectorpanel.h"
#include "rollout/rolloutpanel.h"
#include "inspector/deviceinspectorpanel.h"
#include "runcontrols/runcontrolsbar.h"
#include "runcontrols/runcontrolscontroller.h"
#include "runcontrols/runstatuslabels.h"
#include "scenario/scenariocontroller.h"
#include "scenario/scenariodocument.h"
#include "scenario/scenariopanel.h"
#include "sweep/sweepcontroller.h"
#include "sweep/sweeppanel.h"
#include "timeline/timelinepanel.h"
#include "topology/topologypanel.h"

#include <QAction>
#include <QApplication>
#include <QScreen>
#include <QScrollArea>
#include <QShowEvent>
#include <QTabWidget>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace otalab::app {
namespace {

QSettings settings()
{
    return QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
}

const QString GeometryKey = QStringLiteral("mainWindow/geometry");
const QString StateKey = QStringLiteral("mainWindow/state");
const QString InspectorKey = QStringLiteral("imageInspector/layout");
const QString SpeedKey = QStringLiteral("lab/speed");
const QString LastScenarioKey = QStringLiteral("lab/lastScenario");
const QString ScenarioGroup = QStringLiteral("scenarios");
const QString LabStateKey = QStringLiteral("mainWindow/labState");
const QString LayoutVersionKey = QStringLiteral("mainWindow/layoutVersion");
const QString ViewKey = QStringLiteral("mainWindow/view");
constexpr QSize kDockMinimum(220, 120);

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("otalabMainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    m_document = new ScenarioDocument(this);
    m_runControls = new RunControlsController(m_session, this);
    m_export = new ExportController(m_session, this);

    buildPanels();
    buildMenus();
    connectSweep();

    connect(m_inspector->controller(), &ImageInspectorController::fileOpened, this, &MainWindow::fileOpened);
    connect(m_inspector, &ImageInspectorPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message);
    });
    connect(m_topology, &TopologyPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 5000);
    });

    // Scenario document → session: a new file is loaded at once; a valid edit is loaded
    // unless a run is under way (then "Load into lab" applies it).
    auto openPending = std::make_shared<bool>(false);
    connect(m_document, &ScenarioDocument::fileChanged, this, [this, openPending](const QString& path) {
        if (!m_document->scenario())
            *openPending = true;  // open(): the config follows from validation
        m_titleShowsImage = false;
        m_recentScenarios.add(path);
        rebuildRecentScenarioMenu();
        auto s = settings();
        s.setValue(LastScenarioKey, path);
        s.beginGroup(ScenarioGroup);
        m_recentScenarios.save(s);
        updateTitle();
    });
    connect(m_document, &ScenarioDocument::configChanged, this, [this, openPending] {
        const bool opened = *openPending;
        *openPending = false;
        loadDocumentIntoSession(opened);
    });
    connect(m_document, &ScenarioDocument::dirtyChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ScenarioDocument::textChanged, this, [this] {
        m_titleShowsImage = false;
        updateTitle();
    });
    connect(m_scenarioPanel, &ScenarioPanel::applyRequested, this, [this] {
        m_loadedText.clear();  // explicit: always rebuild
        loadDocumentIntoSession(true);
    });
    connect(&m_session, &LabSession::errorOccurred, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Cannot build the scenario: %1").arg(message));
    });
    connect(&m_session, &LabSession::topologyChanged, this, [this] { m_selection.clear(); });

    statusBar()->showMessage(tr("Ready"));
    resize(defaultWindowSize());
    restoreSettings();
    updateTitle();
}

MainWindow::~MainWindow() = default;

QSize MainWindow::defaultWindowSize()
{
    const QSize preferred(1600, 1000);
    // The offscreen platform's made-up 800×600 screen would shrink automated screenshots.
    const QScreen* screen = QGuiApplication::primaryScreen();
    if (!screen || QGuiApplication::platformName() == QLatin1String("offscreen"))
        return preferred;
    // A laptop's 1366×768 screen: fit inside what the desktop leaves free, with a margin.
    const QSize available = screen->availableGeometry().size();
    return preferred.boundedTo(QSize(available.width() * 96 / 100, available.height() * 92 / 100));
}

void MainWindow::buildPanels()
{
    m_topology = new TopologyPanel(m_session, m_selection, this);

    m_runBar = new RunControlsBar(*m_runControls, this);
    addToolBar(Qt::TopToolBarArea, m_runBar);
    m_statusLabels = new RunStatusLabels(*m_runControls, statusBar());

    m_scenarioPanel = new ScenarioPanel(*m_document, this);
    m_inspector = new ImageInspectorPanel(this);
    m_deviceInspector = new DeviceInspectorPanel(m_session, m_selection, this);
    m_charts = new ChartsPanel(m_session, m_selection, this);
    m_timeline = new TimelinePanel(m_session, m_selection, this);
    m_eventLog = new EventLogPanel(m_session, m_selection, this);
    m_compare = new ComparePanel(m_session, m_selection, this);

    // The Lab view: a dock area of its own around the topology, so the Scenario and
    // Image Inspector tabs get the whole width of the window.
    m_lab = new QMainWindow(this, Qt::Widget);
    m_lab->setObjectName(QStringLiteral("labArea"));
    m_lab->setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks
                          | QMainWindow::GroupedDragging);
    m_lab->setCentralWidget(m_topology);
    // The right column runs the full height (the charts need it); timeline and event
    // log sit under the topology only.
    m_lab->setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    m_lab->setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_lab->setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);

    // Placed by applyDefaultLayout() (or a restored state) before the window shows.
    addDock(m_deviceInspector, tr("Device inspector"), QStringLiteral("deviceInspectorDock"), Qt::RightDockWidgetArea);
    addDock(m_charts, tr("Charts"), QStringLiteral("chartsDock"), Qt::RightDockWidgetArea);
    addDock(m_compare, tr("Compare runs"), QStringLiteral("compareDock"), Qt::RightDockWidgetArea);
    // Rollout: beside the charts, shown only while the scenario has a "rollout" section.
    auto* rollout = new RolloutPanel(m_session, this);
    QDockWidget* rolloutDock = addDock(rollout, tr("Rollout"), QStringLiteral("rolloutDock"), Qt::RightDockWidgetArea);
    rolloutDock->setVisible(false);
    connect(rollout, &RolloutPanel::hasRolloutChanged, rolloutDock, [rolloutDock](bool has) {
        rolloutDock->setVisible(has);
        if (has)
            rolloutDock->raise();
    });
    addDock(m_timeline, tr("Timeline"), QStringLiteral("timelineDock"), Qt::BottomDockWidgetArea);
    addDock(m_eventLog, tr("Event log"), QStringLiteral("eventLogDock"), Qt::BottomDockWidgetArea);

    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("viewTabs"));
    m_views->setDocumentMode(true);
    m_views->addTab(m_lab, tr("Lab"));
    m_views->addTab(m_scenarioPanel, tr("Scenario"));
    m_views->addTab(m_inspector, tr("Image Inspector"));
    m_sweepPanel = new SweepPanel(this);
    m_views->addTab(m_sweepPanel, tr("Sweep"));
    m_views->setTabToolTip(0, tr("The simulated rollout: topology, device inspector, charts, timeline, event log (Ctrl+1)"));
    m_views->setTabToolTip(1, tr("Edit the scenario: form and JSON (Ctrl+2)"));
    m_views->setTabToolTip(2, tr("Inspect a Zigbee OTA file or MCUboot image (Ctrl+3)"));
    m_views->setTabToolTip(3, tr("A sweep's runs: table, plots; a run opens in Compare runs (Ctrl+4)"));
    setCentralWidget(m_views);
}

void MainWindow::showView(QWidget* view)
{
    const int index = m_views->indexOf(view);
    if (index >= 0)
        m_views->setCurrentIndex(index);
}

void MainWindow::applyDefaultLayout()
{
    // Sizes in the Lab view's coordinates; before the first show it has none yet, so
    // derive them from the window's (menu, toolbar, status bar and tab bar ≈ 120 px).
    const QSize lab = m_lab->isVisible() ? m_lab->size() : QSize(width(), height() - 120);
    // The charts (2 × 2, each at least 320 × 220) need ~660 × 520 px: the right column
    // runs the full height and takes 700 px (the timeline's controls), or 42 % of a wider window, leaving the
    // topology at least 560 px.
    const int right = std::max(lab.width() / 3, std::min(std::max(700, lab.width() * 42 / 100), lab.width() - 560));
    // Timeline and event log below the topology when the window is tall enough for
    // both (1920 × 1080: ~300 px each); on a laptop (1366 × 768) they are tabs of the
    // right column, where they get its full height.
    const bool tall = lab.height() >= 720;
    const int bottom = std::clamp(lab.height() * 30 / 100, 170, 320);

    QDockWidget* device = dockOf(m_deviceInspector);
    QDockWidget* timeline = dockOf(m_timeline);
    for (QDockWidget* dock : m_docks) {
        dock->setFloating(false);
        m_lab->removeDockWidget(dock);
    }
    m_lab->addDockWidget(Qt::RightDockWidgetArea, device);
    QDockWidget* previous = device;
    const auto tabify = [this, &previous](QDockWidget* dock) {
        m_lab->tabifyDockWidget(previous, dock);
        previous = dock;
    };
    if (tall) {
        m_lab->addDockWidget(Qt::BottomDockWidgetArea, timeline);
        m_lab->tabifyDockWidget(timeline, dockOf(m_eventLog));
    } else {
        tabify(timeline);
        tabify(dockOf(m_eventLog));
    }
    tabify(dockOf(m_charts));
    QDockWidget* rollout = findChild<QDockWidget*>(QStringLiteral("rolloutDock"));
    tabify(rollout);
    tabify(dockOf(m_compare));
    for (QDockWidget* dock : m_docks)
        dock->show();
    rollout->setVisible(findChild<RolloutPanel*>()->hasRollout());
    device->raise();
    timeline->raise();
    if (!tall)
        device->raise();
    m_lab->resizeDocks({device}, {right}, Qt::Horizontal);
    if (tall)
        m_lab->resizeDocks({timeline}, {bottom}, Qt::Vertical);
}

bool MainWindow::showPanel(const QString& name)
{
    const QString key = name.trimmed().toLower();
    const std::pair<const char*, QWidget*> panels[] = {
        {"lab", m_lab}, {"topology", m_topology}, {"scenario", m_scenarioPanel}, {"image", m_inspector},
        {"inspector", m_deviceInspector}, {"charts", m_charts}, {"compare", m_compare}, {"timeline", m_timeline},
        {"log", m_eventLog}, {"eventlog", m_eventLog}, {"rollout", findChild<RolloutPanel*>()}, {"sweep", m_sweepPanel}};
    for (const auto& [panelName, panel] : panels) {
        if (key != QLatin1String(panelName))
            continue;
        if (QDockWidget* dock = dockOf(panel)) {
            showView(m_lab);
            dock->show();
            dock->raise();
        } else {
            showView(panel == m_topology ? m_lab : panel);
        }
        return true;
    }
    return false;
}

QDockWidget* MainWindow::addDock(QWidget* panel, const QString& title, const QString& objectName, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, m_lab);
    dock->setObjectName(objectName);
    QWidget* content = panel;
    // Panels that need room of their own (charts: four plots; compare: plot and tables)
    // scroll when the dock is smaller than their minimum, instead of being cut off.
    if (panel == m_charts || panel == m_compare) {
        auto* scroll = new QScrollArea(dock);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(panel);
        content = scroll;
    } else {
        panel->setMinimumSize(kDockMinimum);
    }
    dock->setWidget(content);
    // A dock behind another tab keeps its widgets "visible" to Qt: hide them, so the
    // panels skip their updates while out of sight (they catch up when shown).
    // The dock keeps its size meanwhile.
    QSizePolicy policy = content->sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    content->setSizePolicy(policy);
    connect(dock, &QDockWidget::visibilityChanged, content, [content](bool visible) { content->setVisible(visible); });
    m_lab->addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

QDockWidget* MainWindow::dockOf(const QWidget* panel) const
{
    for (QDockWidget* dock : m_docks) {
        if (dock->widget() == panel)
            return dock;
        if (auto* scroll = qobject_cast<QScrollArea*>(dock->widget()); scroll && scroll->widget() == panel)
            return dock;
    }
    return nullptr;
}

bool MainWindow::openImage(const QString& path)
{
    showView(m_inspector);
    return m_inspector->controller()->open(path);
}

bool MainWindow::openScenario(const QString& path, bool quiet)
{
    if (!m_document->maybeSave(this))
        return false;
    if (auto opened = m_document->open(path); !opened) {
        if (!quiet)
            QMessageBox::critical(this, tr("Cannot open scenario"), opened.error().message);
        statusBar()->showMessage(opened.error().message);
        return false;
    }
    if (m_document->error()) {
        statusBar()->showMessage(tr("%1: %2").arg(QFileInfo(path).fileName(), m_document->error()->toString()));
        return false;
    }
    return true;
}

void MainWindow::openSweep(const QString& dir, bool quiet)
{
    m_sweepQuiet = quiet;
    statusBar()->showMessage(tr("Reading sweep %1…").arg(QDir::toNativeSeparators(dir)));
    m_sweepPanel->controller()->open(dir);
}

void MainWindow::connectSweep()
{
    SweepController* sweep = m_sweepPanel->controller();
    connect(sweep, &SweepController::opened, this, [this, sweep] {
        showView(m_sweepPanel);
        statusBar()->showMessage(tr("Sweep %1: %2").arg(QDir::toNativeSeparators(sweep->folder()->dir), sweep->folder()->statusText()), 8000);
    });
    connect(sweep, &SweepController::openFailed, this, [this](const QString& message) {
        statusBar()->showMessage(message);
        if (!m_sweepQuiet)
            QMessageBox::critical(this, tr("Cannot open sweep"), message);
    });
    connect(sweep, &SweepController::runReady, this, [this](int, const LabRunRecord& record) {
        m_session.keepRun(record);
        if (m_session.keptRuns().size() >= 2) {
            showPanel(QStringLiteral("compare"));
            statusBar()->showMessage(tr("Compare runs: %1 (B) against %2 (A)")
                                         .arg(record.label, m_session.keptRuns()[m_session.keptRuns().size() - 2].label), 8000);
        } else {
            statusBar()->showMessage(tr("%1 kept for Compare runs: open another run to compare it with").arg(record.label), 8000);
        }
    });
    connect(sweep, &SweepController::runFailed, this, [this](const QString& message) {
        statusBar()->showMessage(message, 8000);
        if (!m_sweepQuiet)
            QMessageBox::warning(this, tr("Cannot open the run"), message);
    });
}

bool MainWindow::openStartupScenario()
{
    const QString last = settings().value(LastScenarioKey).toString();
    if (!last.isEmpty() && QFileInfo::exists(last) && openScenario(last, true))
        return true;
    if (auto opened = m_document->openBundledDefault(); !opened) {
        statusBar()->showMessage(opened.error().message);
        return false;
    }
    return true;
}

void MainWindow::loadDocumentIntoSession(bool force)
{
    const auto& config = m_document->scenario();
    if (!config || m_document->error())
        return;
    if (m_document->text() == m_loadedText && m_document->baseDir() == m_loadedBaseDir)
        return;  // already running this text
    const auto state = m_session.state();
    if (!force && (state == LabSession::RunState::Running || state == LabSession::RunState::Paused)) {
        statusBar()->showMessage(tr("Scenario edited: \"Load into lab\" (Ctrl+Return in the editor) applies it to the run"), 8000);
        return;
    }
    m_loadedText = m_document->text();
    m_loadedBaseDir = m_document->baseDir();
    m_session.load(*config, m_document->baseDir(), QJsonDocument::fromJson(m_loadedText.toUtf8()).object());
    statusBar()->showMessage(tr("Loaded %1").arg(m_document->displayName()), 4000);
}

void MainWindow::updateTitle()
{
    if (m_titleShowsImage) {
        setWindowTitle(tr("OTA Lab — %1").arg(m_imageName));
        return;
    }
    const bool hasScenario = !m_document->text().isEmpty() || !m_document->filePath().isEmpty();
    setWindowTitle(hasScenario ? tr("%1[*] — OTA Lab").arg(m_document->displayName()) : tr("OTA Lab"));
    if (hasScenario)
        setWindowModified(m_document->isDirty());
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    // Window-wide shortcuts for the scenario actions (the panel's own are local to it).
    QAction* openScenarioAction = file->addAction(tr("&Open scenario…"), this, [this] { m_scenarioPanel->controller()->openFile(this); });
    openScenarioAction->setShortcut(QKeySequence::Open);
    m_recentScenarioMenu = file->addMenu(tr("Open &recent scenario"));
    file->addAction(tr("Open &bundled starter"), this, [this] { m_scenarioPanel->controller()->openBundledDefault(this); });
    QAction* save = file->addAction(tr("&Save scenario"), this, [this] { m_scenarioPanel->controller()->save(this); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save scenario &as…"), this, [this] { m_scenarioPanel->controller()->saveAs(this); });
    saveAs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    for (QAction* panelAction : {m_scenarioPanel->openAction(), m_scenarioPanel->saveAction(), m_scenarioPanel->saveAsAction()})
        panelAction->setShortcut({});  // the window-wide ones above; avoids ambiguous shortcuts
    file->addSeparator();
    QAction* exportAction = file->addAction(tr("&Export run…"), m_export, &ExportController::exportInteractive);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    QAction* sweepAction = file->addAction(tr("Open s&weep…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open sweep folder"));
        if (!dir.isEmpty())
            openSweep(dir);
    });
    sweepAction->setObjectName(QStringLiteral("actionOpenSweep"));
    sweepAction->setStatusTip(tr("Open a folder written by otalab-cli sweep … --out DIR"));
    file->addSeparator();
    // Ctrl+O opens scenarios and F5 runs: the Image Inspector gets other keys.
    m_inspector->openAction()->setText(tr("Open &image…"));
    m_inspector->openAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_inspector->reloadAction()->setShortcut({});
    file->addAction(m_inspector->openAction());
    m_recentMenu = file->addMenu(tr("Open recent &image"));
    file->addAction(m_inspector->reloadAction());
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_runControls->runAction());
    run->addAction(m_runControls->pauseAction());
    run->addAction(m_runControls->runPauseAction());
    run->addAction(m_runControls->stepAction());
    run->addAction(m_runControls->runToAction());
    run->addSeparator();
    QMenu* speed = run->addMenu(tr("S&peed"));
    const auto& options = RunControlsController::speedOptions();
    for (int i = 0; i < static_cast<int>(options.size()); ++i) {
        QAction* a = speed->addAction(options[i].label, this, [this, i] { m_runControls->setSpeedIndex(i); });
        a->setCheckable(true);
        a->setChecked(i == m_runControls->speedIndex());
        connect(m_runControls, &RunControlsController::speedIndexChanged, a, [a, i](int index) { a->setChecked(i == index); });
    }
    run->addSeparator();
    run->addAction(m_runControls->restartAction());

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    QAction* benchAction = tools->addAction(tr("&Bench…"), this, &MainWindow::showBench);
    benchAction->setObjectName(QStringLiteral("actionBench"));
    benchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    benchAction->setStatusTip(tr("Update real boards over serial, UDP or BLE (mcumgr/SMP)"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_views->count(); ++i) {
        QAction* view = m_viewMenu->addAction(m_views->tabText(i), this, [this, i] { m_views->setCurrentIndex(i); });
        view->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_runBar->toggleViewAction());
    for (QDockWidget* dock : m_docks)
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("&Reset layout"), this, [this] {
        showView(m_lab);
        applyDefaultLayout();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About OTA Lab"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    int number = 1;
    for (const QString& path : m_recent.paths()) {
        // &1..&9 as accelerators; the tooltip holds the full path.
        const QString text = number < 10 ? QStringLiteral("&%1  %2").arg(number).arg(QFileInfo(path).fileName())
                                         : QFileInfo(path).fileName();
        QAction* action = m_recentMenu->addAction(text, this, [this, path] {
            if (!openImage(path)) {
                m_recent.remove(path);
                rebuildRecentMenu();
            }
        });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        ++number;
    }
    if (!m_recent.paths().isEmpty())
        m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear list"), this, [this] {
        m_recent.clear();
        rebuildRecentMenu();
        saveSettings();
    });
    clear->setEnabled(!m_recent.paths().isEmpty());
    m_recentMenu->setEnabled(!m_recent.paths().isEmpty());
}

void MainWindow::rebuildRecentScenarioMenu()
{
    m_recentScenarioMenu->clear();
    int number = 1;
    for (const QString& path : m_recentScenarios.paths()) {
        const QString text = number < 10 ? QStringLiteral("&%1  %2").arg(number).arg(QFileInfo(path).fileName())
                                         : QFileInfo(path).fileName();
        QAction* action = m_recentScenarioMenu->addAction(text, this, [this, path] {
            if (!QFileInfo::exists(path)) {
                m_recentScenarios.remove(path);
                rebuildRecentScenarioMenu();
                return;
            }
            openScenario(path);
        });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        ++number;
    }
    if (!m_recentScenarios.paths().isEmpty())
        m_recentScenarioMenu->addSeparator();
    QAction* clear = m_recentScenarioMenu->addAction(tr("Clear list"), this, [this] {
        m_recentScenarios.clear();
        rebuildRecentScenarioMenu();
        saveSettings();
    });
    clear->setEnabled(!m_recentScenarios.paths().isEmpty());
    m_recentScenarioMenu->setEnabled(!m_recentScenarios.paths().isEmpty());
}

void MainWindow::fileOpened(const QString& path)
{
    m_titleShowsImage = true;
    m_imageName = QFileInfo(path).fileName();
    updateTitle();
    setWindowFilePath(path);
    m_recent.add(path);
    rebuildRecentMenu();
    auto s = settings();
    m_recent.save(s);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About OTA Lab"),
                       tr("<h3>OTA Lab %1</h3>"
                          "<p>A firmware-over-the-air lab: inspect Zigbee OTA files and MCUboot images, "
                          "simulate rollouts, and update real boards.</p>"
                          "<p>Licensed under the Apache License 2.0.</p>")
                           .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::saveSettings() const
{
    auto s = settings();
    s.setValue(GeometryKey, saveGeometry());
    s.setValue(LayoutVersionKey, kLayoutVersion);
    s.setValue(StateKey, QMainWindow::saveState(kLayoutVersion));
    s.setValue(LabStateKey, m_lab->saveState(kLayoutVersion));
    s.setValue(ViewKey, m_views->currentIndex());
    s.setValue(InspectorKey, m_inspector->saveState());
    s.setValue(SpeedKey, m_session.speed());
    m_recent.save(s);
    s.beginGroup(ScenarioGroup);
    m_recentScenarios.save(s);
    s.endGroup();
}

void MainWindow::restoreSettings()
{
    auto s = settings();
    restoreGeometry(s.value(GeometryKey).toByteArray());
    // Saved on a bigger screen (or by an offscreen run): never open larger than this one.
    resize(size().boundedTo(defaultWindowSize()));
    // A layout saved by another version (docks cropping the charts, a 3-byte hex pane)
    // is not restored: the default layout for this window size applies instead.
    const bool sameLayout = s.value(LayoutVersionKey).toInt() == kLayoutVersion;
    if (sameLayout) {
        QMainWindow::restoreState(s.value(StateKey).toByteArray(), kLayoutVersion);
        m_inspector->restoreState(s.value(InspectorKey).toByteArray());
        m_views->setCurrentIndex(std::clamp(s.value(ViewKey, 0).toInt(), 0, m_views->count() - 1));
    }
    m_defaultLayoutPending = !(sameLayout && m_lab->restoreState(s.value(LabStateKey).toByteArray(), kLayoutVersion));
    m_session.setSpeed(s.value(SpeedKey, 100.0).toDouble());  // first start: 100× (the starter takes ~15 s)
    m_recent.load(s);
    rebuildRecentMenu();
    s.beginGroup(ScenarioGroup);
    m_recentScenarios.load(s);
    s.endGroup();
    rebuildRecentScenarioMenu();
}

BenchWindow* MainWindow::bench()
{
    if (!m_bench)
        m_bench = std::make_unique<BenchWindow>();
    return m_bench.get();
}

BenchWindow* MainWindow::showBench()
{
    BenchWindow* window = bench();
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_defaultLayoutPending)
        return;
    m_defaultLayoutPending = false;
    // After the first layout pass, when the Lab view has its real size.
    QTimer::singleShot(0, this, &MainWindow::applyDefaultLayout);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_document->maybeSave(this)) {
        event->ignore();
        return;
    }
    saveSettings();
    if (m_bench)
        m_bench->close();
    event->accept();
}

} // namespace otalab::app
