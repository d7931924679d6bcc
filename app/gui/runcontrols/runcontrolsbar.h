// SPDX-License-Identifier: Apache-2.0
// RunControlsBar: the toolbar with run/pause/step/restart, a "run to" box and the speed selector.
#pragma once

#include <QToolBar>

class QComboBox;
class QLineEdit;

namespace otalab::app {

class RunControlsController;

// Displays the controller's actions; the "run to" box accepts seconds or h:mm:ss
// (Return runs there; an invalid entry turns the box red and says why in its tooltip).
class RunControlsBar final : public QToolBar {
    Q_OBJECT
public:
    explicit RunControlsBar(RunControlsController& controller, QWidget* parent = nullptr);

    QLineEdit* runToEdit() const { return m_runToEdit; }
    QComboBox* speedCombo() const { return m_speed; }

private:
    void runToEdited(const QString& text);

    RunControlsController& m_controller;
    QLineEdit* m_runToEdit = nullptr;
    QComboBox* m_speed = nullptr;
};

} // namespace otalab::app
