// SPDX-License-Identifier: Apache-2.0
// BenchAutomation: command-line driven Bench sessions (--bench, --bench-upload, --screenshot, --quit).
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace otalab::app {

class BenchWindow;

// GUI thread. Drives a BenchWindow for documentation and scripts:
//   1. connects every spec in `connections` (a refused spec is printed to stderr);
//   2. when every board has settled (slots read, or failed): with `uploadPath`, uploads
//      it to every connected board and waits until they settle again (upload + state read);
//   3. waits settleMs for the panels to repaint, saves `screenshotPath` (the Bench window)
//      — or, with screenshotAtPercent, as soon as the upload on the board shown reaches
//      that percentage (the sequence then goes on);
//   4. with `quit`, emits done(exitCode): 1 when a spec was refused, a board failed or
//      the screenshot could not be written, else 0.
// `limitMs` bounds the whole sequence (a board that never settles): then done(1).
class BenchAutomation final : public QObject {
    Q_OBJECT
public:
    struct Options {
        QStringList connections;
        QString uploadPath;
        QString screenshotPath;
        std::optional<int> screenshotAtPercent;
        bool quit = false;
        int settleMs = 400;
        int limitMs = 15 * 60 * 1000;
    };

    BenchAutomation(BenchWindow& window, Options options, QObject* parent = nullptr);

    void start();
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void done(int exitCode);

private:
    enum class Phase { Idle, Connecting, Uploading, Settling, Finished };
    void poll();
    bool allSettled() const;
    void startUpload();
    void finish();
    void report(const QString& message);
    void maybeShootMidUpload();
    bool grab();

    QPointer<BenchWindow> m_window;
    Options m_options;
    Phase m_phase = Phase::Idle;
    QTimer m_poll;
    QTimer m_limit;
    int m_exitCode = 0;
    bool m_shotTaken = false;
};

} // namespace otalab::app
