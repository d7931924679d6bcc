// SPDX-License-Identifier: Apache-2.0
// RolloutForm: the scenario form's "Rollout" section — edits the top-level "rollout" object.
#pragma once

#include "scenario/jsontextpatch.h"
#include "scenario/scenariofieldspec.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace otalab::app {

class CollapsibleSection;
class ScenarioFieldGroup;
class ScenarioListEditor;

// Field groups (scenariofields::rolloutJob / rolloutRate / rolloutExponential /
// rolloutScheduling) and list editors (abort criteria, retries, maintenance windows,
// hawkBit groups, Mender phases) for "$.rollout", the parts shown that the chosen policy
// accepts. Without a "rollout" key it shows a note and "Add rollout policy". Choosing
// another policy also removes the keys the reader refuses with it (it refuses them even
// empty); "Exponential rate" writes or removes the whole exponentialRate object (its
// three keys are required together). "targets" is edited in the JSON text (empty: every
// fleet). Inputs are registered under the JSON path they edit
// ("$.rollout.abortConfig.criteriaList[0].thresholdPercentage"), so the scenario form
// flags a reader error at the right input. GUI thread only.
class RolloutForm final : public QWidget {
    Q_OBJECT
public:
    explicit RolloutForm(QWidget* parent = nullptr);

    // `json`: the whole scenario object. Never emits.
    void setScenario(const QJsonObject& json);
    // JSON path → input (and "$.rollout" → this form, each list's path → its editor).
    QHash<QString, QWidget*> fields() const;
    bool hasRollout() const { return m_hasRollout; }
    ScenarioListEditor* listEditor(const QString& arrayPath) const;

Q_SIGNALS:
    void edited(const QList<otalab::app::JsonEdit>& edits);

private:
    ScenarioFieldGroup* addGroup(const QString& objectPath, const QList<ScenarioFieldSpec>& specs);
    ScenarioListEditor* addList(QVBoxLayout* layout, CollapsibleSection*& section, const QString& title, const QString& arrayPath,
                                const QList<ScenarioFieldSpec>& specs, const QString& itemTitle, const QString& add,
                                const QString& empty, std::function<QJsonObject()> newItem);
    void groupEdited(QList<JsonEdit> edits);
    void showPolicy(const QString& policy);

    bool m_hasRollout = false;
    bool m_populating = false;
    QString m_policy;
    QLabel* m_absent = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_remove = nullptr;
    QWidget* m_body = nullptr;
    QList<ScenarioFieldGroup*> m_groups;
    QList<ScenarioListEditor*> m_lists;
    ScenarioFieldGroup* m_exponential = nullptr;
    QCheckBox* m_exponentialOn = nullptr;
    CollapsibleSection* m_rateSection = nullptr;
    CollapsibleSection* m_abortSection = nullptr;
    CollapsibleSection* m_retrySection = nullptr;
    CollapsibleSection* m_groupsSection = nullptr;
    CollapsibleSection* m_phasesSection = nullptr;
    CollapsibleSection* m_windowsSection = nullptr;
};

} // namespace otalab::app
