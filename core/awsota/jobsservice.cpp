// SPDX-License-Identifier: Apache-2.0
// JobsStreamService: jobs, executions, $next/get, UpdateJobExecution, GetStream.
#include "core/awsota/jobsservice.h"
#include "core/awsota/topics.h"

#include <QJsonDocument>

namespace otalab::core::awsota {

struct JobsStreamService::Execution {
    QString thing;
    bool exists = false;  // notified: the thing has an execution
    JobExecutionStatus status = JobExecutionStatus::Queued;
    int executionNumber = 0;
    int versionNumber = 0;
    QJsonObject statusDetails;
    qint64 queuedAtMs = 0;
    qint64 startedAtMs = -1;
    qint64 lastUpdatedAtMs = 0;
    std::uint64_t getStreamRequests = 0;
    std::uint64_t blocksServed = 0;
    std::uint64_t bytesServed = 0;
};

struct JobsStreamService::Job {
    OtaJobDocument document;  // statusDetails empty: each execution has its own
    std::shared_ptr<const QByteArray> image;
    bool canceled = false;
    bool forceCanceled = false;
    qint64 createdAtMs = 0;
    std::vector<Execution> executions;  // target order
    QHash<QString, int> byThing;
};

JobsStreamService::JobsStreamService(ServiceConfig config) : m_config(config) {}
JobsStreamService::~JobsStreamService() = default;
JobsStreamService::JobsStreamService(JobsStreamService&&) noexcept = default;
JobsStreamService& JobsStreamService::operator=(JobsStreamService&&) noexcept = default;

Result<void> JobsStreamService::addThing(const QString& thingName)
{
    if (auto ok = validateThingName(thingName); !ok)
        return fail(Error::at(-1, QStringLiteral("thing"), ok.error().message));
    if (!m_thingIndex.contains(thingName)) {
        m_thingIndex.insert(thingName, int(m_things.size()));
        m_things.append(thingName);
    }
    return {};
}

QStringList JobsStreamService::things() const { return m_things; }

JobsStreamService::Job* JobsStreamService::findJob(const QString& jobId)
{
    const auto it = m_jobIndex.constFind(jobId);
    return it == m_jobIndex.constEnd() ? nullptr : m_jobs[std::size_t(*it)].get();
}

const JobsStreamService::Job* JobsStreamService::findJob(const QString& jobId) const
{
    const auto it = m_jobIndex.constFind(jobId);
    return it == m_jobIndex.constEnd() ? nullptr : m_jobs[std::size_t(*it)].get();
}

JobsStreamService::Job* JobsStreamService::jobOfStream(const QString& streamName)
{
    // The newest job on the stream that is not canceled, else the newest at all.
    Job* found = nullptr;
    for (auto it = m_jobs.rbegin(); it != m_jobs.rend(); ++it) {
        if ((*it)->document.streamName != streamName)
            continue;
        if (!(*it)->canceled)
            return it->get();
        if (!found)
            found = it->get();
    }
    return found;
}

JobsStreamService::Execution* JobsStreamService::findExecution(Job& job, const QString& thingName)
{
    const auto it = job.byThing.constFind(thingName);
    return it == job.byThing.constEnd() ? nullptr : &job.executions[std::size_t(*it)];
}

Result<void> JobsStreamService::createJob(qint64 nowMs, const OtaJobDocument& document,
                                          std::shared_ptr<const QByteArray> image, const QStringList& targets)
{
    if (auto ok = validateJobId(document.jobId); !ok)
        return fail(Error::at(-1, QStringLiteral("jobId"), ok.error().message));
    if (findJob(document.jobId))
        return fail(Error::at(-1, QStringLiteral("jobId"), QStringLiteral("job '%1' exists already").arg(document.jobId)));
    if (auto ok = validateStreamName(document.streamName); !ok)
        return fail(Error::at(-1, QStringLiteral("streamName"), ok.error().message));
    if (document.files.size() != 1)
        return fail(Error::at(-1, QStringLiteral("files"),
                              QStringLiteral("%1 files: the service streams exactly one file per job").arg(document.files.size())));
    if (!image || image->isEmpty())
        return fail(Error::at(-1, QStringLiteral("image"), QStringLiteral("no image bytes")));
    if (qint64(document.files.front().fileSize) != image->size())
        return fail(Error::at(-1, QStringLiteral("files[0].filesize"),
                              QStringLiteral("%1 bytes, but the image has %2").arg(document.files.front().fileSize).arg(image->size())));
    if (targets.isEmpty())
        return fail(Error::at(-1, QStringLiteral("targets"), QStringLiteral("no target things")));
    for (const auto& job : m_jobs)
        if (job->document.streamName == document.streamName && !job->canceled)
            return fail(Error::at(-1, QStringLiteral("streamName"),
                                  QStringLiteral("stream '%1' is used by job '%2'").arg(document.streamName, job->document.jobId)));
    auto job = std::make_unique<Job>();
    job->document = document;
    job->document.statusDetails = {};
    job->image = std::move(image);
    job->createdAtMs = nowMs;
    job->executions.reserve(std::size_t(targets.size()));
    for (const QString& thing : targets) {
        if (auto ok = addThing(thing); !ok)
            return fail(Error::at(-1, QStringLiteral("targets"), QStringLiteral("'%1': %2").arg(thing, ok.error().message)));
        if (job->byThing.contains(thing))
            continue;
        job->byThing.insert(thing, int(job->executions.size()));
        Execution e;
        e.thing = thing;
        job->executions.push_back(std::move(e));
    }
    m_jobIndex.insert(document.jobId, int(m_jobs.size()));
    m_jobs.push_back(std::move(job));
    return {};
}

std::pair<JobsStreamService::Job*, JobsStreamService::Execution*> JobsStreamService::nextPending(const QString& thingName)
{
    // GetPendingJobExecutions order: IN_PROGRESS first, then QUEUED; oldest first.
    std::pair<Job*, Execution*> best{nullptr, nullptr};
    for (const auto& job : m_jobs) {
        Execution* e = findExecution(*job, thingName);
        if (!e || !e->exists || isTerminal(e->status))
            continue;
        if (!best.second) {
            best = {job.get(), e};
            continue;
        }
        const bool inProgress = e->status == JobExecutionStatus::InProgress;
        const bool bestInProgress = best.second->status == JobExecutionStatus::InProgress;
        if ((inProgress && !bestInProgress) || (inProgress == bestInProgress && e->queuedAtMs < best.second->queuedAtMs))
            best = {job.get(), e};
    }
    return best;
}

void JobsStreamService::publishNext(qint64 nowMs, const QString& thingName, bool onNextGetAccepted, ServiceActions& out)
{
    JobNotification n;
    n.thingName = thingName;
    n.timestampS = nowMs / 1000;
    n.onNextGetAccepted = onNextGetAccepted && !m_config.answerOnNotifyNext;
    const auto [job, e] = nextPending(thingName);
    if (job) {
        OtaJobDocument doc = job->document;
        doc.statusDetails = e->statusDetails;  // the echo that tells an agent it is in self-test
        n.document = std::move(doc);
        n.executionNumber = e->executionNumber;
    }
    out.push_back(ServicePublish{std::move(n), 1});
}

void JobsStreamService::setStatus(qint64 nowMs, Job& job, Execution& e, JobExecutionStatus to, ServiceActions& out)
{
    const JobExecutionStatus from = e.status;
    e.status = to;
    e.lastUpdatedAtMs = nowMs;
    ++e.versionNumber;
    if (e.startedAtMs < 0 && to != JobExecutionStatus::Queued)
        e.startedAtMs = nowMs;
    out.push_back(ExecutionChanged{nowMs, e.thing, job.document.jobId, from, to, e.statusDetails});
}

Result<void> JobsStreamService::refuse(qint64 nowMs, const QString& thingName, QString reason, ServiceActions& out)
{
    ++m_refused;
    m_lastRefusal = reason;
    out.push_back(ServiceRefusal{nowMs, thingName, reason});
    return fail(Error::plain(std::move(reason)));
}

void JobsStreamService::respond(qint64 nowMs, const QString& thingName, const QString& jobId, const QString& clientToken,
                                const QString& errorCode, const QString& message, ServiceActions& out)
{
    if (!m_config.publishUpdateResponses)
        return;
    UpdateResponse r;
    r.thingName = thingName;
    r.jobId = jobId;
    r.accepted = errorCode.isEmpty();
    r.clientToken = clientToken;
    r.errorCode = errorCode;
    r.message = message;
    r.timestampS = nowMs / 1000;
    out.push_back(ServicePublish{std::move(r), 1});
}

Result<void> JobsStreamService::notifyThing(qint64 nowMs, const QString& jobId, const QString& thingName,
                                            ServiceActions& out)
{
    Job* job = findJob(jobId);
    if (!job)
        return fail(Error::at(-1, QStringLiteral("jobId"), QStringLiteral("no job '%1'").arg(jobId)));
    if (job->canceled)
        return fail(Error::plain(QStringLiteral("job '%1' is canceled").arg(jobId)));
    Execution* e = findExecution(*job, thingName);
    if (!e)
        return fail(Error::at(-1, QStringLiteral("thing"), QStringLiteral("'%1' is not a target of job '%2'").arg(thingName, jobId)));
    if (!e->exists) {
        e->exists = true;
        e->status = JobExecutionStatus::Queued;
        e->executionNumber = 1;
        e->versionNumber = 1;
        e->queuedAtMs = nowMs;
        e->lastUpdatedAtMs = nowMs;
    } else if (e->status == JobExecutionStatus::Failed || e->status == JobExecutionStatus::TimedOut) {
        // A retry: a new execution number, QUEUED again, details cleared.
        const JobExecutionStatus from = e->status;
        e->status = JobExecutionStatus::Queued;
        ++e->executionNumber;
        e->versionNumber = 1;
        e->statusDetails = {};
        e->queuedAtMs = nowMs;
        e->startedAtMs = -1;
        e->lastUpdatedAtMs = nowMs;
        out.push_back(ExecutionChanged{nowMs, thingName, jobId, from, JobExecutionStatus::Queued, {}});
    } else if (isTerminal(e->status)) {
        return fail(Error::plain(QStringLiteral("the execution of job '%1' on '%2' is %3: nothing to notify")
                                     .arg(jobId, thingName, jobExecutionStatusName(e->status))));
    }
    publishNext(nowMs, thingName, false, out);
    return {};
}

Result<void> JobsStreamService::endExecution(qint64 nowMs, const QString& jobId, const QString& thingName,
                                             JobExecutionStatus status, ServiceActions& out)
{
    if (status != JobExecutionStatus::TimedOut && status != JobExecutionStatus::Removed
        && status != JobExecutionStatus::Canceled)
        return fail(Error::at(-1, QStringLiteral("status"), QStringLiteral("%1: the service ends executions only as TIMED_OUT, REMOVED or CANCELED")
                                                                .arg(jobExecutionStatusName(status))));
    Job* job = findJob(jobId);
    if (!job)
        return fail(Error::at(-1, QStringLiteral("jobId"), QStringLiteral("no job '%1'").arg(jobId)));
    Execution* e = findExecution(*job, thingName);
    if (!e || !e->exists)
        return fail(Error::plain(QStringLiteral("'%1' has no execution of job '%2'").arg(thingName, jobId)));
    if (isTerminal(e->status))
        return fail(Error::plain(QStringLiteral("the execution of job '%1' on '%2' is %3 already")
                                     .arg(jobId, thingName, jobExecutionStatusName(e->status))));
    if (status == JobExecutionStatus::TimedOut && e->status != JobExecutionStatus::InProgress)
        return fail(Error::plain(QStringLiteral("TIMED_OUT needs an IN_PROGRESS execution; '%1' is %2")
                                     .arg(thingName, jobExecutionStatusName(e->status))));
    setStatus(nowMs, *job, *e, status, out);
    publishNext(nowMs, thingName, false, out);
    return {};
}

Result<void> JobsStreamService::cancel(qint64 nowMs, const QString& jobId, bool force, ServiceActions& out)
{
    Job* job = findJob(jobId);
    if (!job)
        return fail(Error::at(-1, QStringLiteral("jobId"), QStringLiteral("no job '%1'").arg(jobId)));
    job->canceled = true;
    job->forceCanceled = job->forceCanceled || force;
    for (Execution& e : job->executions) {
        if (!e.exists || isTerminal(e.status))
            continue;
        if (e.status == JobExecutionStatus::InProgress && !force)
            continue;
        setStatus(nowMs, *job, e, JobExecutionStatus::Canceled, out);
        publishNext(nowMs, e.thing, false, out);
    }
    return {};
}

Result<void> JobsStreamService::onNextJobRequest(qint64 nowMs, const QString& thingName, const QString& clientToken,
                                                 ServiceActions& out)
{
    Q_UNUSED(clientToken);
    if (auto ok = validateThingName(thingName); !ok)
        return refuse(nowMs, thingName, QStringLiteral("$next/get from an invalid thing name: ") + ok.error().message, out);
    publishNext(nowMs, thingName, true, out);
    return {};
}

Result<void> JobsStreamService::onJobUpdate(qint64 nowMs, const QString& thingName, const QString& jobId,
                                            JobExecutionStatus status, const QJsonObject& statusDetails,
                                            const QString& clientToken, ServiceActions& out)
{
    Job* job = findJob(jobId);
    Execution* e = job ? findExecution(*job, thingName) : nullptr;
    if (!e || !e->exists) {
        const QString why = QStringLiteral("update from '%1' for job '%2': no such execution").arg(thingName, jobId);
        respond(nowMs, thingName, jobId, clientToken, QStringLiteral("ResourceNotFound"), why, out);
        return refuse(nowMs, thingName, why, out);
    }
    if (isTerminal(e->status)) {
        const QString why = QStringLiteral("update from '%1' for job '%2' to %3 refused: the execution is %4 (terminal)")
                                .arg(thingName, jobId, jobExecutionStatusName(status), jobExecutionStatusName(e->status));
        respond(nowMs, thingName, jobId, clientToken, QStringLiteral("InvalidStateTransition"), why, out);
        return refuse(nowMs, thingName, why, out);
    }
    if (!isThingReportable(e->status, status)) {
        const QString why = QStringLiteral("update from '%1' for job '%2': a thing cannot set %3")
                                .arg(thingName, jobId, jobExecutionStatusName(status));
        respond(nowMs, thingName, jobId, clientToken, QStringLiteral("InvalidRequest"), why, out);
        return refuse(nowMs, thingName, why, out);
    }
    e->statusDetails = statusDetails;
    setStatus(nowMs, *job, *e, status, out);
    respond(nowMs, thingName, jobId, clientToken, {}, {}, out);
    if (isTerminal(status))
        publishNext(nowMs, thingName, false, out);  // the thing's next pending execution changed
    return {};
}

Result<void> JobsStreamService::onGetStream(qint64 nowMs, const QString& thingName, const QString& streamName,
                                            const GetStreamRequest& request, ServiceActions& out)
{
    Job* job = jobOfStream(streamName);
    if (!job)
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1' for unknown stream '%2'").arg(thingName, streamName), out);
    Execution* e = findExecution(*job, thingName);
    if (!e || !e->exists || isTerminal(e->status))
        return refuse(nowMs, thingName,
                      QStringLiteral("GetStream from '%1' for stream '%2': no live execution of job '%3'%4")
                          .arg(thingName, streamName, job->document.jobId,
                               e && e->exists ? QStringLiteral(" (it is %1)").arg(jobExecutionStatusName(e->status)) : QString()),
                      out);
    ++e->getStreamRequests;
    const OtaFileInfo& file = job->document.files.front();
    if (request.fileId != file.fileId)
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1': file id %2 is not in stream '%3' (file id %4)")
                                            .arg(thingName).arg(request.fileId).arg(streamName).arg(file.fileId), out);
    if (request.blockSize < m_config.minBlockSize || request.blockSize > m_config.maxBlockSize)
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1': block size %2 outside %3..%4")
                                            .arg(thingName).arg(request.blockSize).arg(m_config.minBlockSize).arg(m_config.maxBlockSize), out);
    if (request.numberOfBlocks == 0)
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1': n is 0").arg(thingName), out);
    const qint64 blocks = (qint64(file.fileSize) + request.blockSize - 1) / request.blockSize;
    if (qint64(request.offset) >= blocks)
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1': offset %2 is past the file's %3 blocks")
                                            .arg(thingName).arg(request.offset).arg(blocks), out);
    if (request.bitmap.isEmpty())
        return refuse(nowMs, thingName, QStringLiteral("GetStream from '%1': empty bitmap").arg(thingName), out);
    const std::uint32_t limit = std::min(request.numberOfBlocks, m_config.maxBlocksPerRequest);
    // Bits past the last block are ignored, as the AWS service does: the newer AWS MQTT file
    // streams client always sends the same 4-byte bitmap with o = the block and n = the count,
    // which runs past the end near the end of a file. The request is still served; the
    // oddity is reported (a ServiceRefusal note, counted) so a user sees a client that asks
    // for blocks the file does not have.
    const qint64 maxBytes = (blocks - request.offset + 7) / 8;
    bool pastEnd = request.bitmap.size() > maxBytes;
    for (qint64 bit = blocks - request.offset; !pastEnd && bit < qint64(request.bitmap.size()) * 8; ++bit)
        pastEnd = std::uint8_t(request.bitmap[bit / 8]) & (1u << (bit % 8));
    if (pastEnd) {
        ++m_refused;
        m_lastRefusal = QStringLiteral("GetStream from '%1': the bitmap (%2 bytes from offset %3) reaches past the file's %4 "
                                       "blocks; those bits are ignored")
                            .arg(thingName).arg(request.bitmap.size()).arg(request.offset).arg(blocks);
        out.push_back(ServiceRefusal{nowMs, thingName, m_lastRefusal});
    }
    std::uint32_t served = 0;
    for (qint64 bit = 0; bit < blocks - request.offset && served < limit; ++bit) {
        if (bit / 8 >= request.bitmap.size())
            break;
        if (!(std::uint8_t(request.bitmap[bit / 8]) & (1u << (bit % 8))))
            continue;
        StreamBlock b;
        b.thingName = thingName;
        b.streamName = streamName;
        b.fileId = file.fileId;
        b.blockId = std::uint32_t(request.offset + bit);
        b.blockSize = request.blockSize;
        b.image = job->image;
        e->bytesServed += std::uint64_t(b.data().size());
        ++e->blocksServed;
        ++served;
        out.push_back(ServicePublish{std::move(b), 0});
    }
    return {};
}

