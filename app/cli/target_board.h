// SPDX-License-Identifier: Apache-2.0
// The emulated Zephyr/MCUboot board behind `otalab-cli target serve`: core/smp's SmpServer
// on a core/mcuboot BootLoader, answering a transport plugin in serve mode in real time,
// with resets that run the boot model, a console (serial) and optional flash persistence.
#pragma once

#include "app/cli/target_flash_store.h"
#include "core/mcuboot/boot_loader.h"
#include "core/smp/smp_server.h"
#include "core/transport/transport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTextStream>
#include <QTimer>
#include <deque>
#include <functional>

namespace otalab::cli {

struct TargetConfig {
    core::mcuboot::FlashGeometry geometry;
    core::mcuboot::BootConfig boot;
    core::smp::ServerConfig server;
    int bootMs = 300;            // after a reset: silence until the application's banner
    double flashKiBPerS = 0;     // upload answers wait data / speed (flash write time); 0 = at once
    int chatterMs = 0;           // the application logs a line this often on the console; 0 = never
    bool logRequests = false;    // the application logs each request on the console before it answers
    bool quiet = false;          // no line per request on stdout
    // slot0.bin / slot1.bin kept here across restarts; empty = none. Saved before every
    // answer to a request that changed the flash and after every boot, so a killed
    // emulator leaves all it acknowledged in the folder, except what sits in flash_img's
    // write buffer (RAM, under CONFIG_IMG_BLOCK_BUF_SIZE bytes, as on Zephyr). The upload
    // state (offset, sha) is RAM too, as in Zephyr: a restarted board uploads from 0.
    QString stateDir;
};

// Threading: the thread that created it (the main thread of otalab-cli).
class TargetBoard final : public QObject {
    Q_OBJECT
public:
    TargetBoard(TargetConfig config, QTextStream& out, QObject* parent = nullptr);
    ~TargetBoard() override;

    // Before powerOn(): the flash saved in the state folder, when there is one (true), and
    // then the primary slot written like `west flash` (optional).
    Result<bool> restoreState();
    Result<void> program(const QByteArray& image);
    // Power on: MCUboot decides, the application starts (printed on stdout).
    void powerOn();
    // The transport to serve on (not owned). Packets are answered while the board runs.
    void attach(core::transport::Transport* transport);
    // Writes what changed in the flash to the state folder (no-op without one).
    Result<void> saveState();

    core::mcuboot::BootLoader& loader() { return m_loader; }
    core::smp::SmpServer& server() { return m_server; }
    bool isRunning() const { return m_running; }
    int requests() const { return m_requests; }
    int resets() const { return m_resets; }

private:
    void onPacket(const QByteArray& packet);
    void reset();
    void boot(const QString& why);
    void console(const QString& line);
    void later(qint64 atMs, std::function<void()> action);
    void runDue();
    void persist();         // saveState(), failures printed
    void saveIfChanged();   // persist() when the flash was written or erased since the last save
    QString uptime() const;
    qint64 flashOperations() const;

    TargetConfig m_config;
    QTextStream& m_out;
    core::mcuboot::BootLoader m_loader;
    core::smp::SmpServer m_server;
    QPointer<core::transport::Transport> m_transport;
    bool m_running = false;
    int m_requests = 0;
    int m_resets = 0;
    int m_chatterCount = 0;
    quint64 m_bootGeneration = 0;   // a reset voids the previous boot's pending actions
    QElapsedTimer m_clock;          // since the process started
    QElapsedTimer m_sinceBoot;      // console timestamps
    struct Pending {
        qint64 atMs = 0;
        std::function<void()> action;
    };
    std::deque<Pending> m_pending;  // in time order
    qint64 m_lastAnswerAtMs = 0;    // answers leave in order
    QTimer m_due;
    QTimer m_chatter;
    FlashStateStore m_store;
    qint64 m_savedOperations = -1;
};

} // namespace otalab::cli
