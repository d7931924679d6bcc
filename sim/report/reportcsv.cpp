// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportcsv.h"

#include <QLocale>
#include <QStringList>

namespace otalab::sim {

namespace {

QString hex(std::uint64_t value, int digits)
{
    return QStringLiteral("0x") + QString::number(value, 16).toUpper().rightJustified(digits, QLatin1Char('0'));
}

QString optionalNumber(const std::optional<double>& value)
{
    return value ? reportNumber(*value) : QString();
}

} // namespace

QString csvField(const QString& text)
{
    const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"'))
                    || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))
                    || text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' '));
    if (!quote)
        return text;
    QString escaped = text;
    escaped.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString reportNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray devicesCsv(const RunResult& result)
{
    QString out = QStringLiteral(
        "node,name,fleet,family,role,parent,hops,outcome,start_s,finish_s,failed_at_s,bytes,requests,retries,"
        "energy_j,update_energy_j,battery_share,version_before,version_after,failure_reason\n");
    for (const DeviceResult& d : result.devices) {
        const QStringList row = {
            QString::number(d.node),
            csvField(d.name),
            csvField(d.fleet),
            csvField(d.family),
            csvField(d.role),
            csvField(d.parent),
            QString::number(d.hops),
            deviceOutcomeName(d.outcome),
            optionalNumber(d.startS),
            optionalNumber(d.finishS),
            optionalNumber(d.failedAtS),
            QString::number(d.bytesReceived),
            QString::number(d.requests),
            QString::number(d.retries),
            reportNumber(d.energyJ),
            reportNumber(d.updateEnergyJ),
            reportNumber(d.batteryShare),
            csvField(d.versionBefore),
            csvField(d.versionAfter),
            csvField(d.failureReason),
        };
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

QByteArray progressCsv(const RunResult& result)
{
    QString out = QStringLiteral("time_s,upgraded,downloading,failed,waiting,finishing,refused,rolled_back,channel_utilisation\n");
    for (const FleetSample& s : result.progress) {
        out += reportNumber(s.timeS) + QLatin1Char(',') + QString::number(s.upgraded) + QLatin1Char(',')
             + QString::number(s.downloading) + QLatin1Char(',') + QString::number(s.failed) + QLatin1Char(',')
             + QString::number(s.waiting) + QLatin1Char(',') + QString::number(s.finishing) + QLatin1Char(',')
             + QString::number(s.refused) + QLatin1Char(',') + QString::number(s.rolledBack)
             + QLatin1Char(',') + reportNumber(s.channelUtilisation) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace otalab::sim
