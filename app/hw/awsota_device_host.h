// SPDX-License-Identifier: Apache-2.0
// AwsOtaDeviceHost: an emulated AWS IoT / FreeRTOS OTA device in real time — the core
// OtaAgent (core/awsota/otaagent.h) on an MqttLink, its timers on QTimers, its PAL the
// file-backed FileOtaPal. `otalab-cli target serve --mqtt` and the Bench run it.
//
// The device's "flash" is one folder (Options::stateDir): FileOtaPal's files plus
//   agent.bin     the agent's record of an unfinished download (OtaAgent::persist), written
//                 after every accepted block, so a restarted process resumes from the bitmap
//   device.json   {"version": committed firmware version "1.0.0"}
// A reboot (AgentReboot) is a disconnect, a short pause, a new agent built with the version
// of the image that now boots (the pending one while it awaits its self-test), restore of
// agent.bin, connect, start. The self-test runs as soon as the agent asks (passes or fails
// as configured).
//
// Faults: dropAfterBlocks > 0 drops the broker connection once after that many blocks of
// this process (as if the broker went away); the host reconnects after reconnectDelayMs and
// the agent resumes from its bitmap. A connection the broker drops is retried the same way.
//
// Threading: the link's thread.
#pragma once

#include "app/hw/awsota_file_pal.h"
#include "core/awsota/otaagent.h"
#include "core/transport/mqtt_link.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace otalab::hw::awsota {

// "1.2.3" (major.minor.build, each in range) → AppVersion32; errors say which part.
Result<core::awsota::AppVersion32> parseAppVersion(const QString& text);

class AwsOtaDeviceHost final : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString thingName;
        QString stateDir;                                   // the device's flash folder
        QString certificate;                                // PEM; empty: the job's certfile
        bool selfTestPasses = true;
        int dropAfterBlocks = 0;                            // 0: never
        core::awsota::AppVersion32 factoryVersion{1, 0, 0}; // before any accepted update
        std::optional<core::awsota::AppVersion32> newVersion;  // what a new image reports; default +1 build
        int reconnectDelayMs = 500;
        int rebootDelayMs = 200;
        core::awsota::AgentConfig agent;                    // tuning (thingName/version set by the host)
    };

    // The link is not owned; it must be disconnected and outlive the host.
    AwsOtaDeviceHost(core::transport::MqttLink* link, Options options, QObject* parent = nullptr);
    ~AwsOtaDeviceHost() override;

    // Reads the folder, builds the agent, connects. Errors: a bad folder or config.
    Result<void> start();
    void stop();

    const core::awsota::OtaAgent* agent() const { return m_agent ? &*m_agent : nullptr; }
    const FileOtaPal& pal() const { return m_pal; }
    core::awsota::AppVersion32 runningVersion() const { return m_runningVersion; }
    int reboots() const { return m_reboots; }
    int connectionDrops() const { return m_drops; }
    // Data blocks this process received from the broker (duplicates included), and by id.
    int blocksReceived() const { return m_blocksReceived; }
    const QList<std::uint32_t>& blockIdsReceived() const { return m_blockIds; }

Q_SIGNALS:
    // One line for people per change: state, progress, signature, reboot, job end.
    void log(const QString& line);
    void stateChanged(core::awsota::OtaState from, core::awsota::OtaState to);
    void progress(std::uint32_t received, std::uint32_t total);
    void jobEnded(const QString& jobId, bool succeeded, const QString& reason);
    void rebooted(core::awsota::RebootReason reason);
    void connectedChanged(bool connected);

private:
    qint64 nowMs() const { return m_clock.elapsed(); }
    Result<void> buildAgent();
    void onLinkState(core::transport::MqttLink::State state);
    void onMessage(const QString& topic, const QByteArray& payload);
    void onTimer(core::awsota::AgentTimer timer);
    void apply(core::awsota::AgentActions& actions);
    void persistAgent();
    void saveDevice();
    void reboot(core::awsota::RebootReason reason);
    void dropConnection();
    core::awsota::AppVersion32 pendingVersion() const;

    QPointer<core::transport::MqttLink> m_link;
    Options m_options;
    FileOtaPal m_pal;
    std::optional<core::awsota::OtaAgent> m_agent;
    QElapsedTimer m_clock;
    QTimer m_requestTimer;
    QTimer m_selfTestTimer;
    QTimer m_reconnect;
    QTimer m_rebootTimer;
    core::awsota::AppVersion32 m_committedVersion;
    core::awsota::AppVersion32 m_runningVersion;
    bool m_started = false;
    bool m_needBoot = true;        // the agent starts (start()) at the next connection
    bool m_lostWhileRunning = false;
    bool m_rebooting = false;
    bool m_dropDone = false;
    bool m_stopping = false;
    bool m_inApply = false;
    int m_reboots = 0;
    int m_drops = 0;
    int m_blocksReceived = 0;
    int m_blocksThisRun = 0;
    QList<std::uint32_t> m_blockIds;
};

} // namespace otalab::hw::awsota
