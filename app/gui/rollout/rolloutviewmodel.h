// SPDX-License-Identifier: Apache-2.0
// RolloutViewModel: a run's rollout policy (LabSnapshots live, RolloutResult after it) →
// what the Rollout panel draws: executions per state over time, the notification rate,
// group / wave boundaries, the abort moment and reason, the header line and the counts.
#pragma once

#include "charts/decimatedseries.h"
#include "lab/labtypes.h"
#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/axisscale.h"
#include "sim/report/runresult.h"

#include <QColor>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::app {

// A vertical marker on the time axis (x in RolloutViewModel::timeUnit()).
struct RolloutMarker {
    double x = 0;
    QString label;   // group name, or the abort line
    bool operator==(const RolloutMarker&) const = default;
};

// Fixed colour of each execution state (the report's rollout-executions.svg palette).
QColor executionStateColor(sim::rollout::ExecutionState state);
QColor rolloutRateColor();
// The states an engineer opens the chart for — IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT,
// REJECTED — as opposed to the bulk ones (QUEUED, REMOVED, CANCELED) that count the fleet
// and would flatten them on a shared scale.
bool executionStateIsOutcome(sim::rollout::ExecutionState state);
// FAILED, TIMED_OUT, REJECTED: the things the build broke or never reached (an outcome).
bool executionStateIsFailure(sim::rollout::ExecutionState state);
// "AWS IoT Jobs", "hawkBit groups", "Mender phases" for "aws-jobs" | "hawkbit" | "mender".
QString rolloutPolicyWords(const QString& policy);
// "2 h 14 min", "12 min 5 s", "40 s" (virtual time for people).
QString rolloutDuration(double seconds);

// GUI thread (or any one thread: no Qt objects). Feed it the session's snapshots in order:
// it consumes only the rollout samples it has not seen (LabSnapshot::rolloutSamples holds
// all). After the run, setResult() replaces everything with the complete story. Each
// series keeps ≤ kMaxPoints points; revision() changes whenever anything drawn changed.
class RolloutViewModel {
public:
    static constexpr int kMaxPoints = 2000;

    RolloutViewModel();

    // A new run: forget everything. `policy`: "aws-jobs" | "hawkbit" | "mender" (the
    // scenario's; empty without a rollout section).
    void reset(const QString& policy = {});
    // Returns true when something changed. A snapshot with fewer samples than already
    // consumed (another run without reset()) starts over.
    bool update(const LabSnapshot& snapshot);
    // The finished run's RolloutResult (RunResult::rollout): every sample, the groups,
    // the abort moment and reason; `endTimeS` the run's end.
    void setResult(const sim::RolloutResult& result, double endTimeS);

    bool hasRollout() const { return m_hasRollout; }
    const DecimatedSeries& executions(sim::rollout::ExecutionState state) const { return m_series[std::size_t(state)]; }
    const DecimatedSeries& rate() const { return m_rate; }  // notifications / min
    // A state drawn at all: non-zero in some sample (Queued always, so the chart is never empty).
    bool stateShown(sim::rollout::ExecutionState state) const { return m_shown[std::size_t(state)]; }
    const sim::TimeUnit& timeUnit() const { return m_unit; }
    double timeAxisMax() const { return m_timeAxisMax; }      // in timeUnit()
    double devicesAxisMax() const { return m_devicesAxisMax; }
    // The largest count `state` reached (samples and the latest counts): the chart scales
    // its executions axis to the peaks of the states it draws.
    int peak(sim::rollout::ExecutionState state) const { return m_peak[std::size_t(state)]; }
    double rateAxisMax() const { return m_rateAxisMax; }      // notifications / min
    bool rateShown() const { return m_maxRate > 0; }          // some sample had a rate (hawkBit / Mender jobs have none)
    const std::vector<RolloutMarker>& groupMarkers() const { return m_groups; }
    const std::optional<RolloutMarker>& abortMarker() const { return m_abort; }

    // Latest executions per state (index = ExecutionState) and the job's state.
    const std::array<int, sim::rollout::kExecutionStateCount>& counts() const { return m_counts; }
    int devices() const;  // sum of counts()
    const QString& policy() const { return m_policy; }
    const QString& jobStatus() const { return m_jobStatus; }
    const QString& currentGroup() const { return m_group; }
    double ratePerMinute() const { return m_ratePerMinute; }
    // "AWS IoT Jobs · job IN_PROGRESS · wave 3 · 200 notifications/min"
    QString header() const;
    // "abort tripped at 2 h 14 min: FAILED 5.1 % of 120 executions ≥ 5 % …" (hawkBit:
    // "paused at …"); empty while nothing tripped.
    QString abortLine() const;
    std::uint64_t revision() const { return m_revision; }

private:
    void append(const sim::RolloutSample& sample);
    void rescale(double latestS);
    void finishAppend(double latestS);
    void setAbort(std::optional<double> atS, const QString& reason);

    bool m_hasRollout = false;
    QString m_policy;
    std::array<DecimatedSeries, sim::rollout::kExecutionStateCount> m_series;
    std::array<bool, sim::rollout::kExecutionStateCount> m_shown{};
    DecimatedSeries m_rate;
    std::size_t m_consumed = 0;
    sim::TimeUnit m_unit;
    double m_timeAxisMax = 1;
    double m_devicesAxisMax = 1;
    double m_rateAxisMax = 1;
    double m_maxRate = 0;
    int m_maxCount = 0;
    std::array<int, sim::rollout::kExecutionStateCount> m_peak{};
    QString m_lastGroup;
    std::vector<double> m_groupTimesS;  // marker times in seconds (rescaled into m_groups)
    std::vector<RolloutMarker> m_groups;
    std::optional<double> m_abortS;
    QString m_abortReason;
    std::optional<RolloutMarker> m_abort;
    std::array<int, sim::rollout::kExecutionStateCount> m_counts{};
    QString m_jobStatus;
    QString m_group;
    double m_ratePerMinute = 0;
    std::uint64_t m_revision = 0;
};

} // namespace otalab::app
