// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariofleetsform.h"

#include "scenario/collapsiblesection.h"
#include "scenario/scenariofieldgroup.h"
#include "scenario/scenariofieldspec.h"

#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

namespace otalab::app {

ScenarioFleetsForm::ScenarioFleetsForm(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* run = new QGroupBox(tr("Run"), this);
    auto* runLayout = new QVBoxLayout(run);
    auto* runGroup = new ScenarioFieldGroup(QStringLiteral("$"), scenariofields::fleetsRun(), run);
    runLayout->addWidget(runGroup);
    addGroup(runGroup);
    m_runFields = runGroup->fields();
    m_runFields.insert(QStringLiteral("$.stop"), run);
    layout->addWidget(run);
    m_fleetsBox = new QWidget(this);
    m_fleetsLayout = new QVBoxLayout(m_fleetsBox);
    m_fleetsLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_fleetsBox);
    m_fields = m_runFields;
}

void ScenarioFleetsForm::addGroup(ScenarioFieldGroup* group)
{
    m_groups << group;
    connect(group, &ScenarioFieldGroup::edited, this, &ScenarioFleetsForm::groupEdited);
}

void ScenarioFleetsForm::groupEdited(QList<JsonEdit> edits)
{
    // A new link drops the other link's object: the loader rejects settings it would ignore.
    const QList<JsonEdit> given = edits;
    for (const JsonEdit& e : given)
        if (e.path.endsWith(QLatin1String(".link")) && e.value) {
            const QString fleet = e.path.chopped(5);
            edits << JsonEdit{fleet + (e.value->toString() == QLatin1String("udp") ? QStringLiteral(".ble") : QStringLiteral(".udp")),
                              std::nullopt};
        }
    Q_EMIT edited(edits);
}

void ScenarioFleetsForm::rebuildFleets(const QJsonArray& fleets)
{
    for (QWidget* w : std::as_const(m_fleetWidgets))
        delete w;
    m_fleetWidgets.clear();
    m_groups = m_groups.mid(0, 1);  // the run group stays
    m_fields = m_runFields;
    m_families.clear();
    for (qsizetype i = 0; i < fleets.size(); ++i) {
        const QJsonObject fleet = fleets[i].toObject();
        const QString family = fleet.value(QLatin1String("family")).toString();
        m_families << family;
        const QString path = QStringLiteral("$.fleets[%1]").arg(i);
        auto* box = new QGroupBox(m_fleetsBox);
        auto* boxLayout = new QVBoxLayout(box);
        m_fleetsLayout->addWidget(box);
        m_fleetWidgets << box;
        m_fields.insert(path, box);
        if (family != QLatin1String("smp")) {
            box->setTitle(tr("Fleet %1 (%2)").arg(i + 1).arg(family));
            auto* note = new QLabel(tr("Edit this %1 fleet in the JSON text; the form edits SMP fleets and one-Zigbee-fleet files.")
                                        .arg(family), box);
            note->setWordWrap(true);
            note->setObjectName(QStringLiteral("fleetJsonOnlyNote"));
            boxLayout->addWidget(note);
            continue;
        }
        const QString name = fleet.value(QLatin1String("name")).toString();
        box->setTitle(name.isEmpty() ? tr("Fleet %1 (SMP)").arg(i + 1) : tr("Fleet %1: %2 (SMP)").arg(i + 1).arg(name));
        const QList<std::pair<QString, QList<ScenarioFieldSpec>>> sections{
            {QString(), scenariofields::smpLink()},
            {tr("Image"), scenariofields::smpImage()},
            {tr("Boards"), scenariofields::smpBoards()},
            {tr("Host"), scenariofields::smpHost()},
        };
        for (const auto& [title, specs] : sections) {
            auto* group = new ScenarioFieldGroup(path, specs);
            addGroup(group);
            if (title.isEmpty()) {
                group->setParent(box);
                boxLayout->addWidget(group);
            } else {
                auto* section = new CollapsibleSection(title, group, box);
                section->setExpanded(true);
                boxLayout->addWidget(section);
            }
            m_fields.insert(group->fields());
        }
        for (const char* object : {"ble", "udp", "image", "boards", "host"})
            m_fields.insert(path + QLatin1Char('.') + QLatin1String(object), box);
    }
}

void ScenarioFleetsForm::setScenario(const QJsonObject& json)
{
    const QJsonArray fleets = json.value(QLatin1String("fleets")).toArray();
    QStringList families;
    for (const QJsonValue& fleet : fleets)
        families << fleet.toObject().value(QLatin1String("family")).toString();
    if (families != m_families || m_fleetWidgets.isEmpty())
        rebuildFleets(fleets);
    for (ScenarioFieldGroup* group : std::as_const(m_groups)) {
        const QString path = group->objectPath();
        if (path == QLatin1String("$")) {
            group->setValues(json);
            continue;
        }
        const int index = path.mid(9, path.size() - 10).toInt();  // "$.fleets[i]"
        group->setValues(fleets.at(index).toObject());
    }
}

} // namespace otalab::app
