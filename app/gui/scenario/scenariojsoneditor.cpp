// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariojsoneditor.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

namespace otalab::app {

namespace {

const QColor kErrorLineBackground(0xfd, 0xec, 0xea);
const QColor kErrorMark(0xc6, 0x28, 0x28);

class LineNumberArea final : public QWidget {
public:
    explicit LineNumberArea(ScenarioJsonEditor* editor) : QWidget(editor), m_editor(editor) {}
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* event) override { m_editor->paintLineNumbers(event); }

private:
    ScenarioJsonEditor* m_editor;
};

} // namespace

ScenarioJsonEditor::ScenarioJsonEditor(QWidget* parent) : QPlainTextEdit(parent)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(font);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
    m_lineNumbers = new LineNumberArea(this);
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy)
            m_lineNumbers->scroll(0, dy);
        else
            m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
    });
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

int ScenarioJsonEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int max = std::max(1, blockCount()); max >= 10; max /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(3, digits);
}

void ScenarioJsonEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_lineNumbers->setGeometry(QRect(r.left(), r.top(), lineNumberAreaWidth(), r.height()));
}

void ScenarioJsonEditor::paintLineNumbers(QPaintEvent* event)
{
    QPainter painter(m_lineNumbers);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int width = m_lineNumbers->width();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            const bool error = line == m_errorLine;
            if (error)
                painter.fillRect(0, top, width, bottom - top, kErrorMark);
            painter.setPen(error ? Qt::white : palette().color(QPalette::PlaceholderText));
            painter.drawText(0, top, width - 5, fontMetrics().height(), Qt::AlignRight, QString::number(line));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

void ScenarioJsonEditor::replaceTextKeepingView(const QString& text)
{
    const QString current = toPlainText();
    if (current == text)
        return;
    qsizetype prefix = 0;
    const qsizetype common = std::min(current.size(), text.size());
    while (prefix < common && current[prefix] == text[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < common - prefix && current[current.size() - 1 - suffix] == text[text.size() - 1 - suffix])
        ++suffix;
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    cursor.setPosition(int(prefix));
    cursor.setPosition(int(current.size() - suffix), QTextCursor::KeepAnchor);
    cursor.insertText(text.mid(prefix, text.size() - suffix - prefix));
    cursor.endEditBlock();
}

void ScenarioJsonEditor::setErrorLocation(const std::optional<ScenarioErrorLocation>& location)
{
    m_error = location;
    m_errorLine = location ? location->line : 0;
    updateSelections();
    m_lineNumbers->update();
}

void ScenarioJsonEditor::updateSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (m_error) {
        const int size = document()->characterCount() - 1;
        const int position = std::clamp(m_error->position, 0, std::max(0, size));
        QTextEdit::ExtraSelection line;
        line.format.setBackground(kErrorLineBackground);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = QTextCursor(document());
        line.cursor.setPosition(position);
        line.cursor.clearSelection();
        selections << line;
        QTextEdit::ExtraSelection token;
        token.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        token.format.setUnderlineColor(kErrorMark);
        token.format.setForeground(kErrorMark);
        token.cursor = QTextCursor(document());
        token.cursor.setPosition(position);
        token.cursor.setPosition(std::min(size, position + m_error->length), QTextCursor::KeepAnchor);
        selections << token;
    }
    setExtraSelections(selections);
}

void ScenarioJsonEditor::goToError()
{
    if (!m_error)
        return;
    QTextCursor cursor = textCursor();
    cursor.setPosition(std::clamp(m_error->position, 0, std::max(0, document()->characterCount() - 1)));
    setTextCursor(cursor);
    centerCursor();
    setFocus(Qt::OtherFocusReason);
}

} // namespace otalab::app
