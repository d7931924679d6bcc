// SPDX-License-Identifier: Apache-2.0
// TimelineView: the custom-painted, virtualised state-band chart (one row per node).
#pragma once

#include "lab/labtypes.h"

#include <QAbstractScrollArea>

#include <optional>

namespace otalab::app {

class TimelineController;

// Paints only the rows in view (O(visible rows × width × log transitions) per repaint),
// so 10,000 rows scroll smoothly. Left: a label gutter; top: the virtual-time axis.
// Ctrl+wheel zooms around the cursor, Shift+wheel scrolls in time, a click on a band
// activates (node, time) through the controller. GUI thread only.
class TimelineView final : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr int kRowHeight = 14;   // px per row
    static constexpr int kAxisHeight = 22;  // px of the time axis at the top

    struct Hit {
        int row = -1;
        sim::NodeId node = sim::kNoNode;
        std::optional<double> timeS;           // unset in the label gutter
        LabNodeState state = LabNodeState::Idle;
        double bandStartS = 0, bandEndS = 0;   // the band under the point (if timeS)
    };

    explicit TimelineView(TimelineController& controller, QWidget* parent = nullptr);

    // What is at `pos` (viewport coordinates); nullopt on the axis or below the last row.
    std::optional<Hit> hitTest(QPoint pos) const;

    // Shows the whole run; the view then stays fitted as time grows, until the user zooms.
    void fitAll();
    // Zooms in (factor > 1) or out around viewport x `anchorX` (default: the centre).
    void zoomBy(double factor, std::optional<int> anchorX = {});
    bool isFitted() const { return m_fit; }
    double secondsPerPixel() const { return m_spp; }
    double viewStartS() const;

    // Scrolls vertically so `row` is visible (no-op when it already is).
    void scrollToRow(int row);
    // Scrolls horizontally so `timeS` is visible (no-op when it already is).
    void ensureTimeVisible(double timeS);

    // Geometry in viewport coordinates.
    QRect bandArea() const;
    int labelWidth() const { return m_labelWidth; }
    double xOfTime(double timeS) const;
    double timeAtX(double x) const;
    int yOfRow(int row) const;  // top of the row's band line

    QSize sizeHint() const override { return {800, 400}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;

private:
    void onDataChanged();
    void updateScrollBars();
    double extentS() const;
    double fitSpp() const;
    void paintAxis(QPainter& p, double t0, double t1) const;
    void paintRow(QPainter& p, int row, int y, double t0, double t1) const;
    void paintBands(QPainter& p, int row, int y, double t0, double tEnd) const;

    TimelineController& m_controller;
    double m_spp = 1.0;     // virtual seconds per pixel
    bool m_fit = true;
    int m_labelWidth = 120;
};

} // namespace otalab::app
