// SPDX-License-Identifier: Apache-2.0
// The emulated AWS IoT / FreeRTOS OTA device in real time (see the header).
#include "app/hw/awsota_device_host.h"

#include "core/common/overloaded.h"
#include "core/awsota/streammessages.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace otalab::hw::awsota {

using core::awsota::AgentTimer;
using core::awsota::AppVersion32;
using core::awsota::OtaAgent;
using core::awsota::RebootReason;
using core::transport::MqttLink;

namespace {

const QString kAgentRecord = QStringLiteral("agent.bin");
const QString kDevice = QStringLiteral("device.json");


} // namespace

Result<AppVersion32> parseAppVersion(const QString& text)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('.'));
    if (parts.size() != 3)
        return fail(QStringLiteral("'%1' is not a version major.minor.build (e.g. 1.0.0)").arg(text));
    bool ok[3] = {};
    const uint major = parts[0].toUInt(&ok[0]);
    const uint minor = parts[1].toUInt(&ok[1]);
    const uint build = parts[2].toUInt(&ok[2]);
    if (!ok[0] || !ok[1] || !ok[2] || major > 255 || minor > 255 || build > 65535)
        return fail(QStringLiteral("'%1': major and minor must be 0..255 and build 0..65535").arg(text));
    return AppVersion32{std::uint8_t(major), std::uint8_t(minor), std::uint16_t(build)};
}

AwsOtaDeviceHost::AwsOtaDeviceHost(MqttLink* link, Options options, QObject* parent)
    : QObject(parent), m_link(link), m_options(std::move(options)), m_pal(m_options.stateDir, m_options.certificate)
{
    m_clock.start();
    for (QTimer* t : {&m_requestTimer, &m_selfTestTimer, &m_reconnect, &m_rebootTimer})
        t->setSingleShot(true);
    connect(&m_requestTimer, &QTimer::timeout, this, [this] { onTimer(AgentTimer::Request); });
    connect(&m_selfTestTimer, &QTimer::timeout, this, [this] { onTimer(AgentTimer::SelfTest); });
    connect(&m_reconnect, &QTimer::timeout, this, [this] {
        if (m_link && m_link->state() == MqttLink::State::Disconnected)
            m_link->connectToBroker();
    });
    m_pal.setLog([this](const QString& line) { Q_EMIT log(line); });
}

AwsOtaDeviceHost::~AwsOtaDeviceHost()
{
    m_stopping = true;
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
}

AppVersion32 AwsOtaDeviceHost::pendingVersion() const
{
    if (m_options.newVersion)
        return *m_options.newVersion;
    AppVersion32 v = m_committedVersion;
    v.build = std::uint16_t(v.build + 1);
    return v;
}

Result<void> AwsOtaDeviceHost::start()
{
    if (m_started)
        return {};
    if (!QDir().mkpath(m_options.stateDir))
        return fail(QStringLiteral("cannot create the device folder %1").arg(m_options.stateDir));
    m_committedVersion = m_options.factoryVersion;
    QFile device(m_pal.path(kDevice));
    if (device.open(QIODevice::ReadOnly)) {
        const QString text = QJsonDocument::fromJson(device.readAll()).object().value(QStringLiteral("version")).toString();
        auto version = parseAppVersion(text);
        if (!version)
            return fail(QStringLiteral("%1: %2").arg(device.fileName(), version.error().message));
        m_committedVersion = *version;
    }
    if (auto ok = buildAgent(); !ok)
        return ok;
    if (!m_link)
        return fail(QStringLiteral("no broker connection"));
    connect(m_link, &MqttLink::stateChanged, this, &AwsOtaDeviceHost::onLinkState);
    connect(m_link, &MqttLink::messageReceived, this, &AwsOtaDeviceHost::onMessage);
    connect(m_link, &MqttLink::errorOccurred, this, [this](const QString& message) {
        if (!m_stopping && !m_rebooting)
            Q_EMIT log(QStringLiteral("broker: %1").arg(message));
    });
    m_started = true;
    m_link->connectToBroker();
    return {};
}

void AwsOtaDeviceHost::stop()
{
    m_stopping = true;
    for (QTimer* t : {&m_requestTimer, &m_selfTestTimer, &m_reconnect, &m_rebootTimer})
        t->stop();
    persistAgent();
    if (m_link && m_link->state() != MqttLink::State::Disconnected)
        m_link->disconnectFromBroker();
}

