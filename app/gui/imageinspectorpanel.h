// SPDX-License-Identifier: Apache-2.0
// The Image Inspector panel: look inside a Zigbee OTA file or MCUboot image.
#pragma once

#include <QWidget>

class QAction;
class QSplitter;
class QStackedWidget;
class QToolBar;
class QTreeView;
class QLabel;

namespace otalab::app {

class FindingsModel;
class HexView;
class ImageInspectorController;
class InspectionSummaryView;
class InspectionTreeModel;

// Shows what its ImageInspectorController loaded: summary and verdict badges, the
// findings (errors first), the field tree and a hex dump of the selected field.
// Selecting a finding selects the node it names and highlights its bytes; after a
// load the first error is selected. Accepts a dropped file. Displays only: all
// loading goes through controller().
class ImageInspectorPanel final : public QWidget {
    Q_OBJECT
public:
    explicit ImageInspectorPanel(QWidget* parent = nullptr);

    ImageInspectorController* controller() const { return m_controller; }
    // "Open image…" (Ctrl+O): MainWindow puts the same action in its File menu.
    QAction* openAction() const { return m_openAction; }
    QAction* reloadAction() const { return m_reloadAction; }

    // Brings the panel to the front wherever the window put it: shows and raises its
    // dock (a tab behind another) and makes it the current page of any tab or stacked
    // widget around it. Done for every opened file, whatever path opened it (menu,
    // recent files, drop, command line).
    void bringForward();

    // Selects the finding shown in `row` of the findings list (errors first).
    void selectFinding(int row);

    QTreeView* treeView() const { return m_tree; }
    QTreeView* findingsView() const { return m_findings; }
    HexView* hexView() const { return m_hex; }
    InspectionSummaryView* summaryView() const { return m_summary; }
    InspectionTreeModel* treeModel() const { return m_treeModel; }
    FindingsModel* findingsModel() const { return m_findingsModel; }

    // Splitter and column layout, for MainWindow to keep in QSettings.
    QByteArray saveState() const;
    bool restoreState(const QByteArray& state);

Q_SIGNALS:
    // One-line outcome of the last load, for the status bar.
    void statusMessage(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildActions();
    void applyDefaultLayout();
    QWidget* buildContent();
    void showInspection();
    void showLoadError(const QString& message);
    void showNodeBytes(const QModelIndex& index);
    void chooseImage();
    void chooseVerificationKeys();
    void chooseDecryptionKey();
    QString keysNote() const;

    ImageInspectorController* m_controller = nullptr;
    InspectionTreeModel* m_treeModel = nullptr;
    FindingsModel* m_findingsModel = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_keysAction = nullptr;
    QAction* m_decryptionKeyAction = nullptr;
    QAction* m_clearKeysAction = nullptr;
    QAction* m_reloadAction = nullptr;
    QToolBar* m_toolBar = nullptr;
    QStackedWidget* m_stack = nullptr;
    InspectionSummaryView* m_summary = nullptr;
    QSplitter* m_vertical = nullptr;
    QSplitter* m_horizontal = nullptr;
    QTreeView* m_tree = nullptr;
    QTreeView* m_findings = nullptr;
    QLabel* m_findingsTitle = nullptr;
    QLabel* m_placeholderError = nullptr;
    HexView* m_hex = nullptr;
    bool m_layoutSet = false;  // splitter sizes restored, or defaulted after the first show
};

} // namespace otalab::app
