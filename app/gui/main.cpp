// SPDX-License-Identifier: Apache-2.0
// otalab: parses the command line, shows the main window, optionally drives a run and saves screenshots.
#include "bench/benchautomation.h"
#include "bench/benchwindow.h"
#include "bench/jobsautomation.h"
#include "imageinspectorcontroller.h"
#include "imageinspectorpanel.h"
#include "mainwindow.h"
#include "runcontrols/labautomation.h"
#include "runcontrols/runcontrolscontroller.h"
#include "scenario/scenariodocument.h"
#include "sweep/sweepcontroller.h"
#include "sweep/sweeppanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

namespace {

using otalab::app::LabAutomation;
using otalab::app::RunControlsController;

// "--speed": a positive factor (virtual s per wall s) or "max".
std::optional<double> parseSpeed(const QString& text)
{
    if (text.compare(QLatin1String("max"), Qt::CaseInsensitive) == 0)
        return 0.0;
    bool ok = false;
    const double v = text.toDouble(&ok);
    return ok && v > 0 ? std::optional<double>(v) : std::nullopt;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OTA Lab"));
    QApplication::setApplicationName(QStringLiteral("otalab"));
    QApplication::setApplicationVersion(QStringLiteral(OTALAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "OTA Lab: inspect firmware images, simulate rollouts, update boards.\n\n"
        "Picture of a rollout, headless:\n"
        "  QT_QPA_PLATFORM=offscreen otalab --scenario starter.json --speed max --screenshot-at 900 \\\n"
        "      --screenshot lab.png --run --quit-when-done\n\n"
        "Boards on the Bench (connect, upload to each, picture, quit):\n"
        "  otalab --bench udp:127.0.0.1:1337 --bench serial:/dev/ttyACM0,baud=115200 \\\n"
        "      --bench-upload app.signed.bin --screenshot bench.png --quit-when-done"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Image to open in the Image Inspector."), QStringLiteral("[FILE]"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("PEM key to verify signatures with (repeatable)."),
                                       QStringLiteral("PEM"));
    const QCommandLineOption decryptOption(QStringLiteral("decrypt-key"),
                                           QStringLiteral("Key that decrypts encrypted images: PEM private key or raw AES-KW key file."), QStringLiteral("KEY"));
    const QCommandLineOption scenarioOption(QStringLiteral("scenario"),
                                            QStringLiteral("Scenario to open and load into the lab (default: the last one, or the bundled starter)."),
                                            QStringLiteral("FILE"));
    const QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Run the rollout to its end once loaded."));
    const QCommandLineOption runToOption(QStringLiteral("run-to"),
                                         QStringLiteral("Run to this virtual time, then pause (seconds, \"20 min\" or h:mm:ss)."),
                                         QStringLiteral("SECONDS"));
    const QCommandLineOption speedOption(QStringLiteral("speed"),
                                         QStringLiteral("Virtual seconds per wall second (e.g. 1, 100), or \"max\" for as fast as possible."),
                                         QStringLiteral("X|max"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save the window as PNG: at --screenshot-at, else when the run stops "
                                                             "(with --run/--run-to), else once the window is shown."),
                                              QStringLiteral("PNG"));
    const QCommandLineOption screenshotAtOption(QStringLiteral("screenshot-at"),
                                                QStringLiteral("Take --screenshot when virtual time reaches this (the run pauses there "
                                                               "for the picture, then goes on with --run/--run-to)."),
                                                QStringLiteral("SECONDS"));
    const QCommandLineOption quitWhenDoneOption(QStringLiteral("quit-when-done"),
                                                QStringLiteral("Quit when the run finishes or reaches --run-to (after --screenshot)."));
    const QCommandLineOption selectOption(QStringLiteral("select"),
                                          QStringLiteral("Select the device with this short address (e.g. 0x0004) once the scenario is built."),
                                          QStringLiteral("ADDRESS"));
    const QCommandLineOption quitOption(QStringLiteral("quit"), QStringLiteral("Quit after startup (after --screenshot)."));
    const QCommandLineOption showOption(QStringLiteral("show"),
                                        QStringLiteral("Bring this panel forward once the window is shown: lab, scenario, image, "
                                                       "inspector, charts, rollout, compare, timeline, log."),
                                        QStringLiteral("PANEL"));
    const QCommandLineOption benchOption(QStringLiteral("bench"),
                                         QStringLiteral("Open the Bench and connect this board (repeatable), e.g. "
                                                        "udp:127.0.0.1:1337 or serial:/dev/ttyACM0,baud=115200. "
                                                        "--screenshot then pictures the Bench once the boards settled."),
                                         QStringLiteral("CONN"));
    const QCommandLineOption benchUploadOption(QStringLiteral("bench-upload"),
                                               QStringLiteral("Upload this image to every board connected with --bench "
                                                              "(--quit-when-done: quit when all are done)."),
                                               QStringLiteral("FILE"));
    const QCommandLineOption benchShotOption(QStringLiteral("bench-screenshot-at"),
                                             QStringLiteral("With --bench-upload: take --screenshot when the upload on the "
                                                            "board shown reaches PERCENT, then go on."),
                                             QStringLiteral("PERCENT"));
    const QCommandLineOption benchJobsOption(QStringLiteral("bench-jobs"),
                                             QStringLiteral("Open the Bench on Jobs (MQTT) and serve jobs on this broker, e.g. "
                                                            "mqtt://127.0.0.1:1883. --screenshot: once connected, or with "
                                                            "--bench-screenshot-at when the newest job's first execution "
                                                            "reaches PERCENT of its blocks."),
                                             QStringLiteral("URL"));
    const QCommandLineOption sweepOption(QStringLiteral("sweep"),
                                         QStringLiteral("Open this sweep folder (otalab-cli sweep … --out DIR) in the Sweep view; "
                                                        "--screenshot then waits until it is read."),
                                         QStringLiteral("DIR"));
    parser.addOptions({keyOption, decryptOption, scenarioOption, runOption, runToOption, speedOption, screenshotOption,
                       screenshotAtOption, quitWhenDoneOption, selectOption, quitOption, showOption, benchOption,
                       benchUploadOption, benchShotOption, benchJobsOption, sweepOption});
    parser.process(app);
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "otalab: at most one FILE may be given\n");
        return 2;
    }

