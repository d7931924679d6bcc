// SPDX-License-Identifier: Apache-2.0
// JobsController: the Bench's "Jobs (MQTT)" page without widgets. Connects one MqttLink to
// a broker and runs the lab's jobs + streams service on it in this process (the app/hw
// JobsServiceHost that `otalab-cli jobs serve` runs — not a second service), creates and
// cancels jobs through its in-process control calls, and keeps what the page shows that
// the service does not: each execution's transfer rate and last change, and the MQTT
// devices seen on the broker (a thing that publishes on its $aws/things/<thing>/jobs/… or
// …/streams/… topics).
//
// Threading: the GUI thread (the link, the host and the clock live on it).
#pragma once

#include "app/hw/jobs_control_protocol.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>
#include <vector>

namespace otalab::core::transport {
class MqttLink;
}
namespace otalab::hw {
class MqttLinkRegistry;
}
namespace otalab::hw::jobs {
class JobsClock;
class JobsServiceHost;
} // namespace otalab::hw::jobs

namespace otalab::app {

// A thing seen on the broker: what it last published and its latest execution.
struct MqttDevice {
    QString thing;
    qint64 lastSeenMs = 0;       // ms since the Unix epoch
    QString lastTopic;           // "$aws/things/desk-1/streams/fw-2-stream/get/cbor"
    QString jobId;               // its latest job (empty: none yet)
    QString status;              // that execution's AWS state
    int blocksReceived = 0;
    int blocksTotal = 0;
};

// Per execution, what the page adds to the service's summary.
struct ExecutionFigures {
    double kilobytesPerSecond = 0;   // 1 KB = 1000 bytes; blocks sent since the first one
    qint64 lastChangeMs = 0;         // the last state change or block, ms since the epoch
    int blocksReceived = 0;          // distinct blocks sent so far (the service's progress signal)
};

class JobsController final : public QObject {
    Q_OBJECT
public:
    struct Connection {
        QString url;        // "mqtt://127.0.0.1:1883" or "mqtts://host:8883" (options after ',' allowed)
        QString caFile;     // TLS: CA bundle that signed the broker's certificate
        QString certFile;   // TLS client authentication: certificate and its key
        QString keyFile;
    };

    // registry/clock null: a private MqttLinkRegistry (default plugin folders) and wall time.
    explicit JobsController(QObject* parent = nullptr, hw::MqttLinkRegistry* registry = nullptr,
                            hw::jobs::JobsClock* clock = nullptr);
    ~JobsController() override;

    // Creates the link and starts the service on it; connected() follows asynchronously.
    // Errors (at once): a bad URL or option, a file that is missing, no MQTT link plugin.
    Result<void> connectToBroker(const Connection& connection);
    void disconnectFromBroker();
    bool isConnected() const;
    bool isActive() const { return m_service != nullptr; }   // connecting or connected
    QString brokerDescription() const;

    hw::jobs::ControlResponse createJob(const hw::jobs::ControlRequest& request);
    hw::jobs::ControlResponse cancelJob(const QString& jobId, bool force, const QString& reason);

    std::vector<hw::jobs::JobSummary> jobs() const;   // newest last, without executions
    std::optional<hw::jobs::JobSummary> job(const QString& jobId) const;
    ExecutionFigures figures(const QString& jobId, const QString& thing) const;
    QList<MqttDevice> devices() const;                // sorted by thing name
    QStringList thingsSeen() const;

    const hw::jobs::JobsServiceHost* service() const { return m_service.get(); }

Q_SIGNALS:
    void connectionChanged(bool connected, const QString& text);
    void message(const QString& line);                // the service's log and link errors
    void jobsChanged();                               // a job was created, changed or an execution moved
    // An execution changed state or statusDetails (emitted before jobsChanged).
    void executionChanged(const QString& jobId, const QString& thing, const QString& status);
    void devicesChanged();

private:
    struct Transfer {
        qint64 firstBlockMs = 0;
        int firstBlocks = 0;
        qint64 lastBlockMs = 0;
        int blocks = 0;
        qint64 lastChangeMs = 0;
    };
    void onMessage(const QString& topic, const QByteArray& payload);
    void onExecutionChanged(const QString& jobId, const QString& thing, const QString& to);
    void onProgress(const QString& jobId, const QString& thing, int received, int total);
    MqttDevice& deviceOf(const QString& thing);
    qint64 nowMs() const;

    std::unique_ptr<hw::MqttLinkRegistry> m_ownRegistry;
    hw::MqttLinkRegistry* m_registry = nullptr;
    std::unique_ptr<hw::jobs::JobsClock> m_ownClock;
    hw::jobs::JobsClock* m_clock = nullptr;
    std::unique_ptr<core::transport::MqttLink> m_link;
    std::unique_ptr<hw::jobs::JobsServiceHost> m_service;
    QHash<QString, Transfer> m_transfers;   // "jobId\nthing"
    QHash<QString, MqttDevice> m_devices;
    QStringList m_jobOrder;
};

} // namespace otalab::app
