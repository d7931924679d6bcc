// SPDX-License-Identifier: Apache-2.0
// A read-only, virtualised hex dump widget with one highlighted byte range.
#include "hexview.h"

#include "guistyle.h"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <cmath>

namespace otalab::app {
namespace {

// Layout in character cells: margin, 8-digit offset, gap, 16 x "xx " plus one extra
// space after the 8th byte, gap, 16 ASCII characters, margin.
constexpr int Margin = 1;
constexpr int OffsetChars = 8;
constexpr int HexStart = Margin + OffsetChars + 2;
constexpr int HexChars = HexView::BytesPerRow * 3 + 1;
constexpr int AsciiStart = HexStart + HexChars + 1;
constexpr int TotalChars = AsciiStart + HexView::BytesPerRow + Margin;

int hexColumn(int byteInRow)
{
    return HexStart + byteInRow * 3 + (byteInRow >= HexView::BytesPerRow / 2 ? 1 : 0);
}

QChar hexDigit(int v)
{
    return QLatin1Char("0123456789abcdef"[v & 0xf]);
}

} // namespace

HexView::HexView(QWidget* parent) : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setBackgroundRole(QPalette::Base);
    verticalScrollBar()->setSingleStep(1);
    updateScrollBars();
}

void HexView::setData(const QByteArray& data)
{
    m_data = data;
    m_highlightOffset = -1;
    m_highlightSize = 0;
    m_pendingScroll = -1;
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void HexView::setHighlight(qint64 offset, qint64 size, Highlight kind)
{
    m_highlightKind = kind;
    if (offset < 0 || size <= 0 || offset >= m_data.size()) {
        m_highlightOffset = -1;
        m_highlightSize = 0;
    } else {
        m_highlightOffset = offset;
        m_highlightSize = std::min<qint64>(size, m_data.size() - offset);
        scrollToOffset(offset);
    }
    viewport()->update();
}

void HexView::scrollToOffset(qint64 offset)
{
    if (offset < 0 || offset >= m_data.size())
        return;
    if (!isVisible()) {
        // The viewport has no real height yet: scroll once it is laid out.
        m_pendingScroll = offset;
        return;
    }
    m_pendingScroll = -1;
    const qint64 row = offset / BytesPerRow;
    const qint64 first = firstVisibleRow();
    const int visible = visibleRowCount();
    if (row >= first && row < first + visible)
        return;
    // Land the row a third of the way down so the bytes before it give context.
    verticalScrollBar()->setValue(int(std::max<qint64>(0, row - visible / 3)));
}

qint64 HexView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

int HexView::visibleRowCount() const
{
    // The first line of the viewport is the column header.
    return std::max(1, viewport()->height() / rowHeight() - 1);
}

int HexView::rowHeight() const
{
    return fontMetrics().height() + 2;
}

qreal HexView::charWidth() const
{
    // Fractional: a monospace advance is often 7.2 px, and rounding it would let
    // drawn text drift away from the computed columns along a row.
    return std::max<qreal>(1, QFontMetricsF(font()).horizontalAdvance(QLatin1Char('0')));
}

int HexView::contentWidth() const
{
    return int(std::ceil(TotalChars * charWidth()));
}

QSize HexView::sizeHint() const
{
    const int frame = 2 * frameWidth();
    return {contentWidth() + verticalScrollBar()->sizeHint().width() + frame, 24 * rowHeight() + frame};
}

QSize HexView::minimumSizeHint() const
{
    return {int(20 * charWidth()), 4 * rowHeight()};
}

void HexView::updateScrollBars()
{
    const int visible = visibleRowCount();
    const qint64 rows = rowCount();
    verticalScrollBar()->setRange(0, int(std::max<qint64>(0, rows - visible)));
    verticalScrollBar()->setPageStep(visible);
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth() - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setSingleStep(int(charWidth()));
}

void HexView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_pendingScroll >= 0 && isVisible())
        scrollToOffset(m_pendingScroll);
}

void HexView::showEvent(QShowEvent* event)
{
    QAbstractScrollArea::showEvent(event);
    if (m_pendingScroll >= 0)
        scrollToOffset(m_pendingScroll);
}

void HexView::changeEvent(QEvent* event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateScrollBars();
}

qint64 HexView::offsetAt(const QPoint& viewportPos) const
{
    const int line = viewportPos.y() / rowHeight();
    if (line < 1)
        return -1;  // the column header
    const qreal column = (viewportPos.x() + horizontalScrollBar()->value()) / charWidth();
    int byte = -1;
    if (column >= AsciiStart && column < AsciiStart + BytesPerRow) {
        byte = int(column) - AsciiStart;
    } else {
        for (int i = 0; i < BytesPerRow && byte < 0; ++i)
            if (column >= hexColumn(i) && column < hexColumn(i) + 2)
                byte = i;
    }
    if (byte < 0)
        return -1;
    const qint64 offset = (firstVisibleRow() + line - 1) * BytesPerRow + byte;
    return offset < m_data.size() ? offset : -1;
}

