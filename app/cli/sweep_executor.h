// SPDX-License-Identifier: Apache-2.0
// The local process pool of a sweep: each run is a separate process
// `<otalab-cli> sweep-run DIR --index I`, at most N at once.
#pragma once

#include <QString>

#include <functional>
#include <vector>

namespace otalab::cli {

// How one child ended.
struct SweepChildEnd {
    int index = 0;
    double wallS = 0;          // from start to exit
    bool exitedNormally = false;
    int exitCode = -1;         // valid when exitedNormally
    QString outputTail;        // the last lines the child printed (stdout and stderr)
};

// Runs sweep indices as child processes of `program` (the otalab-cli binary). Each child
// gets its own process group, so a Ctrl-C on the terminal reaches this process only:
// SIGINT and SIGTERM during run() kill the running children and make run() return false.
// Uses a local QEventLoop: needs a QCoreApplication; call from its thread.
class SweepExecutor final {
public:
    SweepExecutor(QString program, QString sweepDir, int jobs);

    // Runs every index of `indices` (in order, at most `jobs` at once). `onStarted` and
    // `onEnded` are called for each child, `onTick` about every 100 ms (progress).
    // Returns true when every child ended, false when interrupted by a signal.
    bool run(const std::vector<int>& indices, const std::function<void(int index)>& onStarted,
             const std::function<void(const SweepChildEnd&)>& onEnded, const std::function<void()>& onTick);

    // The signal that interrupted the last run() (SIGINT or SIGTERM), 0 if none.
    int interruptSignal() const { return m_signal; }

private:
    QString m_program;
    QString m_sweepDir;
    int m_jobs = 1;
    int m_signal = 0;
};

} // namespace otalab::cli
