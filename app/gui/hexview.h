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

    // Highlights [offset, offset + size) (clamped to the data) and scrolls so its
    // first row is visible. size <= 0 or offset < 0 clears the highlight.
    void setHighlight(qint64 offset, qint64 size);
    void clearHighlight() { setHighlight(-1, 0); }
    qint64 highlightOffset() const { return m_highlightOffset; }
    qint64 highlightSize() const { return m_highlightSize; }

    // Scrolls so the row holding `offset` is visible (centred when it was not).
    void scrollToOffset(qint64 offset);
    qint64 firstVisibleRow() const;
    int visibleRowCount() const;
    qint64 rowCount() const { return (m_data.size() + BytesPerRow - 1) / BytesPerRow; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateScrollBars();
    int rowHeight() const;
    int charWidth() const;
    int contentWidth() const;

    QByteArray m_data;
    qint64 m_highlightOffset = -1;
    qint64 m_highlightSize = 0;
};

} // namespace otalab::app
