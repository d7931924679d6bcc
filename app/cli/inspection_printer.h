// SPDX-License-Identifier: Apache-2.0
// Renders an Inspection for a terminal: verdict, badges, findings, field tree.
#pragma once

#include "core/image/inspection.h"

#include <QTextStream>

namespace otalab::cli {

void printInspection(QTextStream& out, const QString& fileName, const core::image::Inspection& inspection,
                     bool showTree);

} // namespace otalab::cli
