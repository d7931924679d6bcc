// SPDX-License-Identifier: Apache-2.0
#include "rollout/rolloutform.h"

#include "scenario/collapsiblesection.h"
#include "scenario/scenariofieldgroup.h"
#include "scenario/scenariolisteditor.h"
#include "scenario/scenariorolloutfields.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>

namespace otalab::app {

namespace {

const QString kRollout = QStringLiteral("$.rollout");
const QString kRate = QStringLiteral("$.rollout.jobExecutionsRolloutConfig");
const QString kExponential = QStringLiteral("$.rollout.jobExecutionsRolloutConfig.exponentialRate");

// The value at "$.rollout.schedulingConfig" (relative to the scenario object).
QJsonValue at(const QJsonObject& json, const QString& path)
{
    return valueAtKey(json, path.mid(2));
}

} // namespace

RolloutForm::RolloutForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("rolloutForm"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_absent = new QLabel(tr("No rollout policy: every fleet runs its campaign as its family does. Add one to release devices "
                             "by an AWS IoT Jobs rate, hawkBit groups or Mender phases, with abort criteria and timeouts."), this);
    m_absent->setWordWrap(true);
    m_add = new QPushButton(tr("Add rollout policy"), this);
    m_add->setObjectName(QStringLiteral("addRollout"));
    m_add->setToolTip(tr("Adds a \"rollout\" section (AWS IoT Jobs, 100 things per minute) to the JSON text"));
    connect(m_add, &QPushButton::clicked, this, [this] { Q_EMIT edited({JsonEdit{kRollout, scenariofields::newRollout()}}); });
    auto* addRow = new QHBoxLayout;
    addRow->addWidget(m_add);
    addRow->addStretch(1);
    layout->addWidget(m_absent);
    layout->addLayout(addRow);

    m_body = new QWidget(this);
    auto* body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_body);
    body->addWidget(addGroup(kRollout, scenariofields::rolloutJob()));
    auto* targets = new QLabel(tr("Targets (\"targets\": fleet names, empty = every fleet) are edited in the JSON text."), m_body);
    targets->setWordWrap(true);
    body->addWidget(targets);

    // Rate (AWS IoT Jobs): maximum and exponential.
    auto* rate = new QWidget;
    auto* rateLayout = new QVBoxLayout(rate);
    rateLayout->setContentsMargins(0, 0, 0, 0);
    rateLayout->addWidget(addGroup(kRate, scenariofields::rolloutRate()));
    m_exponentialOn = new QCheckBox(tr("Exponential rate (waves)"), rate);
    m_exponentialOn->setToolTip(tr("\"exponentialRate\": start at the base rate and multiply it after each N notified or succeeded things"));
    connect(m_exponentialOn, &QCheckBox::toggled, this, [this](bool on) {
        if (m_populating)
            return;
        m_exponential->setVisible(on);
        Q_EMIT edited({JsonEdit{kExponential, on ? std::optional<QJsonValue>(scenariofields::newExponentialRate()) : std::nullopt}});
    });
    rateLayout->addWidget(m_exponentialOn);
    m_exponential = addGroup(kExponential, scenariofields::rolloutExponential());
    rateLayout->addWidget(m_exponential);
    m_rateSection = new CollapsibleSection(tr("Rate"), rate, m_body);
    m_rateSection->setExpanded(true);
    body->addWidget(m_rateSection);

    addList(body, m_abortSection, tr("Abort criteria"), QStringLiteral("$.rollout.abortConfig.criteriaList"),
            scenariofields::rolloutAbortCriterion(), tr("Criterion %1"), tr("Add abort criterion"),
            tr("No abort criterion: the job never cancels itself, however many things fail."),
            [] { return scenariofields::newAbortCriterion(); });
    addList(body, m_retrySection, tr("Retries"), QStringLiteral("$.rollout.jobExecutionsRetryConfig.criteriaList"),
            scenariofields::rolloutRetryCriterion(), tr("Retry criterion %1"), tr("Add retry criterion"),
            tr("No retries: a failed or timed-out execution stays so."), [] { return scenariofields::newRetryCriterion(); });
    addList(body, m_groupsSection, tr("hawkBit groups"), QStringLiteral("$.rollout.groups"), scenariofields::rolloutHawkbitGroup(),
            tr("Group %1"), tr("Add group"), tr("No groups: hawkBit rolls out to every target as one group."), {});
    addList(body, m_phasesSection, tr("Mender phases"), QStringLiteral("$.rollout.phases"), scenariofields::rolloutMenderPhase(),
            tr("Phase %1"), tr("Add phase"), tr("No phases: Mender deploys to every target at once."), {});

