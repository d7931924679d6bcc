// SPDX-License-Identifier: Apache-2.0
// Throughput and ETA of a transfer: image bytes acknowledged by the board over the last
// few seconds of the driver's clock (real or virtual).
#pragma once

#include "core/smp/smp_operation.h"

#include <QList>

namespace otalab::core::smp {

class ProgressEstimator {
public:
    // windowMs: how much history the rate is averaged over.
    explicit ProgressEstimator(std::int64_t windowMs = 5000) : m_windowMs(windowMs) {}

    // Starts (or restarts) measuring at `done` of `total` bytes.
    void reset(std::int64_t nowMs, qint64 done, qint64 total);
    // The board acknowledged `done` bytes in total. A value below the previous one (the
    // board went back) restarts the rate measurement.
    void update(std::int64_t nowMs, qint64 done);

    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; }
    // Bytes per second over the window; 0 until two samples at least 100 ms apart exist.
    double bytesPerSecond() const;
    // Seconds left at the current rate; empty while the rate is unknown.
    std::optional<double> etaSeconds() const;
    Progress progress(const QString& phase) const;

private:
    struct Sample {
        std::int64_t atMs = 0;
        qint64 done = 0;
    };
    std::int64_t m_windowMs;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QList<Sample> m_samples;   // oldest first; the oldest may be just outside the window
};

} // namespace otalab::core::smp
