// SPDX-License-Identifier: Apache-2.0
// A read-only, virtualised hex dump widget with one highlighted byte range.
#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

namespace otalab::app {

// Classic dump: 8-digit hex offset, 16 bytes per row in hex (gap after 8), ASCII
// column (non-printables as '.'). Only the visible rows are painted, so multi-MB
// files cost nothing more than small ones. The data is shared (QByteArray is
// implicitly shared), never copied. Offsets and sizes are bytes in the data.
class HexView final : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int BytesPerRow = 16;

    explicit HexView(QWidget* parent = nullptr);

    void setData(const QByteArray& data);
    const QByteArray& data() const { return m_data; }

    // Selection: the field being looked at; Problem: bytes a finding points at (red).
    enum class Highlight { Selection, Problem };

    // Highlights [offset, offset + size) (clamped to the data) and scrolls so its
    // first row is visible. size <= 0 or offset < 0 clears the highlight.
    void setHighlight(qint64 offset, qint64 size, Highlight kind = Highlight::Selection);
    void clearHighlight() { setHighlight(-1, 0); }
    qint64 highlightOffset() const { return m_highlightOffset; }
    qint64 highlightSize() const { return m_highlightSize; }
    Highlight highlightKind() const { return m_highlightKind; }

    // Scrolls so the row holding `offset` is visible (a third from the top when it
    // was not). Before the widget is shown, the scroll happens on show.
    void scrollToOffset(qint64 offset);
    qint64 firstVisibleRow() const;
    int visibleRowCount() const;
    qint64 rowCount() const { return (m_data.size() + BytesPerRow - 1) / BytesPerRow; }

    // The byte under a viewport position, -1 for none (header, gaps, past the end).
    qint64 offsetAt(const QPoint& viewportPos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // The user clicked the byte at `offset` (hex or ASCII column).
    void offsetClicked(qint64 offset);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateScrollBars();
    int rowHeight() const;
    qreal charWidth() const;
    int contentWidth() const;

    QByteArray m_data;
    qint64 m_highlightOffset = -1;
    qint64 m_highlightSize = 0;
    Highlight m_highlightKind = Highlight::Selection;
    qint64 m_pendingScroll = -1;  // offset to scroll to once shown, -1 for none
};

} // namespace otalab::app
