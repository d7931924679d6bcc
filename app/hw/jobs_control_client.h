// SPDX-License-Identifier: Apache-2.0
// One request to a running jobs service over the control protocol
// (app/hw/jobs_control_protocol.h): `otalab-cli jobs create|list|describe|cancel` and the
// Bench use it.
#pragma once

#include "app/hw/jobs_control_protocol.h"
#include "core/transport/mqtt_link.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace otalab::hw::jobs {

// Sends one request over `link` (not owned; connected first if it is not) and emits
// finished() exactly once: the service's response, or ok=false with a plain-words error
// when the broker cannot be reached or no answer came within timeoutMs (no service
// running on that broker?). Threading: the link's thread.
class JobsControlClient final : public QObject {
    Q_OBJECT
public:
    JobsControlClient(core::transport::MqttLink* link, QObject* parent = nullptr);
    ~JobsControlClient() override;

    // request.clientToken is filled when empty. One request per client.
    void send(ControlRequest request, int timeoutMs = 10000);
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const otalab::hw::jobs::ControlResponse& response);

private:
    void onState(core::transport::MqttLink::State state);
    void onMessage(const QString& topic, const QByteArray& payload);
    void publishRequest();
    void finish(ControlResponse response);
    void failWith(const QString& message);

    QPointer<core::transport::MqttLink> m_link;
    ControlRequest m_request;
    QTimer m_timeout;
    QString m_lastError;
    bool m_sent = false;
    bool m_finished = false;
};

} // namespace otalab::hw::jobs
