// SPDX-License-Identifier: Apache-2.0
// PieceCounts: how many of a device's image pieces are in each sim::PieceMap state, in words.
#pragma once

#include "sim/fleet/devicestatus.h"

#include <QString>

namespace otalab::app {

struct PieceCounts {
    int total = 0;       // PieceMap::total
    int received = 0;    // arrived intact
    int lost = 0;        // sent but not received and not recovered
    int recovered = 0;   // rebuilt by forward error correction
    int missing = 0;     // not sent yet (pieces past the end of `state` count here too)
    int sentButNotReceived() const { return lost + recovered; }
};

PieceCounts countPieces(const sim::PieceMap& pieces);

// "1,312 of 1,371 fragments received, 59 lost, 52 recovered by FEC" (lost counts every
// piece sent but not received, recovered or not), ", 12 not sent yet" when some are
// still to come; empty for an empty map.
QString describePieces(const sim::PieceMap& pieces);

// "fragments" from "fragment" (the unit, plural; "pieces" when the family names none).
QString pieceUnitPlural(const sim::PieceMap& pieces);

} // namespace otalab::app
