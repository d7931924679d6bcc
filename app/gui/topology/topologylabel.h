// SPDX-License-Identifier: Apache-2.0
// TopologyLabel: a text placed on the map in device pixels before painting, drawn over the markers.
#pragma once

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace otalab::app {

struct TopologyLabel {
    QRectF box;    // device pixels
    QString text;
};

// `base` at `pointSize`, bold or not.
QFont topologyLabelFont(const QFont& base, double pointSize, bool bold);

// Each label centred in its box on a translucent rounded plate, so it reads over markers
// and rings. Device coordinates (the painter's transform is set aside and restored).
void drawTopologyLabels(QPainter* painter, const std::vector<TopologyLabel>& labels, const QFont& font, QColor text,
                        QColor plate);

} // namespace otalab::app
