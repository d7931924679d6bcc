// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariofieldgroup.h"

#include "scenario/scenariofieldinput.h"

#include <QComboBox>
#include <QFormLayout>

namespace otalab::app {

namespace {

QString parentKey(const QString& key)
{
    const qsizetype dot = key.lastIndexOf(u'.');
    return dot < 0 ? QString() : key.left(dot);
}

QString lastKey(const QString& key) { return key.mid(key.lastIndexOf(u'.') + 1); }

} // namespace

ScenarioFieldGroup::ScenarioFieldGroup(QString objectPath, const QList<ScenarioFieldSpec>& specs, QWidget* parent)
    : QWidget(parent), m_objectPath(std::move(objectPath)), m_form(new QFormLayout(this)), m_specs(specs)
{
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const ScenarioFieldSpec& spec : m_specs) {
        auto* input = new ScenarioFieldInput(spec, this);
        m_form->addRow(spec.label, input);
        m_inputs.insert(spec.key, input);
        m_fields.insert(pathOf(spec.key), input);
        connect(input, &ScenarioFieldInput::edited, this,
                [this, spec](const std::optional<QJsonValue>& value) { inputEdited(spec, value); });
    }
    for (const ScenarioFieldSpec& spec : m_specs)
        if (!spec.discriminator.isEmpty() && !parentKey(spec.discriminator).isEmpty())
            m_fields.insert(pathOf(parentKey(spec.discriminator)), m_inputs.value(spec.discriminator));
    updateVisibility();
}

void ScenarioFieldGroup::setValues(const QJsonObject& object)
{
    for (const ScenarioFieldSpec& spec : m_specs)
        m_inputs.value(spec.key)->setValue(valueAtKey(object, spec.key));
    updateVisibility();
}

void ScenarioFieldGroup::updateVisibility()
{
    for (const ScenarioFieldSpec& spec : m_specs) {
        if (spec.discriminator.isEmpty())
            continue;
        const ScenarioFieldInput* discriminator = m_inputs.value(spec.discriminator);
        const auto current = discriminator ? discriminator->value() : std::nullopt;
        m_form->setRowVisible(m_inputs.value(spec.key), current && spec.onlyFor.contains(current->toString()));
    }
}

void ScenarioFieldGroup::inputEdited(const ScenarioFieldSpec& spec, const std::optional<QJsonValue>& value)
{
    QList<ScenarioFieldSpec> dependents;
    for (const ScenarioFieldSpec& s : m_specs)
        if (s.discriminator == spec.key)
            dependents << s;
    if (dependents.isEmpty() || !value) {
        QList<JsonEdit> edits;
        if (value && !spec.replaces.isEmpty())  // e.g. an image's "path" replaces its "generate"
            for (const QString& replaced : spec.replaces.split(u',', Qt::SkipEmptyParts))
                edits << JsonEdit{pathOf(replaced), std::nullopt};
        edits << JsonEdit{pathOf(spec.key), value};
        Q_EMIT edited(edits);
        return;
    }
    const QString choice = value->toString();
    QList<JsonEdit> edits;
    const QString object = parentKey(spec.key);
    if (!object.isEmpty())  // a fresh sub-object: kind first, then the kind's parameters
        edits << JsonEdit{pathOf(object), QJsonObject{{lastKey(spec.key), *value}}};
    else
        edits << JsonEdit{pathOf(spec.key), *value};
    for (const ScenarioFieldSpec& d : dependents) {
        const bool applies = d.onlyFor.contains(choice);
        const auto shown = m_inputs.value(d.key)->value();
        if (applies && shown)
            edits << JsonEdit{pathOf(d.key), *shown};
        else if (!applies && object.isEmpty())
            edits << JsonEdit{pathOf(d.key), std::nullopt};
    }
    updateVisibility();
    Q_EMIT edited(edits);
}

} // namespace otalab::app
