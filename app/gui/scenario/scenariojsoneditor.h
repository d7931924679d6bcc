// SPDX-License-Identifier: Apache-2.0
// ScenarioJsonEditor: the raw JSON view — monospace, line numbers, the error's line marked.
#pragma once

#include "scenario/scenariodocument.h"

#include <QPlainTextEdit>

#include <optional>

namespace otalab::app {

// A QPlainTextEdit with a line-number gutter. setErrorLocation() paints the error's
// line light red (and a red mark on the gutter), the offending token underlined.
// replaceTextKeepingView() applies an outside change (a form edit) as one undoable
// edit of only the differing middle, so the caret, scroll position and undo history
// survive. GUI thread only.
class ScenarioJsonEditor final : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ScenarioJsonEditor(QWidget* parent = nullptr);

    void replaceTextKeepingView(const QString& text);
    void setErrorLocation(const std::optional<ScenarioErrorLocation>& location);
    // The marked line (1-based), 0 when none.
    int errorLine() const { return m_errorLine; }
    // Moves the caret to the error and shows it.
    void goToError();

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent* event);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateSelections();

    QWidget* m_lineNumbers = nullptr;
    std::optional<ScenarioErrorLocation> m_error;
    int m_errorLine = 0;
};

} // namespace otalab::app