    LabAutomation::Options automation;
    automation.run = parser.isSet(runOption);
    automation.quitWhenDone = parser.isSet(quitWhenDoneOption);
    automation.screenshotPath = parser.value(screenshotOption);
    if (parser.isSet(runToOption)) {
        automation.runToS = RunControlsController::parseTime(parser.value(runToOption));
        if (!automation.runToS) {
            std::fprintf(stderr, "otalab: --run-to %s: expected seconds, \"20 min\" or h:mm:ss\n", qPrintable(parser.value(runToOption)));
            return 2;
        }
    }
    if (parser.isSet(screenshotAtOption)) {
        automation.screenshotAtS = RunControlsController::parseTime(parser.value(screenshotAtOption));
        if (!automation.screenshotAtS) {
            std::fprintf(stderr, "otalab: --screenshot-at %s: expected seconds, \"20 min\" or h:mm:ss\n",
                         qPrintable(parser.value(screenshotAtOption)));
            return 2;
        }
        if (automation.screenshotPath.isEmpty()) {
            std::fprintf(stderr, "otalab: --screenshot-at needs --screenshot PNG\n");
            return 2;
        }
    }
    const bool benchMode = parser.isSet(benchOption);
    if (parser.isSet(benchUploadOption) && !benchMode) {
        std::fprintf(stderr, "otalab: --bench-upload needs at least one --bench CONN\n");
        return 2;
    }
    if (benchMode && (automation.run || automation.runToS || automation.screenshotAtS)) {
        std::fprintf(stderr, "otalab: --bench cannot be combined with --run, --run-to or --screenshot-at\n");
        return 2;
    }
    std::optional<double> speed;
    if (parser.isSet(speedOption)) {
        speed = parseSpeed(parser.value(speedOption));
        if (!speed) {
            std::fprintf(stderr, "otalab: --speed %s: expected a factor > 0 or \"max\"\n", qPrintable(parser.value(speedOption)));
            return 2;
        }
    }

    otalab::app::MainWindow window;
    auto* controller = window.imageInspector()->controller();
    int exitCode = 0;
    QObject::connect(controller, &otalab::app::ImageInspectorController::loadFailed, &app, [&](const QString& message) {
        std::fprintf(stderr, "otalab: %s\n", qPrintable(message));
        exitCode = 1;
    });
    if (parser.isSet(keyOption))
        controller->setVerificationKeys(parser.values(keyOption));
    if (parser.isSet(decryptOption))
        controller->setDecryptionKey(parser.value(decryptOption));
    if (speed)
        window.session().setSpeed(*speed);

    if (parser.isSet(selectOption)) {
        // A node name as the lab shows it ("0x0004", "board-0017"); a bare number is a
        // Zigbee short address in hex as before.
        QString wanted = parser.value(selectOption).trimmed();
        bool ok = false;
        const uint address = wanted.toUInt(&ok, 0);
        if (ok && address <= 0xFFFF)
            wanted = QStringLiteral("0x%1").arg(address, 4, 16, QLatin1Char('0'));
        if (wanted.isEmpty()) {
            std::fprintf(stderr, "otalab: --select: expected a node name such as 0x0004 or board-0017\n");
            return 2;
        }
        QObject::connect(&window.session(), &otalab::app::LabSession::topologyChanged, &window, [&window, wanted] {
            for (const auto& node : window.session().topology().nodes) {
                if (node.name.compare(wanted, Qt::CaseInsensitive) == 0)
                    window.selection().setCurrent(node.node);
            }
        });
    }
    if (parser.isSet(scenarioOption)) {
        const QString path = parser.value(scenarioOption);
        if (!window.openScenario(path, true)) {
            const auto& error = window.scenario().error();
            std::fprintf(stderr, "otalab: scenario %s: %s\n", qPrintable(path),
                         error ? qPrintable(error->toString()) : "cannot be read");
            return 1;
        }
    } else {
        window.openStartupScenario();
    }
    if (!parser.positionalArguments().isEmpty())
        window.openImage(parser.positionalArguments().constFirst());
    window.show();
    const bool sweepMode = parser.isSet(sweepOption);
    if (sweepMode) {
        const bool unattended = !automation.screenshotPath.isEmpty() || parser.isSet(quitOption) || automation.quitWhenDone;
        QObject::connect(window.sweepPanel()->controller(), &otalab::app::SweepController::openFailed, &app,
                         [&exitCode](const QString& message) {
                             std::fprintf(stderr, "otalab: --sweep: %s\n", qPrintable(message));
                             exitCode = 1;
                         });
        window.openSweep(parser.value(sweepOption), unattended);
    }
    if (parser.isSet(showOption)) {
        const QString panel = parser.value(showOption);
        // After the first layout pass (the default layout is applied then).
        QTimer::singleShot(0, &window, [&window, panel] {
            if (!window.showPanel(panel))
                std::fprintf(stderr, "otalab: --show %s: unknown panel\n", qPrintable(panel));
        });
    }

