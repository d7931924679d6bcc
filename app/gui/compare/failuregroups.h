// SPDX-License-Identifier: Apache-2.0
// FailureGroups: a run's failed (or refused) devices grouped by the reason they give.
#pragma once

#include "sim/report/runresult.h"

#include <QString>

#include <vector>

namespace otalab::app {

// Devices whose failure reasons differ only in numbers that vary from device to device
// (offsets, addresses, counts) share a group; `reason` keeps the numbers all members
// agree on and shows "…" for the others ("ImageBlockRequest at offset … unanswered
// after 10 retries"). An empty reason is "no reason given".
struct FailureGroup {
    QString reason;
    int count = 0;
};

// Groups the devices with `outcome` (Failed or Refused), largest group first (ties by
// reason). Reads only DeviceResult::outcome and ::failureReason. Pure, any thread.
std::vector<FailureGroup> groupFailures(const sim::RunResult& result, sim::DeviceOutcome outcome);

// "3 failed: 2 × retries exhausted, 1 × no response" (at most `maxGroups` groups, then
// "…, 4 × other reasons"); "0 failed" when there are none. `what` names the outcome
// ("failed", "refused").
QString failureSummary(const std::vector<FailureGroup>& groups, const QString& what, int maxGroups = 3);

} // namespace otalab::app
