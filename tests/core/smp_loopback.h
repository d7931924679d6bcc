// SPDX-License-Identifier: Apache-2.0
// Test driver for SMP client operations: a virtual clock and an in-memory link between an
// Operation and a board (any function from request packet to response packets), with
// fault injection: dropped, delayed or corrupted packets, link down/up, a bit rate.
// Deterministic: every run of the same script gives the same exchange.
#pragma once

#include "core/smp/smp_operation.h"

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

namespace otalab::test::smp {

using core::smp::Operation;
using core::smp::OperationOutput;
using core::smp::Progress;

class Loopback {
public:
    // Board side: packets answered at the time the request arrives (plus boardDelayMs).
    using Board = std::function<QList<QByteArray>(std::int64_t nowMs, const QByteArray& request)>;
    // Fault hooks get the 0-based index of the packet in its direction; return true to drop.
    using DropFn = std::function<bool(int index, const QByteArray& packet)>;
    using MangleFn = std::function<void(int index, QByteArray& packet)>;

    Loopback(Operation& op, Board board) : m_op(op), m_board(std::move(board)) {}

    // --- link model ---------------------------------------------------------------
    std::int64_t latencyMs = 5;       // one way
    std::int64_t boardDelayMs = 1;    // processing time per request
    double bytesPerSecond = 0;        // per direction; 0 = unlimited
    // --- faults -------------------------------------------------------------------
    DropFn dropRequest;
    DropFn dropResponse;
    MangleFn mangleRequest;
    MangleFn mangleResponse;
    std::function<std::int64_t(int index)> extraResponseDelayMs;   // reorders answers
    // Called when the operation asks to reopen the link (after a reset). Default: count.
    std::function<void(Loopback&)> onReopen;

    // --- script -------------------------------------------------------------------
    void at(std::int64_t timeMs, std::function<void()> action) { push(timeMs, Event{Kind::Action, {}, 0, std::move(action)}); }
    void linkDownAt(std::int64_t timeMs) { at(timeMs, [this] { linkDown(); }); }
    void linkUpAt(std::int64_t timeMs) { at(timeMs, [this] { linkUp(); }); }
    void linkDown()
    {
        if (!m_linkUp)
            return;
        m_linkUp = false;
        ++m_epoch;
        ++linkDrops;
        call([&](OperationOutput& out) { m_op.onLinkDown(m_now, out); });
    }
    void linkUp()
    {
        if (m_linkUp)
            return;
        m_linkUp = true;
        ++m_epoch;
        call([&](OperationOutput& out) { m_op.onLinkUp(m_now, out); });
    }
    void cancelAt(std::int64_t timeMs) { at(timeMs, [this] { call([&](OperationOutput& out) { m_op.cancel(m_now, out); }); }); }

    // Runs until the operation finishes or `limitMs` of virtual time passed. Returns false
    // when the operation stalled (not finished, nothing scheduled) or hit the limit.
    // With OTALAB_TEST_LOG set in the environment, the log is printed to stderr.
    bool run(std::int64_t limitMs = 3600 * 1000)
    {
        const bool finished = runLoop(limitMs);
        if (qEnvironmentVariableIsSet("OTALAB_TEST_LOG"))
            for (const QString& line : log)
                std::fprintf(stderr, "  | %s\n", qPrintable(line));
        return finished;
    }

    std::int64_t now() const { return m_now; }
    bool isLinkUp() const { return m_linkUp; }

    // --- records ------------------------------------------------------------------
    QList<QByteArray> sentByClient;    // every packet the operation sent, in order
    QList<QByteArray> receivedByBoard; // what reached the board (after faults)
    QList<Progress> progress;
    QStringList log;
    int reopenRequests = 0;
    int linkDrops = 0;
    int timerCalls = 0;
    std::int64_t wireBytes = 0;        // both directions

private:
    enum class Kind { ToBoard, ToClient, Action };
    struct Event {
        Kind kind = Kind::Action;
        QByteArray packet;
        int epoch = 0;
        std::function<void()> action;
    };

