// SPDX-License-Identifier: Apache-2.0
// The AWS IoT Jobs + streams service in real time (see the header).
#include "app/hw/jobs_service_host.h"

#include "core/common/overloaded.h"
#include "app/hw/jobs_rollout.h"

#include <QJsonDocument>

#include <cmath>

namespace otalab::hw::jobs {

using core::awsota::JobExecutionStatus;
using core::transport::MqttLink;
using sim::rollout::DeviceReport;
using sim::rollout::ExecutionState;
using sim::rollout::RolloutAction;

namespace {


const QStringList& serviceFilters()
{
    static const QStringList filters = {QStringLiteral("$aws/things/+/jobs/$next/get"),
                                        QStringLiteral("$aws/things/+/jobs/+/update"),
                                        QStringLiteral("$aws/things/+/streams/+/get/cbor")};
    return filters;
}

QString statusName(JobExecutionStatus s) { return core::awsota::jobExecutionStatusName(s); }

std::optional<DeviceReport> reportFor(JobExecutionStatus from, JobExecutionStatus to)
{
    switch (to) {
    case JobExecutionStatus::InProgress:
        return from == JobExecutionStatus::Queued ? std::optional(DeviceReport::Started) : std::nullopt;
    case JobExecutionStatus::Succeeded: return DeviceReport::Succeeded;
    case JobExecutionStatus::Failed: return DeviceReport::Failed;
    case JobExecutionStatus::Rejected: return DeviceReport::Rejected;
    default: return std::nullopt;
    }
}

std::optional<JobExecutionStatus> serviceEndFor(ExecutionState s)
{
    switch (s) {
    case ExecutionState::TimedOut: return JobExecutionStatus::TimedOut;
    case ExecutionState::Canceled: return JobExecutionStatus::Canceled;
    case ExecutionState::Removed: return JobExecutionStatus::Removed;
    default: return std::nullopt;
    }
}

QString compact(const QJsonObject& json)
{
    return json.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

// {"execution":{"jobId":…,"jobDocument":document}} read with the agent's own parser.
Result<core::awsota::OtaJobDocument> documentOf(const ControlRequest& request)
{
    const QJsonObject wrapper{
        {QStringLiteral("execution"),
         QJsonObject{{QStringLiteral("jobId"), request.jobId}, {QStringLiteral("jobDocument"), request.document}}}};
    auto parsed = core::awsota::parseJobNotification(QJsonDocument(wrapper).toJson(QJsonDocument::Compact));
    if (!parsed)
        return fail(Error{parsed.error().message,
                          QStringLiteral("document") + parsed.error().field.mid(QStringLiteral("execution.jobDocument").size()),
                          -1});
    if (!*parsed)
        return fail(Error{QStringLiteral("no afr_ota job document"), QStringLiteral("document"), -1});
    core::awsota::OtaJobDocument doc = **parsed;
    if (doc.streamName != request.streamName)
        return fail(Error{QStringLiteral("the document streams '%1' but the request names '%2'")
                              .arg(doc.streamName, request.streamName),
                          QStringLiteral("streamName"), -1});
    if (doc.files.empty() || doc.files.front().fileSize != std::uint32_t(request.file.size()))
        return fail(Error{QStringLiteral("files[0].filesize is not the image's %1 bytes").arg(request.file.size()),
                          QStringLiteral("document.afr_ota.files[0].filesize"), -1});
    if (doc.files.front().fileId != std::uint32_t(request.fileId))
        return fail(Error{QStringLiteral("files[0].fileid %1 is not the request's file id %2")
                              .arg(doc.files.front().fileId)
                              .arg(request.fileId),
                          QStringLiteral("fileId"), -1});
    return doc;
}

} // namespace

JobsServiceHost::JobsServiceHost(MqttLink* link, JobsClock* clock, Options options, QObject* parent)
    : QObject(parent), m_link(link), m_clock(clock), m_options(std::move(options)), m_store(m_options.stateDir),
      m_service(m_options.service)
{
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, [this] {
        if (m_link && m_link->state() == MqttLink::State::Disconnected)
            m_link->connectToBroker();
    });
}

JobsServiceHost::~JobsServiceHost()
{
    m_stopping = true;
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
}

Result<void> JobsServiceHost::start()
{
    if (m_started)
        return {};
    if (!m_link || !m_clock)
        return fail(QStringLiteral("internal: the jobs service needs a broker link and a clock"));
    if (auto ok = m_store.prepare(); !ok)
        return ok;
    auto stored = m_store.loadAll();
    if (!stored)
        return fail(stored.error());
    for (StoredJob& job : *stored) {
        const QString id = job.definition.jobId;
        if (auto ok = restoreJob(std::move(job)); !ok)
            return fail(QStringLiteral("cannot restore job %1 from %2: %3").arg(id, m_store.dir(), ok.error().toString()));
        Q_EMIT log(QStringLiteral("restored job %1 (%2)").arg(id, summary(id, false)->status));
    }
    connect(m_link, &MqttLink::stateChanged, this, &JobsServiceHost::onLinkState);
    connect(m_link, &MqttLink::messageReceived, this, &JobsServiceHost::onMessage);
    connect(m_link, &MqttLink::errorOccurred, this, [this](const QString& message) {
        if (!m_stopping)
            Q_EMIT log(QStringLiteral("broker: %1").arg(message));
    });
    connect(m_clock, &JobsClock::wake, this, &JobsServiceHost::onWake);
    m_started = true;
    m_link->connectToBroker();
    return {};
}

void JobsServiceHost::stop()
{
    m_stopping = true;
    m_reconnect.stop();
    if (m_clock)
        m_clock->cancelWake();
    for (auto& job : m_jobs)
        save(*job);
    if (m_link && m_link->state() != MqttLink::State::Disconnected)
        m_link->disconnectFromBroker();
}

QStringList JobsServiceHost::jobIds() const
{
    QStringList ids;
    for (const auto& job : m_jobs)
        ids << job->stored.definition.jobId;
    return ids;
}

JobsServiceHost::HostJob* JobsServiceHost::find(const QString& jobId)
{
    for (auto& job : m_jobs)
        if (job->stored.definition.jobId == jobId)
            return job.get();
    return nullptr;
}

const JobsServiceHost::HostJob* JobsServiceHost::find(const QString& jobId) const
{
    return const_cast<JobsServiceHost*>(this)->find(jobId);
}

JobsServiceHost::HostJob* JobsServiceHost::jobOfStream(const QString& stream)
{
    // The newest job of that stream (an older one may have ended).
    for (auto it = m_jobs.rbegin(); it != m_jobs.rend(); ++it)
        if ((*it)->stored.definition.streamName == stream)
            return it->get();
    return nullptr;
}

const sim::rollout::RolloutEngine* JobsServiceHost::engine(const QString& jobId) const
{
    const HostJob* job = find(jobId);
    return job ? job->engine.get() : nullptr;
}

QList<std::uint32_t> JobsServiceHost::blocksSent(const QString& jobId, const QString& thing) const
{
    const HostJob* job = find(jobId);
    return job ? job->blocks.value(thing).sent : QList<std::uint32_t>{};
}

Result<std::unique_ptr<sim::rollout::RolloutEngine>> JobsServiceHost::makeEngine(const StoredJob& stored) const
{
    auto config = rolloutPolicyFromSection(stored.definition.rollout, stored.definition.jobId, stored.definition.targets);
    if (!config)
        return fail(config.error());
    return sim::rollout::RolloutEngine::create(*config, std::uint32_t(stored.definition.targets.size()), m_options.seed);
}

// ---- link ----

void JobsServiceHost::onLinkState(MqttLink::State state)
{
    if (m_stopping)
        return;
    if (state == MqttLink::State::Connected) {
        m_reconnect.stop();
        m_connected = true;
        for (const QString& filter : serviceFilters())
            m_link->subscribe(filter, 1);
        m_link->subscribe(controlRequestFilter(), 1);
        Q_EMIT log(QStringLiteral("serving jobs on %1").arg(m_link->describe()));
        announcePending();
        Q_EMIT ready();
        onWake();   // notifications that fell due while we were away
        return;
    }
    if (state == MqttLink::State::Disconnected) {
        if (m_connected)
            Q_EMIT log(QStringLiteral("lost the broker; reconnecting"));
        m_connected = false;
        m_reconnect.start(m_options.reconnectDelayMs);
    }
}

void JobsServiceHost::announcePending()
{
    // A thing that asked ($next/get) while we were away got no answer, and an agent in
    // WaitingForJob does not ask again: tell each thing with a live execution its next job
    // on notify-next, as the service does when an execution changes.
    const qint64 now = m_clock->nowMs();
    QStringList things;
    for (const auto& job : m_jobs)
        for (const QString& thing : job->stored.definition.targets)
            if (const auto e = m_service.execution(job->stored.definition.jobId, thing);
                e && !core::awsota::isTerminal(e->status) && !things.contains(thing))
                things << thing;
    for (const QString& thing : things) {
        core::awsota::ServiceActions out;
        (void)m_service.onNextJobRequest(now, thing, {}, out);
        applyService(out, now, false);
    }
}

void JobsServiceHost::onMessage(const QString& topic, const QByteArray& payload)
{
    if (m_stopping)
        return;
    if (auto op = controlOpOfTopic(topic)) {
        handleControl(*op, payload);
        return;
    }
    if (topic.startsWith(QLatin1String("otalab/")))
        return;   // our own responses / events
    const qint64 now = m_clock->nowMs();
    core::awsota::ServiceActions out;
    (void)m_service.onMessage(now, topic, payload, out);   // refusals come back as ServiceRefusal too
    applyService(out, now, true);
    armWake();
}

void JobsServiceHost::onWake()
{
    if (m_stopping)
        return;
    const qint64 now = m_clock->nowMs();
    for (auto& job : m_jobs) {
        const auto wake = job->engine->nextWakeS();
        if (!wake || job->stored.createdAtMs + qint64(*wake * 1000.0) > now)
            continue;
        const auto actions = job->engine->advance(ageS(*job, now));
        applyEngine(*job, actions, now);
    }
    armWake();
}

void JobsServiceHost::armWake()
{
    if (!m_clock || m_stopping)
        return;
    std::optional<qint64> earliest;
    for (const auto& job : m_jobs)
        if (const auto wake = job->engine->nextWakeS()) {
            const qint64 at = job->stored.createdAtMs + qint64(std::ceil(*wake * 1000.0));
            earliest = earliest ? std::min(*earliest, at) : at;
        }
    if (earliest)
        m_clock->wakeAt(*earliest);
    else
        m_clock->cancelWake();
}

// ---- control ----

void JobsServiceHost::handleControl(ControlOp op, const QByteArray& payload)
{
    ControlResponse response;
    auto request = parseControlRequest(op, payload);
    if (request) {
        response = handle(*request);
    } else {
        const QString token = QJsonDocument::fromJson(payload).object().value(QStringLiteral("clientToken")).toString();
        if (request.error().field == QLatin1String("clientToken") || token.isEmpty()) {
            Q_EMIT log(QStringLiteral("ignored an unanswerable %1 request: %2").arg(controlOpName(op), request.error().toString()));
            return;
        }
        response.clientToken = token;
        response.ok = false;
        response.error = request.error().message;
        response.field = request.error().field;
    }
    if (!response.ok)
        Q_EMIT log(QStringLiteral("refused %1: %2%3")
                       .arg(controlOpName(op), response.field.isEmpty() ? QString() : response.field + QStringLiteral(": "),
                            response.error));
    if (m_link && m_connected)
        m_link->publish(controlResponseTopic(response.clientToken), encodeControlResponse(response), 1);
}

ControlResponse JobsServiceHost::handle(const ControlRequest& request)
{
    ControlResponse response;
    response.clientToken = request.clientToken;
    auto refuse = [&](const QString& field, const QString& message) {
        response.ok = false;
        response.field = field;
        response.error = message;
        return response;
    };
    const qint64 now = m_clock ? m_clock->nowMs() : 0;
    switch (request.op) {
    case ControlOp::List:
        for (const auto& job : m_jobs)
            response.jobs.push_back(*summary(job->stored.definition.jobId, false));
        return response;
    case ControlOp::Describe:
        if (!find(request.jobId))
            return refuse(QStringLiteral("jobId"), QStringLiteral("no job '%1'").arg(request.jobId));
        response.jobs.push_back(*summary(request.jobId));
        return response;
    case ControlOp::Create:
        if (auto ok = createJob(request, now); !ok)
            return refuse(ok.error().field, ok.error().message);
        response.jobs.push_back(*summary(request.jobId));
        return response;
    case ControlOp::Cancel: {
        HostJob* job = find(request.jobId);
        if (!job)
            return refuse(QStringLiteral("jobId"), QStringLiteral("no job '%1'").arg(request.jobId));
        const auto info = m_service.job(request.jobId);
        if (info && info->status != QLatin1String("IN_PROGRESS") && !(request.force && info->status == QLatin1String("CANCELED")))
            return refuse(QStringLiteral("jobId"),
                          QStringLiteral("job '%1' is %2; there is nothing to cancel").arg(request.jobId, info->status));
        const QString reason = request.reason.isEmpty() ? QStringLiteral("canceled by the user") : request.reason;
        core::awsota::ServiceActions out;
        if (auto ok = m_service.cancel(now, request.jobId, request.force, out); !ok)
            return refuse(QStringLiteral("jobId"), ok.error().message);
        JobEvent event;
        event.kind = JobEvent::Kind::Cancel;
        event.atS = ageS(*job, now);
        event.force = request.force;
        event.reason = reason;
        record(*job, event);
        job->serviceCanceled = true;
        job->stored.reason = reason;
        Q_EMIT log(QStringLiteral("job %1 canceled%2: %3").arg(request.jobId, request.force ? QStringLiteral(" (force)") : QString(), reason));
        applyService(out, now, false);
        applyEngine(*job, job->engine->cancel(ageS(*job, now), request.force, reason), now);
        for (const QString& thing : job->stored.definition.targets)
            refreshExecution(*job, thing);
        save(*job);
        armWake();
        response.jobs.push_back(*summary(request.jobId));
        return response;
    }
    }
    return response;
}

Result<void> JobsServiceHost::createJob(const ControlRequest& request, qint64 nowMs)
{
    if (find(request.jobId))
        return fail(Error{QStringLiteral("a job '%1' exists already").arg(request.jobId), QStringLiteral("jobId"), -1});
    auto doc = documentOf(request);
    if (!doc)
        return fail(doc.error());
    auto job = std::make_unique<HostJob>();
    job->stored.definition = request;
    job->stored.definition.clientToken.clear();
    if (!job->stored.definition.rollout.contains(QStringLiteral("order")))
        job->stored.definition.rollout.insert(QStringLiteral("order"), QStringLiteral("index"));
    job->stored.createdAtMs = nowMs;
    for (const QString& thing : request.targets) {
        ExecutionSummary e;
        e.thing = thing;
        job->stored.executions.push_back(e);
    }
    auto engine = makeEngine(job->stored);
    if (!engine)
        return fail(Error{engine.error().message, engine.error().field.isEmpty() ? QStringLiteral("rollout") : engine.error().field, -1});
    job->engine = std::move(*engine);
    auto image = std::make_shared<const QByteArray>(request.file);
    if (auto ok = m_service.createJob(nowMs, *doc, image, request.targets); !ok)
        return fail(Error{ok.error().message, ok.error().field, -1});
    HostJob& ref = *job;
    m_jobs.push_back(std::move(job));
    save(ref, true);
    Q_EMIT log(QStringLiteral("job %1 created: %2 targets, stream %3, %4 bytes")
                   .arg(request.jobId)
                   .arg(request.targets.size())
                   .arg(request.streamName)
                   .arg(request.file.size()));
    applyEngine(ref, ref.engine->start(0.0), nowMs);
    armWake();
    return {};
}

Result<void> JobsServiceHost::restoreJob(StoredJob stored)
{
    auto doc = documentOf(stored.definition);
    if (!doc)
        return fail(doc.error());
    auto job = std::make_unique<HostJob>();
    job->stored = std::move(stored);
    auto engine = makeEngine(job->stored);
    if (!engine)
        return fail(engine.error());
    job->engine = std::move(*engine);
    const qint64 created = job->stored.createdAtMs;
    auto image = std::make_shared<const QByteArray>(job->stored.definition.file);
    if (auto ok = m_service.createJob(created, *doc, image, job->stored.definition.targets); !ok)
        return fail(ok.error());
    const QString id = job->stored.definition.jobId;
    const QStringList& targets = job->stored.definition.targets;
    m_replaying = true;
    (void)job->engine->start(0.0);
    for (const JobEvent& e : job->stored.history) {
        const qint64 at = created + qint64(e.atS * 1000.0);
        (void)job->engine->advance(e.atS);
        core::awsota::ServiceActions out;
        const auto status = core::awsota::jobExecutionStatusFromName(e.status);
        switch (e.kind) {
        case JobEvent::Kind::Notify:
            (void)m_service.notifyThing(at, id, e.thing, out);
            break;
        case JobEvent::Kind::Update:
            if (status)
                (void)m_service.onJobUpdate(at, e.thing, id, *status, e.statusDetails, {}, out);
            for (const auto& action : out)
                if (const auto* changed = std::get_if<core::awsota::ExecutionChanged>(&action))
                    if (const auto report = reportFor(changed->from, changed->to))
                        (void)job->engine->report(std::uint32_t(targets.indexOf(e.thing)), *report, e.atS);
            break;
        case JobEvent::Kind::End:
            if (status)
                (void)m_service.endExecution(at, id, e.thing, *status, out);
            break;
        case JobEvent::Kind::Cancel:
            if (!e.byEngine)
                (void)job->engine->cancel(e.atS, e.force, e.reason);
            (void)m_service.cancel(at, id, e.force, out);
            job->serviceCanceled = true;
            break;
        }
    }
    m_replaying = false;
    HostJob& ref = *job;
    m_jobs.push_back(std::move(job));
    for (const QString& thing : targets)
        refreshExecution(ref, thing);
    return {};
}

// ---- actions ----

void JobsServiceHost::record(HostJob& job, JobEvent event)
{
    if (!m_replaying)
        job.stored.history.push_back(std::move(event));
}

void JobsServiceHost::save(HostJob& job, bool withImage)
{
    if (m_replaying)
        return;
    if (auto ok = m_store.save(job.stored, withImage); !ok)
        Q_EMIT log(QStringLiteral("cannot save job %1: %2").arg(job.stored.definition.jobId, ok.error().message));
}

void JobsServiceHost::publishEvent(const QJsonObject& event)
{
    if (m_link && m_connected && !m_replaying)
        m_link->publish(controlEventsTopic(), QJsonDocument(event).toJson(QJsonDocument::Compact), 0);
}

void JobsServiceHost::refreshExecution(HostJob& job, const QString& thing)
{
    const qsizetype index = job.stored.definition.targets.indexOf(thing);
    if (index < 0 || std::size_t(index) >= job.stored.executions.size())
        return;
    ExecutionSummary& e = job.stored.executions[std::size_t(index)];
    if (const auto info = m_service.execution(job.stored.definition.jobId, thing)) {
        e.status = statusName(info->status);
        e.executionNumber = info->executionNumber;
        e.versionNumber = info->versionNumber;
        e.statusDetails = info->statusDetails;
        e.lastUpdateS = double(info->lastUpdatedAtMs - job.stored.createdAtMs) / 1000.0;
    } else if (job.engine) {
        // Never notified: the rollout's word (QUEUED, or CANCELED when the job was).
        e.status = sim::rollout::executionStateName(job.engine->state(std::uint32_t(index)));
    }
    const auto it = job.blocks.constFind(thing);
    if (it != job.blocks.constEnd()) {
        e.blocksReceived = int(it->distinct.size());
        e.blocksTotal = it->total;
        e.blocksSent = int(it->sent.size());
    }
}

void JobsServiceHost::applyService(core::awsota::ServiceActions& actions, qint64 nowMs, bool fromThing)
{
    for (const core::awsota::ServiceAction& action : actions) {
        std::visit(
            Overloaded{
                [&](const core::awsota::ServicePublish& p) {
                    if (m_link && m_connected)
                        m_link->publish(p.topic(), p.payload(), p.qos);
                    const auto* block = std::get_if<core::awsota::StreamBlock>(&p.message);
                    if (!block)
                        return;
                    HostJob* job = jobOfStream(block->streamName);
                    if (!job)
                        return;
                    DeviceBlocks& blocks = job->blocks[block->thingName];
                    const qint64 size = block->image ? block->image->size() : 0;
                    blocks.total = block->blockSize ? int((size + block->blockSize - 1) / block->blockSize) : 0;
                    blocks.sent << block->blockId;
                    const qsizetype before = blocks.distinct.size();
                    blocks.distinct.insert(block->blockId);
                    if (blocks.distinct.size() == before)
                        return;
                    const int k = int(blocks.distinct.size());
                    const int step = std::max(1, blocks.total / std::max(1, m_options.progressLines));
                    if (k == 1 || k == blocks.total || k % step == 0) {
                        const QString id = job->stored.definition.jobId;
                        Q_EMIT log(QStringLiteral("%1 %2: blocks %3/%4").arg(id, block->thingName).arg(k).arg(blocks.total));
                        publishEvent(QJsonObject{{QStringLiteral("jobId"), id},
                                                 {QStringLiteral("thingName"), block->thingName},
                                                 {QStringLiteral("blocksReceived"), k},
                                                 {QStringLiteral("blocksTotal"), blocks.total}});
                    }
                    Q_EMIT progress(job->stored.definition.jobId, block->thingName, k, blocks.total);
                    if (k == blocks.total) {
                        refreshExecution(*job, block->thingName);
                        save(*job);
                    }
                },
                [&](const core::awsota::ExecutionChanged& c) {
                    HostJob* job = find(c.jobId);
                    if (!job)
                        return;
                    if (fromThing) {
                        JobEvent event;
                        event.kind = JobEvent::Kind::Update;
                        event.atS = ageS(*job, nowMs);
                        event.thing = c.thingName;
                        event.status = statusName(c.to);
                        event.statusDetails = c.statusDetails;
                        record(*job, event);
                    }
                    refreshExecution(*job, c.thingName);
                    save(*job);
                    const QString details = compact(c.statusDetails);
                    Q_EMIT log(c.from == c.to ? QStringLiteral("%1 %2: %3 %4").arg(c.jobId, c.thingName, statusName(c.to), details)
                                              : QStringLiteral("%1 %2: %3 -> %4 %5")
                                                    .arg(c.jobId, c.thingName, statusName(c.from), statusName(c.to), details)
                                                    .trimmed());
                    publishEvent(QJsonObject{{QStringLiteral("jobId"), c.jobId},
                                             {QStringLiteral("thingName"), c.thingName},
                                             {QStringLiteral("from"), statusName(c.from)},
                                             {QStringLiteral("to"), statusName(c.to)},
                                             {QStringLiteral("statusDetails"), c.statusDetails}});
                    Q_EMIT executionChanged(c.jobId, c.thingName, statusName(c.from), statusName(c.to), c.statusDetails);
                    if (!fromThing)
                        return;
                    const auto report = reportFor(c.from, c.to);
                    const qsizetype device = job->stored.definition.targets.indexOf(c.thingName);
                    if (report && device >= 0)
                        applyEngine(*job, job->engine->report(std::uint32_t(device), *report, ageS(*job, nowMs)), nowMs);
                },
                [&](const core::awsota::ServiceRefusal& r) {
                    Q_EMIT log(QStringLiteral("refused%1: %2")
                                   .arg(r.thingName.isEmpty() ? QString() : QStringLiteral(" ") + r.thingName, r.reason));
                },
            },
            action);
    }
    actions.clear();
}

void JobsServiceHost::applyEngine(HostJob& job, const std::vector<RolloutAction>& actions, qint64 nowMs)
{
    const QString id = job.stored.definition.jobId;
    for (const RolloutAction& a : actions) {
        if (a.device >= std::uint32_t(job.stored.definition.targets.size()))
            continue;
        const QString thing = job.stored.definition.targets.at(a.device);
        core::awsota::ServiceActions out;
        JobEvent event;
        event.atS = ageS(job, nowMs);
        event.thing = thing;
        if (a.kind == RolloutAction::Kind::Notify) {
            if (auto ok = m_service.notifyThing(nowMs, id, thing, out); !ok) {
                Q_EMIT log(QStringLiteral("%1 %2: not notified: %3").arg(id, thing, ok.error().message));
                continue;
            }
            event.kind = JobEvent::Kind::Notify;
        } else {
            const auto status = serviceEndFor(a.state);
            const auto info = m_service.execution(id, thing);
            if (!status || !info || core::awsota::isTerminal(info->status)) {
                refreshExecution(job, thing);   // e.g. a never-notified thing of a canceled job
                continue;
            }
            if (auto ok = m_service.endExecution(nowMs, id, thing, *status, out); !ok)
                continue;
            event.kind = JobEvent::Kind::End;
            event.status = statusName(*status);
        }
        record(job, event);
        applyService(out, nowMs, false);
        refreshExecution(job, thing);
    }
    checkEngineStatus(job, nowMs);
    save(job);
}

void JobsServiceHost::checkEngineStatus(HostJob& job, qint64 nowMs)
{
    const QString status = job.engine->jobStatus();
    const QString id = job.stored.definition.jobId;
    if (status == QLatin1String("CANCELED") && !job.serviceCanceled) {
        // The abort criteria tripped: the service cancels the job (queued executions).
        job.serviceCanceled = true;
        const auto result = job.engine->result({});
        const QString reason = result.abortReason.isEmpty() ? QStringLiteral("abort criteria met") : result.abortReason;
        job.stored.reason = QStringLiteral("aborted: %1").arg(reason);
        core::awsota::ServiceActions out;
        if (m_service.cancel(nowMs, id, false, out)) {
            JobEvent event;
            event.kind = JobEvent::Kind::Cancel;
            event.atS = ageS(job, nowMs);
            event.byEngine = true;
            event.reason = reason;
            record(job, event);
        }
        Q_EMIT log(QStringLiteral("job %1 CANCELED by its abort criteria: %2").arg(id, reason));
        applyService(out, nowMs, false);
        for (const QString& thing : job.stored.definition.targets)
            refreshExecution(job, thing);
    }
    if (status != job.engineStatus) {
        job.engineStatus = status;
        Q_EMIT jobChanged(id, status);
    }
}

std::optional<JobSummary> JobsServiceHost::summary(const QString& jobId, bool withExecutions) const
{
    const HostJob* job = find(jobId);
    if (!job)
        return std::nullopt;
    JobSummary s;
    s.jobId = jobId;
    s.targets = job->stored.definition.targets;
    s.streamName = job->stored.definition.streamName;
    s.fileSize = job->stored.definition.file.size();
    s.createdAtMs = job->stored.createdAtMs;
    s.reason = job->stored.reason;
    s.ratePerMinute = job->engine->currentRatePerMinute();
    const auto info = m_service.job(jobId);
    s.notified = info ? info->notified : 0;
    s.status = info ? info->status : job->engine->jobStatus();
    const QString engineStatus = job->engine->jobStatus();
    if (s.status == QLatin1String("IN_PROGRESS")
        && (engineStatus == QLatin1String("SCHEDULED") || engineStatus == QLatin1String("PAUSED")))
        s.status = engineStatus;
    QHash<QString, int> counts;
    for (const ExecutionSummary& e : job->stored.executions)
        counts[e.status] += 1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        s.counts.insert(it.key(), it.value());
    if (withExecutions)
        s.executions = job->stored.executions;
    return s;
}

} // namespace otalab::hw::jobs
