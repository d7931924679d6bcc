// SPDX-License-Identifier: Apache-2.0
// Shared plumbing for otalab-cli commands: output streams, exit codes, option
// parsing with --help on every command.
#pragma once

#include "core/common/error.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <optional>

namespace otalab::cli {

// Exit codes, stable for scripts (documented in README).
enum ExitCode : int {
    ExitOk = 0,        // success; for inspect/verify: the image is valid
    ExitInvalid = 1,   // the image is invalid or a check failed
    ExitUsage = 2,     // bad command line
    ExitIo = 3,        // a file could not be read or written
    ExitConnection = 4, // smp/target: the board or port could not be reached, or stopped answering
};

// Where a command writes. Tests pass string-backed streams.
struct CliIo {
    QTextStream& out;
    QTextStream& err;
};

// A command receives its own arguments; args[0] is its full name for help text,
// e.g. "otalab-cli image create zigbee".
using CommandFn = int (*)(const QStringList& args, CliIo& io);

// Adds -h/--help, parses, prints help or the parse error. Returns an exit code when
// the command must stop here (help shown: ExitOk; bad options: ExitUsage), or
// nullopt to continue. `positional` documents positional arguments for help text.
std::optional<int> parseCommand(QCommandLineParser& parser, const QStringList& args, CliIo& io,
                                const QString& description);

// Reads a whole file, or writes one atomically (temporary file + rename, so an
// interrupted write never leaves a half file where the old one was).
Result<QByteArray> readFile(const QString& path);
Result<void> writeFileAtomic(const QString& path, const QByteArray& data);

// Parses "123", "0x7b" (any case). Fails with the option name in the message.
Result<quint64> parseUnsigned(const QString& text, const QString& optionName, quint64 max);

// Prints "error: ..." to io.err and returns code.
int reportError(CliIo& io, const QString& message, int code);

// Entry point used by main.cpp and by tests: dispatches "image inspect ..." etc.
int runCli(const QStringList& argv, CliIo& io);

} // namespace otalab::cli
