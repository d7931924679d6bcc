// SPDX-License-Identifier: Apache-2.0
// SlotTableModel: a board's images per slot as a table.
#include "slottablemodel.h"

#include <QFont>
#include <QFontDatabase>

namespace otalab::app {

void SlotTableModel::setState(const core::smp::ImageStateResponse& state)
{
    if (state.images == m_images)
        return;
    beginResetModel();
    m_images = state.images;
    endResetModel();
}

const core::smp::ImageSlotState* SlotTableModel::at(int row) const
{
    return row >= 0 && row < m_images.size() ? &m_images.at(row) : nullptr;
}

int SlotTableModel::rowOf(int image, int slot) const
{
    for (int i = 0; i < m_images.size(); ++i) {
        if (m_images.at(i).image == image && m_images.at(i).slot == slot)
            return i;
    }
    return -1;
}

int SlotTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_images.size());
}

int SlotTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool SlotTableModel::flag(const core::smp::ImageSlotState& s, int column)
{
    switch (column) {
    case Bootable: return s.bootable;
    case Pending: return s.pending;
    case Confirmed: return s.confirmed;
    case Active: return s.active;
    case Permanent: return s.permanent;
    default: return false;
    }
}

QVariant SlotTableModel::data(const QModelIndex& index, int role) const
{
    const auto* s = index.isValid() ? at(index.row()) : nullptr;
    if (!s)
        return {};
    const int column = index.column();
    const bool isFlag = column >= Bootable && column <= Permanent;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Image: return s->image;
        case Slot: return s->slot;
        case Version: return s->version.isEmpty() ? QStringLiteral("?") : s->version;
        case Hash: return QString::fromLatin1(s->hash.toHex());
        default: return isFlag && flag(*s, column) ? QStringLiteral("✓") : QString();
        }
    case FlagRole:
        return isFlag ? QVariant(flag(*s, column)) : QVariant();
    case Qt::ToolTipRole:
        if (column == Hash)
            return QStringLiteral("SHA-256 (image TLV): %1").arg(QString::fromLatin1(s->hash.toHex()));
        return {};
    case Qt::TextAlignmentRole:
        return column == Version || column == Hash ? QVariant(Qt::AlignVCenter | Qt::AlignLeft)
                                                   : QVariant(Qt::AlignCenter);
    case Qt::FontRole:
        if (column == Hash)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        if (column == Version && s->active) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case HashRole:
        return s->hash;
    default:
        return {};
    }
}

QVariant SlotTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Image: return tr("Image");
    case Slot: return tr("Slot");
    case Version: return tr("Version");
    case Hash: return tr("Hash");
    case Bootable: return tr("Bootable");
    case Pending: return tr("Pending");
    case Confirmed: return tr("Confirmed");
    case Active: return tr("Active");
    case Permanent: return tr("Permanent");
    default: return {};
    }
}

} // namespace otalab::app
