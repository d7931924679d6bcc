// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariofleetsform.h"

#include "rollout/rolloutform.h"
#include "scenario/collapsiblesection.h"
#include "scenario/scenariofieldgroup.h"
#include "scenario/scenariofieldinput.h"
#include "scenario/scenariofieldspec.h"
#include "scenario/scenariojobsfields.h"
#include "scenario/scenariolisteditor.h"

#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

#include <memory>
#include <tuple>

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
    auto* rolloutBox = new QGroupBox(tr("Rollout"), this);
    auto* rolloutLayout = new QVBoxLayout(rolloutBox);
    auto* rollout = new RolloutForm(rolloutBox);  // "$.rollout" (app/gui/rollout)
    rolloutLayout->addWidget(rollout);
    connect(rollout, &RolloutForm::edited, this, &ScenarioFleetsForm::edited);
    layout->addWidget(rolloutBox);
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
    // "#form" Choices (LoRaWAN) → their keys; a jobs device group's new preset drops the other link kind's settings.
    Q_EMIT edited(scenariofields::jobsPresetEdits(scenariofields::writeForms(edits)));
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
        const bool lorawan = family == QLatin1String("lorawan");
        const bool jobs = family == QLatin1String("jobs");
        if (family != QLatin1String("smp") && !lorawan && !jobs) {
            box->setTitle(tr("Fleet %1 (%2)").arg(i + 1).arg(family));
            auto* note = new QLabel(tr("Edit this %1 fleet in the JSON text; the form edits SMP, LoRaWAN and AWS IoT jobs fleets and one-Zigbee-fleet files.")
                                        .arg(family), box);
            note->setWordWrap(true);
            note->setObjectName(QStringLiteral("fleetJsonOnlyNote"));
            boxLayout->addWidget(note);
            continue;
        }
        const QString name = fleet.value(QLatin1String("name")).toString();
        const QString kind = lorawan ? tr("LoRaWAN") : jobs ? tr("AWS IoT jobs") : tr("SMP");
        box->setTitle(name.isEmpty() ? tr("Fleet %1 (%2)").arg(i + 1).arg(kind) : tr("Fleet %1: %2 (%3)").arg(i + 1).arg(name, kind));
        // (title, sub-object the group edits — LoRaWAN sections edit theirs so a Choice
        // there never replaces the whole object —, keys)
        const QList<std::tuple<QString, QString, QList<ScenarioFieldSpec>>> sections = jobs
            ? QList<std::tuple<QString, QString, QList<ScenarioFieldSpec>>>{
                  {QString(), QString(), scenariofields::jobsFleet()},
                  {tr("Image"), QStringLiteral("image"), scenariofields::jobsImage()},
                  {tr("Agent"), QStringLiteral("agent"), scenariofields::jobsAgent()},
                  {tr("Broker"), QStringLiteral("broker"), scenariofields::jobsBroker()},
                  {tr("Faults"), QStringLiteral("faults"), scenariofields::jobsFaults()}}
            : lorawan
            ? QList<std::tuple<QString, QString, QList<ScenarioFieldSpec>>>{
                  {QString(), QString(), scenariofields::lorawanFleet()},
                  {tr("Gateways"), QStringLiteral("gateways"), scenariofields::lorawanGateways()},
                  {tr("Devices"), QStringLiteral("devices"), scenariofields::lorawanDevices()},
                  {tr("Radio"), QStringLiteral("radio"), scenariofields::lorawanRadio()},
                  {tr("Image"), QStringLiteral("image"), scenariofields::lorawanImage()},
                  {tr("Campaign"), QStringLiteral("campaign"), scenariofields::lorawanCampaign()},
                  {tr("Faults"), QStringLiteral("faults"), scenariofields::lorawanFaults()}}
            : QList<std::tuple<QString, QString, QList<ScenarioFieldSpec>>>{
                  {QString(), QString(), scenariofields::smpLink()},
                  {tr("Image"), QString(), scenariofields::smpImage()},
                  {tr("Boards"), QString(), scenariofields::smpBoards()},
                  {tr("Host"), QString(), scenariofields::smpHost()}};
        for (const auto& [title, object, specs] : sections) {
            auto* group = new ScenarioFieldGroup(object.isEmpty() ? path : path + QLatin1Char('.') + object, specs);
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
            for (auto it = group->fields().begin(); it != group->fields().end(); ++it)  // "...K#form" stands for K if no input has K
                if (const QString key = it.key().chopped(qsizetype(sizeof scenariofields::kFormSuffix) - 1);
                    it.key().endsWith(QLatin1String(scenariofields::kFormSuffix)) && !m_fields.contains(key))
                    m_fields.insert(key, it.value());
        }
        if (jobs) {  // device groups: the preset mix, each with its link
            auto self = std::make_shared<ScenarioListEditor*>(nullptr);
            auto* list = new ScenarioListEditor(path + QStringLiteral(".devices"), scenariofields::jobsDeviceGroup(),
                                                {tr("Device group %1"), tr("Add device group"), tr("No device group.")},
                                                [self] { return scenariofields::newJobsDeviceGroup(*self ? (*self)->count() : 0); });
            *self = list;
            auto* section = new CollapsibleSection(tr("Devices"), list, box);
            section->setExpanded(true);
            boxLayout->insertWidget(1, section);
            connect(list, &ScenarioListEditor::edited, this, &ScenarioFleetsForm::groupEdited);
        }
        if (lorawan) {
            auto* note = new QLabel(tr("Edit %1 in the JSON text.").arg(scenariofields::lorawanJsonOnly().join(tr(" and "))), box);
            note->setWordWrap(true);
            note->setObjectName(QStringLiteral("fleetJsonOnlyKeysNote"));
            boxLayout->addWidget(note);
        }
        for (const char* object : {"ble", "udp", "image", "boards", "host", "gateways", "devices", "radio", "campaign", "faults"})
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
    for (ScenarioListEditor* list : m_fleetsBox->findChildren<ScenarioListEditor*>()) {  // jobs device groups
        const QString path = list->arrayPath();
        const qsizetype close = path.indexOf(u']');
        list->setItems(fleets.at(path.mid(9, close - 9).toInt()).toObject().value(QLatin1String("devices")).toArray());
        for (auto it = m_fields.begin(); it != m_fields.end();)  // elements of a longer list are gone
            it = it.key().startsWith(path + QLatin1Char('[')) ? m_fields.erase(it) : std::next(it);
        m_fields.insert(list->fields());
    }
    auto* rollout = findChild<RolloutForm*>();
    rollout->setScenario(json);
    for (auto it = m_fields.begin(); it != m_fields.end();)
        it = it.key().startsWith(QLatin1String("$.rollout")) ? m_fields.erase(it) : std::next(it);
    m_fields.insert(rollout->fields());
    for (ScenarioFieldGroup* group : std::as_const(m_groups)) {
        const QString path = group->objectPath();
        if (path == QLatin1String("$")) {
            group->setValues(json);
            continue;
        }
        const qsizetype close = path.indexOf(u']');  // "$.fleets[i]" or "$.fleets[i].campaign"
        const QJsonObject fleet = fleets.at(path.mid(9, close - 9).toInt()).toObject();
        const QJsonObject object = close + 1 < path.size() ? valueAtKey(fleet, path.mid(close + 2)).toObject() : fleet;
        QList<ScenarioFieldSpec> specs;
        for (const ScenarioFieldInput* input : group->findChildren<ScenarioFieldInput*>())
            specs << input->spec();
        group->setValues(scenariofields::showForms(object, specs));
    }
}

} // namespace otalab::app
