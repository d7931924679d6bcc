// SPDX-License-Identifier: Apache-2.0
// Where `otalab-cli jobs serve --state DIR` keeps its jobs, so a restart keeps them:
// DIR/<jobId>.json (definition, executions, the input history of its machines) and
// DIR/<jobId>.bin (the image the stream serves). Each file is written atomically
// (temporary file + rename): an interrupted write leaves the previous version.
#pragma once

#include "app/hw/jobs_control_protocol.h"
#include "core/common/error.h"

#include <QString>

#include <vector>

namespace otalab::hw::jobs {

// One input the job's machines got — the jobs + streams service and the rollout engine —
// kept so a restarted service rebuilds both by replaying them (both are deterministic).
// atS: seconds since the job was created.
//   Notify  the rollout released `thing` (service notifyThing)
//   Update  the thing's accepted update (service onJobUpdate; the engine gets its report)
//   End     the service ended the execution (TIMED_OUT / CANCELED / REMOVED: endExecution)
//   Cancel  the job was canceled: by the user (engine and service) or by the engine's abort
//           criteria (byEngine: the service only)
struct JobEvent {
    enum class Kind { Notify, Update, End, Cancel };
    Kind kind = Kind::Notify;
    double atS = 0;
    QString thing;
    QString status;             // Update / End: the execution status name
    QJsonObject statusDetails;  // Update
    bool force = false;         // Cancel
    bool byEngine = false;      // Cancel: the abort criteria tripped
    QString reason;             // Cancel
};

struct StoredJob {
    ControlRequest definition;                // op Create; definition.file is the image
    qint64 createdAtMs = 0;                   // ms since the Unix epoch
    QString reason;                           // why it was canceled, if it was
    std::vector<ExecutionSummary> executions; // one per definition.targets entry, same order
    std::vector<JobEvent> history;            // in order
};

QJsonObject jobEventToJson(const JobEvent& event);
Result<JobEvent> jobEventFromJson(const QJsonObject& json, const QString& where);

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
