// SPDX-License-Identifier: Apache-2.0
#include "app/cli/sweep_executor.h"

#include "sim/sweep/sweepplan.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <pthread.h>
#include <map>
#include <memory>
#include <unistd.h>

namespace otalab::cli {

namespace {

volatile std::sig_atomic_t g_stopSignal = 0;

extern "C" void onStopSignal(int signal) { g_stopSignal = signal; }

// SIGINT/SIGTERM set g_stopSignal while this lives; the previous handlers come back after.
class StopSignals final {
public:
    StopSignals()
    {
        g_stopSignal = 0;
        struct sigaction action{};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
        // A parent may have started us with them blocked (the mask is inherited): this
        // thread takes them.
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        ::pthread_sigmask(SIG_UNBLOCK, &set, &m_oldMask);
    }
    ~StopSignals()
    {
        ::pthread_sigmask(SIG_SETMASK, &m_oldMask, nullptr);
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction m_oldInt{};
    struct sigaction m_oldTerm{};
    sigset_t m_oldMask{};
};

constexpr qsizetype kTailBytes = 4096;

struct Child {
    std::unique_ptr<QProcess> process;
    int index = 0;
    QElapsedTimer timer;
    QByteArray tail;
};

} // namespace

SweepExecutor::SweepExecutor(QString program, QString sweepDir, int jobs)
    : m_program(std::move(program)), m_sweepDir(std::move(sweepDir)), m_jobs(std::max(1, jobs))
{
}

bool SweepExecutor::run(const std::vector<int>& indices, const std::function<void(int)>& onStarted,
                        const std::function<void(const SweepChildEnd&)>& onEnded, const std::function<void()>& onTick)
{
    m_signal = 0;
    if (indices.empty())
        return true;
    StopSignals signals;
    QEventLoop loop;
    std::map<QProcess*, Child> running;
    std::vector<std::unique_ptr<QProcess>> ended;   // deleted after the loop, not inside their own signals
    std::size_t next = 0;
    bool stopping = false;

    std::function<void()> startMore;
    auto finish = [&](QProcess* process, bool normal, int code, const QString& extra) {
        auto it = running.find(process);
        if (it == running.end() || stopping)
            return;
        Child child = std::move(it->second);
        running.erase(it);
        child.tail += child.process->readAll();
        SweepChildEnd end;
        end.index = child.index;
        end.wallS = child.timer.elapsed() / 1000.0;
        end.exitedNormally = normal;
        end.exitCode = normal ? code : -1;
        end.outputTail = QString::fromUtf8(child.tail.right(kTailBytes)) + extra;
        ended.push_back(std::move(child.process));
        startMore();   // the next run first, so the progress line counts it as running
        if (onEnded)
            onEnded(end);
    };
    startMore = [&] {
        while (!stopping && int(running.size()) < m_jobs && next < indices.size()) {
            const int index = indices[next++];
            auto process = std::make_unique<QProcess>();
            QProcess* p = process.get();
            p->setProgram(m_program);
            p->setArguments({QStringLiteral("sweep-run"), m_sweepDir, QStringLiteral("--index"), QString::number(index)});
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->setStandardInputFile(QProcess::nullDevice());
            // Its own process group: the terminal's Ctrl-C is ours to handle.
            p->setChildProcessModifier([] { ::setpgid(0, 0); });
            QObject::connect(p, &QProcess::readyReadStandardOutput, p, [&running, p] {
                auto it = running.find(p);
                if (it == running.end())
                    return;
                it->second.tail += p->readAll();
                if (it->second.tail.size() > 2 * kTailBytes)
                    it->second.tail = it->second.tail.right(kTailBytes);
            });
            QObject::connect(p, &QProcess::finished, p, [&finish, p](int code, QProcess::ExitStatus status) {
                finish(p, status == QProcess::NormalExit, code, {});
            });
            QObject::connect(p, &QProcess::errorOccurred, p, [&finish, p](QProcess::ProcessError error) {
                if (error == QProcess::FailedToStart)   // no finished() follows
                    finish(p, false, -1, QStringLiteral("cannot start %1: %2").arg(p->program(), p->errorString()));
            });
            Child child;
            child.index = index;
            child.timer.start();
            child.process = std::move(process);
            running.emplace(p, std::move(child));
            if (onStarted)
                onStarted(index);
            p->start();
        }
        if (running.empty() && next >= indices.size())
            loop.quit();
    };

    QTimer tick;
    tick.setInterval(100);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (g_stopSignal != 0 && !stopping) {
            stopping = true;
            m_signal = int(g_stopSignal);
            loop.quit();
            return;
        }
        if (onTick)
            onTick();
    });
    tick.start();
    // Started from inside the loop, so a child that fails at once is handled by it.
    QTimer::singleShot(0, &loop, [&] { startMore(); });
    loop.exec();
    tick.stop();

    if (stopping) {
        for (auto& [p, child] : running) {
            p->disconnect();
            p->kill();
        }
        for (auto& [p, child] : running) {
            const qint64 pid = p->processId();
            p->waitForFinished(5000);
            // The killed run's unfinished folder (runSweepIndex writes in DIR/runs/NNNNNN.tmp-<pid>
            // and renames it when done); finished runs are not touched.
            if (pid > 0)
                QDir(sim::sweepRunDir(m_sweepDir, child.index) + QStringLiteral(".tmp-%1").arg(pid)).removeRecursively();
        }
        running.clear();
    }
    ended.clear();
    return !stopping;
}

} // namespace otalab::cli
