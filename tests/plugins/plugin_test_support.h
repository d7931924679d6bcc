// SPDX-License-Identifier: Apache-2.0
// Helpers for the transport plugin tests: the Qt event loop, the registry on the build
// tree's plugins, a socat pseudo-terminal pair, a recorder of transport signals.
#pragma once

#include "app/hw/transport_registry.h"
#include "core/smp/smp_header.h"
#include "core/smp/smp_packet.h"
#include "tests/support/event_loop_wait.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <functional>
#include <gtest/gtest.h>
#include <memory>

namespace otalab::testing {

using core::transport::Transport;

inline QCoreApplication& testApp()
{
    static int argc = 1;
    static char name[] = "otalab_plugins_tests";
    static char* argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    return app;
}

// Runs the event loop until `done` holds or `limitMs` passed (a bound against hangs,
// not a timing check). Returns done().
inline bool waitUntil(const std::function<bool()>& done, int limitMs = 15000)
{
    testApp();
    return runEventLoopUntil(done, limitMs, 5);
}

// Lets queued events run for a moment (to show that something does NOT happen).
inline void settle(int ms = 100)
{
    QDeadlineTimer deadline(ms);
    waitUntil([&] { return deadline.hasExpired(); }, ms + 1000);
}

inline hw::TransportRegistry& buildTreeRegistry()
{
    testApp();
    static hw::TransportRegistry registry(QStringList{QStringLiteral(OTALAB_PLUGIN_BUILD_DIR)});
    return registry;
}

// A transport from the build tree's plugins; fails the test on error.
inline std::unique_ptr<Transport> makeTransport(const QString& spec, bool serve = false)
{
    auto created = buildTreeRegistry().create(spec, nullptr, serve);
    if (!created) {
        ADD_FAILURE() << "cannot create " << spec.toStdString() << ": " << created.error().toString().toStdString();
        return {};
    }
    return std::unique_ptr<Transport>(*created);
}

// An SMP-shaped packet (v2 read, group 0, command 0) whose CBOR payload is {"d": bytes}.
inline QByteArray smpPacket(int dataBytes, std::uint8_t sequence, char fill = 'x')
{
    core::smp::Header header;
    header.sequence = sequence;
    QCborMap payload;
    payload.insert(QStringLiteral("d"), QByteArray(dataBytes, fill));
    return core::smp::encodePacket(header, payload);
}

// The board's answer to a request: the same packet with op read → read response.
inline QByteArray answerOf(QByteArray request)
{
    request[0] = char(request[0] | 0x01);
    return request;
}

// Collects what a transport emits.
struct Recorder {
    explicit Recorder(Transport* transport)
    {
        QObject::connect(transport, &Transport::packetReceived, &context, [this](const QByteArray& p) { packets << p; });
        QObject::connect(transport, &Transport::logText, &context, [this](const QString& t) { logs << t; });
        QObject::connect(transport, &Transport::errorOccurred, &context, [this](const QString& e) { errors << e; });
        QObject::connect(transport, &Transport::stateChanged, &context, [this](Transport::State s) { states << s; });
        QObject::connect(transport, &Transport::wireBytes, &context, [this](qint64 s, qint64 r) {
            sent += s;
            received += r;
        });
    }
    QObject context;
    QList<QByteArray> packets;
    QStringList logs;
    QStringList errors;
    QList<Transport::State> states;
    qint64 sent = 0;
    qint64 received = 0;
};

inline bool openAndWait(Transport* transport, int limitMs = 10000)
{
    transport->open();
    waitUntil([&] { return transport->state() != Transport::State::Opening; }, limitMs);
    return transport->state() == Transport::State::Open;
}

// socat linking two pseudo-terminals: a/ and b/ in a temporary folder. stop() ends socat
// (the ptys vanish like an unplugged board), start() brings a new pair up at the same paths.
class SocatPair final {
public:
    static bool available() { return !QStandardPaths::findExecutable(QStringLiteral("socat")).isEmpty(); }

    SocatPair() { start(); }
    ~SocatPair() { stop(); }

    bool start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setStandardOutputFile(QProcess::nullDevice());
        m_process->setStandardErrorFile(QProcess::nullDevice());
        m_process->start(QStringLiteral("socat"),
                         {QStringLiteral("pty,raw,echo=0,link=") + a(), QStringLiteral("pty,raw,echo=0,link=") + b()});
        if (!m_process->waitForStarted(5000))
            return false;
        return waitUntil([this] { return QFileInfo::exists(a()) && QFileInfo::exists(b()); }, 10000);
    }

    void stop()
    {
        if (!m_process)
            return;
        m_process->terminate();   // SIGTERM: socat removes its links
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        m_process.reset();
        QFile::remove(a());
        QFile::remove(b());
    }

    QString a() const { return m_dir.filePath(QStringLiteral("a")); }
    QString b() const { return m_dir.filePath(QStringLiteral("b")); }
    // socat's process id (it holds both pty slaves open); 0 when not running.
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
};

#define OTALAB_REQUIRE_SOCAT()                                                                          \
    do {                                                                                                \
        if (!::otalab::testing::SocatPair::available())                                                 \
            GTEST_SKIP() << "socat is not installed (apt-get install socat); pseudo-terminal tests skipped"; \
    } while (false)

} // namespace otalab::testing
