// SPDX-License-Identifier: Apache-2.0
// ScenarioListEditor: the elements of one JSON array of objects, each a small form, with Add and Remove.
#pragma once

#include "scenario/jsontextpatch.h"
#include "scenario/scenariofieldspec.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace otalab::app {

class ScenarioFieldGroup;

// Edits the array at `arrayPath` ("$.channel.routerOverrides"): element i is a
// ScenarioFieldGroup at arrayPath[i]. Add appends newItem() as element [count], Remove
// deletes element [i] (both as JsonEdits, so the rest of the text is kept). setItems()
// rebuilds the element forms only when the count changed. With firstIndex > 0 the first
// elements are edited elsewhere (images[0] has its own group): the editor shows and
// counts the elements from [firstIndex] on. GUI thread only.
class ScenarioListEditor final : public QWidget {
    Q_OBJECT
public:
    struct Texts {
        QString itemTitle;  // "Override %1" (1-based)
        QString add;        // "Add override"
        QString empty;      // shown when the list is empty
    };
    ScenarioListEditor(QString arrayPath, QList<ScenarioFieldSpec> specs, Texts texts, std::function<QJsonObject()> newItem,
                       int firstIndex = 0, QWidget* parent = nullptr);

    void setItems(const QJsonArray& items);
    int count() const { return int(m_groups.size()); }
    const QString& arrayPath() const { return m_arrayPath; }
    ScenarioFieldGroup* item(int index) const { return m_groups.value(index); }
    QPushButton* addButton() const { return m_add; }
    int firstIndex() const { return m_firstIndex; }
    // JSON path → input for every element (and arrayPath[i] → the element's frame).
    QHash<QString, QWidget*> fields() const;

Q_SIGNALS:
    void edited(const QList<otalab::app::JsonEdit>& edits);
    void countChanged(int count);

private:
    void addItem();
    void rebuild(int count);

    QString m_arrayPath;
    QList<ScenarioFieldSpec> m_specs;
    Texts m_texts;
    std::function<QJsonObject()> m_newItem;
    int m_firstIndex = 0;
    QVBoxLayout* m_items;
    QLabel* m_empty;
    QPushButton* m_add;
    QList<QWidget*> m_frames;
    QList<ScenarioFieldGroup*> m_groups;
};

} // namespace otalab::app