Result<void> JobsStreamService::onAgentMessage(qint64 nowMs, const AgentMessage& message, ServiceActions& out)
{
    if (const auto* next = std::get_if<NextJobRequest>(&message))
        return onNextJobRequest(nowMs, next->thingName, QStringLiteral("%1:%2").arg(next->counter).arg(next->thingName), out);
    if (const auto* stream = std::get_if<StreamRequest>(&message))
        return onGetStream(nowMs, stream->thingName, stream->streamName, stream->request, out);
    const auto& update = std::get<JobStatusUpdate>(message);
    return onJobUpdate(nowMs, update.thingName, update.jobId, update.status, update.statusDetails, {}, out);
}

Result<void> JobsStreamService::onMessage(qint64 nowMs, const QString& topic, QByteArrayView payload, ServiceActions& out)
{
    const auto parsed = parseTopic(topic);
    if (!parsed)
        return refuse(nowMs, {}, QStringLiteral("'%1' is not an AWS IoT jobs or streams topic").arg(topic), out);
    const QByteArray bytes = payload.toByteArray();
    switch (parsed->kind) {
    case TopicKind::JobsGetNext: {
        QString token;
        if (!bytes.trimmed().isEmpty()) {
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                return refuse(nowMs, parsed->thing, QStringLiteral("$next/get from '%1': body is not a JSON object").arg(parsed->thing), out);
            token = doc.object().value(QStringLiteral("clientToken")).toString();
        }
        return onNextJobRequest(nowMs, parsed->thing, token, out);
    }
    case TopicKind::JobUpdate: {
        auto update = parseJobUpdate(bytes);
        if (!update) {
            const QString why = QStringLiteral("update from '%1' for job '%2': %3").arg(parsed->thing, parsed->jobId, update.error().toString());
            respond(nowMs, parsed->thing, parsed->jobId, {}, QStringLiteral("InvalidRequest"), why, out);
            return refuse(nowMs, parsed->thing, why, out);
        }
        const auto status = jobExecutionStatusFromName(update->status);
        if (!status)
            return refuse(nowMs, parsed->thing, QStringLiteral("update from '%1': unknown status '%2'").arg(parsed->thing, update->status), out);
        return onJobUpdate(nowMs, parsed->thing, parsed->jobId, *status, update->statusDetails, update->clientToken, out);
    }
    case TopicKind::StreamGet: {
        auto request = decodeGetStream(bytes);
        if (!request)
            return refuse(nowMs, parsed->thing, QStringLiteral("GetStream from '%1' for stream '%2': %3")
                                                    .arg(parsed->thing, parsed->stream, request.error().toString()), out);
        return onGetStream(nowMs, parsed->thing, parsed->stream, *request, out);
    }
    default:
        return refuse(nowMs, parsed->thing, QStringLiteral("'%1' is not a request topic of the service").arg(topic), out);
    }
}

