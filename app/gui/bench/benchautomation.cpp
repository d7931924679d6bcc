// SPDX-License-Identifier: Apache-2.0
// BenchAutomation: command-line driven Bench sessions.
#include "benchautomation.h"

#include "benchcontroller.h"
#include "benchwindow.h"
#include "boardpage.h"

#include <cstdio>

namespace otalab::app {

BenchAutomation::BenchAutomation(BenchWindow& window, Options options, QObject* parent)
    : QObject(parent), m_window(&window), m_options(std::move(options))
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &BenchAutomation::poll);
    m_limit.setSingleShot(true);
    connect(&m_limit, &QTimer::timeout, this, [this] {
        if (m_phase == Phase::Finished)
            return;
        report(QStringLiteral("the boards did not settle within %1 s").arg(m_options.limitMs / 1000));
        m_exitCode = 1;
        finish();
    });
}

void BenchAutomation::report(const QString& message)
{
    std::fprintf(stderr, "otalab: %s\n", qPrintable(message));
}

void BenchAutomation::start()
{
    if (!m_window)
        return;
    BenchController& bench = m_window->bench();
    for (const QString& spec : m_options.connections) {
        const auto board = bench.connectBoard(spec);
        if (!board) {
            report(QStringLiteral("--bench %1: %2").arg(spec, board.error().toString()));
            m_exitCode = 1;
        }
    }
    if (!bench.boards().isEmpty())
        m_window->showBoard(bench.boards().constFirst());
    m_phase = Phase::Connecting;
    m_limit.start(m_options.limitMs);
    m_poll.start();
}

bool BenchAutomation::allSettled() const
{
    for (const BoardController* board : m_window->bench().boards()) {
        if (!board->isSettled())
            return false;
    }
    return true;
}

void BenchAutomation::poll()
{
    if (!m_window) {
        m_poll.stop();
        return;
    }
    switch (m_phase) {
    case Phase::Connecting:
        if (!allSettled())
            return;
        if (!m_options.uploadPath.isEmpty()) {
            startUpload();
            return;
        }
        break;
    case Phase::Uploading:
        maybeShootMidUpload();
        if (!allSettled())
            return;
        break;
    case Phase::Idle:
    case Phase::Settling:
    case Phase::Finished:
        return;
    }
    m_phase = Phase::Settling;
    m_poll.stop();
    for (const BoardController* board : m_window->bench().boards()) {
        if (!board->lastError().isEmpty()) {
            report(QStringLiteral("%1: %2").arg(board->name(), board->lastError()));
            m_exitCode = 1;
        }
    }
    QTimer::singleShot(m_options.settleMs, this, &BenchAutomation::finish);
}

void BenchAutomation::startUpload()
{
    QList<BoardController*> ready;
    for (BoardController* board : m_window->bench().boards()) {
        if (board->state() == BoardController::State::Ready)
            ready << board;
    }
    const int started = m_window->bench().uploadFile(m_options.uploadPath, ready);
    if (started == 0) {
        report(QStringLiteral("--bench-upload %1: no connected board took it").arg(m_options.uploadPath));
        m_exitCode = 1;
    }
    m_phase = Phase::Uploading;
}

void BenchAutomation::finish()
{
    if (m_phase == Phase::Finished || !m_window)
        return;
    m_phase = Phase::Finished;
    m_poll.stop();
    m_limit.stop();
    if (!m_shotTaken && !m_options.screenshotPath.isEmpty())
        grab();
    if (m_options.quit)
        Q_EMIT done(m_exitCode);
}

} // namespace otalab::app

namespace otalab::app {

void BenchAutomation::maybeShootMidUpload()
{
    if (m_shotTaken || !m_options.screenshotAtPercent || m_options.screenshotPath.isEmpty())
        return;
    BoardPage* page = m_window->currentPage();
    if (!page)
        return;
    const auto& progress = page->board().progress();
    if (!progress || progress->total <= 0 || 100 * progress->done < qint64(*m_options.screenshotAtPercent) * progress->total)
        return;
    grab();
}

bool BenchAutomation::grab()
{
    m_shotTaken = true;
    for (BoardController* board : m_window->bench().boards()) {
        if (BoardPage* page = m_window->pageOf(board))
            page->flush();
    }
    if (m_window->grab().save(m_options.screenshotPath, "PNG"))
        return true;
    report(QStringLiteral("cannot write screenshot %1").arg(m_options.screenshotPath));
    m_exitCode = 1;
    return false;
}

} // namespace otalab::app
