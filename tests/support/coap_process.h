// SPDX-License-Identifier: Apache-2.0
// Helpers for the OCF end-to-end tests: libcoap's coap-client (Debian libcoap3-bin, the
// no-TLS build) as an independent CoAP peer, any program run as a live subprocess whose
// output is read as it comes, and CBOR sequences as coap-client prints them (payloads back
// to back on stdout). Waiting is always on process output or exit, bounded against hangs.
#pragma once

#include <QByteArray>
#include <QCborStreamReader>
#include <QCborValue>
#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace otalab::testing {

// The coap-client of libcoap3-bin without TLS; empty when it is not installed.
inline QString coapClientBinary()
{
    return QStandardPaths::findExecutable(QStringLiteral("coap-client-notls"));
}

// A program run to its end: exit code, stdout bytes (binary: CBOR payloads), stderr text.
struct BinaryRun {
    int code = -1;
    QByteArray out;
    QString err;
    bool finished = false;
};

inline BinaryRun runProgram(const QString& program, const QStringList& args, int limitMs = 30000)
{
    QProcess p;
    p.start(program, args);
    BinaryRun run;
    if (!p.waitForStarted(10000))
        return run;
    run.finished = p.waitForFinished(limitMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

// A running program; stdout and stderr are kept apart (stdout may be binary).
class LiveProgram final {
public:
    LiveProgram(const QString& program, const QStringList& args)
    {
        m_process.start(program, args);
        m_started = m_process.waitForStarted(10000);
    }
    ~LiveProgram() { stop(); }

    bool started() const { return m_started; }
    // Reads until `done(stdout bytes, stderr text)` holds, the program ended or limitMs passed.
    template <typename Done>
    bool waitUntil(Done done, int limitMs = 15000)
    {
        QDeadlineTimer deadline(limitMs);
        while (true) {
            drain();
            if (done(m_out, m_err))
                return true;
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning) {
                drain();
                return done(m_out, m_err);
            }
            m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 50)));
        }
    }
    // Waits for stdout (read as UTF-8 text) to match `pattern` at or after `from`.
    QRegularExpressionMatch waitForText(const QString& pattern, int limitMs = 15000, qsizetype from = 0)
    {
        const QRegularExpression re(pattern);
        QRegularExpressionMatch match;
        waitUntil([&](const QByteArray& out, const QString&) {
            match = re.match(QString::fromUtf8(out), from);
            return match.hasMatch();
        }, limitMs);
        return match;
    }
    const QByteArray& out() { drain(); return m_out; }
    QString text() { drain(); return QString::fromUtf8(m_out) + m_err; }
    int finish(int limitMs = 30000)
    {
        if (!m_process.waitForFinished(limitMs) && m_process.state() != QProcess::NotRunning)
            return -1;
        drain();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    // SIGKILL: a power cut for an emulated device.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
        drain();
    }
    int stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
            return -1;
        }
        drain();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

private:
    void drain()
    {
        m_out += m_process.readAllStandardOutput();
        m_err += QString::fromUtf8(m_process.readAllStandardError());
    }

    QProcess m_process;
    QByteArray m_out;
    QString m_err;
    bool m_started = false;
};

// CBOR data items back to back (coap-client prints each payload as it comes, no separator).
// Stops at the first byte that does not start a well-formed item.
inline std::vector<QCborValue> decodeCborSequence(const QByteArray& bytes)
{
    std::vector<QCborValue> items;
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (bytes.mid(at) == "\n")
            break;   // coap-client ends its output with a newline when it exits
        // One item from a fresh reader; where it stopped is where the next item starts.
        QCborStreamReader reader(bytes.mid(at));
        const QCborValue item = QCborValue::fromCbor(reader);
        const qint64 used = reader.currentOffset();
        if (reader.lastError() != QCborError::NoError || used <= 0)
            break;
        items.push_back(item);
        at += used;
    }
    return items;
}

} // namespace otalab::testing
