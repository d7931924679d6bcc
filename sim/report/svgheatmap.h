// SPDX-License-Identifier: Apache-2.0
// SvgHeatMap: a standalone SVG heat map written as text, in SvgChart's look (svgstyle.h).
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim {

// A grid of columns (x, left to right) × rows (y, bottom to top, like a y axis) with one
// coloured cell per value on a sequential scale (viridis, low = dark purple, high = yellow),
// the value written in each cell in black or white whichever contrasts more, cells without
// a value in light grey with their text ("no run"), a vertical colour scale bar with ticks
// at the right, axis labels from the column and row names. toSvg() returns a complete SVG
// 1.1 document, 800 × 450 user units, without ids or external references (several can
// be inlined into one HTML page). Every cell is a <g class="cell"> with data-column,
// data-row and data-value (empty without a value) plus the caller's data-* attributes.
// Value type; not thread-safe.
class SvgHeatMap {
public:
    struct Cell {
        int column = 0;
        int row = 0;
        std::optional<double> value;  // colour; nullopt: a grey cell showing `text`
        QString text;                 // written in the cell (the value as people read it, or "no run")
        QString tooltip;              // <title> of the cell
        std::vector<std::pair<QString, QString>> data; // extra data-* attributes (names without "data-")
    };

    SvgHeatMap(QString title, QString xLabel, QString yLabel, QStringList columns, QStringList rows);

    void setSubtitle(const QString& subtitle) { m_subtitle = subtitle; }
    void setScaleLabel(const QString& label) { m_scaleLabel = label; }  // beside the colour bar, e.g. "p95 (h)"
    void setEmptyText(const QString& text) { m_emptyText = text; }      // shown when no cell has a value
    void addCell(Cell cell) { m_cells.push_back(std::move(cell)); }     // cells outside the grid are ignored

    QString toSvg() const;

    static constexpr int kWidth = 800;
    static constexpr int kHeight = 450;

    // The viridis colour of t in [0, 1] as "#rrggbb" (clamped).
    static QString colorAt(double t);
    // "#262626" or "#ffffff", whichever contrasts more with `background` ("#rrggbb"; WCAG
    // relative luminance).
    static QString textColorOn(const QString& background);

private:
    QString m_title;
    QString m_subtitle;
    QString m_xLabel;
    QString m_yLabel;
    QString m_scaleLabel;
    QString m_emptyText = QStringLiteral("no data");
    QStringList m_columns;
    QStringList m_rows;
    std::vector<Cell> m_cells;
};

} // namespace otalab::sim
