// SPDX-License-Identifier: Apache-2.0
// Runs otalab-cli in-process and captures its output, for CLI tests.
#pragma once

#include "app/cli/cli.h"

#include <QCoreApplication>
#include <QString>
#include <QTextStream>

namespace otalab::testing {

struct CliRun {
    int code = -1;
    QString out;
    QString err;
};

// argv without the program name: runCli({"image", "inspect", path}).
inline CliRun runCli(const QStringList& words)
{
    CliRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    cli::CliIo io{out, err};
    run.code = cli::runCli(QStringList{QStringLiteral("otalab-cli")} + words, io);
    out.flush();
    err.flush();
    return run;
}

} // namespace otalab::testing
