// SPDX-License-Identifier: Apache-2.0
// Column widths of the compare figures table: values elided rather than scrolled sideways.
#pragma once

class QTableWidget;

namespace otalab::app {

// Columns 1.. of `table` (Run A, Run B, B − A) become Fixed at their contents' width
// (header and every cell not spanned by a heading row) as far as the viewport allows
// after `figureWidth` px for column 0 (Stretch): the last column (the difference) keeps
// its width up to half of what is left; of the others the widest give way first (the
// largest cap with sum(min(width, cap)) <= what is left, at least 90 px each). Cut
// texts are elided by the view. GUI thread.
void fitValueColumns(QTableWidget& table, int figureWidth);

} // namespace otalab::app
