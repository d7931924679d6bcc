// SPDX-License-Identifier: Apache-2.0
// JobRollout: the RolloutEngine implementation (private to sim/fleet/rollout; others use
// RolloutEngine::create). One job over N devices, AWS IoT Jobs semantics with the
// hawkBit-group and Mender-phase release plans. Choices where the services leave room:
//  - Time: one monotonic clock (the caller's seconds); an input earlier than the last one
//    is taken at the last one. report() and cancel() first catch up on what was due
//    strictly before their time (so a report at exactly a timeout's deadline wins), then
//    handle the input, then do what is due at their time (so a report that starts the
//    next group returns that group's notifications).
//  - Releases: aws-jobs walks the whole release order; hawkBit the groups started so far;
//    Mender the phases whose start time passed. Without jobExecutionsRolloutConfig every
//    due device is notified at once (AWS documents no pacing default; its 1000/min is
//    a cap on maximumPerMinute, not a rate it imposes, so the lab does not pace).
//  - exponentialRate: starts at baseRatePerMinute; each time numberOfNotifiedThings more
//    things were notified (or numberOfSucceededThings more succeeded) since the last
//    increase, rate ×= incrementFactor, capped by maximumPerMinute (without one, at
//    1,000,000/min, a guard only). Each rate in force is a "wave N" group.
//  - Reports on an execution that was never notified (AWS: does not exist yet) or that
//    is terminal are ignored and counted.
//  - Retries (jobExecutionsRetryConfig): a FAILED or TIMED_OUT execution with retries
//    left goes straight back to QUEUED under executionNumber + 1 with an immediate Notify
//    (retries are not paced by the rate); a criterion for the failure type itself wins
//    over ALL; under ALL the retries of both types share its count. No retry once the job
//    is canceled, paused or past endS. A retried failure is not final, so it counts
//    neither toward abortConfig nor toward a group's failures.
//  - Abort: AWS's API reference words minNumberOfExecutedThings as "things which must
//    receive job execution notifications"; the developer guide and the SDKs evaluate the
//    rule over *executed* things, and a percentage of failures is only meaningful over
//    executions with an outcome, so the lab counts executed = SUCCEEDED + FAILED +
//    TIMED_OUT + REJECTED (final ones) for both the minimum and the denominator; it trips
//    when failures × 100 ≥ thresholdPercentage × executed (exact, in hundredths).
//    Checked after every execution that ends. CANCEL: QUEUED executions (notified or not)
//    → CANCELED with Stop; IN_PROGRESS ones continue (AWS non-force cancel).
//    executionsAtAbort are the counts the criterion saw, before the cancel.
//  - hawkBit: group sizes per rolloutplan.h; the next group starts when SUCCEEDED × 100 ≥
//    successThreshold × group size; a group whose failures (FAILED + TIMED_OUT +
//    REJECTED, at least one) reach errorThreshold % of its size pauses the rollout.
//  - Mender: a phase starts at max(its startS, schedulingConfig.startS, the moment the
//    previous phase's batch was all notified); no automatic abort.
//  - schedulingConfig.endS: no notification at or after it; STOP_ROLLOUT leaves the rest
//    unnotified (QUEUED), CANCEL / FORCE_CANCEL cancel the job as cancel() does.
//  - Memory: 8 bytes per device + 4 for the order; timeouts in a FIFO (one constant
//    timeout, monotonic clock: deadlines come in order), stale entries skipped lazily.
#pragma once

#include "sim/fleet/rollout/notificationpacer.h"
#include "sim/fleet/rollout/rolloutengine.h"
#include "sim/fleet/rollout/rolloutplan.h"

#include <deque>

namespace otalab::sim::rollout {

class JobRollout final : public RolloutEngine {
public:
    JobRollout(RolloutPolicyConfig config, std::uint32_t devices, std::uint64_t seed);

    std::vector<RolloutAction> start(double nowS) override;
    std::vector<RolloutAction> report(std::uint32_t device, DeviceReport what, double nowS) override;
    std::vector<RolloutAction> advance(double nowS) override;
    std::vector<RolloutAction> cancel(double nowS, bool force, const QString& reason) override;
    std::optional<double> nextWakeS() const override;

    std::uint32_t deviceCount() const override { return std::uint32_t(m_execs.size()); }
    ExecutionState state(std::uint32_t device) const override;
    int executionNumber(std::uint32_t device) const override;
    bool notified(std::uint32_t device) const override;
    std::array<int, kExecutionStateCount> counts() const override { return m_counts; }
    int notifiedCount() const override { return m_notifiedCount; }
    double currentRatePerMinute() const override;
    QString currentGroup() const override;
    QString jobStatus() const override;
    std::uint64_t ignoredReports() const override { return m_ignored; }
    RolloutResult result(std::vector<RolloutSample> samples) const override;
    RolloutSample sample(double nowS) const override;

private:
    static constexpr std::uint16_t kNoGroup = 0xFFFF;

