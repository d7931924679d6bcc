// SPDX-License-Identifier: Apache-2.0
// ScenarioForm: the form for a scenario's common parameters (view of ScenarioController).
#pragma once

#include "core/common/error.h"
#include "scenario/jsontextpatch.h"
#include "scenario/scenariofieldspec.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QHash>
#include <QList>
#include <QJsonObject>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QScrollArea;
class QSpinBox;
class QStackedWidget;

namespace otalab::app {

class CollapsibleSection;
class FieldErrorFrame;
class ScenarioFieldGroup;
class ScenarioFleetsForm;
class RolloutForm;
class ScenarioListEditor;

// Shows a RolloutConfig (setConfig never emits) and turns each user edit into JSON
// edits of the scenario text (edited()). Every input is registered under the JSON path
// it edits ("$.server.maxBlockDataSize"), each group under its object ("$.server"), so a
// loader error is shown at the matching widget (red FieldErrorFrame around it, the error
// as its tooltip, its property "scenarioError" true) and as a message under the form.
// Ranges match the loader's, so the form itself rarely makes a bad scenario. Every key of
// a one-Zigbee-fleet scenario has an input (tests/app/gui_scenario_form_keys_test.cpp walks
// the schema); the less common ones sit in folded "More" sections, and the lists
// (per-router loss overrides, link cuts, per-device policies and client overrides,
// explicit nodes) are ScenarioListEditors whose elements are registered as
// "$.channel.routerOverrides[0].loss.kind". GUI thread only.
class ScenarioForm final : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioForm(QWidget* parent = nullptr);

    // `description` is the file's "description" (not part of RolloutConfig). Shows the
    // one-Zigbee-fleet groups; `scenario` (the whole JSON object) feeds their Rollout
    // section ("$.rollout", which RolloutConfig does not hold).
    void setConfig(const sim::RolloutConfig& config, const QString& description = {}, const QJsonObject& scenario = {});
    // A scenario with "fleets" (the whole JSON object): shows ScenarioFleetsForm instead of
    // the Zigbee groups (top level and every SMP fleet; Zigbee fleets stay JSON-only).
    void setFleetsScenario(const QJsonObject& json);
    bool showsFleets() const;
    // Folder for the image browse dialog; paths inside it are written relative.
    void setBaseDir(const QString& dir) { m_baseDir = dir; }
    // nullopt clears. The widget whose path is the longest prefix of error.field is flagged.
    void setFieldError(const std::optional<Error>& error);
    // While the JSON text cannot be parsed the inputs are disabled and `reason` shown.
    void setLocked(bool locked, const QString& reason = {});
    // A message under the form that is not a scenario error (e.g. an edit that could not be applied).
    void showNote(const QString& message);

    // The input registered for `path` (exact), or nullptr. For tests and focus.
    QWidget* fieldWidget(const QString& path) const { return allFields().value(path); }
    // Every registered JSON path (lists: their current elements).
    QStringList fieldPaths() const { return allFields().keys(); }
    // The editor of the list at `arrayPath` ("$.channel.routerOverrides"), or nullptr.
    ScenarioListEditor* listEditor(const QString& arrayPath) const;
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
    QGroupBox* buildNetworkGroup();
    QGroupBox* buildImageGroup();
    QGroupBox* buildServerGroup();
    void addLinkLists(QFormLayout* form);  // per-router loss overrides and link cuts
    QGroupBox* buildClientGroup();
    // A folded section of generic inputs for the object at `objectPath`, added to `form`.
    ScenarioFieldGroup* addMoreSection(QFormLayout* form, const QString& title, const QString& objectPath,
                                       const QList<ScenarioFieldSpec>& specs);
    ScenarioListEditor* addListSection(QFormLayout* form, const QString& title, const QString& arrayPath,
                                       const QList<ScenarioFieldSpec>& specs, const QString& itemTitle, const QString& add,
                                       const QString& empty, std::function<QJsonObject()> newItem, int firstIndex = 0);
    QHash<QString, QWidget*> allFields() const;
    QString nodeAddress(int index) const;  // "0x0001": the index-th node of the shown topology
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
    QList<QWidget*> m_zigbeeGroups;  // hidden while a "fleets" scenario is shown
    ScenarioFleetsForm* m_fleets = nullptr;
    RolloutForm* m_rollout = nullptr;  // the one-Zigbee-fleet groups' Rollout section
    QList<ScenarioFieldGroup*> m_groups;   // generic inputs, filled from scenarioToJson()
    QList<ScenarioListEditor*> m_lists;
    QHash<ScenarioListEditor*, CollapsibleSection*> m_listSections;
    QHash<ScenarioListEditor*, QString> m_listTitles;
    ScenarioFieldGroup* m_generateMore = nullptr;
    ScenarioFieldGroup* m_presetGroup = nullptr;
    ScenarioListEditor* m_nodes = nullptr;
    std::vector<std::uint16_t> m_nodeAddresses;  // of the shown config, for new list elements
    std::vector<std::uint16_t> m_routerAddresses;

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
    QDoubleSpinBox* m_referenceDistance = nullptr;

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