Result<void> AwsOtaDeviceHost::buildAgent()
{
    const bool pending = m_pal.getPlatformImageState() == core::awsota::PalImageState::PendingCommit;
    m_runningVersion = pending ? pendingVersion() : m_committedVersion;
    core::awsota::AgentConfig config = m_options.agent;
    config.thingName = m_options.thingName;
    config.appFirmwareVersion = m_runningVersion;
    m_agent.reset();
    auto agent = OtaAgent::create(config, m_pal);
    if (!agent)
        return fail(Error{QStringLiteral("agent configuration: %1").arg(agent.error().message), agent.error().field, -1});
    m_agent.emplace(std::move(*agent));
    QFile record(m_pal.path(kAgentRecord));
    if (record.open(QIODevice::ReadOnly)) {
        const QByteArray bytes = record.readAll();
        if (auto ok = m_agent->restore(bytes); !ok) {
            Q_EMIT log(QStringLiteral("the saved download record is unusable (%1); starting over").arg(ok.error().toString()));
            record.close();
            QFile::remove(record.fileName());
        } else if (!bytes.isEmpty()) {
            Q_EMIT log(QStringLiteral("resuming job %1: %2/%3 blocks already in flash")
                           .arg(m_agent->activeJobId())
                           .arg(m_agent->blocksReceived())
                           .arg(m_agent->blocksTotal()));
        }
    }
    Q_EMIT log(QStringLiteral("booted firmware %1 (%2)%3")
                   .arg(m_runningVersion.toString(), pending ? m_pal.pendingImageId() : m_pal.runningImageId(),
                        pending ? QStringLiteral(", pending commit: self-test next") : QString()));
    m_needBoot = true;
    return {};
}

void AwsOtaDeviceHost::onLinkState(MqttLink::State state)
{
    if (m_stopping)
        return;
    if (state == MqttLink::State::Connected) {
        m_reconnect.stop();
        Q_EMIT connectedChanged(true);
        Q_EMIT log(QStringLiteral("connected to %1").arg(m_link->describe()));
        core::awsota::AgentActions out;
        if (m_needBoot) {
            m_needBoot = false;
            m_lostWhileRunning = false;
            m_agent->start(nowMs(), out);
        } else if (m_lostWhileRunning) {
            m_lostWhileRunning = false;
            m_agent->onConnectionRestored(nowMs(), out);
        }
        apply(out);
        return;
    }
    if (state != MqttLink::State::Disconnected || m_rebooting)
        return;
    if (!m_needBoot && !m_lostWhileRunning) {
        m_lostWhileRunning = true;
        ++m_drops;
        Q_EMIT connectedChanged(false);
        Q_EMIT log(QStringLiteral("lost the broker connection; reconnecting"));
        core::awsota::AgentActions out;
        m_agent->onConnectionLost(nowMs(), out);
        apply(out);
    }
    m_reconnect.start(m_options.reconnectDelayMs);
}

void AwsOtaDeviceHost::onMessage(const QString& topic, const QByteArray& payload)
{
    if (m_stopping || m_rebooting || !m_agent)
        return;
    if (topic.endsWith(QLatin1String("/data/cbor"))) {
        ++m_blocksReceived;
        if (auto block = core::awsota::decodeDataBlock(payload))
            m_blockIds << block->blockId;
    }
    core::awsota::AgentActions out;
    auto ok = m_agent->onMessage(nowMs(), topic, payload, out);
    if (!ok)
        Q_EMIT log(QStringLiteral("ignored a message on %1: %2").arg(topic, ok.error().toString()));
    apply(out);
}

void AwsOtaDeviceHost::onTimer(AgentTimer timer)
{
    if (m_stopping || m_rebooting || !m_agent)
        return;
    core::awsota::AgentActions out;
    m_agent->onTimer(nowMs(), timer, out);
    apply(out);
}

