// SPDX-License-Identifier: Apache-2.0
// The look shared by the report's SVG charts (SvgChart, SvgLaneChart): font, colours, numbers.
#pragma once

#include <QString>

#include <cmath>

namespace otalab::sim::svgstyle {

inline const QString kFont = QStringLiteral("font-family=\"'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif\"");
inline const QString kInk = QStringLiteral("#262626");
inline const QString kMuted = QStringLiteral("#6b6b6b");
inline const QString kGrid = QStringLiteral("#e6e6e6");

// A coordinate in user units: one decimal, no trailing ".0", never "-0".
inline QString n(double v)
{
    double r = std::round(v * 10.0) / 10.0;
    if (r == 0)
        r = 0;
    QString t = QString::number(r, 'f', 1);
    if (t.endsWith(QLatin1String(".0")))
        t.chop(2);
    return t;
}

} // namespace otalab::sim::svgstyle
