// SPDX-License-Identifier: Apache-2.0
// Helpers for the smp end-to-end tests: the real otalab-cli binary as a subprocess (an
// emulated board with `target serve`, clients with `smp …`), a socat pseudo-terminal
// pair, and MCUboot test images. Subprocesses are driven with QProcess's blocking calls,
// so no QCoreApplication is needed (the GUI tests in the same binary create their own).
#pragma once

#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <gtest/gtest.h>
#include <memory>

namespace otalab::testing {

inline QString cliBinary()
{
    return QStringLiteral(OTALAB_CLI_BINARY);
}

// A finished `otalab-cli …` run.
struct ProcessRun {
    int code = -1;
    QString out;
    QString err;
    bool finished = false;
};

// The run as a failure message shows it: exit code, stdout, stderr.
inline std::string show(const ProcessRun& r)
{
    return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3").arg(r.code).arg(r.out, r.err).toStdString();
}

// Runs otalab-cli with `args` and waits for it (bounded by limitMs against hangs).
inline ProcessRun runCliProcess(const QStringList& args, int limitMs = 30000)
{
    QProcess p;
    p.start(cliBinary(), args);
    ProcessRun run;
    if (!p.waitForStarted(10000))
        return run;
    run.finished = p.waitForFinished(limitMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

// A running otalab-cli (board or client) whose merged output is read as it comes.
class LiveProcess final {
public:
    explicit LiveProcess(const QStringList& args)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(cliBinary(), args);
        m_started = m_process.waitForStarted(10000);
    }
    ~LiveProcess() { stop(); }

    bool started() const { return m_started; }
    // Reads output until `pattern` matches somewhere in it (from `from` on) or limitMs passed.
    QRegularExpressionMatch waitFor(const QString& pattern, int limitMs = 15000, qsizetype from = 0)
    {
        const QRegularExpression re(pattern);
        QDeadlineTimer deadline(limitMs);
        while (true) {
            m_output += QString::fromUtf8(m_process.readAll());
            QRegularExpressionMatch m = re.match(m_output, from);
            if (m.hasMatch() || deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                return m;
            m_process.waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 50)));
        }
    }
    const QString& output()
    {
        m_output += QString::fromUtf8(m_process.readAll());
        return m_output;
    }
    // SIGKILL: no cleanup, like a crashed client or a pulled USB cable on the host side.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    // Waits for it to end by itself. Returns the exit code (-1 when it did not end or crashed).
    int finish(int limitMs = 30000)
    {
        if (!m_process.waitForFinished(limitMs) && m_process.state() != QProcess::NotRunning)
            return -1;
        output();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    // SIGTERM, then SIGKILL if it does not stop. Returns the exit code (-1 when killed).
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
        output();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

private:
    QProcess m_process;
    QString m_output;
    bool m_started = false;
};

inline bool socatAvailable()
{
    return !QStandardPaths::findExecutable(QStringLiteral("socat")).isEmpty();
}

// socat linking two pseudo-terminals: DIR/board (for target serve) and DIR/host (clients).
class PtyPair final {
public:
    PtyPair() { start(); }
    ~PtyPair() { stop(); }

    bool ok() const { return m_ok; }
    QString board() const { return m_dir.filePath(QStringLiteral("board")); }
    QString host() const { return m_dir.filePath(QStringLiteral("host")); }

    // Ends socat: both ptys vanish, like a USB cable pulled out.
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
        QFile::remove(board());
        QFile::remove(host());
        m_ok = false;
    }
    // A new pair at the same paths: the cable plugged back in.
    bool start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setStandardOutputFile(QProcess::nullDevice());
        m_process->setStandardErrorFile(QProcess::nullDevice());
        m_process->start(QStringLiteral("socat"), {QStringLiteral("pty,raw,echo=0,link=") + board(),
                                                   QStringLiteral("pty,raw,echo=0,link=") + host()});
        if (!m_process->waitForStarted(5000))
            return false;
        QDeadlineTimer deadline(10000);
        while (!(QFileInfo::exists(board()) && QFileInfo::exists(host())) && !deadline.hasExpired())
            QThread::msleep(10);
        m_ok = QFileInfo::exists(board()) && QFileInfo::exists(host());
        return m_ok;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    bool m_ok = false;
};

// A signed-enough MCUboot image (SHA256 TLV, no signature) of `bodyBytes` deterministic
// bytes, written to `path`. Returns the image's SHA256 TLV.
inline QByteArray writeTestImage(const QString& path, const QString& version, int bodyBytes)
{
    QByteArray body(bodyBytes, Qt::Uninitialized);
    std::uint32_t x = 12345u + std::uint32_t(bodyBytes);
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
    auto image = core::mcuboot::createImage(body, options);
    if (!image)
        return {};
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(*image) != image->size())
        return {};
    f.close();
    auto parsed = core::mcuboot::parseImage(*image);
    const core::mcuboot::Tlv* sha = parsed ? parsed->findAny(core::mcuboot::TlvSha256) : nullptr;
    return sha ? sha->value : QByteArray();
}

} // namespace otalab::testing
