// SPDX-License-Identifier: Apache-2.0
// GUI-thread stall watchdog: the real MainWindow (offscreen) running a scenario as fast as possible.
//
// A 5 ms QTimer on the GUI thread records the gap between its ticks; a gap longer than
// the period is a stall (the GUI thread was busy: painting, applying snapshots, ...).
// Prints max / p99 / p50 stall, ticks, virtual time reached and events/s. Target: max < 50 ms.
//
//   bench_gui_stall [SCENARIO.json] [--seconds N] [--bare]
// (default: resources/scenarios/campus.json, 20 s). --bare: a LabSession without any
// window — the baseline of what the host's scheduler alone costs (on a loaded machine
// the GUI thread waits for a CPU too; compare the two figures).
// QT_QPA_PLATFORM defaults to offscreen. Not a Google Benchmark: a plain program (the
// GUI needs its own event loop); exit code 1 when the max stall exceeds 50 ms.
#include "mainwindow.h"
#include "lab/labsession.h"

#include "sim/scenario/scenarioloader.h"

#include <QApplication>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <map>
#include <memory>
#include <cstdio>
#include <vector>

namespace {

// Times every event delivered on the GUI thread; reports the slowest receivers (class,
// object name, event type) so a stall can be traced to a panel.
class TimingApplication final : public QApplication {
public:
    using QApplication::QApplication;

    bool notify(QObject* receiver, QEvent* event) override
    {
        if (QThread::currentThread() != thread())  // the simulation worker's events
            return QApplication::notify(receiver, event);
        if (m_depth++ > 0) {
            const bool r = QApplication::notify(receiver, event);
            --m_depth;
            return r;
        }
        QElapsedTimer t;
        t.start();
        const int type = event->type();
        // The receiver may delete itself while handling the event (a single-shot timer,
        // deleteLater): remember its class and watch it.
        const QMetaObject* meta = receiver->metaObject();
        const QPointer<QObject> alive(receiver);
        const bool r = QApplication::notify(receiver, event);
        const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
        --m_depth;
        if (ms > 20.0 && m_slow.size() < 4000 && !alive) {
            m_slow.push_back({ms, QStringLiteral("%1 (deleted while handling event %2)").arg(QString::fromLatin1(meta->className())).arg(type)});
        } else if (ms > 20.0 && m_slow.size() < 4000) {
            QString who = QString::fromLatin1(meta->className());
            if (!receiver->objectName().isEmpty())
                who += QLatin1Char('/') + receiver->objectName();
            if (receiver->parent() && !receiver->parent()->parent())
                who += QStringLiteral(" child of ") + QString::fromLatin1(receiver->parent()->metaObject()->className());
            else if (!receiver->parent())
                who += QStringLiteral(" (no parent)");
            for (QObject* p = receiver->parent(); p; p = p->parent()) {
                const QString name = QString::fromLatin1(p->metaObject()->className());
                if (name.endsWith(QLatin1String("Panel")) || name.endsWith(QLatin1String("Controller"))
                    || name.endsWith(QLatin1String("View")) || name.endsWith(QLatin1String("Labels"))) {
                    who += QStringLiteral(" in ") + name;
                    break;
                }
            }
            m_slow.push_back({ms, QStringLiteral("%1 (event %2)").arg(who).arg(type)});
        }
        return r;
    }

    void printSlowest() const
    {
        auto slow = m_slow;
        std::sort(slow.begin(), slow.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        std::printf("slowest GUI-thread events (> 20 ms): %zu\n", slow.size());
        for (std::size_t i = 0; i < slow.size() && i < 12; ++i)
            std::printf("  %7.1f ms  %s\n", slow[i].first, qPrintable(slow[i].second));
        // Totals per receiver description.
        std::map<QString, std::pair<int, double>> byWho;
        for (const auto& [ms, who] : slow) {
            byWho[who].first += 1;
            byWho[who].second += ms;
        }
        std::printf("by receiver (count, total ms):\n");
        for (const auto& [who, v] : byWho)
            std::printf("  %5d %9.1f  %s\n", v.first, v.second, qPrintable(who));
    }

private:
    int m_depth = 0;
    std::vector<std::pair<double, QString>> m_slow;
};

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimingApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir settingsDir;  // never touch the user's settings
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    QString scenario = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/campus.json");
    double seconds = 20.0;
    bool bare = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds") && i + 1 < args.size())
            seconds = args[++i].toDouble();
        else if (args[i] == QLatin1String("--bare"))
            bare = true;
        else
            scenario = args[i];
    }

