// SPDX-License-Identifier: Apache-2.0
// ComparePanel: two kept runs side by side — overlaid completion CDFs and key figures.
#pragma once

#include "compare/comparecontroller.h"

#include <QWidget>

#include <functional>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QSplitter;
class QTableWidget;
class QValueAxis;

namespace otalab::app {

class LabSelection;
class LabSession;

// GUI thread. Follows LabSession::keptRunsChanged (the combos default to the last two
// runs); "Clear kept runs" asks for confirmation, then calls LabSession::clearKeptRuns().
// Below the run pickers one line says what differs (scenario parameters, else "same
// scenario"); the chart sits beside the figures and parameter tables when the panel
// is wide, above them when it is narrow. Tests can bypass the session with setRuns().
class ComparePanel final : public QWidget {
    Q_OBJECT
public:
    ComparePanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~ComparePanel() override;

    // Shows these runs (what keptRunsChanged does with the session's runs).
    void setRuns(std::vector<LabRunRecord> runs);
    // Asked before clearing (`count` kept runs); true clears. Default: a Yes/No message box.
    using ClearConfirmation = std::function<bool(QWidget* parent, int count)>;
    void setClearConfirmation(ClearConfirmation confirm) { m_confirmClear = std::move(confirm); }
    // "Clear kept runs": asks, then clears (what the button does).
    void requestClear();

    const CompareController& controller() const { return m_controller; }
    QComboBox* firstBox() const { return m_first; }
    QComboBox* secondBox() const { return m_second; }
    QTableWidget* table() const { return m_table; }
    // Scenario parameters that differ: Parameter | Run A | Run B.
    QTableWidget* parameterTable() const { return m_parameters; }
    QLabel* differenceLabel() const { return m_differences; }
    QSplitter* splitter() const { return m_splitter; }
    QLabel* messageLabel() const { return m_message; }
    QPushButton* clearButton() const { return m_clear; }
    QChart* chart() const { return m_chart; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void selectionEdited();
    void render();
    void renderParameters();

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
    QTableWidget* m_parameters = nullptr;
    QLabel* m_differences = nullptr;
    QSplitter* m_splitter = nullptr;
    ClearConfirmation m_confirmClear;
    bool m_updatingBoxes = false;
};

} // namespace otalab::app
