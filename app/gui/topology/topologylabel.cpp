// SPDX-License-Identifier: Apache-2.0
#include "topology/topologylabel.h"

#include <QPainter>

namespace otalab::app {

QFont topologyLabelFont(const QFont& base, double pointSize, bool bold)
{
    QFont font = base;
    font.setPointSizeF(pointSize);
    font.setBold(bold);
    return font;
}

void drawTopologyLabels(QPainter* painter, const std::vector<TopologyLabel>& labels, const QFont& font, QColor text,
                        QColor plate)
{
    if (labels.empty())
        return;
    painter->save();
    painter->resetTransform();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setFont(font);
    for (const TopologyLabel& label : labels) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(plate);
        painter->drawRoundedRect(label.box, 3, 3);
        painter->setPen(text);
        painter->drawText(label.box, Qt::AlignCenter, label.text);
    }
    painter->restore();
}

} // namespace otalab::app
