// SPDX-License-Identifier: Apache-2.0
// PieceBar: which pieces of the image a device holds (received, lost, recovered by FEC, not
// sent yet), as a bar in four colours with a legend of counts.
#pragma once

#include "sim/fleet/devicestatus.h"

#include <QColor>
#include <QStringList>
#include <QWidget>

#include <array>
#include <vector>

namespace otalab::app {

// Pieces are drawn left to right in image order. When a piece gets at least 3 px it is
// one cell; otherwise each pixel column shows the share of each state among the pieces
// it covers, stacked (a lost piece among five is a fifth of the column, never hidden).
// Painting is O(width): setPieces() builds per-state prefix sums once (O(pieces)), so a
// column's counts are two look-ups. Below the bar, one legend entry per state with its
// count, wrapping onto more lines when narrow. GUI thread only.
class PieceBar final : public QWidget {
    Q_OBJECT
public:
    explicit PieceBar(QWidget* parent = nullptr);

    void setPieces(const sim::PieceMap& pieces);
    const sim::PieceMap& pieces() const { return m_pieces; }

    // The colour of a sim::PieceMap::State (Missing for unknown values).
    static QColor colorOf(std::uint8_t state);
    // "1,312 received", "52 recovered by FEC", "7 lost (not recovered)", "12 not sent yet".
    QStringList legendEntries() const;
    // describePieces(): "1,312 of 1,371 fragments received, 59 lost, 52 recovered by FEC".
    QString summary() const;
    // The bar's rectangle inside the widget (pieces are drawn inside it, 1 px in).
    QRectF barRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Lays the legend out under the bar in `width`; paints it when `painter` is given.
    // Returns the widget height it needs.
    int layoutLegend(int width, QPainter* painter) const;
    // Pieces of state `s` among pieces [from, to).
    int countIn(int s, int from, int to) const;

    sim::PieceMap m_pieces;
    std::array<std::vector<int>, 4> m_prefix;  // m_prefix[s][i]: pieces of state s among [0, i)
};

} // namespace otalab::app
