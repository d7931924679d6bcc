// SPDX-License-Identifier: Apache-2.0
// SmpOperationHost: drives one sans-IO SMP client operation over a simulated link in virtual time.
#pragma once

#include "core/smp/smp_operation.h"
#include "sim/kernel/tracehash.h"
#include "sim/smp/smplink.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace otalab::sim {

// The link handling of app/hw's SmpSession, in virtual time.
struct SmpHostOptions {
    SimTime reopenFirstDelay = SimTime::fromMillis(250);
    SimTime reopenMaxDelay = SimTime::fromMillis(2000);
    SimTime reopenGiveUp = SimTime::fromSecondsInt(60);
    bool keepLog = true;   // keep the operation's log lines (with times) in log()
};

// The same role as app/hw SmpSession, on the simulator's clock: nowMs is virtual time
// in whole milliseconds; one Timer serves the operation's wakeAtMs; packets go through
// the link. A link that goes down under the host (the board reset a USB CDC port or a
// BLE connection) gives the operation onLinkDown and is reopened with backoff
// (reopenFirstDelay doubling up to reopenMaxDelay) until the board's end is back, then
// onLinkUp; `reopenLink` closes and reopens it the same way without onLinkDown. After
// reopenGiveUp without the board the operation is cancelled and the host fails.
//
// Deterministic: the trace hash folds every packet (time, direction, bytes), link
// change, timer call and the outcome, so the same seed and setup give the same hash.
// Simulation thread only; must outlive the simulator's events.
class SmpOperationHost final : public EventHandler, public SmpLinkHost {
public:
    SmpOperationHost(Simulator& sim, SmpLink& link, core::smp::Operation& operation, SmpHostOptions options = {},
                     NodeId node = 0);
    SmpOperationHost(const SmpOperationHost&) = delete;
    SmpOperationHost& operator=(const SmpOperationHost&) = delete;

    // Opens the link and starts the operation at the simulator's current time (call
    // outside a run). A link that cannot open is retried like a lost one.
    void start();
    // start() if needed, then runs the simulator until the operation finished or `limit`
    // (virtual time). True when it finished (successfully or not: see failure()).
    bool runUntilFinished(SimTime limit);
    // Stops driving the operation (its timers are cancelled, the link is closed and
    // detached); nothing calls the operation afterwards. A no-op once finished.
    void abandon();

    bool isFinished() const { return m_finished; }
    std::optional<SimTime> startedAt() const { return m_startedAt; }
    std::optional<SimTime> finishedAt() const { return m_finishedAt; }
    // The operation's failure, or the host's own (the link did not come back).
    std::optional<Error> failure() const;
    core::smp::Operation& operation() { return m_operation; }

    std::uint64_t traceHash() const { return m_trace.value(); }
    const QStringList& log() const { return m_log; }                   // "12.345678 s: line"
    const QList<core::smp::Progress>& progress() const { return m_progress; }
    const QStringList& deviceText() const { return m_deviceText; }     // console lines from the board
    const QStringList& linkErrors() const { return m_linkErrors; }     // frames the host dropped
    int packetsSent() const { return m_packetsSent; }
    int packetsReceived() const { return m_packetsReceived; }
    int linkDowns() const { return m_linkDowns; }
    int reopens() const { return m_reopens; }

    // SmpLinkHost
    void onLinkPacket(const QByteArray& packet) override;
    void onLinkDown() override;
    void onLinkText(const QByteArray& line) override;
    void onLinkError(const QString& message) override;
    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { Wake = 1, Reopen = 2 };
    enum Trace : std::uint64_t { Sent = 1, Received = 2, LinkDown = 3, LinkUp = 4, TimerCall = 5, Finished = 6 };

    std::int64_t nowMs() const { return m_sim.now().nanos() / 1'000'000; }
    void apply(core::smp::OperationOutput& out);
    void scheduleReopen(bool first);
    void reopenAttempt();
    void finish();
    void note(const QString& line);
    void trace(Trace kind, QByteArrayView bytes = {});

    Simulator& m_sim;
    SmpLink& m_link;
    core::smp::Operation& m_operation;
    SmpHostOptions m_options;
    NodeId m_node;
    EventHandle m_wake;
    EventHandle m_reopen;
    SimTime m_reopenDelay;
    SimTime m_reopenSince;
    bool m_started = false;
    bool m_operationStarted = false;
    bool m_linkUp = false;
    bool m_reopening = false;
    bool m_finished = false;
    bool m_inRun = false;
    std::optional<SimTime> m_startedAt;
    std::optional<SimTime> m_finishedAt;
    std::optional<Error> m_hostFailure;
    TraceHash m_trace;
    QStringList m_log;
    QList<core::smp::Progress> m_progress;
    QStringList m_deviceText;
    QStringList m_linkErrors;
    int m_packetsSent = 0;
    int m_packetsReceived = 0;
    int m_linkDowns = 0;
    int m_reopens = 0;
};

} // namespace otalab::sim
