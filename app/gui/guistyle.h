// SPDX-License-Identifier: Apache-2.0
// Shared look of the GUI: status colours and number formatting, so every panel
// renders offsets and verdicts the same way.
#pragma once

#include "core/image/inspection.h"

#include <QColor>
#include <QString>

namespace otalab::app {

// "0x1c": lower-case hex with 0x prefix, no padding (matches the CLI's messages).
QString hexOffset(qint64 offset);
// "12,345 bytes" in the user's locale.
QString byteCount(qint64 bytes);

QColor errorColor();    // text colour of errors (dark red)
QColor warningColor();  // text colour of warnings (dark amber)

// Pill colours of a badge state: green valid, red invalid, grey absent, amber unchecked.
QColor badgeBackground(core::image::CheckState state);
QColor badgeForeground(core::image::CheckState state);

} // namespace otalab::app
