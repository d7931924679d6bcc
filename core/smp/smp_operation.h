// SPDX-License-Identifier: Apache-2.0
// The contract between a sans-IO SMP client operation (echo, image list, upload, upgrade…)
// and whoever drives it: app/hw with a real transport and QTimer (real time), sim/ with a
// link model (virtual time), tests with a loopback server. The operation owns sequence
// numbers, timeouts and retries; the driver only moves whole packets and keeps one timer.
//
// Threading: not thread-safe; one thread drives an operation. Time: `nowMs` is the
// driver's clock in milliseconds, non-decreasing across calls.
#pragma once

#include "core/common/error.h"
#include "core/smp/packet_limit.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace otalab::core::smp {

// Upload/transfer progress. bytesPerSecond is image bytes over the last few seconds
// (not wire bytes); etaSeconds is empty until the rate is known.
struct Progress {
    QString phase;             // "upload", "test", "reset", "waiting for the board", "confirm"…
    qint64 done = 0;           // image bytes acknowledged by the board
    qint64 total = 0;
    double bytesPerSecond = 0;
    std::optional<double> etaSeconds;
};

// What one call asks of the driver, appended in order.
struct OperationOutput {
    QList<QByteArray> packets;              // whole SMP packets to send now, in order
    // Call onTimer() at this absolute time. Every call that sets it replaces the previous
    // wish; std::nullopt after a call means "no timer needed".
    std::optional<std::int64_t> wakeAtMs;
    QList<Progress> progress;               // newest last
    QList<QString> log;                     // human-readable exchange/log lines
    bool reopenLink = false;                // close and reopen the transport (after a reset)
};

class Operation {
public:
    virtual ~Operation() = default;

    virtual void start(std::int64_t nowMs, OperationOutput& out) = 0;
    // One whole SMP packet from the board (already deframed/reassembled by the transport).
    virtual void onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out) = 0;
    virtual void onTimer(std::int64_t nowMs, OperationOutput& out) = 0;
    // The link went away (cable pulled, board reset, USB port vanished) / came back.
    // Operations that can resume (upload, upgrade) wait for onLinkUp within their patience.
    virtual void onLinkDown(std::int64_t nowMs, OperationOutput& out) = 0;
    virtual void onLinkUp(std::int64_t nowMs, OperationOutput& out) = 0;
    // User abort: finishes with an "aborted" error, sends nothing further.
    virtual void cancel(std::int64_t nowMs, OperationOutput& out) = 0;
    // The largest packet the link carries, told by the driver before start() (and by
    // anyone else who knows a limit, e.g. a user option); the tightest one counts.
    // Requests that do not fit are refused at once instead of sent. Default: ignored.
    virtual void limitPackets(const PacketLimit& /*limit*/) {}

    bool isFinished() const { return m_finished; }
    // Empty on success; after a failure, a message a user can act on.
    const std::optional<Error>& failure() const { return m_failure; }

protected:
    void finish() { m_finished = true; }
    void finishWith(Error error) { m_finished = true; m_failure = std::move(error); }

private:
    bool m_finished = false;
    std::optional<Error> m_failure;
};

} // namespace otalab::core::smp
