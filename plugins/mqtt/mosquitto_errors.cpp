// SPDX-License-Identifier: Apache-2.0
// libmosquitto return codes, errno values and OpenSSL log lines → plain words with what to do.
#include "mosquitto_errors.h"

#include <mosquitto.h>

#include <cerrno>
#include <cstring>

namespace otalab::plugins::mqtt {

using core::transport::MqttLinkOptions;

namespace {

// What to do about an OpenSSL handshake reason (OpenSSL 3 wording).
QString tlsAdvice(const MqttLinkOptions& options, const QString& reason)
{
    if (reason.contains(QLatin1String("certificate verify failed")))
        return options.caFile.isEmpty()
            ? QStringLiteral("the broker's certificate is not signed by a CA this system trusts: give cafile= "
                             "(the CA that signed the broker's certificate)")
            : QStringLiteral("the broker's certificate is not signed by cafile %1, or it does not name host %2: "
                             "check cafile (insecure=true skips the host-name check only)")
                  .arg(options.caFile, options.host);
    if (reason.contains(QLatin1String("certificate required")) || reason.contains(QLatin1String("handshake failure"))
        || reason.contains(QLatin1String("peer did not return a certificate")))
        return options.certFile.isEmpty()
            ? QStringLiteral("the broker requires a client certificate: give certfile= and keyfile=")
            : QStringLiteral("the broker did not accept the client certificate %1: check certfile and keyfile")
                  .arg(options.certFile);
    if (reason.contains(QLatin1String("unknown ca")) || reason.contains(QLatin1String("bad certificate"))
        || reason.contains(QLatin1String("certificate unknown")) || reason.contains(QLatin1String("decrypt error")))
        return QStringLiteral("the broker does not trust the client certificate %1: use one signed by the broker's "
                              "client CA").arg(options.certFile.isEmpty() ? QStringLiteral("(none given)") : options.certFile);
    if (reason.contains(QLatin1String("wrong version number")) || reason.contains(QLatin1String("packet length too long"))
        || reason.contains(QLatin1String("record layer failure")))
        return QStringLiteral("port %1 does not speak TLS: use mqtt:// for a plain listener or the broker's TLS port")
            .arg(options.port);
    if (reason.contains(QLatin1String("key values mismatch")))
        return QStringLiteral("keyfile %1 is not the key of certfile %2").arg(options.keyFile, options.certFile);
    return QStringLiteral("check cafile, certfile and keyfile, and that port %1 is the broker's TLS listener")
        .arg(options.port);
}

QString systemReason(const MosquittoFailure& failure)
{
    if (failure.rc == MOSQ_ERR_ERRNO && failure.errnoValue != 0)
        return QString::fromLocal8Bit(std::strerror(failure.errnoValue));
    if (failure.rc == MOSQ_ERR_CONN_LOST)
        return QStringLiteral("the broker closed the connection");
    if (failure.rc == MOSQ_ERR_KEEPALIVE)
        return QStringLiteral("no answer to the keepalive ping");
    if (failure.rc != 0)
        return QString::fromUtf8(mosquitto_strerror(failure.rc));
    return QStringLiteral("the broker closed the connection");
}

QString connackAdvice(int code)
{
    switch (code) {
    case 1: return QStringLiteral("the broker does not speak MQTT 3.1.1");
    case 2: return QStringLiteral("choose another clientId");
    case 3: return QStringLiteral("the broker is not ready; try again later");
    case 4: return QStringLiteral("check username and password");
    case 5: return QStringLiteral("the broker's access rules do not allow this client (anonymous clients, "
                                  "certificate or username)");
    default: return QStringLiteral("see the broker's log");
    }
}

} // namespace

QString brokerAddress(const MqttLinkOptions& options)
{
    const bool v6 = options.host.contains(QLatin1Char(':'));
    return (v6 ? QStringLiteral("[%1]").arg(options.host) : options.host) + QStringLiteral(":%1").arg(options.port);
}

QString sslReason(const QStringList& logErrors)
{
    for (auto it = logErrors.crbegin(); it != logErrors.crend(); ++it) {
        if (!it->contains(QLatin1String("OpenSSL Error")))
            continue;
        // "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed"
        const QStringList parts = it->split(QLatin1Char(':'), Qt::SkipEmptyParts);
        if (!parts.isEmpty())
            return parts.last().trimmed();
    }
    return {};
}

QString connectFailureText(const MqttLinkOptions& options, const MosquittoFailure& failure)
{
    const QString address = brokerAddress(options);
    if (failure.connackRc > 0)
        return QStringLiteral("broker %1 refused the connection: %2 — %3")
            .arg(address, QString::fromUtf8(mosquitto_connack_string(failure.connackRc)), connackAdvice(failure.connackRc));
    for (const QString& line : failure.logErrors) {
        if (line.contains(QLatin1String("Unable to load")))   // libmosquitto: "Error: Unable to load client key file …"
            return QStringLiteral("cannot use the TLS files for broker %1: %2%3 — check that certfile and keyfile are "
                                  "PEM, belong together and the key has no passphrase")
                .arg(address, line, sslReason(failure.logErrors).isEmpty()
                                        ? QString()
                                        : QStringLiteral(" (%1)").arg(sslReason(failure.logErrors)));
    }
    if (failure.rc == MOSQ_ERR_TIMEOUT)
        return QStringLiteral("cannot connect to broker %1: no answer within the connect timeout — check the address, "
                              "the port, firewalls, and mqtt:// against mqtts://").arg(address);
    const QString reason = sslReason(failure.logErrors);
    if (options.tls && (!reason.isEmpty() || failure.rc == MOSQ_ERR_TLS || failure.rc == MOSQ_ERR_TLS_HANDSHAKE))
        return QStringLiteral("broker %1 refused the TLS handshake: %2 — %3")
            .arg(address, reason.isEmpty() ? QStringLiteral("TLS error") : reason, tlsAdvice(options, reason));
    if (failure.rc == MOSQ_ERR_ERRNO && failure.errnoValue == ECONNREFUSED)
        return QStringLiteral("cannot connect to broker %1: connection refused — is the broker running and listening "
                              "on port %2?").arg(address).arg(options.port);
    if (failure.rc == MOSQ_ERR_EAI)
        return QStringLiteral("cannot connect to broker %1: host name '%2' not found — check the host")
            .arg(address, options.host);
    if (options.tls && (failure.rc == MOSQ_ERR_CONN_LOST || failure.rc == MOSQ_ERR_ERRNO)) {
        // No OpenSSL reason: a TLS 1.3 broker checks the client certificate after the client's
        // handshake ended and just closes (libmosquitto reports "Protocol error").
        const QString advice = options.certFile.isEmpty()
            ? QStringLiteral("the broker probably requires a client certificate: give certfile= and keyfile=")
            : QStringLiteral("the broker probably does not trust the client certificate %1: use one signed by the CA "
                             "the broker's cafile names (its log says why)").arg(options.certFile);
        return QStringLiteral("broker %1 closed the TLS connection before accepting the client (%2) — %3")
            .arg(address, systemReason(failure), advice);
    }
    return QStringLiteral("cannot connect to broker %1: %2 — check the address and that the broker accepts "
                          "MQTT 3.1.1 clients%3")
        .arg(address, systemReason(failure),
             options.tls ? QString() : QStringLiteral(" (a TLS-only port needs mqtts://)"));
}

QString connectionLostText(const MqttLinkOptions& options, const MosquittoFailure& failure)
{
    const QString reason = sslReason(failure.logErrors);
    return QStringLiteral("connection lost: %1 (broker %2) — connect again when the broker is back")
        .arg(reason.isEmpty() ? systemReason(failure) : QStringLiteral("TLS error: ") + reason, brokerAddress(options));
}

} // namespace otalab::plugins::mqtt