    // Scheduling: start, end, maintenance windows.
    auto* scheduling = new QWidget;
    auto* schedulingLayout = new QVBoxLayout(scheduling);
    schedulingLayout->setContentsMargins(0, 0, 0, 0);
    schedulingLayout->addWidget(addGroup(QStringLiteral("$.rollout.schedulingConfig"), scenariofields::rolloutScheduling()));
    addList(schedulingLayout, m_windowsSection, tr("Maintenance windows"), QStringLiteral("$.rollout.schedulingConfig.maintenanceWindows"),
            scenariofields::rolloutMaintenanceWindow(), tr("Window %1"), tr("Add window"),
            tr("No maintenance window: things are notified at any time."), [] { return scenariofields::newMaintenanceWindow(); });
    auto* schedulingSection = new CollapsibleSection(tr("Scheduling"), scheduling, m_body);
    body->addWidget(schedulingSection);

    m_remove = new QPushButton(tr("Remove rollout policy"), m_body);
    m_remove->setObjectName(QStringLiteral("removeRollout"));
    m_remove->setToolTip(tr("Deletes the \"rollout\" section from the JSON text"));
    connect(m_remove, &QPushButton::clicked, this, [this] { Q_EMIT edited({JsonEdit{kRollout, std::nullopt}}); });
    auto* removeRow = new QHBoxLayout;
    removeRow->addWidget(m_remove);
    removeRow->addStretch(1);
    body->addLayout(removeRow);
    m_body->hide();
}

ScenarioFieldGroup* RolloutForm::addGroup(const QString& objectPath, const QList<ScenarioFieldSpec>& specs)
{
    auto* group = new ScenarioFieldGroup(objectPath, specs);
    connect(group, &ScenarioFieldGroup::edited, this, &RolloutForm::groupEdited);
    m_groups << group;
    return group;
}

ScenarioListEditor* RolloutForm::addList(QVBoxLayout* layout, CollapsibleSection*& section, const QString& title,
                                         const QString& arrayPath, const QList<ScenarioFieldSpec>& specs, const QString& itemTitle,
                                         const QString& add, const QString& empty, std::function<QJsonObject()> newItem)
{
    // hawkBit groups and Mender phases are named / timed by their position: the new item asks the list.
    auto self = std::make_shared<ScenarioListEditor*>(nullptr);
    if (!newItem) {
        const bool phases = arrayPath.endsWith(QLatin1String("phases"));
        newItem = [self, phases] {
            const int index = *self ? (*self)->count() : 0;
            return phases ? scenariofields::newMenderPhase(index) : scenariofields::newHawkbitGroup(index);
        };
    }
    auto* list = new ScenarioListEditor(arrayPath, specs, {itemTitle, add, empty}, std::move(newItem));
    *self = list;
    section = new CollapsibleSection(tr("%1 (0)").arg(title), list, m_body);
    layout->addWidget(section);
    connect(list, &ScenarioListEditor::edited, this, &RolloutForm::groupEdited);
    connect(list, &ScenarioListEditor::countChanged, section, [section, title](int n) {
        section->setTitle(QStringLiteral("%1 (%2)").arg(title).arg(n));
        if (n > 0)
            section->setExpanded(true);
    });
    m_lists << list;
    return list;
}

