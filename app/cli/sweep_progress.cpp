// SPDX-License-Identifier: Apache-2.0
#include "app/cli/sweep_progress.h"

#include <algorithm>
#include <cmath>

namespace otalab::cli {

SweepProgress::SweepProgress(int total, int alreadyDone, int jobs)
    : m_total(total), m_done(alreadyDone), m_jobs(std::max(1, jobs))
{
}

void SweepProgress::runFinished(double wallS, bool failed, bool recorded)
{
    m_running = std::max(0, m_running - 1);
    ++m_finishedHere;
    m_wallSumS += std::max(0.0, wallS);
    if (recorded)
        ++m_done;
    if (failed)
        ++m_failed;
}

double SweepProgress::etaS() const
{
    if (m_finishedHere == 0)
        return -1;
    const int left = remaining();
    if (left <= 0)
        return 0;
    return m_wallSumS / m_finishedHere * double(left) / double(std::min(m_jobs, left));
}

QString SweepProgress::clock(double seconds)
{
    const auto s = qint64(std::llround(std::max(0.0, seconds)));
    const QString hms = QStringLiteral("%1:%2:%3").arg((s / 3600) % 24).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return s >= 86400 ? QStringLiteral("%1d %2").arg(s / 86400).arg(hms) : hms;
}

QString SweepProgress::line(double elapsedS) const
{
    const double eta = etaS();
    return QStringLiteral("  %1/%2 runs, %3 failed, %4 running, %5 elapsed, ETA %6")
        .arg(m_done).arg(m_total).arg(m_failed).arg(m_running).arg(clock(elapsedS), eta < 0 ? QStringLiteral("--") : clock(eta));
}

} // namespace otalab::cli
