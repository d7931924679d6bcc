// SPDX-License-Identifier: Apache-2.0
// One control request to a running jobs service (see the header).
#include "app/hw/jobs_control_client.h"

namespace otalab::hw::jobs {

using core::transport::MqttLink;

JobsControlClient::JobsControlClient(MqttLink* link, QObject* parent) : QObject(parent), m_link(link)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        failWith(m_sent ? QStringLiteral("no answer from a jobs service on %1 (is `otalab-cli jobs serve` running "
                                         "on that broker?)")
                              .arg(m_link ? m_link->describe() : QString())
                        : QStringLiteral("cannot reach the broker %1%2")
                              .arg(m_link ? m_link->describe() : QString(),
                                   m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError));
    });
}

JobsControlClient::~JobsControlClient() = default;

void JobsControlClient::send(ControlRequest request, int timeoutMs)
{
    if (request.clientToken.isEmpty())
        request.clientToken = newClientToken();
    m_request = std::move(request);
    if (!m_link) {
        failWith(QStringLiteral("no broker connection"));
        return;
    }
    connect(m_link, &MqttLink::stateChanged, this, &JobsControlClient::onState);
    connect(m_link, &MqttLink::messageReceived, this, &JobsControlClient::onMessage);
    connect(m_link, &MqttLink::errorOccurred, this, [this](const QString& message) { m_lastError = message; });
    m_timeout.start(timeoutMs);
    if (m_link->state() == MqttLink::State::Connected)
        publishRequest();
    else if (m_link->state() == MqttLink::State::Disconnected)
        m_link->connectToBroker();
}

void JobsControlClient::onState(MqttLink::State state)
{
    if (m_finished)
        return;
    if (state == MqttLink::State::Connected && !m_sent)
        publishRequest();
    else if (state == MqttLink::State::Disconnected)
        failWith(QStringLiteral("cannot reach the broker %1%2")
                     .arg(m_link->describe(), m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError));
}

void JobsControlClient::publishRequest()
{
    m_sent = true;
    // Subscribe first: the broker handles one client's packets in order, so the response
    // cannot overtake the subscription.
    if (!m_link->subscribe(controlResponseTopic(m_request.clientToken), 1)
        || !m_link->publish(controlRequestTopic(m_request.op), encodeControlRequest(m_request), 1)) {
        failWith(QStringLiteral("cannot send the request on %1%2")
                     .arg(m_link->describe(), m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError));
    }
}

void JobsControlClient::onMessage(const QString& topic, const QByteArray& payload)
{
    if (m_finished || topic != controlResponseTopic(m_request.clientToken))
        return;
    auto response = parseControlResponse(payload);
    if (!response) {
        failWith(QStringLiteral("the service's answer is unreadable: %1").arg(response.error().toString()));
        return;
    }
    finish(*response);
}

void JobsControlClient::failWith(const QString& message)
{
    ControlResponse response;
    response.clientToken = m_request.clientToken;
    response.ok = false;
    response.error = message;
    finish(std::move(response));
}

void JobsControlClient::finish(ControlResponse response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    if (m_link)
        disconnect(m_link, nullptr, this, nullptr);
    Q_EMIT finished(response);
}

} // namespace otalab::hw::jobs
