// SPDX-License-Identifier: Apache-2.0
#include "app/cli/cli.h"

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("otalab-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("OTA Lab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OTALAB_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    otalab::cli::CliIo io{out, err};
    const int code = otalab::cli::runCli(QCoreApplication::arguments(), io);
    out.flush();
    err.flush();
    return code;
}
