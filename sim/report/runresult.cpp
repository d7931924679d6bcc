// SPDX-License-Identifier: Apache-2.0
#include "sim/report/runresult.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

std::optional<double> RunResult::completionPercentile(double percentile) const
{
    std::vector<double> times;
    for (const DeviceResult& d : devices)
        if (d.outcome == DeviceOutcome::Upgraded && d.finishS)
            times.push_back(*d.finishS);
    if (times.empty())
        return std::nullopt;
    std::sort(times.begin(), times.end());
    // Nearest-rank percentile: the smallest value with at least p% of samples <= it.
    const double p = std::clamp(percentile, 0.0, 100.0);
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(times.size())));
    return times[rank == 0 ? 0 : rank - 1];
}

int RunResult::count(DeviceOutcome outcome) const
{
    return int(std::count_if(devices.begin(), devices.end(), [&](const DeviceResult& d) { return d.outcome == outcome; }));
}

QString deviceOutcomeName(DeviceOutcome outcome)
{
    switch (outcome) {
    case DeviceOutcome::Upgraded: return QStringLiteral("upgraded");
    case DeviceOutcome::Failed: return QStringLiteral("failed");
    case DeviceOutcome::Refused: return QStringLiteral("refused");
    case DeviceOutcome::RolledBack: return QStringLiteral("rolled-back");
    case DeviceOutcome::Unfinished: return QStringLiteral("unfinished");
    case DeviceOutcome::NotStarted: return QStringLiteral("not-started");
    }
    return {};
}

} // namespace otalab::sim

namespace otalab::sim {

int RunResult::attacksAccepted() const
{
    int n = 0;
    for (const AttackResult& a : attacks)
        n += a.accepted ? 1 : 0;
    return n;
}

} // namespace otalab::sim
