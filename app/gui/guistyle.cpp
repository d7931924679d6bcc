// SPDX-License-Identifier: Apache-2.0
// Shared status colours and number formatting.
#include "guistyle.h"

#include <QLocale>
#include <QObject>

namespace otalab::app {

QString hexOffset(qint64 offset)
{
    return QStringLiteral("0x%1").arg(offset, 0, 16);
}

QString byteCount(qint64 bytes)
{
    return QObject::tr("%1 bytes").arg(QLocale().toString(bytes));
}

QColor errorColor()
{
    return QColor(0xc6, 0x28, 0x28);
}

QColor warningColor()
{
    return QColor(0xa6, 0x5e, 0x00);
}

QColor badgeBackground(core::image::CheckState state)
{
    using core::image::CheckState;
    switch (state) {
    case CheckState::Valid: return QColor(0x2e, 0x7d, 0x32);
    case CheckState::Invalid: return QColor(0xc6, 0x28, 0x28);
    case CheckState::Unchecked: return QColor(0xf2, 0xa9, 0x00);
    case CheckState::Absent: break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QColor badgeForeground(core::image::CheckState state)
{
    return state == core::image::CheckState::Unchecked ? QColor(0x21, 0x21, 0x21) : QColor(Qt::white);
}

} // namespace otalab::app
