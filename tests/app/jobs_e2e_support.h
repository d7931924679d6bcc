// SPDX-License-Identifier: Apache-2.0
// The jobs end-to-end tests' lab: a real mosquitto on loopback (tests/support), the jobs
// service host (app/hw/jobs_service_host.h) on a ManualJobsClock, emulated FreeRTOS OTA
// devices (app/hw/awsota_device_host.h), a test code-signing identity and an image — all in
// this process, driven by the Qt event loop. Waits are event-driven with generous upper
// bounds (never sleep-then-check).
#pragma once

#if defined(OTALAB_APP_TESTS_HAVE_GUI)
#include "gui_test_support.h"
#endif

#include "app/hw/awsota_device_host.h"
#include "app/hw/jobs_clock.h"
#include "app/hw/jobs_control_client.h"
#include "app/hw/jobs_service_host.h"
#include "app/hw/mqtt_link_registry.h"
#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "tests/support/event_loop_wait.h"
#include "tests/support/mosquitto_broker.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <memory>

namespace otalab::testing {

using core::transport::MqttLink;

#if !defined(OTALAB_APP_TESTS_HAVE_GUI)
// Without the GUI tests in this binary a QCoreApplication will do (with them, there must
// be one QApplication per process: gui_test_support.h's ensureApp()).
inline QCoreApplication* ensureApp()
{
    static int argc = 1;
    static char name[] = "otalab_app_tests";
    static char* argv[] = {name, nullptr};
    if (QCoreApplication::instance())
        return QCoreApplication::instance();
    static QCoreApplication* app = new QCoreApplication(argc, argv);
    return app;
}
#endif

// Runs the event loop until done() or limitMs (a bound against hangs, not a timing check).
inline bool waitFor(const std::function<bool()>& done, int limitMs = 30000)
{
    ensureApp();
    return runEventLoopUntil(done, limitMs, 2);
}

inline hw::MqttLinkRegistry& jobsMqttRegistry()
{
    ensureApp();
    static hw::MqttLinkRegistry registry;
    return registry;
}

inline QByteArray testImage(int size, std::uint32_t seed = 0x5eed)
{
    QByteArray body(size, Qt::Uninitialized);
    std::uint32_t x = seed;
    for (int i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    return body;
}

// One emulated device: its link, its flash folder, its host and what it logged.
struct LabDevice {
    QString thing;
    QString dir;
    std::unique_ptr<MqttLink> link;
    std::unique_ptr<hw::awsota::AwsOtaDeviceHost> host;
    QStringList log;
    QStringList ended;   // "SUCCEEDED" / "FAILED" per job end
};

class JobsLab {
public:
    static constexpr std::uint32_t kBlockSize = 1024;

    // tls: every client connects to the broker's TLS listener with its client certificate.
    explicit JobsLab(bool tls = false) : m_broker(MosquittoBrokerOptions{tls, tls, true}), m_tls(tls) { ensureApp(); }
    ~JobsLab()
    {
        m_devices.clear();
        m_service.reset();
        m_serviceLink.reset();
    }

    bool start(QString* why)
    {
        if (!m_broker.start()) {
            *why = m_broker.errorString();
            return false;
        }
        auto identity = core::awsota::makeTestIdentity(QStringLiteral("otalab e2e signer"));
        auto other = core::awsota::makeTestIdentity(QStringLiteral("otalab e2e impostor"));
        if (!identity || !other) {
            *why = QStringLiteral("no test identity");
            return false;
        }
        m_identity = *identity;
        m_impostor = *other;
        m_certFile = m_dir.filePath(QStringLiteral("signer.crt"));
        QFile cert(m_certFile);
        if (!cert.open(QIODevice::WriteOnly) || cert.write(m_identity.certificatePem) != m_identity.certificatePem.size()) {
            *why = QStringLiteral("cannot write the certificate");
            return false;
        }
        return true;
    }

    MosquittoBroker& broker() { return m_broker; }
    QString dir() const { return m_dir.path(); }
    QString certFile() const { return m_certFile; }
    const core::awsota::CodeSigningIdentity& identity() const { return m_identity; }
    hw::jobs::ManualJobsClock& clock() { return m_clock; }
    hw::jobs::JobsServiceHost& service() { return *m_service; }
    QStringList& serviceLog() { return m_serviceLog; }

    std::unique_ptr<MqttLink> makeLink(const QString& clientId)
    {
        const QString address = m_tls ? m_broker.tlsUrl() : m_broker.url();
        auto created = jobsMqttRegistry().create(address + QStringLiteral(",clientId=") + clientId, nullptr);
        if (!created) {
            ADD_FAILURE() << created.error().toString().toStdString();
            return {};
        }
        return std::unique_ptr<MqttLink>(*created);
    }

    // Starts the service (stateDir empty: in memory) and waits until it is subscribed.
    bool startService(const QString& stateDir = {})
    {
        m_serviceLink = makeLink(QStringLiteral("jobs-service"));
        hw::jobs::JobsServiceHost::Options options;
        options.stateDir = stateDir;
        options.reconnectDelayMs = 200;
        m_service = std::make_unique<hw::jobs::JobsServiceHost>(m_serviceLink.get(), &m_clock, options);
        bool ready = false;
        QObject::connect(m_service.get(), &hw::jobs::JobsServiceHost::ready, m_service.get(), [&ready] { ready = true; });
        QObject::connect(m_service.get(), &hw::jobs::JobsServiceHost::log, m_service.get(),
                         [this](const QString& line) { m_serviceLog << line; });
        if (auto ok = m_service->start(); !ok) {
            ADD_FAILURE() << ok.error().toString().toStdString();
            return false;
        }
        return waitFor([&] { return ready; }) && settleSubscriptions();
    }
    void stopService()
    {
        if (m_service)
            m_service->stop();
        waitFor([this] { return m_serviceLink->state() == MqttLink::State::Disconnected; }, 5000);
        m_service.reset();
        m_serviceLink.reset();
    }

    // A device with the test certificate; tweak() adjusts its options before it starts.
    LabDevice& startDevice(const QString& thing,
                           const std::function<void(hw::awsota::AwsOtaDeviceHost::Options&)>& tweak = {})
    {
        auto device = std::make_unique<LabDevice>();
        device->thing = thing;
        device->dir = m_dir.filePath(QStringLiteral("device-") + thing);
        device->link = makeLink(thing);
        hw::awsota::AwsOtaDeviceHost::Options options;
        options.thingName = thing;
        options.stateDir = device->dir;
        options.certificate = m_certFile;
        options.reconnectDelayMs = 100;
        options.rebootDelayMs = 20;
        options.agent.blockSize = kBlockSize;
        options.agent.requestTimeoutMs = 2000;
        if (tweak)
            tweak(options);
        device->host = std::make_unique<hw::awsota::AwsOtaDeviceHost>(device->link.get(), options);
        LabDevice* d = device.get();
        QObject::connect(d->host.get(), &hw::awsota::AwsOtaDeviceHost::log, d->host.get(),
                         [d](const QString& line) { d->log << line; });
        QObject::connect(d->host.get(), &hw::awsota::AwsOtaDeviceHost::jobEnded, d->host.get(),
                         [d](const QString&, bool ok, const QString&) { d->ended << (ok ? "SUCCEEDED" : "FAILED"); });
        if (auto ok = d->host->start(); !ok)
            ADD_FAILURE() << ok.error().toString().toStdString();
        // Started: it has asked for its job (its subscriptions are in before the $next/get).
        waitFor([d] { return d->host->agent() && d->host->agent()->state() == core::awsota::OtaState::WaitingForJob; });
        m_devices[thing] = std::move(device);
        return *d;
    }
    LabDevice& device(const QString& thing) { return *m_devices.at(thing); }
    // Ends a device's process as a power cut would: no goodbye, its folder stays.
    void killDevice(const QString& thing)
    {
        auto it = m_devices.find(thing);
        if (it == m_devices.end())
            return;
        it->second->host.reset();
        it->second->link.reset();
        m_devices.erase(it);
    }

    // A create request for `image` signed with the test key (or the impostor's).
    hw::jobs::ControlRequest createRequest(const QString& jobId, const QStringList& targets, const QByteArray& image,
                                           const QJsonObject& rollout = {}, bool impostorSignature = false)
    {
        hw::jobs::ControlRequest r;
        r.op = hw::jobs::ControlOp::Create;
        r.clientToken = QStringLiteral("t-") + jobId;
        r.jobId = jobId;
        r.targets = targets;
        r.streamName = jobId + QStringLiteral("-stream");
        r.file = image;
        r.rollout = rollout;
        core::awsota::OtaJobDocument doc;
        doc.jobId = jobId;
        doc.protocols = {QStringLiteral("MQTT")};
        doc.streamName = r.streamName;
        core::awsota::OtaFileInfo file;
        file.filePath = QStringLiteral("/ota/app.bin");
        file.fileSize = std::uint32_t(image.size());
        file.certFile = QStringLiteral("/certs/signer.crt");
        auto signature = core::awsota::signFile(image, impostorSignature ? m_impostor.privateKeyPem : m_identity.privateKeyPem);
        EXPECT_TRUE(signature.has_value());
        file.signature = signature.value_or(QByteArray());
        doc.files.push_back(file);
        const QByteArray notification = core::awsota::encodeJobNotification(doc, 0, 1);
        r.document = QJsonDocument::fromJson(notification)
                         .object()
                         .value(QStringLiteral("execution"))
                         .toObject()
                         .value(QStringLiteral("jobDocument"))
                         .toObject();
        return r;
    }

    QString executionStatus(const QString& jobId, const QString& thing)
    {
        const auto job = m_service->summary(jobId);
        if (!job)
            return {};
        for (const auto& e : job->executions)
            if (e.thing == thing)
                return e.status;
        return {};
    }
    bool waitForStatus(const QString& jobId, const QString& thing, const QString& status, int limitMs = 60000)
    {
        return waitFor([&] { return executionStatus(jobId, thing) == status; }, limitMs);
    }

private:
    // A subscription is in once a probe published after it comes back.
    bool settleSubscriptions()
    {
        bool back = false;
        QObject context;
        QObject::connect(m_serviceLink.get(), &MqttLink::messageReceived, &context,
                         [&](const QString& t, const QByteArray&) { back = back || t == hw::jobs::controlEventsTopic(); });
        m_serviceLink->subscribe(hw::jobs::controlEventsTopic(), 1);
        m_serviceLink->publish(hw::jobs::controlEventsTopic(), QByteArrayLiteral("{}"), 1);
        const bool ok = waitFor([&] { return back; }, 10000);
        m_serviceLink->unsubscribe(hw::jobs::controlEventsTopic());
        return ok;
    }

    MosquittoBroker m_broker;
    bool m_tls = false;
    QTemporaryDir m_dir;
    core::awsota::CodeSigningIdentity m_identity;
    core::awsota::CodeSigningIdentity m_impostor;
    QString m_certFile;
    hw::jobs::ManualJobsClock m_clock;
    std::unique_ptr<MqttLink> m_serviceLink;
    std::unique_ptr<hw::jobs::JobsServiceHost> m_service;
    QStringList m_serviceLog;
    std::map<QString, std::unique_ptr<LabDevice>> m_devices;
};

#define OTALAB_START_JOBS_LAB(lab)                                                    \
    OTALAB_REQUIRE_MOSQUITTO();                                                       \
    QString labWhy;                                                                   \
    ASSERT_TRUE((lab).start(&labWhy)) << labWhy.toStdString();                        \
    ASSERT_TRUE((lab).startService())

} // namespace otalab::testing
