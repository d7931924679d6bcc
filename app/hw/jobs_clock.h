// SPDX-License-Identifier: Apache-2.0
// The real-time jobs service's clock: "now" for the rollout engines and one wake-up. The
// service runs on SystemJobsClock (wall time, a QTimer); tests drive ManualJobsClock so
// rate limits and timeouts are exercised without waiting.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace otalab::hw::jobs {

// Time in ms since the Unix epoch (so job ages survive a service restart). One pending
// wake-up: wakeAt() replaces the previous one; wake() is emitted once at or after it, from
// the event loop of the clock's thread.
class JobsClock : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual qint64 nowMs() const = 0;
    virtual void wakeAt(qint64 atMs) = 0;
    virtual void cancelWake() = 0;

Q_SIGNALS:
    void wake();
};

class SystemJobsClock final : public JobsClock {
    Q_OBJECT
public:
    explicit SystemJobsClock(QObject* parent = nullptr) : JobsClock(parent)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &JobsClock::wake);
    }
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
    void wakeAt(qint64 atMs) override
    {
        const qint64 delay = atMs - nowMs();
        m_timer.start(int(std::clamp<qint64>(delay, 0, 24LL * 3600 * 1000)));
    }
    void cancelWake() override { m_timer.stop(); }

private:
    QTimer m_timer;
};

// Time moves only when the test says so. advanceTo() emits wake() (synchronously) when it
// passes the pending wake-up.
class ManualJobsClock final : public JobsClock {
    Q_OBJECT
public:
    explicit ManualJobsClock(qint64 startMs = 1'700'000'000'000, QObject* parent = nullptr)
        : JobsClock(parent), m_now(startMs)
    {
    }
    qint64 nowMs() const override { return m_now; }
    void wakeAt(qint64 atMs) override { m_wakeAt = atMs; }
    void cancelWake() override { m_wakeAt.reset(); }
    std::optional<qint64> pendingWake() const { return m_wakeAt; }
    void advanceTo(qint64 atMs)
    {
        if (atMs > m_now)
            m_now = atMs;
        if (m_wakeAt && *m_wakeAt <= m_now) {
            m_wakeAt.reset();
            Q_EMIT wake();
        }
    }
    void advanceBy(qint64 ms) { advanceTo(m_now + ms); }

private:
    qint64 m_now;
    std::optional<qint64> m_wakeAt;
};

} // namespace otalab::hw::jobs