ExecutionInfo JobsStreamService::describe(const Job& job, const Execution& e) const
{
    ExecutionInfo info;
    info.thingName = e.thing;
    info.jobId = job.document.jobId;
    info.status = e.status;
    info.executionNumber = e.executionNumber;
    info.versionNumber = e.versionNumber;
    info.statusDetails = e.statusDetails;
    info.queuedAtMs = e.queuedAtMs;
    info.startedAtMs = e.startedAtMs;
    info.lastUpdatedAtMs = e.lastUpdatedAtMs;
    info.getStreamRequests = e.getStreamRequests;
    info.blocksServed = e.blocksServed;
    info.bytesServed = e.bytesServed;
    return info;
}

std::optional<JobInfo> JobsStreamService::job(const QString& jobId) const
{
    const Job* job = findJob(jobId);
    if (!job)
        return std::nullopt;
    JobInfo info;
    info.jobId = jobId;
    info.document = job->document;
    info.imageSize = job->image ? job->image->size() : 0;
    info.forceCanceled = job->forceCanceled;
    info.createdAtMs = job->createdAtMs;
    bool allDone = true;
    for (const Execution& e : job->executions) {
        info.targets.append(e.thing);
        if (!e.exists) {
            allDone = false;
            continue;
        }
        ++info.notified;
        ++info.counts[std::size_t(e.status)];
        if (!isTerminal(e.status))
            allDone = false;
    }
    info.status = job->canceled ? QStringLiteral("CANCELED") : allDone ? QStringLiteral("COMPLETED") : QStringLiteral("IN_PROGRESS");
    return info;
}

