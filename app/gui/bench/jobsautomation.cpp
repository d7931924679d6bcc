// SPDX-License-Identifier: Apache-2.0
// JobsAutomation: `otalab --bench-jobs URL` (see the header).
#include "jobsautomation.h"

#include "benchwindow.h"
#include "jobscontroller.h"
#include "jobspage.h"

#include <QLineEdit>
#include <QScreen>
#include <QTabWidget>

#include <cstdio>

namespace otalab::app {

JobsPage* showJobsTab(BenchWindow& window)
{
    auto* page = window.findChild<JobsPage*>(QStringLiteral("benchJobsPage"));
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("benchTabs")); tabs && page)
        tabs->setCurrentWidget(page);
    return page;
}

JobsAutomation::JobsAutomation(BenchWindow& window, Options options, QObject* parent)
    : QObject(parent), m_window(&window), m_options(std::move(options))
{
    m_limit.setSingleShot(true);
    connect(&m_limit, &QTimer::timeout, this, [this] {
        std::fprintf(stderr, "otalab: --bench-jobs: gave up after %d s\n", m_options.limitMs / 1000);
        finish(1);
    });
    m_settle.setSingleShot(true);
    connect(&m_settle, &QTimer::timeout, this, [this] { finish(0); });
}

void JobsAutomation::start()
{
    m_page = m_window ? showJobsTab(*m_window) : nullptr;
    // The Bench opens at 1400x900: on a smaller screen without a window manager (Xvfb) it
    // would hang off the edge and the picture would show what no one sees.
    if (QScreen* screen = m_window ? m_window->screen() : nullptr) {
        const QRect avail = screen->availableGeometry();
        if (m_window->width() > avail.width() || m_window->height() > avail.height()) {
            m_window->resize(m_window->size().boundedTo(avail.size()));
            m_window->move(avail.topLeft());
        }
    }
    if (!m_page) {
        finish(1);
        return;
    }
    m_page->brokerUrl()->setText(m_options.url);
    m_page->connectToBroker();
    if (!m_page->controller().isActive()) {
        std::fprintf(stderr, "otalab: --bench-jobs %s: not connected (see the page)\n", qPrintable(m_options.url));
        if (m_options.screenshotPath.isEmpty())
            finish(1);
        else
            m_settle.start(m_options.settleMs);   // picture the error
        return;
    }
    m_limit.start(m_options.limitMs);
    connect(&m_page->controller(), &JobsController::connectionChanged, this, &JobsAutomation::check);
    connect(m_page, &JobsPage::refreshed, this, &JobsAutomation::check);
}

void JobsAutomation::check()
{
    if (m_finished || !m_page || m_settle.isActive() || !m_page->controller().isConnected())
        return;
    if (m_options.screenshotPath.isEmpty() && !m_options.quit)
        return;
    if (!m_options.screenshotAtPercent) {
        m_settle.start(m_options.settleMs);
        return;
    }
    const auto jobs = m_page->controller().jobs();
    if (jobs.empty())
        return;
    const auto job = m_page->controller().job(jobs.back().jobId);
    if (!job || job->executions.empty())
        return;
    const auto& e = job->executions.front();
    const bool ended = e.status != QLatin1String("QUEUED") && e.status != QLatin1String("IN_PROGRESS");
    const bool reached = *m_options.screenshotAtPercent >= 100
                             ? ended
                             : ended || (e.blocksTotal > 0 && 100 * e.blocksReceived >= *m_options.screenshotAtPercent * e.blocksTotal);
    if (reached) {
        m_page->selectJob(job->jobId);
        m_settle.start(200);
    }
}

void JobsAutomation::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_limit.stop();
    if (!m_options.screenshotPath.isEmpty() && m_window) {
        if (m_page)
            m_page->refresh();
        if (!m_window->grab().save(m_options.screenshotPath)) {
            std::fprintf(stderr, "otalab: cannot write %s\n", qPrintable(m_options.screenshotPath));
            code = 1;
        }
    }
    if (m_options.quit || !m_options.screenshotPath.isEmpty())
        Q_EMIT done(code);
}

} // namespace otalab::app
