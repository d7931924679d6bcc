// SPDX-License-Identifier: Apache-2.0
#include "compare/comparecolumns.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QTableWidget>

#include <algorithm>
#include <vector>

namespace otalab::app {

void fitValueColumns(QTableWidget& table, int figureWidth)
{
    constexpr int kCellMargins = 14;
    constexpr int kMinimum = 90;
    QHeaderView* header = table.horizontalHeader();
    std::vector<int> widths;
    for (int c = 1; c < table.columnCount(); ++c) {
        int contents = header->sectionSizeHint(c);
        for (int r = 0; r < table.rowCount(); ++r)
            if (const QTableWidgetItem* item = table.item(r, c); item && table.columnSpan(r, 0) == 1)
                contents = std::max(contents, QFontMetrics(item->font()).horizontalAdvance(item->text()) + kCellMargins);
        widths.push_back(contents);
    }
    if (widths.empty())
        return;
    int available = std::max(kMinimum * int(widths.size()), table.viewport()->width() - figureWidth);
    widths.back() = std::min(widths.back(), available / 2);
    available -= widths.back();
    std::vector<int> sorted(widths.begin(), widths.end() - 1);
    std::sort(sorted.begin(), sorted.end());
    int cap = sorted.empty() ? 0 : sorted.back(), used = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const int left = int(sorted.size() - i);
        if (used + sorted[i] * left > available) {
            cap = std::max(kMinimum, (available - used) / left);
            break;
        }
        used += sorted[i];
    }
    for (int c = 1; c < table.columnCount(); ++c) {
        header->setSectionResizeMode(c, QHeaderView::Fixed);
        const int w = widths[std::size_t(c - 1)];
        header->resizeSection(c, c + 1 == table.columnCount() ? w : std::min(cap, w));
    }
}

} // namespace otalab::app
