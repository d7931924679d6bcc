// SPDX-License-Identifier: Apache-2.0
// BlockBar: a horizontal bar of the image's blocks, the received ones filled.
#pragma once

#include "lab/labtypes.h"

#include <QWidget>

namespace otalab::app {

// The Zigbee OTA client downloads blocks in order, so "received" is a contiguous
// prefix. When blocks are at least 3 px wide each one is drawn as a cell; otherwise
// the bar is a proportional fill with a tick every 10 % (painting cost is O(width),
// never O(blocks)). GUI thread only.
class BlockBar final : public QWidget {
    Q_OBJECT
public:
    explicit BlockBar(QWidget* parent = nullptr);

    void setBlocks(int received, int total, LabNodeState state);
    int received() const { return m_received; }
    int total() const { return m_total; }

    QSize sizeHint() const override { return {360, 22}; }
    QSize minimumSizeHint() const override { return {80, 18}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_received = 0, m_total = 0;
    LabNodeState m_state = LabNodeState::Idle;
};

} // namespace otalab::app
