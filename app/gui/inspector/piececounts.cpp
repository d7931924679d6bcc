// SPDX-License-Identifier: Apache-2.0
#include "inspector/piececounts.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace otalab::app {

PieceCounts countPieces(const sim::PieceMap& pieces)
{
    PieceCounts c;
    c.total = std::max(pieces.total, 0);
    const std::size_t n = std::min(pieces.state.size(), std::size_t(c.total));
    for (std::size_t i = 0; i < n; ++i) {
        switch (pieces.state[i]) {
        case sim::PieceMap::Received: ++c.received; break;
        case sim::PieceMap::Lost: ++c.lost; break;
        case sim::PieceMap::Recovered: ++c.recovered; break;
        default: ++c.missing; break;  // Missing, or a value no family should send
        }
    }
    c.missing += c.total - int(n);
    return c;
}

QString pieceUnitPlural(const sim::PieceMap& pieces)
{
    const QString unit = pieces.unit.trimmed();
    if (unit.isEmpty())
        return QCoreApplication::translate("PieceMap", "pieces");
    return unit.endsWith(QLatin1Char('s')) ? unit : unit + QLatin1Char('s');
}

QString describePieces(const sim::PieceMap& pieces)
{
    if (pieces.empty())
        return {};
    const PieceCounts c = countPieces(pieces);
    const QLocale locale;
    QString text = QCoreApplication::translate("PieceMap", "%1 of %2 %3 received, %4 lost, %5 recovered by FEC")
                       .arg(locale.toString(c.received), locale.toString(c.total), pieceUnitPlural(pieces),
                            locale.toString(c.sentButNotReceived()), locale.toString(c.recovered));
    if (c.missing > 0)
        text += QCoreApplication::translate("PieceMap", ", %1 not sent yet").arg(locale.toString(c.missing));
    return text;
}

} // namespace otalab::app
