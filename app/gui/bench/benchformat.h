// SPDX-License-Identifier: Apache-2.0
// Shared wording and colours of the Bench: transfer rates, ETAs, progress lines, board states.
#pragma once

#include "core/smp/smp_operation.h"

#include <QColor>
#include <QString>

namespace otalab::app {

// "850 B/s", "34.2 KiB/s", "1.3 MiB/s"; "—" for 0.
QString rateText(double bytesPerSecond);
// "0:07", "3:25", "1:02:03".
QString etaText(double seconds);
// "upload 45 % · 34.2 KiB/s · ETA 0:12" (rate and ETA only when known; no percent without a total).
QString progressText(const core::smp::Progress& progress);
// First `bytes` of a hash as hex followed by "…" ("3f2a91c0…"); the whole hash when short.
QString shortHash(const QByteArray& hash, int bytes = 6);

} // namespace otalab::app
