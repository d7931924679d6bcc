// SPDX-License-Identifier: Apache-2.0
// Shared wording of the Bench.
#include "benchformat.h"

#include <cmath>

namespace otalab::app {

QString rateText(double bytesPerSecond)
{
    if (!(bytesPerSecond > 0))
        return QStringLiteral("—");
    if (bytesPerSecond < 1024)
        return QStringLiteral("%1 B/s").arg(qRound(bytesPerSecond));
    if (bytesPerSecond < 1024 * 1024)
        return QStringLiteral("%1 KiB/s").arg(bytesPerSecond / 1024, 0, 'f', 1);
    return QStringLiteral("%1 MiB/s").arg(bytesPerSecond / (1024 * 1024), 0, 'f', 1);
}

QString etaText(double seconds)
{
    const qint64 total = std::max<qint64>(0, qint64(std::ceil(seconds)));
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString progressText(const core::smp::Progress& progress)
{
    QStringList parts;
    QString head = progress.phase;
    if (progress.total > 0)
        head += QStringLiteral(" %1 %").arg(int(100 * progress.done / progress.total));
    parts << head;
    if (progress.bytesPerSecond > 0)
        parts << rateText(progress.bytesPerSecond);
    if (progress.etaSeconds && progress.done < progress.total)
        parts << QStringLiteral("ETA %1").arg(etaText(*progress.etaSeconds));
    return parts.join(QStringLiteral(" · "));
}

QString shortHash(const QByteArray& hash, int bytes)
{
    if (hash.size() <= bytes)
        return QString::fromLatin1(hash.toHex());
    return QString::fromLatin1(hash.left(bytes).toHex()) + QStringLiteral("…");
}

} // namespace otalab::app
