// SPDX-License-Identifier: Apache-2.0
#include "export/exportplan.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

QString exportPartName(ExportPart part)
{
    switch (part) {
    case ExportPart::ReportHtml: return QStringLiteral("Report page (HTML)");
    case ExportPart::ReportJson: return QStringLiteral("Report data (JSON)");
    case ExportPart::Csv: return QStringLiteral("Tables (CSV)");
    case ExportPart::Plots: return QStringLiteral("Plots (SVG)");
    case ExportPart::Pcap: return QStringLiteral("Packet capture (pcap, for Wireshark)");
    case ExportPart::Trace: return QStringLiteral("Event trace (JSONL)");
    }
    return {};
}

QStringList exportPartFiles(ExportPart part)
{
    switch (part) {
    case ExportPart::ReportHtml: return {QStringLiteral("report.html")};
    case ExportPart::ReportJson: return {QStringLiteral("report.json")};
    case ExportPart::Csv: return {QStringLiteral("devices.csv"), QStringLiteral("progress.csv")};
    case ExportPart::Plots: return {QStringLiteral("completion-cdf.svg"), QStringLiteral("progress.svg"), QStringLiteral("energy.svg")};
    case ExportPart::Pcap: return {QStringLiteral("capture.pcap")};
    case ExportPart::Trace: return {QStringLiteral("trace.jsonl")};
    }
    return {};
}

ExportSelection ExportSelection::none()
{
    ExportSelection s;
    s.m_parts.fill(false);
    return s;
}

bool ExportSelection::isEmpty() const
{
    return std::none_of(m_parts.begin(), m_parts.end(), [](bool on) { return on; });
}

bool ExportSelection::hasReport() const
{
    return has(ExportPart::ReportHtml) || has(ExportPart::ReportJson) || has(ExportPart::Csv) || has(ExportPart::Plots);
}

std::int64_t ExportEstimate::total(const ExportSelection& selection) const
{
    std::int64_t sum = 0;
    for (int i = 0; i < kExportPartCount; ++i)
        if (selection.has(ExportPart(i)))
            sum += bytes[std::size_t(i)];
    return sum;
}

ExportEstimate estimateExport(const ExportBasis& basis)
{
    // Per-device and per-sample sizes from the starter (5 devices, 152 samples) and campus
    // (1,000 devices, 875 samples) reports.
    const double events = double(basis.events);
    const double devices = std::max(0, basis.devices);
    const double samples = std::max(0, basis.samples);
    ExportEstimate e;
    auto set = [&e](ExportPart part, double bytes) { e.bytes[std::size_t(part)] = std::int64_t(std::llround(bytes)); };
    set(ExportPart::ReportHtml, 14'000 + 80 * devices + 40 * samples);
    set(ExportPart::ReportJson, 1'500 + 630 * devices);
    set(ExportPart::Csv, 150 + 170 * devices + 34 * samples);
    set(ExportPart::Plots, 10'000 + 47 * devices + 33 * samples);
    set(ExportPart::Pcap, 24 + kPcapBytesPerEvent * events);
    set(ExportPart::Trace, kTraceBytesPerEvent * events);
    return e;
}

QString approximateSize(std::int64_t bytes)
{
    if (bytes < 1'000)
        return QStringLiteral("under 1 KB");
    static const char* const units[] = {"KB", "MB", "GB", "TB"};
    double value = double(bytes) / 1'000;
    int unit = 0;
    while (value >= 999.5 && unit < 3) {
        value /= 1'000;
        ++unit;
    }
    // Two significant digits: 1.2 MB, 15 MB, 220 MB.
    const QString number = value < 9.95 ? QString::number(value, 'f', 1) : QString::number(std::round(value / (value >= 99.5 ? 10 : 1)) * (value >= 99.5 ? 10 : 1), 'f', 0);
    return QStringLiteral("about %1 %2").arg(number, QLatin1String(units[unit]));
}

} // namespace otalab::app