    if (parser.isSet(benchJobsOption)) {
        otalab::app::JobsAutomation::Options options;
        options.url = parser.value(benchJobsOption);
        options.screenshotPath = automation.screenshotPath;
        options.quit = parser.isSet(quitOption) || automation.quitWhenDone;
        if (parser.isSet(benchShotOption))
            options.screenshotAtPercent = std::clamp(parser.value(benchShotOption).toInt(), 0, 100);
        auto* jobsDriver = new otalab::app::JobsAutomation(*window.showBench(), options, &window);
        QObject::connect(jobsDriver, &otalab::app::JobsAutomation::done, &app, [&](int code) {
            exitCode = std::max(exitCode, code);
            window.close();
            QApplication::exit(exitCode);
        });
        QTimer::singleShot(0, jobsDriver, &otalab::app::JobsAutomation::start);
        const int rc = app.exec();
        return rc != 0 ? rc : exitCode;
    }
    if (benchMode) {
        otalab::app::BenchAutomation::Options options;
        options.connections = parser.values(benchOption);
        options.uploadPath = parser.value(benchUploadOption);
        options.screenshotPath = automation.screenshotPath;
        options.quit = parser.isSet(quitOption) || automation.quitWhenDone;
        if (parser.isSet(benchShotOption)) {
            bool ok = false;
            const int percent = parser.value(benchShotOption).toInt(&ok);
            if (!ok || percent < 0 || percent > 100 || options.uploadPath.isEmpty() || options.screenshotPath.isEmpty()) {
                std::fprintf(stderr, "otalab: --bench-screenshot-at takes a percentage 0-100 and needs --bench-upload and --screenshot\n");
                return 2;
            }
            options.screenshotAtPercent = percent;
        }
        auto* bench = window.showBench();
        auto* benchDriver = new otalab::app::BenchAutomation(*bench, options, &window);
        QObject::connect(benchDriver, &otalab::app::BenchAutomation::done, &app, [&](int code) {
            exitCode = std::max(exitCode, code);
            window.close();
            QApplication::exit(exitCode);
        });
        // Let the windows show and lay out first.
        QTimer::singleShot(0, benchDriver, &otalab::app::BenchAutomation::start);
        const int rc = app.exec();
        return rc != 0 ? rc : exitCode;
    }

    LabAutomation driver(window, window.session(), automation);
    QObject::connect(&driver, &LabAutomation::done, &app, [&](int code) {
        exitCode = std::max(exitCode, code);
        window.close();
        QApplication::exit(exitCode);
    });
    if (driver.drivesTheRun()) {
        driver.start();
    } else if (!automation.screenshotPath.isEmpty() || parser.isSet(quitOption) || automation.quitWhenDone) {
        const QString screenshot = automation.screenshotPath;
        const bool quit = parser.isSet(quitOption) || automation.quitWhenDone;
        // Let the first show, layout and paint settle before grabbing.
        const auto grabLater = [&, screenshot, quit] {
            QTimer::singleShot(300, &window, [&, screenshot, quit] {
                if (!screenshot.isEmpty() && !window.grab().save(screenshot, "PNG")) {
                    std::fprintf(stderr, "otalab: cannot write screenshot %s\n", qPrintable(screenshot));
                    exitCode = 1;
                }
                if (quit) {
                    window.close();
                    QApplication::exit(exitCode);
                }
            });
        };
        // --sweep: once the folder is read (or refused), not before.
        auto* sweep = window.sweepPanel()->controller();
        if (sweepMode && sweep->isLoading()) {
            QObject::connect(sweep, &otalab::app::SweepController::loadingChanged, &window, [grabLater](bool loading) {
                if (!loading)
                    grabLater();
            }, Qt::SingleShotConnection);
        } else {
            grabLater();
        }
    }
    const int rc = app.exec();
    return rc != 0 ? rc : exitCode;
}
