// SPDX-License-Identifier: Apache-2.0
// What `otalab-cli smp` prints: tables, JSON, sizes, rates and the progress line.
#include "app/cli/smp_output.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <unistd.h>

namespace otalab::cli {

using core::smp::ImageSlotState;
using core::smp::ImageStateResponse;
using core::smp::Progress;
using core::smp::SlotInfo;

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(bytes / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 2);
}

QString formatRate(double bytesPerSecond)
{
    if (bytesPerSecond >= 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB/s").arg(bytesPerSecond / (1024.0 * 1024.0), 0, 'f', 2);
    return QStringLiteral("%1 KiB/s").arg(bytesPerSecond / 1024.0, 0, 'f', 1);
}

QString formatSeconds(double seconds)
{
    if (seconds < 10)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 2);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const auto whole = qint64(std::lround(seconds));
    if (whole < 3600)
        return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(whole / 3600).arg((whole / 60) % 60, 2, 10, QLatin1Char('0'));
}

QString shortHash(const QByteArray& hash)
{
    return hash.isEmpty() ? QStringLiteral("-") : QString::fromLatin1(hash.left(4).toHex());
}

QString versionText(const core::mcuboot::ImageVersion& v)
{
    QString text = QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
    if (v.build != 0)
        text += QStringLiteral(".%1").arg(v.build);
    return text;
}

namespace {

QString flagsOf(const ImageSlotState& s)
{
    QStringList flags;
    if (s.bootable)
        flags << QStringLiteral("bootable");
    if (s.pending)
        flags << QStringLiteral("pending");
    if (s.confirmed)
        flags << QStringLiteral("confirmed");
    if (s.active)
        flags << QStringLiteral("active");
    if (s.permanent)
        flags << QStringLiteral("permanent");
    return flags.isEmpty() ? QStringLiteral("-") : flags.join(QLatin1Char(' '));
}

QString table(const QList<QStringList>& rows)
{
    QList<int> widths;
    for (const QStringList& row : rows)
        for (int i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i], int(row[i].size()));
        }
    QString text;
    for (const QStringList& row : rows) {
        QString line;
        for (int i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        text += line + QLatin1Char('\n');
    }
    return text;
}

} // namespace

QString imageStateTable(const ImageStateResponse& state)
{
    if (state.images.isEmpty())
        return QStringLiteral("the board lists no images\n");
    QList<QStringList> rows{{QStringLiteral("image"), QStringLiteral("slot"), QStringLiteral("version"),
                             QStringLiteral("hash"), QStringLiteral("flags")}};
    for (const ImageSlotState& s : state.images)
        rows.append({QString::number(s.image), QString::number(s.slot),
                     s.version.isEmpty() ? QStringLiteral("?") : s.version, shortHash(s.hash), flagsOf(s)});
    return table(rows);
}

QString imageStateJson(const ImageStateResponse& state)
{
    QJsonArray images;
    for (const ImageSlotState& s : state.images)
        images.append(QJsonObject{{QStringLiteral("image"), s.image},
                                  {QStringLiteral("slot"), s.slot},
                                  {QStringLiteral("version"), s.version},
                                  {QStringLiteral("hash"), QString::fromLatin1(s.hash.toHex())},
                                  {QStringLiteral("bootable"), s.bootable},
                                  {QStringLiteral("pending"), s.pending},
                                  {QStringLiteral("confirmed"), s.confirmed},
                                  {QStringLiteral("active"), s.active},
                                  {QStringLiteral("permanent"), s.permanent}});
    QJsonObject root{{QStringLiteral("images"), images}};
    if (state.splitStatus)
        root.insert(QStringLiteral("splitStatus"), *state.splitStatus);
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QString slotInfoTable(const QList<SlotInfo>& slots)
{
    if (slots.isEmpty())
        return QStringLiteral("the board reports no slots\n");
    QList<QStringList> rows{{QStringLiteral("image"), QStringLiteral("slot"), QStringLiteral("size"),
                             QStringLiteral("upload image id")}};
    for (const SlotInfo& s : slots)
        rows.append({QString::number(s.image), QString::number(s.slot),
                     QStringLiteral("%1 (%2)").arg(s.size).arg(formatBytes(s.size)),
                     s.uploadImageId ? QString::number(*s.uploadImageId) : QStringLiteral("-")});
    return table(rows);
}

QString slotInfoJson(const QList<SlotInfo>& slots)
{
    QJsonArray array;
    for (const SlotInfo& s : slots) {
        QJsonObject o{{QStringLiteral("image"), s.image}, {QStringLiteral("slot"), s.slot},
                      {QStringLiteral("size"), qint64(s.size)}};
        if (s.uploadImageId)
            o.insert(QStringLiteral("uploadImageId"), *s.uploadImageId);
        array.append(o);
    }
    return QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("slots"), array}}).toJson(QJsonDocument::Indented));
}

QString progressText(const Progress& p)
{
    QString text = p.phase;
    if (p.total > 0) {
        const double percent = 100.0 * double(p.done) / double(p.total);
        text += QStringLiteral("  %1 %  %2 of %3").arg(int(std::floor(percent)), 3).arg(formatBytes(p.done), formatBytes(p.total));
    }
    if (p.bytesPerSecond > 0)
        text += QStringLiteral("  ") + formatRate(p.bytesPerSecond);
    if (p.etaSeconds)
        text += QStringLiteral("  ETA ") + formatSeconds(*p.etaSeconds);
    return text;
}

void ProgressPrinter::show(const Progress& p)
{
    if (p.total <= 0)
        return;
    if (m_live) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (p.done < p.total && now - m_lastDrawMs < 100)
            return;
        m_lastDrawMs = now;
        m_err << "\r" << progressText(p) << "\x1b[K";
        m_err.flush();
        m_drawn = true;
        return;
    }
    const int decile = int(10 * p.done / p.total);
    if (decile <= m_lastDecile || (decile == 0 && p.done == 0))
        return;
    m_lastDecile = decile;
    m_err << progressText(p) << "\n";
    m_err.flush();
}

void ProgressPrinter::clear()
{
    if (!m_drawn)
        return;
    m_err << "\r\x1b[K";
    m_err.flush();
    m_drawn = false;
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

} // namespace otalab::cli
