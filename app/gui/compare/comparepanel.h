// SPDX-License-Identifier: Apache-2.0
// ComparePanel: two kept runs side by side — overlaid completion CDFs and key figures.
#pragma once

#include "compare/comparecontroller.h"

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QTableWidget;
class QValueAxis;

namespace otalab::app {

class LabSelection;
class LabSession;

// GUI thread. Follows LabSession::keptRunsChanged (the combos default to the last two
// runs); "Clear kept runs" calls LabSession::clearKeptRuns(). Tests can bypass the
// session with setRuns().
class ComparePanel final : public QWidget {
    Q_OBJECT
public:
    ComparePanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~ComparePanel() override;

    // Shows these runs (what keptRunsChanged does with the session's runs).
    void setRuns(std::vector<LabRunRecord> runs);

    const CompareController& controller() const { return m_controller; }
    QComboBox* firstBox() const { return m_first; }
    QComboBox* secondBox() const { return m_second; }
    QTableWidget* table() const { return m_table; }
    QLabel* messageLabel() const { return m_message; }
    QPushButton* clearButton() const { return m_clear; }
    QChart* chart() const { return m_chart; }

private:
    void selectionEdited();
    void render();

    LabSession& m_session;
    CompareController m_controller;
    QComboBox* m_first = nullptr;
    QComboBox* m_second = nullptr;
    QPushButton* m_clear = nullptr;
    QLabel* m_message = nullptr;
    QWidget* m_content = nullptr;
    QChart* m_chart = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QLineSeries* m_lines[2] = {};
    QTableWidget* m_table = nullptr;
    bool m_updatingBoxes = false;
};

} // namespace otalab::app
