// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reporthtml.h"

#include "sim/report/faultshtml.h"
#include "sim/report/fleetplots.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/htmlpage.h"
#include "sim/report/reportplots.h"
#include "sim/report/rollouthtml.h"
#include "sim/report/svgchart.h"

namespace otalab::sim {

namespace {

QString inlineSvg(const QString& svg)
{
    // Drop the XML declaration: inside HTML the <svg> element stands alone.
    const qsizetype start = svg.indexOf(QLatin1String("<svg"));
    return start < 0 ? svg : svg.mid(start);
}

QString duration(const std::optional<double>& seconds)
{
    if (!seconds)
        return QStringLiteral("—");
    const double s = *seconds;
    QString human;
    if (s >= 3600)
        human = QStringLiteral(" (%1 h)").arg(s / 3600.0, 0, 'f', 2);
    else if (s >= 60)
        human = QStringLiteral(" (%1 min)").arg(s / 60.0, 0, 'f', 1);
    return QStringLiteral("%1 s%2").arg(s, 0, 'f', 1).arg(human);
}

QString row(const QString& key, const QString& value)
{
    return QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n").arg(xmlEscape(key), xmlEscape(value));
}

// Green when every device upgraded, amber when some did, red when none did.
QString upgradedColor(int upgraded, int devices)
{
    if (devices > 0 && upgraded == devices)
        return plotcolors::upgraded;
    return upgraded > 0 ? QStringLiteral("#b26b00") : plotcolors::failed;
}

} // namespace

QString reportHtml(const RunResult& r)
{
    const FleetSummary s = summarizeRun(r);
    const QString battery = r.batteryName.isEmpty() ? QStringLiteral("battery") : r.batteryName;
    QString h;
    h.reserve(256 * 1024);
    h += htmlPageStart(QStringLiteral("OTA Lab report — %1").arg(r.scenarioName));
    h += QStringLiteral("<h1>Rollout report — %1</h1>\n").arg(xmlEscape(r.scenarioName));
    h += QStringLiteral("<p class=\"sub\">%1seed %2 · trace fingerprint %3 · %4</p>\n")
             .arg(r.families.isEmpty() ? QString() : xmlEscape(r.families.join(QStringLiteral(" + "))) + QStringLiteral(" · "))
             .arg(r.seed)
             .arg(QString::number(r.traceFingerprint, 16).rightJustified(16, QLatin1Char('0')), xmlEscape(r.stopReason));

    h += QStringLiteral("<div class=\"tiles\">\n");
    auto tile = [&](const QString& value, const QString& label, const QString& color) { h += htmlTile(value, label, color); };
    const int upgraded = s.count(DeviceOutcome::Upgraded);
    tile(QStringLiteral("%1 / %2").arg(upgraded).arg(s.devices), QStringLiteral("upgraded"), upgradedColor(upgraded, s.devices));
    const int failed = s.count(DeviceOutcome::Failed) + s.count(DeviceOutcome::RolledBack);
    tile(QString::number(failed), s.count(DeviceOutcome::RolledBack) > 0 ? QStringLiteral("failed or rolled back") : QStringLiteral("failed"),
         failed > 0 ? plotcolors::failed : QStringLiteral("#262626"));
    tile(s.p50 ? formatDuration(*s.p50) : QStringLiteral("—"), QStringLiteral("median completion"), QStringLiteral("#262626"));
    tile(s.p95 ? formatDuration(*s.p95) : QStringLiteral("—"), QStringLiteral("95th percentile"), QStringLiteral("#262626"));
    tile(QStringLiteral("%1 mAh").arg(s.updateChargeMah.mean, 0, 'g', 3), QStringLiteral("mean update charge"), QStringLiteral("#262626"));
    h += QStringLiteral("</div>\n");

    h += QStringLiteral("<h2>Scenario</h2>\n<section class=\"card\"><table>\n");
    h += row(QStringLiteral("Scenario file"), r.scenarioFile.isEmpty() ? QStringLiteral("(built in code)") : r.scenarioFile);
    if (!r.scenarioDescription.isEmpty())
        h += row(QStringLiteral("Description"), r.scenarioDescription);
    if (!r.families.isEmpty())
        h += row(QStringLiteral("Fleets"), r.families.join(QStringLiteral(", ")));
    if (r.scenarioChanges.empty()) {
        h += row(QStringLiteral("Parameters"), QStringLiteral("the bundled defaults"));
    } else {
        QStringList changes;
        for (const ResultAttribute& c : r.scenarioChanges)
            changes << QStringLiteral("%1 = %2").arg(c.name, c.value);
        h += QStringLiteral("<tr><th>Differs from the defaults</th><td><code>%1</code></td></tr>\n")
                 .arg(xmlEscape(changes.join(QStringLiteral("\n"))).replace(QStringLiteral("\n"), QStringLiteral("<br>")));
    }
    h += QStringLiteral("</table></section>\n");
    h += rolloutHtml(r);
    h += faultsHtml(r);

    for (const FleetFiguresResult& f : r.fleetFigures) {
        h += QStringLiteral("<h2>Fleet %1 (%2)</h2>\n<section class=\"card\"><table>\n").arg(xmlEscape(f.fleet), xmlEscape(f.family));
        for (const ResultAttribute& a : f.rows)
            h += row(a.name, a.value);
        h += QStringLiteral("</table></section>\n");
        if (!f.timeline.empty())
            h += QStringLiteral("<section class=\"card\">%1</section>\n").arg(inlineSvg(campaignTimelineSvg(r, f)));
        if (!f.budgets.empty())
            h += QStringLiteral("<section class=\"card\">%1</section>\n").arg(inlineSvg(transmitBudgetSvg(f)));
    }
    h += QStringLiteral("<h2>Key figures</h2>\n<section class=\"card\"><table>\n");
    h += row(QStringLiteral("Devices"), QString::number(s.devices));
    for (const DeviceOutcome o : kAllDeviceOutcomes)
        h += row(QStringLiteral("… %1").arg(deviceOutcomeName(o)), QString::number(s.count(o)));
    h += row(QStringLiteral("Completion p50"), duration(s.p50));
    h += row(QStringLiteral("Completion p90"), duration(s.p90));
    h += row(QStringLiteral("Completion p95"), duration(s.p95));
    h += row(QStringLiteral("Completion p99"), duration(s.p99));
    h += row(QStringLiteral("Completion max"), duration(s.max));
    h += row(QStringLiteral("Update energy per device (mean / max)"),
             QStringLiteral("%1 J / %2 J").arg(s.updateEnergyJ.mean, 0, 'g', 4).arg(s.updateEnergyJ.max, 0, 'g', 4));
    h += row(QStringLiteral("Update charge per device (mean / max)"),
             QStringLiteral("%1 mAh / %2 mAh").arg(s.updateChargeMah.mean, 0, 'g', 4).arg(s.updateChargeMah.max, 0, 'g', 4));
    h += row(QStringLiteral("Share of %1 (mean / max)").arg(battery),
             QStringLiteral("%1 % / %2 %").arg(s.batteryShare.mean * 100, 0, 'g', 3).arg(s.batteryShare.max * 100, 0, 'g', 3));
    h += row(QStringLiteral("Whole-run energy per device (mean / max)"),
             QStringLiteral("%1 J / %2 J").arg(s.energyJ.mean, 0, 'g', 4).arg(s.energyJ.max, 0, 'g', 4));
    h += row(QStringLiteral("Image size"), QStringLiteral("%1 bytes").arg(r.imageBytes));
    h += row(QStringLiteral("Virtual time at stop"), duration(r.endTimeS));
    h += row(QStringLiteral("Stop reason"), r.stopReason);
    h += row(QStringLiteral("Events executed"), QString::number(r.eventsExecuted));
    h += row(QStringLiteral("Wall time"), QStringLiteral("%1 s").arg(r.wallSeconds, 0, 'f', 2));
    h += QStringLiteral("</table></section>\n");

    h += QStringLiteral("<h2>Completion time</h2>\n<section class=\"card\">%1</section>\n").arg(inlineSvg(completionCdfSvg(r)));
    h += QStringLiteral("<h2>Fleet progress</h2>\n<section class=\"card\">%1</section>\n").arg(inlineSvg(progressSvg(r)));
    h += QStringLiteral("<h2>Energy</h2>\n<section class=\"card\">%1</section>\n").arg(inlineSvg(energySvg(r)));

    int notUpgraded = 0;
    QString rows;
    for (const DeviceResult& d : r.devices) {
        if (d.outcome == DeviceOutcome::Upgraded)
            continue;
        if (++notUpgraded > kMaxListedDevices)
            continue;
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td class=\"num\">%5</td><td>%6</td><td>%7</td></tr>\n")
                    .arg(xmlEscape(d.name), xmlEscape(d.parent), xmlEscape(d.role), deviceOutcomeName(d.outcome),
                         QString::number(d.bytesReceived), d.failedAtS ? formatDuration(*d.failedAtS) : QString(),
                         xmlEscape(d.failureReason));
    }
    h += QStringLiteral("<h2>Devices that did not upgrade (%1)</h2>\n<section class=\"card\">\n").arg(notUpgraded);
    if (notUpgraded == 0) {
        h += QStringLiteral("<p>Every device upgraded.</p>\n");
    } else {
        h += QStringLiteral("<table class=\"list\"><tr><th>device</th><th>parent</th><th>role</th><th>outcome</th>"
                            "<th>bytes</th><th>at</th><th>reason</th></tr>\n") + rows + QStringLiteral("</table>\n");
        if (notUpgraded > kMaxListedDevices)
            h += QStringLiteral("<p>… and %1 more: see devices.csv.</p>\n").arg(notUpgraded - kMaxListedDevices);
    }
    h += QStringLiteral("</section>\n<p class=\"sub\">Generated by OTA Lab. Per-device data: devices.csv, report.json; "
                        "fleet samples: progress.csv.</p>\n</main>\n</body>\n</html>\n");
    return h;
}

} // namespace otalab::sim