    // One device's execution: 8 bytes.
    struct Execution {
        ExecutionState state = ExecutionState::Queued;
        bool notified = false;
        std::uint8_t number = 0;          // execution number; 0 until notified
        std::uint8_t failedRetries = 0;   // retries used after FAILED
        std::uint8_t timedOutRetries = 0; // retries used after TIMED_OUT
        std::uint8_t spare = 0;
        std::uint16_t group = kNoGroup;   // index into m_groups
    };
    struct Timeout {
        double atS = 0;
        std::uint32_t device = 0;
        std::uint8_t number = 0;
    };
    // A hawkBit group, a Mender phase or an AWS wave, with its story.
    struct Group {
        QString name;
        std::uint32_t devices = 0;
        bool closed = false;              // no device joins any more (waves grow while open)
        std::optional<double> startS, endS;
        int succeeded = 0;
        int failed = 0;
        std::uint32_t ended = 0;          // terminal executions
        double lastEndS = 0;
        QString endReason;
    };
    enum class Status : std::uint8_t { Running, Paused, Canceled };
    enum class Event : std::uint8_t { Timeout, End, Phase, Release };

    // The event loop: every event due at ≤ nowS (< nowS when !inclusive), in time order;
    // ties: timeouts, then the scheduled end, then a phase start, then releases.
    void runUntil(double nowS, bool inclusive, std::vector<RolloutAction>& out);
    std::optional<std::pair<double, Event>> nextEvent() const;
    std::optional<double> releaseAtS() const;
    std::optional<double> phaseAtS() const;
    bool accepting() const;
    bool completed() const;          // nothing left to notify and every notified execution ended          // new notifications (and retries) may go out
    std::uint32_t finalEnd() const;  // release-order positions that are part of the rollout

    void release(double t, std::vector<RolloutAction>& out);
    void releaseOne(double t, std::vector<RolloutAction>& out);
    void timeout(double t, std::vector<RolloutAction>& out);
    void scheduledEnd(double t, std::vector<RolloutAction>& out);
    void startPhase(double t);
    void cancelJob(double t, bool force, std::vector<RolloutAction>& out);

    void moveTo(std::uint32_t device, ExecutionState to, double t);
    bool retry(std::uint32_t device, ExecutionState failure, std::vector<RolloutAction>& out);
    void finished(std::uint32_t device, double t, std::vector<RolloutAction>& out);
    void checkAbort(double t, std::vector<RolloutAction>& out);
    void checkHawkbit(std::uint32_t device, double t);
    void startHawkbitGroup(std::size_t index, double t);
    void raiseRate(double t, const QString& why);
    void openWave(double t);
    void recordAbort(double t, QString reason);
    void purgeTimeouts();

    RolloutPolicyConfig m_config;
    std::vector<Execution> m_execs;
    std::vector<std::uint32_t> m_order;
    std::vector<RolloutSlice> m_slices;
    std::vector<Group> m_groups;
    NotificationPacer m_pacer;
    std::deque<Timeout> m_timeouts;

    std::array<int, kExecutionStateCount> m_counts{};
    int m_notifiedCount = 0;
    int m_unnotifiedQueued = 0;
    std::uint64_t m_ignored = 0;
    std::uint64_t m_retries = 0;

    bool m_started = false;
    Status m_status = Status::Running;
    bool m_stopped = false;           // endS passed (STOP_ROLLOUT): nothing new goes out
    bool m_endHandled = false;
    double m_clockS = 0;
    double m_startAtS = 0;
    double m_notBeforeS = 0;          // releases wait for the last group / phase start
    std::uint32_t m_cursor = 0;       // next release-order position
    std::uint32_t m_releaseEnd = 0;   // releases allowed up to here (groups / phases started)
    std::size_t m_activeSlice = 0;    // hawkBit group / Mender phase started last
    std::size_t m_nextPhase = 0;      // Mender: next phase to start
    double m_phaseReadyS = 0;         // Mender: when the previous phase's batch was all notified

    // aws-jobs waves
    std::size_t m_wave = 0;
    double m_rate = 0;
    int m_notifiedSinceRaise = 0;
    int m_succeededSinceRaise = 0;

    std::optional<double> m_abortedAtS;
    QString m_abortReason;
    std::array<int, kExecutionStateCount> m_countsAtAbort{};
    // Per abort criterion: the highest failure share it saw once its minimum was executed
    // (so a report can say how close a criterion that never tripped came).
    struct AbortPeak {
        std::int64_t failures = 0;
        std::int64_t executed = 0;   // 0: the minimum was never reached
        double atS = 0;
    };
    std::vector<AbortPeak> m_abortPeaks;
    QString m_endNote;                // what endS did, for the report
};

} // namespace otalab::sim::rollout
