// SPDX-License-Identifier: Apache-2.0
// otalab: parses the command line, shows the main window, optionally saves a screenshot.
#include "imageinspectorcontroller.h"
#include "imageinspectorpanel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OTA Lab"));
    QApplication::setApplicationName(QStringLiteral("otalab"));
    QApplication::setApplicationVersion(QStringLiteral(OTALAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("OTA Lab: inspect firmware images, simulate rollouts, update boards."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Image to open in the Image Inspector."), QStringLiteral("[FILE]"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("PEM key to verify signatures with (repeatable)."),
                                       QStringLiteral("PEM"));
    const QCommandLineOption decryptOption(QStringLiteral("decrypt-key"),
                                           QStringLiteral("Key that decrypts encrypted images: PEM private key or raw AES-KW key file."), QStringLiteral("KEY"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QStringLiteral("Save the window as PNG once it is shown."), QStringLiteral("PNG"));
    const QCommandLineOption quitOption(QStringLiteral("quit"), QStringLiteral("Quit after startup (after --screenshot)."));
    parser.addOptions({keyOption, decryptOption, screenshotOption, quitOption});
    parser.process(app);
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "otalab: at most one FILE may be given\n");
        return 2;
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
    if (!parser.positionalArguments().isEmpty())
        window.openImage(parser.positionalArguments().constFirst());
    window.show();

    const QString screenshot = parser.value(screenshotOption);
    const bool quit = parser.isSet(quitOption);
    if (!screenshot.isEmpty() || quit) {
        // Let the first show, layout and paint settle before grabbing.
        QTimer::singleShot(300, &window, [&] {
            if (!screenshot.isEmpty() && !window.grab().save(screenshot, "PNG")) {
                std::fprintf(stderr, "otalab: cannot write screenshot %s\n", qPrintable(screenshot));
                exitCode = 1;
            }
            if (quit) {
                window.close();
                QApplication::exit(exitCode);
            }
        });
    }
    const int rc = app.exec();
    return rc != 0 ? rc : exitCode;
}
