// SPDX-License-Identifier: Apache-2.0
// SIGINT/SIGTERM delivered to the Qt event loop (self-pipe + QSocketNotifier), for
// commands that run until interrupted or must stop cleanly on Ctrl-C.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace otalab::cli {

// While one exists, SIGINT and SIGTERM no longer end the process: each emits
// interrupted(signal) from the event loop of the thread that created the watcher. The
// previous handlers come back when it is destroyed. One watcher at a time per process.
class SignalWatcher final : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    bool isActive() const { return m_notifier != nullptr; }
    int count() const { return m_count; }   // signals received so far

Q_SIGNALS:
    void interrupted(int signal);

private:
    void onReadable();

    QSocketNotifier* m_notifier = nullptr;
    int m_count = 0;
};

} // namespace otalab::cli
