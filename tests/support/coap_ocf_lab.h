// SPDX-License-Identifier: Apache-2.0
// The OCF real-path test lab: signing keys and signed MCUboot images in a temporary folder,
// `otalab-cli ocf serve-image` and `otalab-cli target serve --ocf` as live processes on
// loopback (their UDP ports read from their "udp port N" line), and `otalab-cli ocf …` runs.
// Needs OTALAB_CLI_BINARY (tests/app) and tests/app/smp_e2e_support.h's process helpers.
#pragma once

#include "tests/app/smp_e2e_support.h"
#include "tests/support/coap_process.h"

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_creator.h"

#include <QCborArray>
#include <QCborMap>
#include <QFile>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace otalab::testing {

class OcfLab final {
public:
    OcfLab() = default;

    bool ok() const { return m_dir.isValid(); }
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // A fresh ECDSA P-256 key; writes NAME.pem (private) and NAME.pub.pem. Returns the key.
    std::optional<core::crypto::PKey> makeKey(const QString& name)
    {
        auto key = core::crypto::PKey::generate(core::crypto::KeyType::EcdsaP256);
        if (!key)
            return std::nullopt;
        if (!write(name + QStringLiteral(".pem"), key->privatePem())
            || !write(name + QStringLiteral(".pub.pem"), key->publicPem()))
            return std::nullopt;
        return *key;
    }

    // An MCUboot image of `bodyBytes` deterministic bytes at `version`, signed by `key` when
    // given, written to NAME. Empty path on failure.
    QString makeImage(const QString& name, const QString& version, int bodyBytes,
                      const std::optional<core::crypto::PKey>& key)
    {
        QByteArray body(bodyBytes, Qt::Uninitialized);
        std::uint32_t x = 0x5eed + std::uint32_t(bodyBytes);
        for (qsizetype i = 0; i < body.size(); ++i) {
            x = x * 1103515245u + 12345u;
            body[i] = char(x >> 16);
        }
        core::mcuboot::ImageCreateOptions options;
        options.headerSize = 0x200;
        options.padHeader = true;
        auto v = core::mcuboot::ImageVersion::parse(version);
        if (!v)
            return {};
        options.version = *v;
        if (key)
            options.signingKey = *key;
        auto image = core::mcuboot::createImage(body, options);
        if (!image || !write(name, *image))
            return {};
        return path(name);
    }

    // `ocf serve-image FILE` on a free loopback port (extra arguments appended); nullptr when
    // it did not come up. The port in imagePort(), the URL in purl().
    LiveProcess* serveImage(const QString& file, const QStringList& extra = {})
    {
        m_server = std::make_unique<LiveProcess>(QStringList{QStringLiteral("ocf"), QStringLiteral("serve-image"), file,
                                                             QStringLiteral("--udp"), QStringLiteral("0"),
                                                             QStringLiteral("--bind"), QStringLiteral("127.0.0.1")}
                                                 + extra);
        const auto ready = m_server->waitFor(QStringLiteral("udp port (\\d+)"));
        if (!ready.hasMatch())
            return nullptr;
        m_imagePort = ready.captured(1);
        return m_server.get();
    }
    QString purl() const { return QStringLiteral("coap://127.0.0.1:%1/fw/image").arg(m_imagePort); }

    // `target serve --ocf` on a free loopback port with its state in STATE (extra arguments
    // appended); nullptr when it did not come up. Its port in devicePort(), URL in conn().
    LiveProcess* startTarget(const QStringList& extra = {})
    {
        m_target = std::make_unique<LiveProcess>(QStringList{QStringLiteral("target"), QStringLiteral("serve"),
                                                             QStringLiteral("--ocf"), QStringLiteral("--udp"),
                                                             m_devicePort.isEmpty() ? QStringLiteral("0") : m_devicePort,
                                                             QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                                             QStringLiteral("--state"), path(QStringLiteral("state"))}
                                                 + extra);
        const auto ready = m_target->waitFor(QStringLiteral("ready: .*udp port (\\d+)"));
        if (!ready.hasMatch())
            return nullptr;
        m_devicePort = ready.captured(1);
        return m_target.get();
    }
    LiveProcess* target() { return m_target.get(); }
    // The target's process ends (SIGKILL: a power cut); startTarget() brings it back on the
    // same port and state folder.
    void killTarget()
    {
        if (m_target)
            m_target->kill();
    }
    QString conn() const { return QStringLiteral("coap://127.0.0.1:") + m_devicePort; }
    QString coapUrl(const QString& pathAndQuery) const
    {
        return QStringLiteral("coap://127.0.0.1:%1/%2").arg(m_devicePort, pathAndQuery);
    }

private:
    bool write(const QString& name, const QByteArray& bytes)
    {
        QFile f(path(name));
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<LiveProcess> m_server;
    std::unique_ptr<LiveProcess> m_target;
    QString m_imagePort;
    QString m_devicePort;
};

// The swupdate properties of every CBOR map in `items` as "state/result" ("svv/0", "idle/1").
inline QStringList stateTrail(const std::vector<QCborValue>& items)
{
    QStringList trail;
    for (const QCborValue& item : items) {
        const QCborMap map = item.toMap();
        trail << QStringLiteral("%1/%2").arg(map.value(QStringLiteral("swupdatestate")).toString())
                     .arg(map.value(QStringLiteral("swupdateresult")).toInteger());
    }
    return trail;
}

} // namespace otalab::testing
