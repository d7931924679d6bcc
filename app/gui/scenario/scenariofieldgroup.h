// SPDX-License-Identifier: Apache-2.0
// ScenarioFieldGroup: a form of ScenarioFieldInputs for the keys of one JSON object.
#pragma once

#include "scenario/jsontextpatch.h"
#include "scenario/scenariofieldspec.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QWidget>

class QFormLayout;

namespace otalab::app {

class ScenarioFieldInput;

// The object sits at `objectPath` ("$.server", "$.channel.routerOverrides[2]"); each key
// of `specs` is edited at objectPath + "." + key. Keys with a discriminator are shown only
// while it holds one of their values; choosing another value of a discriminator that
// sits in a sub-object ("loss.kind") replaces that sub-object with the new kind and the
// shown parameters, so no stray key of the old kind is left (the loaders reject them).
// GUI thread only.
class ScenarioFieldGroup final : public QWidget {
    Q_OBJECT
public:
    ScenarioFieldGroup(QString objectPath, const QList<ScenarioFieldSpec>& specs, QWidget* parent = nullptr);

    // Shows the keys of `object` (the object at objectPath; absent keys show defaults).
    void setValues(const QJsonObject& object);
    const QString& objectPath() const { return m_objectPath; }
    // JSON path → input, including the sub-object of a discriminator ("...loss" → its kind).
    const QHash<QString, QWidget*>& fields() const { return m_fields; }
    ScenarioFieldInput* input(const QString& key) const { return m_inputs.value(key); }

Q_SIGNALS:
    void edited(const QList<otalab::app::JsonEdit>& edits);

private:
    void inputEdited(const ScenarioFieldSpec& spec, const std::optional<QJsonValue>& value);
    void updateVisibility();
    QString pathOf(const QString& key) const { return m_objectPath + QLatin1Char('.') + key; }

    QString m_objectPath;
    QFormLayout* m_form;
    QList<ScenarioFieldSpec> m_specs;
    QHash<QString, ScenarioFieldInput*> m_inputs;  // by key
    QHash<QString, QWidget*> m_fields;
};

} // namespace otalab::app
