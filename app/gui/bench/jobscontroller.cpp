// SPDX-License-Identifier: Apache-2.0
// JobsController: the jobs service host on a broker, for the Bench (see the header).
#include "jobscontroller.h"

#include "app/hw/jobs_clock.h"
#include "app/hw/jobs_service_host.h"
#include "app/hw/mqtt_link_registry.h"
#include "core/transport/mqtt_link.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>

#include <algorithm>

namespace otalab::app {

using core::transport::MqttLink;
using core::transport::MqttLinkOptions;

namespace {

QString key(const QString& jobId, const QString& thing)
{
    return jobId + QLatin1Char('\n') + thing;
}

Result<void> checkFile(const QString& path, const QString& what)
{
    if (path.isEmpty())
        return {};
    if (!QFileInfo(path).isFile())
        return fail(Error{QStringLiteral("%1 %2 does not exist").arg(what, path), what, -1});
    return {};
}

// The answer to a request made before any broker was connected.
hw::jobs::ControlResponse notConnected()
{
    hw::jobs::ControlResponse refused;
    refused.ok = false;
    refused.error = JobsController::tr("connect to a broker first");
    return refused;
}

} // namespace

JobsController::JobsController(QObject* parent, hw::MqttLinkRegistry* registry, hw::jobs::JobsClock* clock)
    : QObject(parent), m_registry(registry), m_clock(clock)
{
    if (!m_registry) {
        m_ownRegistry = std::make_unique<hw::MqttLinkRegistry>();
        m_registry = m_ownRegistry.get();
    }
    if (!m_clock) {
        m_ownClock = std::make_unique<hw::jobs::SystemJobsClock>();
        m_clock = m_ownClock.get();
    }
}

JobsController::~JobsController()
{
    if (m_service)
        m_service->disconnect(this);
    if (m_link)
        m_link->disconnect(this);
    m_service.reset();
    m_link.reset();
}

qint64 JobsController::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

Result<void> JobsController::connectToBroker(const Connection& connection)
{
    disconnectFromBroker();
    auto options = MqttLinkOptions::parse(connection.url.trimmed());
    if (!options)
        return fail(Error{options.error().message, QStringLiteral("url"), -1});
    if (!connection.caFile.isEmpty())
        options->caFile = connection.caFile;
    if (!connection.certFile.isEmpty())
        options->certFile = connection.certFile;
    if (!connection.keyFile.isEmpty())
        options->keyFile = connection.keyFile;
    if (auto ok = checkFile(options->caFile, QStringLiteral("CA file")); !ok)
        return fail(Error{ok.error().message, QStringLiteral("caFile"), -1});
    if (auto ok = checkFile(options->certFile, QStringLiteral("client certificate")); !ok)
        return fail(Error{ok.error().message, QStringLiteral("certFile"), -1});
    if (auto ok = checkFile(options->keyFile, QStringLiteral("client key")); !ok)
        return fail(Error{ok.error().message, QStringLiteral("keyFile"), -1});
    if (options->certFile.isEmpty() != options->keyFile.isEmpty())
        return fail(Error{QStringLiteral("a client certificate needs its key (and a key its certificate)"),
                          options->certFile.isEmpty() ? QStringLiteral("certFile") : QStringLiteral("keyFile"), -1});
    if ((!options->caFile.isEmpty() || !options->certFile.isEmpty()) && !options->tls)
        return fail(Error{QStringLiteral("TLS files need an mqtts:// URL (mqtt:// is plain TCP)"), QStringLiteral("url"), -1});
    if (options->clientId.isEmpty())
        options->clientId = QStringLiteral("otalab-bench-%1").arg(QCoreApplication::applicationPid());

    auto link = m_registry->create(*options, nullptr);
    if (!link)
        return fail(link.error());
    m_link.reset(*link);
    connect(m_link.get(), &MqttLink::messageReceived, this, &JobsController::onMessage);
    connect(m_link.get(), &MqttLink::errorOccurred, this, [this](const QString& text) { Q_EMIT message(text); });
    connect(m_link.get(), &MqttLink::stateChanged, this, [this](MqttLink::State state) {
        if (state == MqttLink::State::Disconnected)
            Q_EMIT connectionChanged(false, tr("not connected to %1 — retrying").arg(brokerDescription()));
    });

    hw::jobs::JobsServiceHost::Options serviceOptions;
    serviceOptions.reconnectDelayMs = 2000;
    m_service = std::make_unique<hw::jobs::JobsServiceHost>(m_link.get(), m_clock, serviceOptions);
    connect(m_service.get(), &hw::jobs::JobsServiceHost::log, this, &JobsController::message);
    connect(m_service.get(), &hw::jobs::JobsServiceHost::ready, this,
            [this] { Q_EMIT connectionChanged(true, tr("serving jobs on %1").arg(brokerDescription())); });
    connect(m_service.get(), &hw::jobs::JobsServiceHost::executionChanged, this,
            [this](const QString& jobId, const QString& thing, const QString&, const QString& to, const QJsonObject&) {
                onExecutionChanged(jobId, thing, to);
            });
    connect(m_service.get(), &hw::jobs::JobsServiceHost::progress, this, &JobsController::onProgress);
    connect(m_service.get(), &hw::jobs::JobsServiceHost::jobChanged, this, &JobsController::jobsChanged);
    if (auto ok = m_service->start(); !ok) {
        m_service.reset();
        m_link.reset();
        return fail(ok.error());
    }
    Q_EMIT connectionChanged(false, tr("connecting to %1…").arg(brokerDescription()));
    return {};
}

void JobsController::disconnectFromBroker()
{
    if (!m_service)
        return;
    m_service->disconnect(this);
    m_link->disconnect(this);
    m_service->stop();
    m_service.reset();
    m_link->disconnectFromBroker();
    m_link.reset();
    m_transfers.clear();
    m_jobOrder.clear();
    Q_EMIT connectionChanged(false, tr("not connected"));
    Q_EMIT jobsChanged();
}

bool JobsController::isConnected() const
{
    return m_service && m_service->isConnected();
}

QString JobsController::brokerDescription() const
{
    return m_link ? m_link->describe() : QString();
}

hw::jobs::ControlResponse JobsController::createJob(const hw::jobs::ControlRequest& request)
{
    if (!m_service)
        return notConnected();
    auto response = m_service->handle(request);
    if (response.ok && !m_jobOrder.contains(request.jobId))
        m_jobOrder << request.jobId;
    Q_EMIT jobsChanged();
    return response;
}

hw::jobs::ControlResponse JobsController::cancelJob(const QString& jobId, bool force, const QString& reason)
{
    hw::jobs::ControlRequest request;
    request.op = hw::jobs::ControlOp::Cancel;
    request.clientToken = hw::jobs::newClientToken();
    request.jobId = jobId;
    request.force = force;
    request.reason = reason;
    if (!m_service)
        return notConnected();
    auto response = m_service->handle(request);
    Q_EMIT jobsChanged();
    return response;
}

std::vector<hw::jobs::JobSummary> JobsController::jobs() const
{
    std::vector<hw::jobs::JobSummary> out;
    if (!m_service)
        return out;
    QStringList ids = m_jobOrder;
    for (const QString& id : m_service->jobIds())
        if (!ids.contains(id))
            ids << id;
    for (const QString& id : ids)
        if (auto job = m_service->summary(id, false))
            out.push_back(*job);
    return out;
}

std::optional<hw::jobs::JobSummary> JobsController::job(const QString& jobId) const
{
    if (!m_service)
        return std::nullopt;
    return m_service->summary(jobId, true);
}

ExecutionFigures JobsController::figures(const QString& jobId, const QString& thing) const
{
    ExecutionFigures f;
    const auto it = m_transfers.constFind(key(jobId, thing));
    if (it == m_transfers.constEnd())
        return f;
    f.lastChangeMs = it->lastChangeMs;
    f.blocksReceived = it->blocks;
    const qint64 spanMs = it->lastBlockMs - it->firstBlockMs;
    const int blocks = it->blocks - it->firstBlocks;
    if (spanMs > 0 && blocks > 0 && m_service) {
        const auto summary = m_service->summary(jobId, false);
        const auto e = m_service->summary(jobId, true);
        int total = 0;
        if (e)
            for (const auto& x : e->executions)
                if (x.thing == thing)
                    total = x.blocksTotal;
        if (summary && total > 0) {
            const double bytesPerBlock = double(summary->fileSize) / total;
            f.kilobytesPerSecond = blocks * bytesPerBlock / double(spanMs);   // bytes/ms = KB/s
        }
    }
    return f;
}

QList<MqttDevice> JobsController::devices() const
{
    QList<MqttDevice> out = m_devices.values();
    std::sort(out.begin(), out.end(), [](const MqttDevice& a, const MqttDevice& b) { return a.thing < b.thing; });
    return out;
}

QStringList JobsController::thingsSeen() const
{
    QStringList things = m_devices.keys();
    things.sort();
    return things;
}

MqttDevice& JobsController::deviceOf(const QString& thing)
{
    MqttDevice& d = m_devices[thing];
    d.thing = thing;
    return d;
}

void JobsController::onMessage(const QString& topic, const QByteArray&)
{
    // Devices publish $aws/things/<thing>/jobs/… and $aws/things/<thing>/streams/…; the
    // service subscribes to exactly those, so whatever arrives here came from a thing.
    static const QString prefix = QStringLiteral("$aws/things/");
    if (!topic.startsWith(prefix))
        return;
    const QString thing = topic.section(QLatin1Char('/'), 2, 2);
    if (thing.isEmpty())
        return;
    const bool isNew = !m_devices.contains(thing);
    MqttDevice& d = deviceOf(thing);
    d.lastSeenMs = nowMs();
    d.lastTopic = topic;
    if (isNew)
        Q_EMIT message(tr("MQTT device %1 seen on the broker").arg(thing));
    Q_EMIT devicesChanged();
}

void JobsController::onExecutionChanged(const QString& jobId, const QString& thing, const QString& to)
{
    Transfer& t = m_transfers[key(jobId, thing)];
    t.lastChangeMs = nowMs();
    MqttDevice& d = deviceOf(thing);
    d.jobId = jobId;
    d.status = to;
    if (auto job = m_service ? m_service->summary(jobId, true) : std::nullopt)
        for (const auto& e : job->executions)
            if (e.thing == thing) {
                d.blocksReceived = e.blocksReceived;
                d.blocksTotal = e.blocksTotal;
            }
    Q_EMIT executionChanged(jobId, thing, to);
    Q_EMIT devicesChanged();
    Q_EMIT jobsChanged();
}

void JobsController::onProgress(const QString& jobId, const QString& thing, int received, int total)
{
    const qint64 now = nowMs();
    Transfer& t = m_transfers[key(jobId, thing)];
    if (t.firstBlockMs == 0) {
        t.firstBlockMs = now;
        t.firstBlocks = received;
    }
    t.lastBlockMs = now;
    t.blocks = received;
    t.lastChangeMs = now;
    MqttDevice& d = deviceOf(thing);
    d.jobId = jobId;
    d.blocksReceived = received;
    d.blocksTotal = total;
    if (d.status.isEmpty())
        d.status = QStringLiteral("IN_PROGRESS");
    Q_EMIT devicesChanged();
    Q_EMIT jobsChanged();
}

} // namespace otalab::app
