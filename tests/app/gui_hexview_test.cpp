// SPDX-License-Identifier: Apache-2.0
// HexView: highlighting, scrolling and painting large data.
#include "app/gui/hexview.h"
#include "gui_test_support.h"

#include <QImage>
#include <QFontMetricsF>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using otalab::app::HexView;

TEST(GuiHexView, HighlightsARangeAndScrollsToIt)
{
    otalab::testing::ensureApp();
    HexView view;
    view.resize(640, 300);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setData(QByteArray(2 * 1024 * 1024, 'A'));  // 131072 rows, only the visible ones are painted
    EXPECT_EQ(view.rowCount(), 131072);
    EXPECT_EQ(view.firstVisibleRow(), 0);

    const qint64 offset = 0x123450;
    view.setHighlight(offset, 40);
    EXPECT_EQ(view.highlightOffset(), offset);
    EXPECT_EQ(view.highlightSize(), 40);
    const qint64 row = offset / HexView::BytesPerRow;
    EXPECT_LE(view.firstVisibleRow(), row);
    EXPECT_LT(row, view.firstVisibleRow() + view.visibleRowCount());
    EXPECT_GT(view.firstVisibleRow(), 0);

    // Already visible: no jump.
    const qint64 first = view.firstVisibleRow();
    view.scrollToOffset(offset + 16);
    EXPECT_EQ(view.firstVisibleRow(), first);

    const QImage shot = view.grab().toImage();
    EXPECT_FALSE(shot.isNull());
}

TEST(GuiHexView, ClampsAndClearsTheHighlight)
{
    otalab::testing::ensureApp();
    HexView view;
    view.setData(QByteArray(100, '\x01'));
    view.setHighlight(90, 50);
    EXPECT_EQ(view.highlightSize(), 10);
    view.setHighlight(100, 4);  // past the end
    EXPECT_EQ(view.highlightOffset(), -1);
    view.setHighlight(10, 4, HexView::Highlight::Problem);
    EXPECT_EQ(view.highlightKind(), HexView::Highlight::Problem);
    view.clearHighlight();
    EXPECT_EQ(view.highlightSize(), 0);
    view.setData({});
    EXPECT_EQ(view.rowCount(), 0);
    EXPECT_FALSE(view.grab().isNull());
}

TEST(GuiHexView, ScrollRequestedBeforeShowHappensOnShow)
{
    otalab::testing::ensureApp();
    HexView view;
    view.resize(640, 300);
    view.setData(QByteArray(64 * 1024, 'x'));
    view.setHighlight(0x8000, 16);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const qint64 row = 0x8000 / HexView::BytesPerRow;
    EXPECT_LE(view.firstVisibleRow(), row);
    EXPECT_LT(row, view.firstVisibleRow() + view.visibleRowCount());
}

TEST(GuiHexView, MapsClicksToByteOffsets)
{
    otalab::testing::ensureApp();
    HexView view;
    view.resize(700, 300);
    view.setData(QByteArray(1000, 'q'));
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const qreal cw = QFontMetricsF(view.font()).horizontalAdvance(QLatin1Char('0'));
    const int rh = view.fontMetrics().height() + 2;
    // Layout: 1 margin + 8 offset digits + 2 gap = hex from column 11; ASCII from column 61.
    const int secondRow = rh * 2 + rh / 2;
    EXPECT_EQ(view.offsetAt(QPoint(int((11 + 3 * 3 + 0.5) * cw), secondRow)), 16 + 3);
    EXPECT_EQ(view.offsetAt(QPoint(int((11 + 9 * 3 + 1 + 0.5) * cw), secondRow)), 16 + 9);  // after the mid gap
    EXPECT_EQ(view.offsetAt(QPoint(int((61 + 5 + 0.5) * cw), secondRow)), 16 + 5);           // ASCII column
    EXPECT_EQ(view.offsetAt(QPoint(int((11 + 3 * 3 + 0.5) * cw), rh / 2)), -1);               // header
    EXPECT_EQ(view.offsetAt(QPoint(int(2 * cw), secondRow)), -1);                              // offset column

    QSignalSpy clicked(&view, &HexView::offsetClicked);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(int((61 + 5 + 0.5) * cw), secondRow));
    ASSERT_EQ(clicked.size(), 1);
    EXPECT_EQ(clicked.at(0).at(0).toLongLong(), 21);
}
