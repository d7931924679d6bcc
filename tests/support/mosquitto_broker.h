// SPDX-License-Identifier: Apache-2.0
// A real mosquitto broker for tests: Debian's /usr/sbin/mosquitto on 127.0.0.1, free
// ports, a generated config and certificates in a QTemporaryDir. A plain listener and
// (by default) a TLS listener that requires a client certificate signed by caFile().
//
//   OTALAB_REQUIRE_MOSQUITTO();
//   otalab::testing::MosquittoBroker broker;
//   ASSERT_TRUE(broker.start()) << broker.errorString().toStdString();
//   link options: broker.url()  or  broker.tlsUrl()  ("mqtts://127.0.0.1:P,cafile=…,certfile=…,keyfile=…")
//   broker.stop();      // SIGKILL: connected clients see the connection drop
//   broker.restart();   // the same ports, config and certificates
//
// Threading: the test's thread. start() blocks until both ports accept TCP connections
// (poll-connect, bounded by 15 s) or the broker exits; it needs no event loop.
#pragma once

#include "tests/support/test_pki.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

class QProcess;

namespace otalab::testing {

struct MosquittoBrokerOptions {
    bool tls = true;                        // a second listener with TLS
    bool requireClientCertificate = true;   // TLS listener: require_certificate true
    bool allowAnonymous = true;             // no username/password needed
    // The broker certificate's subjectAltName (OpenSSL syntax); clients connect to 127.0.0.1.
    QString serverAltNames = QStringLiteral("DNS:localhost,IP:127.0.0.1,IP:::1");
};

class MosquittoBroker final {
public:
    static QString executable();   // /usr/sbin/mosquitto, else mosquitto on PATH, else empty
    static bool available() { return !executable().isEmpty(); }

    explicit MosquittoBroker(MosquittoBrokerOptions options = {});
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    // First call picks the ports and writes certificates + config; false with errorString().
    bool start();
    void stop();      // kills the broker (SIGKILL) and waits for it to exit
    bool restart();   // stop() if running, then start() on the same ports
    // SIGSTOP / SIGCONT: the broker keeps its sockets but answers nothing (a hung broker,
    // for keepalive timeouts); resume() before stop() is not needed.
    void pause();
    void resume();
    bool isRunning() const;

    quint16 port() const { return m_port; }          // plain MQTT
    quint16 tlsPort() const { return m_tlsPort; }    // TLS (0 without options.tls)
    QString host() const { return QStringLiteral("127.0.0.1"); }
    QString url() const;                             // "mqtt://127.0.0.1:<port>"
    // "mqtts://127.0.0.1:<tlsPort>,cafile=…[,certfile=…,keyfile=…]" with this broker's CA and
    // its test client certificate (CN "otalab-test-client").
    QString tlsUrl(bool withClientCertificate = true) const;

    // Certificates (valid after the first start()).
    QString caFile() const;                          // signed the broker's and the client's certificates
    PemFiles clientCertificate() const { return m_client; }
    QString otherCaFile() const;                     // a CA that signed nothing of this broker's
    PemFiles untrustedClientCertificate() const { return m_untrustedClient; }   // signed by otherCaFile()
    // A client certificate with subject CN `commonName` (a thing name) from this broker's CA.
    Result<PemFiles> issueClientCertificate(const QString& commonName);

    QString folder() const { return m_dir.path(); }
    QString configFile() const;
    QString log() const;            // the broker's stderr, all runs
    QString errorString() const { return m_error; }

private:
    bool prepare();       // certificates, once
    bool writeConfig();   // picks the ports, writes mosquitto.conf
    bool launch();        // runs mosquitto on the written config until it listens
    bool waitUntilListening();

    MosquittoBrokerOptions m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    std::optional<TestPki> m_pki;
    std::optional<TestPki> m_otherPki;
    PemFiles m_server;
    PemFiles m_client;
    PemFiles m_untrustedClient;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    bool m_prepared = false;
    bool m_everStarted = false;
    QString m_error;
};

} // namespace otalab::testing

// At the top of a test that needs the broker: skips with the reason when it is missing.
#define OTALAB_REQUIRE_MOSQUITTO()                                                                        \
    do {                                                                                                  \
        if (!::otalab::testing::MosquittoBroker::available())                                             \
            GTEST_SKIP() << "mosquitto is not installed (apt-get install mosquitto); MQTT broker tests skipped"; \
    } while (false)
