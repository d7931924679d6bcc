// SPDX-License-Identifier: Apache-2.0
// The connection side of `otalab-cli smp`: the options every subcommand shares (--conn,
// --timeout-ms, --retries, --window, --mtu, --v1, --verbose) and SmpLink, which opens
// one transport and runs SMP client operations on it one after another, in real time.
#pragma once

#include "app/cli/cli.h"
#include "app/hw/smp_session.h"
#include "app/hw/transport_registry.h"
#include "core/smp/client_requester.h"

#include <QCommandLineOption>
#include <functional>
#include <memory>

namespace otalab::cli {

struct SmpOptions {
    QString conn;                     // "serial:/dev/ttyACM0,baud=115200", "udp:HOST[:PORT]", "ble:NAME"
    std::optional<int> timeoutMs;     // per request attempt
    std::optional<int> retries;       // extra attempts per request
    std::optional<int> window;        // upload chunks in flight
    std::optional<int> mtu;           // largest SMP packet to send (bytes)
    bool v1 = false;                  // speak SMP v1 (old boards / mcumgr-compatible)
    bool verbose = false;             // exchange log and board console on stderr

    core::smp::RequestPolicy policy() const;   // commands: timeout and retries
};

// The shared options, for a parser of `smp` and of each subcommand (so they may stand
// before or after the subcommand).
QList<QCommandLineOption> smpOptionList();
// Reads what `parser` saw into `options` (later calls override earlier values).
Result<void> readSmpOptions(const QCommandLineParser& parser, SmpOptions& options);

// How an operation run ended.
struct SmpRunResult {
    bool ok = false;
    QString message;              // the failure in plain words; empty on success
    bool connected = false;       // the transport opened (false: never reached the board)
    bool interrupted = false;     // Ctrl-C / SIGTERM
    qint64 wireSent = 0;          // raw link bytes during this run
    qint64 wireReceived = 0;
    double seconds = 0;
};

// Hooks called from the event loop while an operation runs.
struct SmpRunHooks {
    std::function<void(const core::smp::Progress&)> progress;
    std::function<void(const QString&)> log;         // the operation's log lines
    std::function<void(const QString&)> deviceLog;   // board console lines (serial)
    std::function<void(bool up)> linkChanged;         // the link dropped / came back
};

// One transport for one command invocation. Operations run in turn, each in its own
// SmpSession; sequence numbers and the protocol version carry over from one to the next
// (the first starts at a random sequence number, so answers a killed earlier client left
// in a serial buffer do not match). Needs a QCoreApplication (runs a local event loop).
class SmpLink final {
public:
    static Result<std::unique_ptr<SmpLink>> open(const SmpOptions& options);
    ~SmpLink();

    // Runs `operation` until it finishes or SIGINT/SIGTERM arrives (then it is cancelled).
    // The operation stays alive until the next run() or the link's end, so the caller may
    // read its results through a pointer kept before handing it over.
    SmpRunResult run(std::unique_ptr<core::smp::ClientOperation> operation, const SmpRunHooks& hooks = {});

    core::transport::Transport& transport() { return *m_transport; }
    const SmpOptions& options() const { return m_options; }
    // Largest SMP packet for uploads: the transport's limit, lowered by --mtu.
    int maxPacketBytes() const;
    // Closes the transport (it reopens on the next run).
    void close();
    // Lets the event loop run for `ms` milliseconds; false when SIGINT/SIGTERM cut it short.
    bool pause(int ms);

private:
    SmpLink(const SmpOptions& options, std::unique_ptr<core::transport::Transport> transport);

    SmpOptions m_options;
    std::unique_ptr<core::transport::Transport> m_transport;
    std::unique_ptr<hw::SmpSession> m_session;   // the last run's
    core::smp::Requester m_carry;                // sequence number and version for the next run
};

// The process-wide plugin registry (plugins are loaded once and stay loaded).
hw::TransportRegistry& transportRegistry();

// Exit code for a failed run: ExitConnection when the board was never reached or stopped
// answering, ExitInvalid when it answered with a refusal.
int exitCodeFor(const SmpRunResult& result, bool boardRefused);

} // namespace otalab::cli
