// SPDX-License-Identifier: Apache-2.0
// The progress line of a local sweep: done/total, failed, running, elapsed, ETA over the
// whole sweep.
#pragma once

#include <QString>

namespace otalab::cli {

// Counts of a sweep in progress and the line that shows them. Wall-clock seconds are
// passed in (no clock inside), so the arithmetic is testable. Not thread-safe: one
// owner (the executor's event loop).
class SweepProgress final {
public:
    // `total`: runs of the whole sweep; `alreadyDone`: finished before this session
    // (resumed); `jobs`: runs at once.
    SweepProgress(int total, int alreadyDone, int jobs);

    void runStarted() { ++m_running; }
    // A run of this session ended after `wallS` seconds; `failed`: it failed (recorded
    // or not). An unrecorded failure stays to do (the next session tries it again).
    void runFinished(double wallS, bool failed, bool recorded);

    int total() const { return m_total; }
    int done() const { return m_done; }           // with a result.json (ok or failed)
    int failed() const { return m_failed; }
    int running() const { return m_running; }
    int remaining() const { return m_total - m_done; }

    // Mean wall time per run finished in this session × runs left / runs at once;
    // negative while no run of this session has finished.
    double etaS() const;

    // "  12/40 runs, 1 failed, 2 running, 0:00:31 elapsed, ETA 0:01:10"
    QString line(double elapsedS) const;

    // "0:01:10" (h:mm:ss) or "1d 02:00:00" beyond a day.
    static QString clock(double seconds);

private:
    int m_total = 0;
    int m_done = 0;
    int m_failed = 0;
    int m_running = 0;
    int m_jobs = 1;
    int m_finishedHere = 0;
    double m_wallSumS = 0;
};

} // namespace otalab::cli
