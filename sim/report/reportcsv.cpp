// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportcsv.h"

#include <QHash>
#include <QLocale>
#include <QSet>
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

QString csvColumnName(const QString& name)
{
    QString out;
    out.reserve(name.size());
    bool gap = false;
    for (const QChar c : name) {
        if (c.isLetterOrNumber()) {
            if (gap && !out.isEmpty())
                out += QLatin1Char('_');
            out += c.toLower();
            gap = false;
        } else {
            gap = true;
        }
    }
    return out.isEmpty() ? QStringLiteral("attribute") : out;
}

QByteArray devicesCsv(const RunResult& result)
{
    static const QStringList fixed = QStringLiteral(
        "node,name,fleet,family,role,parent,hops,outcome,start_s,finish_s,failed_at_s,bytes,requests,retries,"
        "energy_j,update_energy_j,battery_share,version_before,version_after,failure_reason").split(QLatin1Char(','));
    // Attribute columns: the union of the names over all devices, in order of first appearance.
    QStringList attributeNames;
    QHash<QString, int> columnOf;
    for (const DeviceResult& d : result.devices)
        for (std::size_t k = 0; k < d.attributes.size(); ++k) {
            const QString& name = d.attributes[k].name;
            // Fast path: the same names in the same order as the columns so far.
            if (qsizetype(k) < attributeNames.size() && attributeNames[qsizetype(k)] == name)
                continue;
            if (!columnOf.contains(name)) {
                columnOf.insert(name, int(attributeNames.size()));
                attributeNames << name;
            }
        }
    QStringList header = fixed;
    const bool executions = result.rollout.has_value();
    if (executions)
        header << QStringLiteral("execution") << QStringLiteral("execution_number");
    QSet<QString> taken(fixed.begin(), fixed.end());
    for (const QString& name : attributeNames) {
        const QString base = csvColumnName(name);
        QString column = base;
        for (int n = 2; taken.contains(column); ++n)
            column = QStringLiteral("%1_%2").arg(base).arg(n);
        taken.insert(column);
        header << csvField(column);
    }
    QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    QStringList cells;
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
        out += row.join(QLatin1Char(','));
        if (executions)
            out += QLatin1Char(',') + d.execution + QLatin1Char(',') + (d.execution.isEmpty() ? QString() : QString::number(d.executionNumber));
        if (!attributeNames.isEmpty()) {
            cells.fill(QString(), attributeNames.size());
            for (std::size_t k = 0; k < d.attributes.size(); ++k) {
                const ResultAttribute& a = d.attributes[k];
                const qsizetype column = qsizetype(k) < attributeNames.size() && attributeNames[qsizetype(k)] == a.name
                                             ? qsizetype(k)
                                             : columnOf.value(a.name);
                cells[column] = csvField(a.value);
            }
            out += QLatin1Char(',') + cells.join(QLatin1Char(','));
        }
        out += QLatin1Char('\n');
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
