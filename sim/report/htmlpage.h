// SPDX-License-Identifier: Apache-2.0
// The look shared by OTA Lab's self-contained HTML pages (report.html, sweep.html).
#pragma once

#include <QString>

namespace otalab::sim {

// "<!DOCTYPE html>…<main>\n": UTF-8, a viewport, `title` (escaped here) and the shared
// stylesheet — page width, headings, .sub, section.card, tables (table.list, td.num),
// .tiles/.tile, inline SVG at full width — followed by `extraCss` (rules of one page; later
// rules win). Close with htmlPageEnd().
QString htmlPageStart(const QString& title, const QString& extraCss = {});
QString htmlPageEnd();   // "</main>\n</body>\n</html>\n"

// One figure tile of a .tiles row: the value large in `color` (CSS), the label under it.
QString htmlTile(const QString& value, const QString& label, const QString& color);

} // namespace otalab::sim
