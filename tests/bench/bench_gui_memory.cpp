// SPDX-License-Identifier: Apache-2.0
// Does memory come back? The real MainWindow (offscreen) through a big scenario, a
// city run and kept runs, with the process's RSS and the heap in use after each step.
//
//   bench_gui_memory [--nodes N] [--city-until SECONDS]
// Steps: start; load a generated N-node scenario (default 64,001: city's tree with 2,000
// routers of 31 end devices); load city; run city to --city-until (default 3 h virtual:
// history, event-log rows, snapshots); load the starter; run it twice (two kept runs);
// clear the kept runs. Prints VmRSS (/proc/self/status) and glibc's heap in use
// (mallinfo2: arena + mmapped bytes) per step. After "load starter" and "clear kept runs"
// both should be back near the start. QT_QPA_PLATFORM defaults to offscreen. Not a
// Google Benchmark and not a test: a plain program, figures for the README.
#include "compare/comparepanel.h"
#include "lab/labsession.h"
#include "mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <malloc.h>

namespace {

using otalab::app::LabSession;
using otalab::app::MainWindow;

const QString kScenarios = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios");

double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() / 1024.0;
    return -1;
}

double heapMb()
{
    const struct mallinfo2 m = mallinfo2();
    return double(m.uordblks + m.hblkhd) / (1024.0 * 1024.0);
}

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

// OTALAB_BENCH_EXIT_AFTER="load starter": std::exit() after that step, the window still
// alive, so a heap profiler (heaptrack) lists what is held at that point as "leaked".
void step(const char* what)
{
    // Let queued hand-overs and deferred deletes run first.
    for (int i = 0; i < 20; ++i) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QThread::msleep(10);
    }
    std::printf("%-34s RSS %7.1f MB   heap in use %7.1f MB\n", what, rssMb(), heapMb());
    std::fflush(stdout);
    if (qEnvironmentVariable("OTALAB_BENCH_EXIT_AFTER") == QLatin1String(what))
        std::exit(0);
}

QString bigScenario(const QTemporaryDir& dir, int nodes)
{
    QFile city(kScenarios + QStringLiteral("/city.json"));
    if (!city.open(QIODevice::ReadOnly))
        return {};
    QJsonObject root = QJsonDocument::fromJson(city.readAll()).object();
    QJsonObject topology = root.value(QStringLiteral("topology")).toObject();
    QJsonObject generate = topology.value(QStringLiteral("generate")).toObject();
    // 1 coordinator + R routers + 31 R end devices.
    const int routers = std::max(1, (nodes - 1) / 32);
    generate.insert(QStringLiteral("routers"), routers);
    generate.insert(QStringLiteral("zedsPerRouter"), 31);
    topology.insert(QStringLiteral("generate"), generate);
    root.insert(QStringLiteral("topology"), topology);
    root.insert(QStringLiteral("name"), QStringLiteral("big%1").arg(1 + 32 * routers));
    root.remove(QStringLiteral("$schema"));
    const QString path = dir.filePath(QStringLiteral("big.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(root).toJson()) < 0)
        return {};
    return path;
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    int nodes = 64'001;
    double cityUntilS = 3 * 3600.0;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--nodes"))
            nodes = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--city-until"))
            cityUntilS = args[i + 1].toDouble();
    }
    QTemporaryDir dir;
    const QString big = bigScenario(dir, nodes);
    if (big.isEmpty()) {
        std::fprintf(stderr, "bench_gui_memory: cannot write the generated scenario\n");
        return 1;
    }

    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    LabSession& session = window.session();
    const auto ready = [&] { return !session.isLoading() && session.state() == LabSession::RunState::Ready; };
    const auto finished = [&] { return session.state() == LabSession::RunState::Finished; };
    step("start");

    if (!window.openScenario(big, true) || !waitFor(ready, 600'000)) {
        std::fprintf(stderr, "bench_gui_memory: %s did not load\n", qPrintable(big));
        return 1;
    }
    step(qPrintable(QStringLiteral("load %1 nodes").arg(session.topology().nodes.size())));

    if (!window.openScenario(kScenarios + QStringLiteral("/city.json"), true) || !waitFor(ready, 600'000))
        return 1;
    step("load city (10,401 nodes)");
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.runTo(cityUntilS);
    if (!waitFor([&] { return session.state() == LabSession::RunState::Paused && session.commandAnswered(); }, 1'200'000))
        return 1;
    step(qPrintable(QStringLiteral("run city to %1 h (%2 log rows)")
                        .arg(cityUntilS / 3600.0)
                        .arg(session.history().endLogRow() - session.history().firstLogRow())));

    if (!window.openScenario(kScenarios + QStringLiteral("/starter.json"), true) || !waitFor(ready, 60'000))
        return 1;
    step("load starter");
    for (int run = 0; run < 2; ++run) {
        session.run();
        if (!waitFor(finished, 120'000))
            return 1;
        if (run == 0) {
            session.restart();
            if (!waitFor(ready, 60'000))
                return 1;
        }
    }
    step(qPrintable(QStringLiteral("starter run twice (%1 kept)").arg(session.keptRuns().size())));
    window.comparePanel()->setClearConfirmation([](QWidget*, int) { return true; });
    window.comparePanel()->requestClear();
    step("clear kept runs");
    return 0;
}
