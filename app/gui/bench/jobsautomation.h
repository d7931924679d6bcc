// SPDX-License-Identifier: Apache-2.0
// JobsAutomation: `otalab --bench-jobs URL` — opens the Bench on its Jobs (MQTT) tab,
// connects it to the broker (the lab then serves jobs there: `otalab-cli jobs create
// --broker URL …` and devices from `otalab-cli target serve --mqtt URL` reach it), and
// for documentation and scripts takes --screenshot:
//   - without screenshotAtPercent: once connected and settleMs later;
//   - with it: when the first execution of the newest job reaches that share of its blocks
//     (100: when it has ended), so the picture shows a transfer under way.
// With `quit`, emits done(exitCode) after the picture: 1 when the broker refused, the
// picture could not be written or limitMs passed first, else 0. GUI thread.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace otalab::app {

class BenchWindow;
class JobsPage;

class JobsAutomation final : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString url;
        QString screenshotPath;
        std::optional<int> screenshotAtPercent;
        bool quit = false;
        int settleMs = 1000;
        int limitMs = 10 * 60 * 1000;
    };

    JobsAutomation(BenchWindow& window, Options options, QObject* parent = nullptr);
    void start();

Q_SIGNALS:
    void done(int exitCode);

private:
    void check();
    void finish(int code);

    QPointer<BenchWindow> m_window;
    QPointer<JobsPage> m_page;
    Options m_options;
    QTimer m_limit;
    QTimer m_settle;
    bool m_finished = false;
};

// The Jobs (MQTT) page of a Bench window, made current; null when it has none.
JobsPage* showJobsTab(BenchWindow& window);

} // namespace otalab::app
