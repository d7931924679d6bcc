// SPDX-License-Identifier: Apache-2.0
// Building a fleet's campaign timeline (TimelineSpan rows) at one virtual time.
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/report/runresult.h"

#include <algorithm>
#include <vector>

namespace otalab::sim {

// Appends the span of a step from `from` to `to` as seen at `now`: left out when it has not
// begun (from is SimTime::max() or after now); one not ended yet (to is SimTime::max())
// ends now; it never ends before it began.
inline void appendStartedSpan(std::vector<TimelineSpan>& spans, SimTime now, const QString& lane, const QString& label,
                              SimTime from, SimTime to)
{
    if (from == SimTime::max() || from > now)
        return;
    const SimTime end = to == SimTime::max() ? now : std::max(from, to);
    spans.push_back({lane, label, from.toSeconds(), end.toSeconds()});
}

} // namespace otalab::sim