void AwsOtaDeviceHost::apply(core::awsota::AgentActions& actions)
{
    std::optional<RebootReason> reboot;
    bool drop = false;
    bool selfTest = false;
    for (core::awsota::AgentAction& action : actions) {
        std::visit(
            Overloaded{
                [&](const core::awsota::AgentPublish& a) {
                    if (m_link && m_link->state() == MqttLink::State::Connected)
                        m_link->publish(a.topic(), a.payload(), a.qos);
                },
                [&](const core::awsota::AgentSubscribe& a) {
                    if (m_link && m_link->state() == MqttLink::State::Connected)
                        m_link->subscribe(a.topicFilter, a.qos);
                },
                [&](const core::awsota::AgentUnsubscribe& a) {
                    if (m_link && m_link->state() == MqttLink::State::Connected)
                        m_link->unsubscribe(a.topicFilter);
                },
                [&](const core::awsota::AgentArmTimer& a) {
                    QTimer& t = a.timer == AgentTimer::Request ? m_requestTimer : m_selfTestTimer;
                    t.start(int(std::clamp<qint64>(a.atMs - nowMs(), 0, 24LL * 3600 * 1000)));
                },
                [&](const core::awsota::AgentCancelTimer& a) {
                    (a.timer == AgentTimer::Request ? m_requestTimer : m_selfTestTimer).stop();
                },
                [&](const core::awsota::AgentStateChanged& a) {
                    Q_EMIT log(QStringLiteral("state %1 -> %2 (%3)")
                                   .arg(core::awsota::otaStateName(a.from), core::awsota::otaStateName(a.to),
                                        core::awsota::otaEventName(a.event)));
                    Q_EMIT stateChanged(a.from, a.to);
                },
                [&](const core::awsota::AgentProgress& a) {
                    ++m_blocksThisRun;
                    persistAgent();
                    const std::uint32_t step = std::max<std::uint32_t>(1, a.blocksTotal / 10);
                    if (a.blocksReceived == a.blocksTotal || a.blocksReceived % step == 0 || a.blocksReceived == 1)
                        Q_EMIT log(QStringLiteral("blocks %1/%2").arg(a.blocksReceived).arg(a.blocksTotal));
                    Q_EMIT progress(a.blocksReceived, a.blocksTotal);
                    if (m_options.dropAfterBlocks > 0 && !m_dropDone && m_blocksThisRun >= m_options.dropAfterBlocks
                        && a.blocksReceived < a.blocksTotal)
                        drop = true;
                },
                [&](const core::awsota::AgentSelfTestStart& a) {
                    Q_EMIT log(QStringLiteral("self-test of job %1: %2").arg(a.jobId, m_options.selfTestPasses
                                                                                     ? QStringLiteral("passes")
                                                                                     : QStringLiteral("fails")));
                    selfTest = true;
                },
                [&](const core::awsota::AgentReboot& a) { reboot = a.reason; },
                [&](const core::awsota::AgentJobEnded& a) {
                    const bool ok = a.status == core::awsota::JobExecutionStatus::Succeeded;
                    persistAgent();
                    if (ok && m_pal.getPlatformImageState() == core::awsota::PalImageState::Valid
                        && !(m_runningVersion == m_committedVersion)) {
                        m_committedVersion = m_runningVersion;
                        saveDevice();
                    }
                    Q_EMIT log(QStringLiteral("job %1 %2%3")
                                   .arg(a.jobId, core::awsota::jobExecutionStatusName(a.status),
                                        a.reason.isEmpty() ? QString() : QStringLiteral(": ") + a.reason));
                    Q_EMIT jobEnded(a.jobId, ok, a.reason);
                },
            },
            action);
    }
    actions.clear();
    if (selfTest)
        QTimer::singleShot(0, this, [this] {
            if (m_stopping || m_rebooting || !m_agent)
                return;
            core::awsota::AgentActions out;
            if (auto ok = m_agent->onSelfTestResult(nowMs(), m_options.selfTestPasses, out); !ok)
                Q_EMIT log(QStringLiteral("self-test verdict refused: %1").arg(ok.error().toString()));
            apply(out);
        });
    if (reboot)
        this->reboot(*reboot);
    else if (drop)
        QTimer::singleShot(0, this, &AwsOtaDeviceHost::dropConnection);
}

void AwsOtaDeviceHost::persistAgent()
{
    if (!m_agent)
        return;
    const QByteArray record = m_agent->persist();
    const QString path = m_pal.path(kAgentRecord);
    if (record.isEmpty()) {
        QFile::remove(path);
        return;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(record) != record.size() || !f.commit())
        Q_EMIT log(QStringLiteral("cannot save the download record %1: %2").arg(path, f.errorString()));
}

void AwsOtaDeviceHost::saveDevice()
{
    QSaveFile f(m_pal.path(kDevice));
    const QByteArray json =
        QJsonDocument(QJsonObject{{QStringLiteral("version"), m_committedVersion.toString()}}).toJson(QJsonDocument::Compact);
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size() || !f.commit())
        Q_EMIT log(QStringLiteral("cannot save %1: %2").arg(f.fileName(), f.errorString()));
}

void AwsOtaDeviceHost::reboot(RebootReason reason)
{
    m_rebooting = true;
    ++m_reboots;
    m_requestTimer.stop();
    m_selfTestTimer.stop();
    m_reconnect.stop();
    persistAgent();
    if (reason != RebootReason::Activate && m_pal.hasPendingImage())
        m_pal.setPlatformImageState(core::awsota::ImageState::Rejected);   // the old image boots again
    Q_EMIT log(QStringLiteral("reboot: %1").arg(core::awsota::rebootReasonWords(reason)));
    Q_EMIT rebooted(reason);
    if (m_link && m_link->state() != MqttLink::State::Disconnected)
        m_link->disconnectFromBroker();
    QTimer::singleShot(m_options.rebootDelayMs, this, [this] {
        if (m_stopping)
            return;
        m_blocksThisRun = 0;
        if (auto ok = buildAgent(); !ok) {
            Q_EMIT log(QStringLiteral("cannot boot: %1").arg(ok.error().message));
            return;
        }
        m_rebooting = false;
        m_lostWhileRunning = false;
        if (m_link && m_link->state() == MqttLink::State::Disconnected)
            m_link->connectToBroker();
        else
            m_reconnect.start(m_options.reconnectDelayMs);
    });
}

void AwsOtaDeviceHost::dropConnection()
{
    if (m_dropDone || m_stopping || m_rebooting || !m_link)
        return;
    m_dropDone = true;
    Q_EMIT log(QStringLiteral("dropping the broker connection after %1 blocks (--drop-after-blocks)").arg(m_blocksThisRun));
    if (m_link->state() != MqttLink::State::Disconnected)
        m_link->disconnectFromBroker();
    if (!m_lostWhileRunning)
        onLinkState(MqttLink::State::Disconnected);
}

} // namespace otalab::hw::awsota
