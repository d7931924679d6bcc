// SPDX-License-Identifier: Apache-2.0
// The lab's main window: menus, status bar and one tab per panel.
#include "mainwindow.h"

#include "imageinspectorcontroller.h"
#include "imageinspectorpanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace otalab::app {
namespace {

QSettings settings()
{
    return QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
}

const QString GeometryKey = QStringLiteral("mainWindow/geometry");
const QString StateKey = QStringLiteral("mainWindow/state");
const QString InspectorKey = QStringLiteral("imageInspector/layout");

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("otalabMainWindow"));
    setWindowTitle(tr("OTA Lab"));
    m_tabs->setDocumentMode(true);
    m_inspector = new ImageInspectorPanel(m_tabs);
    m_tabs->addTab(m_inspector, tr("Image Inspector"));
    setCentralWidget(m_tabs);

    connect(m_inspector->controller(), &ImageInspectorController::fileOpened, this, &MainWindow::fileOpened);
    connect(m_inspector, &ImageInspectorPanel::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message);
    });

    buildMenus();
    statusBar()->showMessage(tr("Ready"));
    resize(1280, 820);
    restoreSettings();
}

MainWindow::~MainWindow() = default;

bool MainWindow::openImage(const QString& path)
{
    m_tabs->setCurrentWidget(m_inspector);
    return m_inspector->controller()->open(path);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_inspector->openAction());
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(m_inspector->reloadAction());
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

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

void MainWindow::fileOpened(const QString& path)
{
    setWindowTitle(tr("OTA Lab — %1").arg(QFileInfo(path).fileName()));
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
    s.setValue(StateKey, QMainWindow::saveState());
    s.setValue(InspectorKey, m_inspector->saveState());
    m_recent.save(s);
}

void MainWindow::restoreSettings()
{
    const auto s = settings();
    restoreGeometry(s.value(GeometryKey).toByteArray());
    QMainWindow::restoreState(s.value(StateKey).toByteArray());
    m_inspector->restoreState(s.value(InspectorKey).toByteArray());
    m_recent.load(s);
    rebuildRecentMenu();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    event->accept();
}

} // namespace otalab::app
