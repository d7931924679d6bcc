// SPDX-License-Identifier: Apache-2.0
// TopologyLegend: colour swatch, name and node count per LabNodeState, plus the shape and coverage key.
#pragma once

#include <QWidget>

namespace otalab::app {

class TopologyController;

// Reads the counts from the controller whenever it repaints (after statesChanged).
// Entries wrap onto more lines when the panel is narrow. GUI thread only.
class TopologyLegend final : public QWidget {
    Q_OBJECT
public:
    explicit TopologyLegend(const TopologyController& controller, QWidget* parent = nullptr);

    // "Downloading 1,234" etc., in display order (for tests and accessibility).
    QStringList entries() const;
    // The shape key: the roles drawn with each shape present ("gateway", "end device"),
    // then "coverage (SF7…SF12)" when nodes have coverage rings.
    QStringList shapeEntries() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Lays the entries out in `width`; calls draw(i, rect) per entry when painting.
    int layoutEntries(int width, QPainter* painter) const;

    const TopologyController& m_controller;
};

} // namespace otalab::app
