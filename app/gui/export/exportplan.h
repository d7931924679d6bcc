// SPDX-License-Identifier: Apache-2.0
// ExportPlan: what an export writes (the user's pick) and how big each part will be.
#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>

namespace otalab::app {

// The parts of an export, each one or more files in the output folder.
enum class ExportPart : std::uint8_t {
    ReportHtml,  // report.html (self-contained page with the plots)
    ReportJson,  // report.json
    Csv,         // devices.csv, progress.csv
    Plots,       // completion-cdf.svg, progress.svg, energy.svg
    Pcap,        // capture.pcap (IEEE 802.15.4, link type 195) and the families' own: capture-lorawan.pcap + lorawan-keys.uat
    Trace,       // trace.jsonl (state, frame and energy records: large)
};
inline constexpr int kExportPartCount = 6;

QString exportPartName(ExportPart part);         // "Trace"
QStringList exportPartFiles(ExportPart part);    // {"trace.jsonl"}

// Which parts to write. Default: every part.
class ExportSelection {
public:
    ExportSelection() { m_parts.fill(true); }
    static ExportSelection none();
    bool has(ExportPart part) const { return m_parts[std::size_t(part)]; }
    void set(ExportPart part, bool on) { m_parts[std::size_t(part)] = on; }
    bool isEmpty() const;
    bool hasReport() const;  // any of the report files (they need the run's result)
    friend bool operator==(const ExportSelection&, const ExportSelection&) = default;

private:
    std::array<bool, kExportPartCount> m_parts{};
};

// What is known about the run an export would write, before it runs.
struct ExportBasis {
    std::uint64_t events = 0;   // simulation events the run executes (known or estimated)
    int devices = 0;            // OTA clients (rows of devices.csv / report.json)
    int samples = 0;            // fleet samples (rows of progress.csv)
    QString how;                // where `events` comes from, in words, for the dialog
};

// Estimated bytes per part, from per-record sizes measured on the bundled scenarios:
// the trace writes ~440 bytes of JSONL per executed event (state changes, frames with
// their bytes in hex, energy samples; starter: 190.6 MB for 430,335 events), the capture
// ~18 bytes per event (0.4 frames per event of ~30 bytes + a 16-byte record header;
// starter 16.8, campus 19.3); report files grow with devices and samples. Right within a
// factor of ~2, which is what a "do I want this file" decision needs.
struct ExportEstimate {
    std::array<std::int64_t, kExportPartCount> bytes{};
    std::int64_t of(ExportPart part) const { return bytes[std::size_t(part)]; }
    std::int64_t total(const ExportSelection& selection) const;
};

inline constexpr double kTraceBytesPerEvent = 443;
inline constexpr double kPcapBytesPerEvent = 18;
// Before a run: events ≈ this × OTA clients × image bytes (starter 0.66, campus 0.89).
inline constexpr double kEventsPerClientImageByte = 0.75;

ExportEstimate estimateExport(const ExportBasis& basis);

// "about 190 MB", "about 14 KB", "under 1 KB" (decimal units, two significant digits).
QString approximateSize(std::int64_t bytes);

} // namespace otalab::app
