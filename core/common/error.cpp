// SPDX-License-Identifier: Apache-2.0
#include "core/common/error.h"

namespace otalab {

QString Error::toString() const
{
    QString where;
    if (!field.isEmpty())
        where = field;
    if (offset >= 0)
        where += (where.isEmpty() ? QStringLiteral("offset ") : QStringLiteral(" at offset "))
               + QStringLiteral("%1 (0x%2)").arg(offset).arg(offset, 0, 16);
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

} // namespace otalab
