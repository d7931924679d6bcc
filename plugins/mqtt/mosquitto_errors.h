// SPDX-License-Identifier: Apache-2.0
// libmosquitto return codes, errno values and OpenSSL log lines → plain words with what to do.
#pragma once

#include "core/transport/mqtt_link.h"

#include <QStringList>

namespace otalab::plugins::mqtt {

// What went wrong in one failed connection, as libmosquitto reported it.
struct MosquittoFailure {
    int rc = 0;               // MOSQ_ERR_* (0 when only the logs or the CONNACK tell)
    int errnoValue = 0;       // errno right after the failing call (MOSQ_ERR_ERRNO)
    int connackRc = -1;       // MQTT 3.1.1 CONNACK return code when the broker refused, else -1
    QStringList logErrors;    // libmosquitto's MOSQ_LOG_ERR lines since connecting (OpenSSL errors)
};

// "127.0.0.1:1883", "[::1]:8883"
QString brokerAddress(const core::transport::MqttLinkOptions& options);

// The OpenSSL reason of the last "OpenSSL Error[n]: error:0A000086:SSL routines::certificate
// verify failed" line ("certificate verify failed"), or empty.
QString sslReason(const QStringList& logErrors);

// While connecting: "broker 127.0.0.1:8883 refused the TLS handshake: certificate verify failed
// — check cafile (…)", "cannot connect to broker …: Connection refused — is it running …".
QString connectFailureText(const core::transport::MqttLinkOptions& options, const MosquittoFailure& failure);

// After Connected: "connection lost: … — connect again when the broker is back".
QString connectionLostText(const core::transport::MqttLinkOptions& options, const MosquittoFailure& failure);

} // namespace otalab::plugins::mqtt
