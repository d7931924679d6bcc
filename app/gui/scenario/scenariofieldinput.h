// SPDX-License-Identifier: Apache-2.0
// ScenarioFieldInput: one input for one scenario key, built from a ScenarioFieldSpec.
#pragma once

#include "scenario/scenariofieldspec.h"

#include <QJsonValue>
#include <QWidget>

#include <optional>

namespace otalab::app {

// Holds the matching Qt input (input()): a spin box, check box, combo box or line edit.
// setValue() shows a JSON value without emitting (undefined/null shows the spec's
// default, or an empty input for an optional key). A user's change emits edited() with
// the new JSON value, or nullopt when an optional input was emptied (remove the key).
// Line edits emit on editingFinished, the others on each change. GUI thread only.
class ScenarioFieldInput final : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioFieldInput(ScenarioFieldSpec spec, QWidget* parent = nullptr);

    const ScenarioFieldSpec& spec() const { return m_spec; }
    QWidget* input() const { return m_input; }
    void setValue(const QJsonValue& value);
    // The value the input shows (what edited() would send); nullopt = empty optional.
    std::optional<QJsonValue> value() const;

Q_SIGNALS:
    void edited(const std::optional<QJsonValue>& value);

private:
    void emitIfUser();

    ScenarioFieldSpec m_spec;
    QWidget* m_input = nullptr;
    bool m_populating = false;
};

} // namespace otalab::app
