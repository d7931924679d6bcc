// SPDX-License-Identifier: Apache-2.0
#include "inspector/piecebar.h"

#include "inspector/piececounts.h"
#include "lab/labtypes.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {
constexpr int kBarHeight = 18, kSwatch = 10, kGap = 12, kLegendTop = 3;
// Legend and stacking order: received, recovered, lost, not sent yet.
constexpr std::uint8_t kOrder[] = {sim::PieceMap::Received, sim::PieceMap::Recovered, sim::PieceMap::Lost,
                                   sim::PieceMap::Missing};
}

PieceBar::PieceBar(QWidget* parent) : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

QColor PieceBar::colorOf(std::uint8_t state)
{
    switch (state) {
    case sim::PieceMap::Received: return labNodeStateColor(LabNodeState::Downloading);  // blue
    case sim::PieceMap::Lost: return labNodeStateColor(LabNodeState::Failed);           // red
    case sim::PieceMap::Recovered: return labNodeStateColor(LabNodeState::WaitingToApply);  // amber
    default: return QColor(225, 228, 234);                                               // empty cell grey
    }
}

void PieceBar::setPieces(const sim::PieceMap& pieces)
{
    if (pieces.total == m_pieces.total && pieces.state == m_pieces.state && pieces.unit == m_pieces.unit)
        return;
    m_pieces = pieces;
    const int total = std::max(m_pieces.total, 0);
    m_pieces.state.resize(std::size_t(total), sim::PieceMap::Missing);
    for (std::vector<int>& prefix : m_prefix)
        prefix.assign(std::size_t(total) + 1, 0);
    for (int i = 0; i < total; ++i) {
        std::uint8_t s = m_pieces.state[std::size_t(i)];
        if (s > sim::PieceMap::Recovered)
            s = m_pieces.state[std::size_t(i)] = sim::PieceMap::Missing;
        for (std::size_t k = 0; k < m_prefix.size(); ++k)
            m_prefix[k][std::size_t(i) + 1] = m_prefix[k][std::size_t(i)] + (k == s ? 1 : 0);
    }
    setToolTip(summary());
    updateGeometry();
    update();
}

int PieceBar::countIn(int s, int from, int to) const
{
    const std::vector<int>& p = m_prefix[std::size_t(s)];
    return p[std::size_t(to)] - p[std::size_t(from)];
}

QString PieceBar::summary() const { return describePieces(m_pieces); }

QStringList PieceBar::legendEntries() const
{
    const PieceCounts c = countPieces(m_pieces);
    const QLocale locale;
    return {tr("%1 received").arg(locale.toString(c.received)),
            tr("%1 recovered by FEC").arg(locale.toString(c.recovered)),
            tr("%1 lost (not recovered)").arg(locale.toString(c.lost)),
            tr("%1 not sent yet").arg(locale.toString(c.missing))};
}

QRectF PieceBar::barRect() const { return QRectF(0.5, 0.5, width() - 1.0, kBarHeight - 1.0); }

QSize PieceBar::sizeHint() const { return {360, heightForWidth(360)}; }
QSize PieceBar::minimumSizeHint() const { return {80, heightForWidth(80)}; }
int PieceBar::heightForWidth(int width) const { return layoutLegend(width, nullptr); }

int PieceBar::layoutLegend(int width, QPainter* painter) const
{
    const QFontMetrics fm(font());
    const int lineH = std::max(fm.height(), kSwatch) + 1;
    const QStringList texts = legendEntries();
    int x = 0, y = kBarHeight + kLegendTop;
    for (int i = 0; i < texts.size(); ++i) {
        const int w = kSwatch + 4 + fm.horizontalAdvance(texts[i]);
        if (x > 0 && x + w > width) {
            x = 0;
            y += lineH;
        }
        if (painter) {
            const QRectF swatch(x + 0.5, y + (lineH - kSwatch) / 2.0 + 0.5, kSwatch - 1, kSwatch - 1);
            painter->setPen(QColor(120, 120, 130));
            painter->setBrush(colorOf(kOrder[i]));
            painter->drawRect(swatch);
            painter->setPen(palette().color(QPalette::WindowText));
            painter->drawText(QRect(x + kSwatch + 4, y, w - kSwatch - 4, lineH), Qt::AlignVCenter | Qt::AlignLeft, texts[i]);
        }
        x += w + kGap;
    }
    return y + lineH;
}

void PieceBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRectF bar = barRect();
    p.setPen(QColor(150, 150, 160));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRect(bar);
    const int total = std::max(m_pieces.total, 0);
    if (total > 0) {
        const QRectF inner = bar.adjusted(1.5, 1.5, -1, -1);
        const double cell = inner.width() / total;
        p.setPen(Qt::NoPen);
        if (cell >= 3) {
            for (int i = 0; i < total; ++i)
                p.fillRect(QRectF(inner.left() + i * cell, inner.top(), cell - 1, inner.height()),
                           colorOf(m_pieces.state[std::size_t(i)]));
        } else {
            // One pixel column at a time: the states' shares among the pieces it covers, stacked.
            const int columns = std::max(1, int(std::floor(inner.width())));
            for (int x = 0; x < columns; ++x) {
                int from = int(std::int64_t(x) * total / columns);
                int to = int(std::int64_t(x + 1) * total / columns);
                to = std::max(to, from + 1);
                from = std::min(from, total - 1);
                to = std::min(to, total);
                const double n = to - from;
                double top = inner.top();
                for (const std::uint8_t s : kOrder) {
                    const int k = countIn(s, from, to);
                    if (k == 0)
                        continue;
                    const double h = inner.height() * k / n;
                    p.fillRect(QRectF(inner.left() + x, top, 1, h), colorOf(s));
                    top += h;
                }
            }
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    layoutLegend(width(), &p);
}

} // namespace otalab::app
