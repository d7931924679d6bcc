// SPDX-License-Identifier: Apache-2.0
// ScenarioForm: the form for a scenario's common parameters (view of ScenarioController).
#pragma once

#include "core/common/error.h"
#include "scenario/jsontextpatch.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QHash>
#include <QList>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QScrollArea;
class QSpinBox;
class QStackedWidget;

namespace otalab::app {

class FieldErrorFrame;

// Shows a RolloutConfig (setConfig never emits) and turns each user edit into JSON
// edits of the scenario text (edited()). Every input is registered under the JSON path
// it edits ("$.server.maxBlockDataSize"), each group under its object ("$.server"), so a
// loader error is shown at the matching widget (red FieldErrorFrame around it, the error
// as its tooltip, its property "scenarioError" true) and as a message under the form.
// Ranges match the loader's, so the form itself rarely makes a bad scenario. GUI thread only.
class ScenarioForm final : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioForm(QWidget* parent = nullptr);

    void setConfig(const sim::RolloutConfig& config);
    // Folder for the image browse dialog; paths inside it are written relative.
    void setBaseDir(const QString& dir) { m_baseDir = dir; }
    // nullopt clears. The widget whose path is the longest prefix of error.field is flagged.
    void setFieldError(const std::optional<Error>& error);
    // While the JSON text cannot be parsed the inputs are disabled and `reason` shown.
    void setLocked(bool locked, const QString& reason = {});
    // A message under the form that is not a scenario error (e.g. an edit that could not be applied).
    void showNote(const QString& message);

    // The input registered for `path` (exact), or nullptr. For tests and focus.
    QWidget* fieldWidget(const QString& path) const { return m_fields.value(path); }
    // The path of the flagged widget ("" when none).
    const QString& flaggedPath() const { return m_flaggedPath; }
    QString errorText() const;
    // Shows the input for `path` (scrolls the form to it and focuses it); false when none.
    bool focusField(const QString& path);

Q_SIGNALS:
    void edited(const QList<otalab::app::JsonEdit>& edits);

private:
    QGroupBox* buildRunGroup();
    QGroupBox* buildTopologyGroup();
    QGroupBox* buildLossGroup();
    QGroupBox* buildDeviceGroup();
    QGroupBox* buildImageGroup();
    QGroupBox* buildServerGroup();
    void registerField(const QString& path, QWidget* widget);
    void emitEdits(const QList<JsonEdit>& edits);
    void emitValue(const QString& path, const QJsonValue& value);
    void showLossPage(int index);
    void lossKindChosen(int index);
    void imageModeChosen(bool fromFile);
    void imagePathEdited();
    void browseImage();
    void updateTopologySummary();
    void clearFlag();

    bool m_populating = false;
    QString m_baseDir;
    FieldErrorFrame* m_errorFrame;
    QHash<QString, QWidget*> m_fields;
    QString m_flaggedPath;
    QList<QWidget*> m_inputs;  // disabled while locked

    QLineEdit* m_name = nullptr;
    QLineEdit* m_seed = nullptr;
    QDoubleSpinBox* m_until = nullptr;
    QCheckBox* m_whenAllFinished = nullptr;

    QSpinBox* m_routers = nullptr;
    QSpinBox* m_branching = nullptr;
    QSpinBox* m_zedsPerRouter = nullptr;
    QComboBox* m_placement = nullptr;
    QDoubleSpinBox* m_spacing = nullptr;
    QLabel* m_topologySummary = nullptr;

    QComboBox* m_lossKind = nullptr;
    QStackedWidget* m_lossPages = nullptr;
    QDoubleSpinBox* m_lossP = nullptr;
    QDoubleSpinBox* m_geGoodToBad = nullptr;
    QDoubleSpinBox* m_geBadToGood = nullptr;
    QDoubleSpinBox* m_geLossGood = nullptr;
    QDoubleSpinBox* m_geLossBad = nullptr;
    QDoubleSpinBox* m_txPower = nullptr;
    QDoubleSpinBox* m_exponent = nullptr;
    QDoubleSpinBox* m_shadowing = nullptr;
    QDoubleSpinBox* m_referenceLoss = nullptr;
    QDoubleSpinBox* m_noiseFloor = nullptr;

    QComboBox* m_preset = nullptr;
    QComboBox* m_battery = nullptr;
    QSpinBox* m_pollInterval = nullptr;
    QSpinBox* m_fastPollInterval = nullptr;

    QRadioButton* m_imageGenerated = nullptr;
    QRadioButton* m_imageFile = nullptr;
    QSpinBox* m_imageSize = nullptr;
    QLineEdit* m_fileVersion = nullptr;
    QLineEdit* m_imagePath = nullptr;
    QPushButton* m_browse = nullptr;
    QLabel* m_imageNote = nullptr;

    QSpinBox* m_blockSize = nullptr;
    QSpinBox* m_responseDelay = nullptr;

    QScrollArea* m_scroll = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace otalab::app
