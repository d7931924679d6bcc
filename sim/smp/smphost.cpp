// SPDX-License-Identifier: Apache-2.0
// SmpOperationHost: packets, one timer and link reopening for an SMP operation in virtual time.
#include "sim/smp/smphost.h"

#include <algorithm>

namespace otalab::sim {

using core::smp::OperationOutput;

SmpOperationHost::SmpOperationHost(Simulator& sim, SmpLink& link, core::smp::Operation& operation,
                                   SmpHostOptions options, NodeId node)
    : m_sim(sim), m_link(link), m_operation(operation), m_options(options), m_node(node)
{
}

std::optional<Error> SmpOperationHost::failure() const
{
    if (m_hostFailure)
        return m_hostFailure;
    return m_operation.failure();
}

void SmpOperationHost::note(const QString& line)
{
    if (m_options.keepLog)
        m_log.append(QStringLiteral("%1: %2").arg(QString::fromStdString(m_sim.now().toString()), line));
}

void SmpOperationHost::trace(Trace kind, QByteArrayView bytes)
{
    m_trace.addWord(std::uint64_t(m_sim.now().nanos()));
    m_trace.addWord(kind);
    if (!bytes.isEmpty())
        m_trace.addBytes(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), std::size_t(bytes.size())));
}

void SmpOperationHost::start()
{
    if (m_started)
        return;
    m_started = true;
    m_startedAt = m_sim.now();
    m_link.attachHost(this);
    QString why;
    if (!m_link.hostOpen(&why)) {
        m_hostFailure = Error::plain(QStringLiteral("cannot open %1: %2").arg(m_link.describe(), why));
        finish();
        return;
    }
    m_linkUp = true;
    trace(LinkUp);
    m_operationStarted = true;
    OperationOutput out;
    m_operation.start(nowMs(), out);
    apply(out);
}

bool SmpOperationHost::runUntilFinished(SimTime limit)
{
    start();
    if (m_finished)
        return true;
    m_inRun = true;
    m_sim.runUntil(limit);
    m_inRun = false;
    return m_finished;
}

void SmpOperationHost::abandon()
{
    if (m_finished)
        return;
    m_hostFailure = Error::plain(QStringLiteral("abandoned before the operation ended"));
    finish();
}

void SmpOperationHost::apply(OperationOutput& out)
{
    for (const QString& line : out.log)
        note(line);
    m_progress.append(out.progress);
    if (!out.packets.isEmpty()) {
        if (m_linkUp) {
            for (const QByteArray& packet : out.packets) {
                ++m_packetsSent;
                trace(Sent, packet);
                m_link.sendFromHost(packet);
            }
        } else {
            note(QStringLiteral("link down: %1 packet(s) not sent").arg(out.packets.size()));
        }
    }
    m_sim.cancel(m_wake);
    m_wake = {};
    if (out.wakeAtMs)
        m_wake = m_sim.schedule(std::max(m_sim.now(), SimTime::fromMillis(*out.wakeAtMs)), *this,
                                EventData{m_node, Wake, 0, 0});
    if (m_operation.isFinished()) {
        finish();
        return;
    }
    if (out.reopenLink) {
        note(QStringLiteral("reopening %1").arg(m_link.describe()));
        m_linkUp = false;
        m_link.hostClose();
        m_reopening = true;
        m_reopenSince = m_sim.now();
        scheduleReopen(true);
    }
}

void SmpOperationHost::onLinkPacket(const QByteArray& packet)
{
    if (!m_operationStarted || m_finished)
        return;
    ++m_packetsReceived;
    trace(Received, packet);
    OperationOutput out;
    m_operation.onPacket(nowMs(), packet, out);
    apply(out);
}

void SmpOperationHost::onLinkDown()
{
    if (m_finished || !m_linkUp)
        return;
    m_linkUp = false;
    ++m_linkDowns;
    trace(LinkDown);
    note(QStringLiteral("lost %1; waiting for it to come back").arg(m_link.describe()));
    OperationOutput out;
    m_operation.onLinkDown(nowMs(), out);
    apply(out);
    if (!m_finished && !m_reopening) {
        m_reopening = true;
        m_reopenSince = m_sim.now();
        scheduleReopen(true);
    }
}

void SmpOperationHost::onLinkText(const QByteArray& line)
{
    QString text = QString::fromUtf8(line);
    while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    m_deviceText.append(text);
}

void SmpOperationHost::onLinkError(const QString& message)
{
    m_linkErrors.append(message);
    note(QStringLiteral("link: %1").arg(message));
}

void SmpOperationHost::scheduleReopen(bool first)
{
    m_reopenDelay = first ? m_options.reopenFirstDelay : std::min(m_reopenDelay * 2, m_options.reopenMaxDelay);
    m_sim.cancel(m_reopen);
    m_reopen = m_sim.scheduleAfter(m_reopenDelay, *this, EventData{m_node, Reopen, 0, 0});
}

void SmpOperationHost::reopenAttempt()
{
    if (m_finished || m_linkUp || !m_reopening)
        return;
    if (m_sim.now() - m_reopenSince > m_options.reopenGiveUp) {
        m_hostFailure = Error::plain(QStringLiteral("%1 did not come back within %2 s")
                                         .arg(m_link.describe())
                                         .arg(m_options.reopenGiveUp.toSeconds()));
        OperationOutput out;
        m_operation.cancel(nowMs(), out);
        apply(out);
        finish();
        return;
    }
    if (!m_link.hostOpen()) {
        scheduleReopen(false);
        return;
    }
    m_linkUp = true;
    m_reopening = false;
    ++m_reopens;
    trace(LinkUp);
    note(QStringLiteral("%1 is open again").arg(m_link.describe()));
    OperationOutput out;
    m_operation.onLinkUp(nowMs(), out);
    apply(out);
}

void SmpOperationHost::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_finishedAt = m_sim.now();
    m_sim.cancel(m_wake);
    m_sim.cancel(m_reopen);
    m_trace.addWord(std::uint64_t(m_sim.now().nanos()));
    m_trace.addWord(Finished);
    m_trace.addWord(failure() ? 1 : 0);
    const auto problem = failure();
    note(problem ? QStringLiteral("failed: %1").arg(problem->toString()) : QStringLiteral("finished"));
    m_link.hostClose();
    m_link.attachHost(nullptr);
    if (m_inRun)
        m_sim.stop();
}

void SmpOperationHost::handleEvent(Simulator&, const Event& event)
{
    if (m_finished)
        return;
    if (event.data.kind == Wake) {
        m_wake = {};
        trace(TimerCall);
        OperationOutput out;
        m_operation.onTimer(nowMs(), out);
        apply(out);
    } else if (event.data.kind == Reopen) {
        m_reopen = {};
        reopenAttempt();
    }
}

} // namespace otalab::sim
