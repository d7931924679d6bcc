// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariolisteditor.h"

#include "scenario/scenariofieldgroup.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace otalab::app {

ScenarioListEditor::ScenarioListEditor(QString arrayPath, QList<ScenarioFieldSpec> specs, Texts texts,
                                       std::function<QJsonObject()> newItem, int firstIndex, QWidget* parent)
    : QWidget(parent), m_arrayPath(std::move(arrayPath)), m_specs(std::move(specs)), m_texts(std::move(texts)),
      m_newItem(std::move(newItem)), m_firstIndex(firstIndex), m_items(new QVBoxLayout), m_empty(new QLabel(m_texts.empty, this)),
      m_add(new QPushButton(m_texts.add, this))
{
    setObjectName(m_arrayPath);
    m_empty->setWordWrap(true);
    m_add->setObjectName(QStringLiteral("addItem"));
    m_add->setToolTip(tr("Appends an element to \"%1\" in the JSON text").arg(m_arrayPath.mid(2)));
    connect(m_add, &QPushButton::clicked, this, &ScenarioListEditor::addItem);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_items->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addLayout(m_items);
    auto* addRow = new QHBoxLayout;
    addRow->addWidget(m_add);
    addRow->addStretch(1);
    layout->addLayout(addRow);
}

void ScenarioListEditor::addItem()
{
    // Member by member in the order of the form's inputs ("router", "from", "loss"), so
    // the new element reads like the form; a QJsonObject alone would sort its keys.
    const QJsonObject item = m_newItem();
    const QString path = QStringLiteral("%1[%2]").arg(m_arrayPath).arg(m_firstIndex + count());
    QStringList order;
    for (const ScenarioFieldSpec& spec : std::as_const(m_specs))
        if (const QString top = spec.key.section(u'.', 0, 0); item.contains(top) && !order.contains(top))
            order << top;
    for (const QString& key : item.keys())
        if (!order.contains(key))
            order << key;
    QList<JsonEdit> edits;
    for (const QString& key : std::as_const(order)) {
        if (edits.isEmpty())
            edits << JsonEdit{path, QJsonObject{{key, item.value(key)}}};
        else
            edits << JsonEdit{path + QLatin1Char('.') + key, item.value(key)};
    }
    Q_EMIT edited(edits);
}

void ScenarioListEditor::rebuild(int count)
{
    for (QWidget* frame : std::as_const(m_frames))
        delete frame;
    m_frames.clear();
    m_groups.clear();
    for (int i = 0; i < count; ++i) {
        const QString path = QStringLiteral("%1[%2]").arg(m_arrayPath).arg(m_firstIndex + i);
        auto* frame = new QFrame(this);
        frame->setFrameShape(QFrame::StyledPanel);
        auto* layout = new QVBoxLayout(frame);
        layout->setContentsMargins(6, 4, 6, 6);
        auto* header = new QHBoxLayout;
        auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(m_texts.itemTitle.arg(m_firstIndex + i + 1)), frame);
        auto* remove = new QPushButton(tr("Remove"), frame);
        remove->setObjectName(QStringLiteral("removeItem"));
        remove->setToolTip(tr("Deletes %1 from the JSON text").arg(path.mid(2)));
        connect(remove, &QPushButton::clicked, this, [this, path] { Q_EMIT edited({JsonEdit{path, std::nullopt}}); });
        header->addWidget(title, 1);
        header->addWidget(remove);
        layout->addLayout(header);
        auto* group = new ScenarioFieldGroup(path, m_specs, frame);
        connect(group, &ScenarioFieldGroup::edited, this, &ScenarioListEditor::edited);
        layout->addWidget(group);
        m_items->addWidget(frame);
        m_frames << frame;
        m_groups << group;
    }
    m_empty->setVisible(count == 0);
    Q_EMIT countChanged(count);
}

void ScenarioListEditor::setItems(const QJsonArray& items)
{
    const int count = std::max(0, int(items.size()) - m_firstIndex);
    if (count != m_groups.size())
        rebuild(count);
    for (int i = 0; i < count; ++i)
        m_groups[i]->setValues(items[m_firstIndex + i].toObject());
}

QHash<QString, QWidget*> ScenarioListEditor::fields() const
{
    QHash<QString, QWidget*> out;
    out.insert(m_arrayPath, const_cast<ScenarioListEditor*>(this));
    for (qsizetype i = 0; i < m_groups.size(); ++i) {
        out.insert(m_groups[i]->objectPath(), m_frames[i]);
        out.insert(m_groups[i]->fields());
    }
    return out;
}

} // namespace otalab::app