void HexView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        if (const qint64 offset = offsetAt(event->position().toPoint()); offset >= 0)
            Q_EMIT offsetClicked(offset);
    QAbstractScrollArea::mousePressEvent(event);
}

void HexView::paintEvent(QPaintEvent* event)
{
    QPainter painter(viewport());
    painter.setFont(font());
    const QPalette pal = palette();
    const qreal cw = charWidth();
    const int rh = rowHeight();
    const int ascent = fontMetrics().ascent() + 1;
    const int x0 = -horizontalScrollBar()->value();
    const QColor dim = pal.color(QPalette::PlaceholderText);
    const QColor highlightEdge = m_highlightKind == Highlight::Problem ? errorColor() : pal.color(QPalette::Highlight);
    QColor highlight = highlightEdge;
    highlight.setAlpha(m_highlightKind == Highlight::Problem ? 60 : 80);

    // Header: column numbers, on a tinted band that does not scroll vertically.
    painter.fillRect(QRect(0, 0, viewport()->width(), rh), pal.color(QPalette::AlternateBase));
    painter.setPen(dim);
    painter.drawText(QPointF(x0 + Margin * cw, ascent), tr("Offset"));
    for (int i = 0; i < BytesPerRow; ++i)
        painter.drawText(QPointF(x0 + hexColumn(i) * cw, ascent), QString(hexDigit(i >> 4)) + hexDigit(i));
    painter.drawText(QPointF(x0 + AsciiStart * cw, ascent), tr("ASCII"));

    if (m_data.isEmpty()) {
        painter.drawText(viewport()->rect().adjusted(0, rh, 0, 0), Qt::AlignCenter, tr("No data"));
        return;
    }

    const qint64 first = firstVisibleRow();
    const qint64 last = std::min(rowCount() - 1, first + visibleRowCount());
    const qint64 hlEnd = m_highlightOffset + m_highlightSize;
    const QRect dirty = event->rect();
    QString text;
    for (qint64 row = first; row <= last; ++row) {
        const int top = int(row - first + 1) * rh;
        if (top > dirty.bottom() || top + rh < dirty.top())
            continue;
        const int y = top + ascent;
        const qint64 rowOffset = row * BytesPerRow;
        const int count = int(std::min<qint64>(BytesPerRow, m_data.size() - rowOffset));

        // Highlight band behind the selected bytes, continuous across the gaps.
        if (m_highlightSize > 0 && rowOffset < hlEnd && rowOffset + count > m_highlightOffset) {
            const int from = int(std::max<qint64>(m_highlightOffset - rowOffset, 0));
            const int to = int(std::min<qint64>(hlEnd - rowOffset, count)) - 1;
            const QRectF hexRect(x0 + (hexColumn(from) - 0.5) * cw, top, (hexColumn(to) - hexColumn(from) + 3) * cw, rh);
            const QRectF asciiRect(x0 + (AsciiStart + from) * cw, top, (to - from + 1) * cw, rh);
            painter.fillRect(hexRect, highlight);
            painter.fillRect(asciiRect, highlight);
            painter.setPen(highlightEdge);
            if (m_highlightOffset >= rowOffset)
                painter.drawLine(hexRect.topLeft(), hexRect.bottomLeft());
            if (hlEnd <= rowOffset + count)
                painter.drawLine(hexRect.topRight(), hexRect.bottomRight());
        }

        painter.setPen(dim);
        text = QStringLiteral("%1").arg(rowOffset, OffsetChars, 16, QLatin1Char('0'));
        painter.drawText(QPointF(x0 + Margin * cw, y), text);

        painter.setPen(pal.color(QPalette::Text));
        text.fill(QLatin1Char(' '), HexChars);
        QString ascii(count, QLatin1Char(' '));
        for (int i = 0; i < count; ++i) {
            const auto b = static_cast<unsigned char>(m_data.at(rowOffset + i));
            const int col = hexColumn(i) - HexStart;
            text[col] = hexDigit(b >> 4);
            text[col + 1] = hexDigit(b);
            ascii[i] = (b >= 0x20 && b < 0x7f) ? QLatin1Char(char(b)) : QLatin1Char('.');
        }
        painter.drawText(QPointF(x0 + HexStart * cw, y), text);
        painter.drawText(QPointF(x0 + AsciiStart * cw, y), ascii);
    }
}

} // namespace otalab::app