void RolloutForm::groupEdited(QList<JsonEdit> edits)
{
    // Another policy: drop the keys the reader refuses with it.
    const QList<JsonEdit> given = edits;
    for (const JsonEdit& e : given) {
        if (e.path != kRollout + QStringLiteral(".policy") || !e.value)
            continue;
        const QString policy = e.value->toString();
        for (const QString& key : scenariofields::rolloutPolicySpecificKeys())
            if (!scenariofields::rolloutKeyAllowed(key, policy))
                edits << JsonEdit{kRollout + QLatin1Char('.') + key, std::nullopt};
        // hawkBit needs a group and Mender a phase: the first one, which the user then edits.
        const ScenarioListEditor* groups = listEditor(QStringLiteral("$.rollout.groups"));
        const ScenarioListEditor* phases = listEditor(QStringLiteral("$.rollout.phases"));
        if (policy == QLatin1String("hawkbit") && groups->count() == 0)
            edits << JsonEdit{kRollout + QStringLiteral(".groups"), QJsonArray{scenariofields::newHawkbitGroup(0)}};
        if (policy == QLatin1String("mender") && phases->count() == 0) {
            QJsonObject all = scenariofields::newMenderPhase(0);
            all.insert(QStringLiteral("batchPercentage"), 100);
            edits << JsonEdit{kRollout + QStringLiteral(".phases"), QJsonArray{all}};
        }
    }
    if (!m_populating)
        Q_EMIT edited(edits);
}

void RolloutForm::showPolicy(const QString& policy)
{
    m_policy = policy;
    using scenariofields::rolloutKeyAllowed;
    m_rateSection->setVisible(rolloutKeyAllowed(QStringLiteral("jobExecutionsRolloutConfig"), policy));
    m_abortSection->setVisible(rolloutKeyAllowed(QStringLiteral("abortConfig"), policy));
    m_retrySection->setVisible(rolloutKeyAllowed(QStringLiteral("jobExecutionsRetryConfig"), policy));
    m_groupsSection->setVisible(rolloutKeyAllowed(QStringLiteral("groups"), policy));
    m_phasesSection->setVisible(rolloutKeyAllowed(QStringLiteral("phases"), policy));
}

void RolloutForm::setScenario(const QJsonObject& json)
{
    m_populating = true;
    const QJsonValue rollout = json.value(QLatin1String("rollout"));
    m_hasRollout = rollout.isObject();
    m_absent->setVisible(!m_hasRollout);
    m_add->setVisible(!m_hasRollout);
    m_body->setVisible(m_hasRollout);
    if (m_hasRollout) {
        for (ScenarioFieldGroup* group : std::as_const(m_groups))
            group->setValues(at(json, group->objectPath()).toObject());
        for (ScenarioListEditor* list : std::as_const(m_lists))
            list->setItems(at(json, list->arrayPath()).toArray());
        const bool exponential = at(json, kExponential).isObject();
        m_exponentialOn->setChecked(exponential);
        m_exponential->setVisible(exponential);
        showPolicy(rollout.toObject().value(QLatin1String("policy")).toString(QStringLiteral("aws-jobs")));
    }
    m_populating = false;
}

QHash<QString, QWidget*> RolloutForm::fields() const
{
    QHash<QString, QWidget*> out;
    out.insert(kRollout, const_cast<RolloutForm*>(this));
    if (!m_hasRollout)
        return out;
    for (const ScenarioFieldGroup* group : m_groups)
        out.insert(group->fields());
    for (const ScenarioListEditor* list : m_lists)
        out.insert(list->fields());
    out.insert(kRate, m_rateSection);
    out.insert(kExponential, m_exponentialOn);
    out.insert(QStringLiteral("$.rollout.jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria"),
               m_exponential->fields().value(kExponential + QStringLiteral(".rateIncreaseCriteria.numberOfSucceededThings")));
    out.insert(QStringLiteral("$.rollout.abortConfig"), m_lists[0]);
    out.insert(QStringLiteral("$.rollout.jobExecutionsRetryConfig"), m_lists[1]);
    return out;
}

ScenarioListEditor* RolloutForm::listEditor(const QString& arrayPath) const
{
    for (ScenarioListEditor* list : m_lists)
        if (list->arrayPath() == arrayPath)
            return list;
    return nullptr;
}

} // namespace otalab::app
