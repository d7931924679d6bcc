// SPDX-License-Identifier: Apache-2.0
// ScenarioFleetsForm: the form of a scenario with "fleets" — its top level and each SMP and LoRaWAN fleet (a Zigbee fleet inside "fleets" stays JSON-only).
#pragma once

#include "scenario/jsontextpatch.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QWidget>

class QVBoxLayout;

namespace otalab::app {

class ScenarioFieldGroup;

// Field groups (scenariofields::fleetsRun / smpLink / smpImage / smpBoards / smpHost) for
// the top level ("$") and every fleet of family "smp" ("$.fleets[i]"); a Zigbee fleet
// inside "fleets" gets a one-line note (edit it in the JSON text). setScenario() rebuilds
// the fleet groups only when the fleets' families changed. Inputs are registered under
// the JSON path they edit ("$.fleets[0].boards.unhealthyShare"). GUI thread only.
class ScenarioFleetsForm final : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioFleetsForm(QWidget* parent = nullptr);

    // `json`: the whole scenario object (with "fleets"). Never emits.
    void setScenario(const QJsonObject& json);
    // JSON path → input (and "$.fleets[i]" → the fleet's box, "$.stop" → the run box).
    const QHash<QString, QWidget*>& fields() const { return m_fields; }

Q_SIGNALS:
    void edited(const QList<otalab::app::JsonEdit>& edits);

private:
    void rebuildFleets(const QJsonArray& fleets);
    void addGroup(ScenarioFieldGroup* group);
    void groupEdited(QList<JsonEdit> edits);

    QVBoxLayout* m_fleetsLayout;
    QWidget* m_fleetsBox;
    QList<ScenarioFieldGroup*> m_groups;
    QList<QWidget*> m_fleetWidgets;
    QStringList m_families;  // of the shown fleets
    QHash<QString, QWidget*> m_runFields;
    QHash<QString, QWidget*> m_fields;
};

} // namespace otalab::app
