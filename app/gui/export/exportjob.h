// SPDX-License-Identifier: Apache-2.0
// ExportJob: re-runs a scenario deterministically and writes what `otalab-cli run --out DIR --pcap --trace` writes.
#pragma once

#include "core/common/error.h"
#include "export/exportplan.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

namespace otalab::sim {
class FleetRun;
}

namespace otalab::app {

struct ExportOutcome {
    QStringList files;                     // absolute paths of the files written (the selected parts)
    std::uint64_t fingerprint = 0;         // trace fingerprint of the re-run
    std::optional<std::uint64_t> expectedFingerprint;  // the live run's, when it had finished
    std::uint64_t pcapFrames = 0;          // 0 when no capture was written
    bool wrotePcap = false;
    sim::RunResult result;                 // of the re-run (wallSeconds = the export's own wall time)
    // "Exported 10 files to DIR … trace fingerprint 0x… matches the finished run on screen."
    QString summary(const QString& outDir) const;
};

// Why the export re-runs: the trace and the capture must cover the whole run, and the
// lab does not record them while it runs. The re-run uses the same config and seed, so
// it is the same run — checked by comparing trace fingerprints when the live run had
// finished (a mismatch is an error: the files would describe another run).
//
// Threads: construct anywhere; run() on one worker thread (it blocks for the whole
// simulation); cancel(), progressTimeS() and untilS() from any thread.
class ExportJob {
public:
    ExportJob(sim::ScenarioConfig config, QString baseDir, QString outDir, std::optional<std::uint64_t> expectedFingerprint,
              ExportSelection selection = {});
    ExportJob(const ExportJob&) = delete;
    ExportJob& operator=(const ExportJob&) = delete;

    // Writes into outDir (created if needed) the selected parts (exportPartFiles()):
    // report.json, devices.csv, progress.csv, completion-cdf.svg, progress.svg,
    // energy.svg, the fleet charts (campaign-timeline.svg, gateway-airtime.svg) when a
    // fleet has them, report.html (as sim::writeReport), trace.jsonl (TraceWriter, model
    // records only) and capture.pcap (PcapWriter, link type 195; left out when no fleet
    // sent an 802.15.4 frame but a family wrote its own capture: LoRaWAN's
    // capture-lorawan.pcap + lorawan-keys.uat, FleetRun::startCaptures) — with every part, the
    // CLI's `run --out DIR --pcap --trace` files. A part left out is not written at all
    // (no observer runs for it). A cancelled run removes its partial trace and capture
    // and returns an error. An empty selection is an error.
    Result<ExportOutcome> run();
    // The current run stops soon (FleetRun::requestStop); run() then fails with "cancelled".
    void cancel();
    bool cancelled() const { return m_cancel.load(); }

    double progressTimeS() const { return m_timeS.load(); }  // virtual time reached
    double untilS() const { return m_untilS; }               // the scenario's stop.until
    const QString& outDir() const { return m_outDir; }

private:
    sim::ScenarioConfig m_config;
    QString m_baseDir;
    QString m_outDir;
    std::optional<std::uint64_t> m_expected;
    ExportSelection m_selection;
    double m_untilS = 0;
    std::atomic<bool> m_cancel{false};
    std::atomic<double> m_timeS{0};
    std::mutex m_mutex;                 // guards m_rollout against cancel()
    sim::FleetRun* m_rollout = nullptr;
};

QString fingerprintHex(std::uint64_t fingerprint);  // "0x0123456789abcdef"

} // namespace otalab::app
