// SPDX-License-Identifier: Apache-2.0
// SlotTableModel: a board's images per slot (the image group's state read) as a table.
#pragma once

#include "core/smp/smp_messages.h"

#include <QAbstractTableModel>

namespace otalab::app {

// Columns: image, slot, version, hash (hex; the bytes in HashRole), then the flags bootable, pending, confirmed, active, permanent as check
// marks ("✓"; FlagRole gives the bool). Read-only. GUI thread.
class SlotTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Image, Slot, Version, Hash, Bootable, Pending, Confirmed, Active, Permanent, ColumnCount };
    static constexpr int HashRole = Qt::UserRole + 1;   // QByteArray, the whole hash
    static constexpr int FlagRole = Qt::UserRole + 2;   // bool, flag columns only

    using QAbstractTableModel::QAbstractTableModel;

    void setState(const core::smp::ImageStateResponse& state);
    const QList<core::smp::ImageSlotState>& images() const { return m_images; }
    const core::smp::ImageSlotState* at(int row) const;
    // Row of (image, slot), or -1.
    int rowOf(int image, int slot) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static bool flag(const core::smp::ImageSlotState& s, int column);

    QList<core::smp::ImageSlotState> m_images;
};

} // namespace otalab::app
