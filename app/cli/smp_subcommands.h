// SPDX-License-Identifier: Apache-2.0
// The `otalab-cli smp` subcommands and the plumbing they share. Each takes its own argv
// (args[0] = "otalab-cli smp image upload") and the connection options read so far.
#pragma once

#include "app/cli/cli.h"
#include "app/cli/smp_client.h"
#include "core/smp/client_command.h"
#include "core/smp/client_upload.h"

#include <memory>

namespace otalab::cli {

using SmpSubcommandFn = int (*)(const QStringList& args, SmpOptions options, CliIo& io);

int smpImageList(const QStringList& args, SmpOptions options, CliIo& io);     // smp_image_commands.cpp
int smpImageTest(const QStringList& args, SmpOptions options, CliIo& io);     // smp_image_commands.cpp
int smpImageConfirm(const QStringList& args, SmpOptions options, CliIo& io);  // smp_image_commands.cpp
int smpImageErase(const QStringList& args, SmpOptions options, CliIo& io);    // smp_image_commands.cpp
int smpImageSlots(const QStringList& args, SmpOptions options, CliIo& io);    // smp_image_commands.cpp
int smpImageUpload(const QStringList& args, SmpOptions options, CliIo& io);   // smp_upload_command.cpp
int smpUpgrade(const QStringList& args, SmpOptions options, CliIo& io);       // smp_upgrade_command.cpp
int smpReset(const QStringList& args, SmpOptions options, CliIo& io);         // smp_os_commands.cpp
int smpEcho(const QStringList& args, SmpOptions options, CliIo& io);          // smp_os_commands.cpp
int smpParams(const QStringList& args, SmpOptions options, CliIo& io);        // smp_os_commands.cpp
int smpInfo(const QStringList& args, SmpOptions options, CliIo& io);          // smp_os_commands.cpp
int smpPorts(const QStringList& args, SmpOptions options, CliIo& io);         // smp_os_commands.cpp (no --conn)

// Exit code for an interrupted command (128 + SIGINT, like a shell).
inline constexpr int ExitInterrupted = 130;

// --- smp_support.cpp ---------------------------------------------------------------
// Adds the connection options, parses, prints help or the parse error, then reads the
// connection options into `options`. Returns an exit code to stop with, or nullopt.
std::optional<int> parseSmpSubcommand(QCommandLineParser& parser, const QStringList& args, SmpOptions& options,
                                      CliIo& io, const QString& description);
// The link, or nullptr after printing why (code set).
std::unique_ptr<SmpLink> openSmpLink(const SmpOptions& options, CliIo& io, int& code);
// --verbose: the exchange log and the board's console on stderr.
SmpRunHooks verboseHooks(const SmpOptions& options, CliIo& io);
// Prints the failure of a run ("error: …" plus what to do) and returns its exit code.
int reportRunFailure(CliIo& io, const SmpRunResult& result, bool boardRefused);
// Runs a one-shot command. nullopt on success; else the failure was printed and this is
// the exit code.
std::optional<int> runSmpCommand(SmpLink& link, std::unique_ptr<core::smp::CommandOperation> operation, CliIo& io);
// A failure message from an operation that only says it in words (upload, upgrade).
bool saysBoardRefused(const QString& message);
// --force of `image upload` and `upgrade`: the help line, and the refusal without it
// ("PATH: <core::smp::checkImageToSend() finding> (… --force sends it anyway)").
QString forceHelp();
QString refusedImageMessage(const QString& path, const Error& error);

// Upload options from the shared connection options: packet size, window, timeouts and
// retries (smp_upload_command.cpp).
core::smp::UploadOptions uploadOptionsFor(const SmpOptions& options, int maxPacketBytes);

// What image an argument names: a full SHA256 TLV hash (64 hex digits), a hex prefix of
// one (resolved against the board's list), or an MCUboot image file (its SHA256 TLV).
struct ImageHashArgument {
    QByteArray hash;     // set for a full hash or a file
    QString prefix;      // set for a prefix (lower case)
    QString label;       // for messages: "zephyr.signed.bin (1.1.0, 9b1c44d0)" / "9b1c44d0"
};
Result<ImageHashArgument> parseImageHashArgument(const QString& text);
// Resolves a prefix against the board's image list (one state read). Prints and returns
// an exit code on failure.
std::optional<int> resolveImageHash(SmpLink& link, ImageHashArgument& argument, CliIo& io);

} // namespace otalab::cli