std::vector<JobInfo> JobsStreamService::jobs() const
{
    std::vector<JobInfo> all;
    all.reserve(m_jobs.size());
    for (const auto& job : m_jobs)
        all.push_back(*this->job(job->document.jobId));
    return all;
}

std::vector<ExecutionInfo> JobsStreamService::executions(const QString& jobId) const
{
    std::vector<ExecutionInfo> all;
    if (const Job* job = findJob(jobId))
        for (const Execution& e : job->executions)
            if (e.exists)
                all.push_back(describe(*job, e));
    return all;
}

std::optional<ExecutionInfo> JobsStreamService::execution(const QString& jobId, const QString& thingName) const
{
    const Job* job = findJob(jobId);
    if (!job)
        return std::nullopt;
    const auto it = job->byThing.constFind(thingName);
    if (it == job->byThing.constEnd() || !job->executions[std::size_t(*it)].exists)
        return std::nullopt;
    return describe(*job, job->executions[std::size_t(*it)]);
}

std::vector<ExecutionInfo> JobsStreamService::executionsForThing(const QString& thingName) const
{
    std::vector<ExecutionInfo> all;
    for (const auto& job : m_jobs) {
        const auto it = job->byThing.constFind(thingName);
        if (it != job->byThing.constEnd() && job->executions[std::size_t(*it)].exists)
            all.push_back(describe(*job, job->executions[std::size_t(*it)]));
    }
    return all;
}

} // namespace otalab::core::awsota
