// SPDX-License-Identifier: Apache-2.0
// Where `otalab-cli jobs serve --state DIR` keeps its jobs, so a restart keeps them:
// DIR/<jobId>.json (definition, executions, the rollout engine's input history) and
// DIR/<jobId>.bin (the image the stream serves). Each file is written atomically
// (temporary file + rename): an interrupted write leaves the previous version.
#pragma once

#include "app/hw/jobs_control_protocol.h"
#include "core/common/error.h"
#include "sim/fleet/rollout/rolloutengine.h"

#include <QString>

#include <vector>

namespace otalab::hw::jobs {

// One input the rollout engine got, kept so a restarted service rebuilds the engine's
// state by replaying them (the engine is deterministic). atS: seconds since creation.
struct EngineInput {
    enum class Kind { Report, Cancel };
    Kind kind = Kind::Report;
    double atS = 0;
    std::uint32_t device = 0;
    sim::rollout::DeviceReport report = sim::rollout::DeviceReport::Started;
    bool force = false;
    QString reason;
};

struct StoredJob {
    ControlRequest definition;                // op Create; definition.file is the image
    qint64 createdAtMs = 0;                   // ms since the Unix epoch
    QString reason;                           // why it was canceled, if it was
    std::vector<ExecutionSummary> executions; // one per definition.targets entry, same order
    std::vector<EngineInput> history;         // in order
};

QJsonObject engineInputToJson(const EngineInput& input);
Result<EngineInput> engineInputFromJson(const QJsonObject& json, const QString& where);

class JobsStore {
public:
    // An empty dir keeps nothing (save() succeeds, loadAll() is empty).
    explicit JobsStore(QString dir = {});

    const QString& dir() const { return m_dir; }
    bool persistent() const { return !m_dir.isEmpty(); }
    // Creates the folder if needed.
    Result<void> prepare() const;
    // Every job in the folder, sorted by creation time. A damaged file is an error naming it.
    Result<std::vector<StoredJob>> loadAll() const;
    Result<void> save(const StoredJob& job, bool withImage) const;

private:
    QString m_dir;
};

} // namespace otalab::hw::jobs
