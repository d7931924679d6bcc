// SPDX-License-Identifier: Apache-2.0
// Throughput and ETA estimation over a sliding window of acknowledged bytes.
#include "core/smp/client_progress.h"

#include <algorithm>

namespace otalab::core::smp {

namespace {
constexpr std::int64_t kMinSpanMs = 100;
}

void ProgressEstimator::reset(std::int64_t nowMs, qint64 done, qint64 total)
{
    m_done = done;
    m_total = total;
    m_samples = {Sample{nowMs, done}};
}

void ProgressEstimator::update(std::int64_t nowMs, qint64 done)
{
    if (done < m_done) {
        reset(nowMs, done, m_total);
        return;
    }
    m_done = done;
    m_samples.append(Sample{nowMs, done});
    // Keep one sample at or beyond the window's start so slow links still get a rate.
    while (m_samples.size() > 2 && m_samples[1].atMs <= nowMs - m_windowMs)
        m_samples.removeFirst();
}

double ProgressEstimator::bytesPerSecond() const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample& first = m_samples.first();
    const Sample& last = m_samples.last();
    const std::int64_t span = last.atMs - first.atMs;
    if (span < kMinSpanMs)
        return 0;
    return double(last.done - first.done) * 1000.0 / double(span);
}

std::optional<double> ProgressEstimator::etaSeconds() const
{
    const double rate = bytesPerSecond();
    if (rate <= 0)
        return std::nullopt;
    return double(std::max<qint64>(0, m_total - m_done)) / rate;
}

Progress ProgressEstimator::progress(const QString& phase) const
{
    Progress p;
    p.phase = phase;
    p.done = m_done;
    p.total = m_total;
    p.bytesPerSecond = bytesPerSecond();
    p.etaSeconds = etaSeconds();
    return p;
}

} // namespace otalab::core::smp