    bool runLoop(std::int64_t limitMs)
    {
        if (!m_started) {
            m_started = true;
            call([&](OperationOutput& out) { m_op.start(m_now, out); });
        }
        while (!m_op.isFinished()) {
            const bool haveEvent = !m_events.empty();
            if (!haveEvent && !m_wakeAt)
                return false;
            std::int64_t next = haveEvent ? m_events.begin()->first.first : *m_wakeAt;
            const bool timerFirst = m_wakeAt && (!haveEvent || *m_wakeAt < next);
            if (timerFirst)
                next = *m_wakeAt;
            if (next > limitMs)
                return false;
            m_now = std::max(m_now, next);
            if (timerFirst) {
                m_wakeAt.reset();
                ++timerCalls;
                call([&](OperationOutput& out) { m_op.onTimer(m_now, out); });
                continue;
            }
            Event e = std::move(m_events.begin()->second);
            m_events.erase(m_events.begin());
            dispatch(e);
        }
        return true;
    }

    void push(std::int64_t at, Event e) { m_events.emplace(std::make_pair(at, m_order++), std::move(e)); }

    std::int64_t transmit(double& busyUntil, int bytes)
    {
        double start = std::max(busyUntil, double(m_now));
        double done = start + (bytesPerSecond > 0 ? bytes * 1000.0 / bytesPerSecond : 0.0);
        busyUntil = done;
        wireBytes += bytes;
        return std::int64_t(std::ceil(done)) + latencyMs;
    }

    template <typename F>
    void call(F&& f)
    {
        OperationOutput out;
        f(out);
        apply(out);
    }

    void apply(const OperationOutput& out)
    {
        m_wakeAt = out.wakeAtMs;
        progress.append(out.progress);
        log.append(out.log);
        for (const QByteArray& p : out.packets) {
            const int index = int(sentByClient.size());
            sentByClient.append(p);
            if (!m_linkUp)
                continue;
            QByteArray copy = p;
            if (dropRequest && dropRequest(index, copy))
                continue;
            if (mangleRequest)
                mangleRequest(index, copy);
            push(transmit(m_upBusy, int(copy.size())), Event{Kind::ToBoard, copy, m_epoch, {}});
        }
        if (out.reopenLink) {
            ++reopenRequests;
            if (onReopen)
                onReopen(*this);
        }
    }

    void dispatch(Event& e)
    {
        switch (e.kind) {
        case Kind::Action:
            e.action();
            return;
        case Kind::ToBoard: {
            if (e.epoch != m_epoch || !m_linkUp)
                return;
            receivedByBoard.append(e.packet);
            const QList<QByteArray> answers = m_board(m_now, e.packet);
            for (const QByteArray& a : answers) {
                const int index = m_responseIndex++;
                QByteArray copy = a;
                if (dropResponse && dropResponse(index, copy))
                    continue;
                if (mangleResponse)
                    mangleResponse(index, copy);
                const std::int64_t extra = extraResponseDelayMs ? extraResponseDelayMs(index) : 0;
                const std::int64_t saved = m_now;
                m_now += boardDelayMs + extra;
                const std::int64_t arrival = transmit(m_downBusy, int(copy.size()));
                m_now = saved;
                push(arrival, Event{Kind::ToClient, copy, m_epoch, {}});
            }
            return;
        }
        case Kind::ToClient:
            if (e.epoch != m_epoch || !m_linkUp)
                return;
            call([&](OperationOutput& out) { m_op.onPacket(m_now, e.packet, out); });
            return;
        }
    }

    Operation& m_op;
    Board m_board;
    std::int64_t m_now = 0;
    std::optional<std::int64_t> m_wakeAt;
    bool m_started = false;
    bool m_linkUp = true;
    int m_epoch = 0;
    int m_responseIndex = 0;
    std::uint64_t m_order = 0;
    double m_upBusy = 0;
    double m_downBusy = 0;
    std::map<std::pair<std::int64_t, std::uint64_t>, Event> m_events;
};

} // namespace otalab::test::smp
