// SPDX-License-Identifier: Apache-2.0
// A throw-away PKI for TLS tests: an ECDSA P-256 CA, certificates it issues for a broker
// (localhost, 127.0.0.1, ::1) and for clients, written as PEM files. OpenSSL 3 APIs.
#pragma once

#include "core/common/error.h"

#include <QString>
#include <memory>

namespace otalab::testing {

struct PemFiles {
    QString certFile;   // PEM certificate
    QString keyFile;    // PEM private key, unencrypted
};

// Threading: any one thread. Files go into `folder` (which must exist).
class TestPki final {
public:
    // Makes the CA: <folder>/<name>.pem (certificate) and <name>.key.
    static Result<TestPki> create(const QString& folder, const QString& name = QStringLiteral("ca"));

    TestPki(TestPki&&) noexcept;
    TestPki& operator=(TestPki&&) noexcept;
    ~TestPki();

    QString caFile() const { return m_ca.certFile; }
    // A TLS server certificate: <folder>/<name>.crt + .key, subjectAltName `altNames`
    // (OpenSSL syntax), by default localhost / 127.0.0.1 / ::1.
    Result<PemFiles> issueServer(const QString& name = QStringLiteral("server"),
                                 const QString& altNames = QStringLiteral("DNS:localhost,IP:127.0.0.1,IP:::1"));
    // A TLS client certificate whose subject CN is `commonName` (e.g. a thing name).
    Result<PemFiles> issueClient(const QString& commonName, const QString& name = {});

private:
    struct Keys;
    TestPki(QString folder, std::unique_ptr<Keys> keys, PemFiles ca);
    Result<PemFiles> issue(const QString& commonName, const QString& name, const QString& serverAltNames);

    QString m_folder;
    std::unique_ptr<Keys> m_keys;
    PemFiles m_ca;
    long m_serial = 2;
};

} // namespace otalab::testing