    std::unique_ptr<otalab::app::MainWindow> window;
    otalab::app::LabSession bareSession;
    otalab::app::LabSession* sessionPtr = &bareSession;
    if (bare) {
        auto config = otalab::sim::loadScenarioFile(scenario);
        if (!config) {
            std::fprintf(stderr, "bench_gui_stall: %s\n", qPrintable(config.error().toString()));
            return 2;
        }
        bareSession.load(*config, QFileInfo(scenario).absolutePath());
    } else {
        window = std::make_unique<otalab::app::MainWindow>();
        window->resize(1600, 1000);
        window->show();
        sessionPtr = &window->session();
        if (!window->openScenario(scenario, true)) {
            std::fprintf(stderr, "bench_gui_stall: cannot open %s\n", qPrintable(scenario));
            return 2;
        }
    }
    otalab::app::LabSession& session = *sessionPtr;
    session.setSpeed(otalab::app::LabSession::kAsFastAsPossible);
    session.run();

    constexpr int kPeriodMs = 5;
    std::vector<double> gapsMs;
    gapsMs.reserve(static_cast<std::size_t>(seconds * 1000 / kPeriodMs) + 16);
    QElapsedTimer sinceTick;
    QElapsedTimer total;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(kPeriodMs);
    bool started = false;
    constexpr qint64 kWarmupMs = 2000;  // first show, layout and the topology's first build
    std::size_t warmupTicks = 0;
    QObject::connect(&watchdog, &QTimer::timeout, [&] {
        if (started) {
            gapsMs.push_back(static_cast<double>(sinceTick.nsecsElapsed()) / 1e6);
            if (total.elapsed() < kWarmupMs)
                ++warmupTicks;
        }
        started = true;
        sinceTick.start();
    });
    std::uint64_t startEvents = 0;
    double startWall = 0;
    // Measure from the first snapshot on (the build of a large topology is not a stall
    // of the running lab, but it is measured too: it runs on the worker).
    QObject::connect(&session, &otalab::app::LabSession::topologyChanged, [&] {
        startEvents = session.latest().eventsExecuted;
        startWall = static_cast<double>(total.elapsed()) / 1000.0;
    });
    total.start();
    watchdog.start();
    QTimer::singleShot(static_cast<int>(seconds * 1000), &app, [&] {
        watchdog.stop();
        session.pause();
        QApplication::quit();
    });
    QObject::connect(&session, &otalab::app::LabSession::runFinished, &app, [&] {
        std::fprintf(stderr, "bench_gui_stall: run finished at %.1f s wall\n", static_cast<double>(total.elapsed()) / 1000.0);
    });
    app.exec();

    std::vector<double> sorted = gapsMs;
    std::sort(sorted.begin(), sorted.end());
    const auto pct = [&](double p) {
        if (sorted.empty())
            return 0.0;
        const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1));
        return sorted[index];
    };
    const double maxGap = sorted.empty() ? 0.0 : sorted.back();
    std::vector<double> steady(gapsMs.begin() + static_cast<std::ptrdiff_t>(std::min(warmupTicks, gapsMs.size())), gapsMs.end());
    std::sort(steady.begin(), steady.end());
    const double steadyMax = steady.empty() ? 0.0 : steady.back();
    const double steadyP99 = steady.empty() ? 0.0 : steady[static_cast<std::size_t>(0.99 * static_cast<double>(steady.size() - 1))];
    const double wall = static_cast<double>(total.elapsed()) / 1000.0;
    const auto& latest = session.latest();
    const double eventsPerSecond = wall - startWall > 0
                                       ? static_cast<double>(latest.eventsExecuted - startEvents) / (wall - startWall)
                                       : 0.0;
    const long over50 = std::count_if(sorted.begin(), sorted.end(), [](double g) { return g > 50.0; });
    std::printf("scenario            %s%s\n", qPrintable(scenario), bare ? " (bare session, no window)" : "");
    std::printf("wall time           %.1f s (%zu watchdog ticks of %d ms)\n", wall, gapsMs.size(), kPeriodMs);
    std::printf("GUI stall max       %.1f ms\n", maxGap);
    std::printf("GUI stall p99       %.1f ms\n", pct(99));
    std::printf("GUI stall p50       %.1f ms\n", pct(50));
    std::printf("gaps > 50 ms        %ld\n", over50);
    std::printf("after 2 s warm-up   max %.1f ms, p99 %.1f ms\n", steadyMax, steadyP99);
    std::printf("virtual time        %.1f s of %.0f s (%d/%d upgraded)\n", latest.timeS, latest.untilS, latest.upgraded, latest.clients);
    std::printf("events              %llu (%.0f events/s over the run)\n",
                static_cast<unsigned long long>(latest.eventsExecuted), eventsPerSecond);
    std::printf("log rows kept       %zu\n", session.history().endLogRow() - session.history().firstLogRow());
    app.printSlowest();
    return maxGap > 50.0 ? 1 : 0;
}
