// SPDX-License-Identifier: Apache-2.0
// SmpSimDevice: a Zephyr/MCUboot board (core/smp SmpServer on core/mcuboot BootLoader) in virtual time.
#pragma once

#include "core/mcuboot/boot_loader.h"
#include "core/smp/smp_server.h"
#include "sim/kernel/eventhandler.h"
#include "sim/smp/smplink.h"

#include <QStringList>

#include <deque>
#include <functional>
#include <optional>
#include <utility>

namespace otalab::sim {

// How long the board takes. Flash figures: nRF52840 Product Specification v1.7,
// §4.3.9 "NVMC electrical specification", maximum values (t_WRITE per 32-bit word,
// t_ERASEPAGE per 4 KiB page). The CPU figures are assumptions for a 64 MHz
// Cortex-M4 running Zephyr's SMP server; change them to match a measured board.
struct SmpDeviceTiming {
    SimTime flashWordWrite = SimTime::fromMicros(41);   // t_WRITE, one word
    int flashWordBytes = 4;
    SimTime flashPageErase = SimTime::fromMillis(85);   // t_ERASEPAGE, one erase sector
    // One request through smp_process_request_packet(): zcbor decode, handler, encode.
    SimTime requestProcessing = SimTime::fromMicros(300);
    // SHA-256 over flash: the image check on the last upload chunk
    // (CONFIG_IMG_ENABLE_IMAGE_CHECK) and MCUboot's validation at boot.
    double hashBytesPerSecond = 1.0e6;
    SimTime appStart = SimTime::fromMillis(300);        // MCUboot jump → SMP server ready
    // After the application started: the USB CDC port enumerates again on the host / the
    // BLE central reconnects. Only for links that drop on reset.
    SimTime linkReturn = SimTime::fromMillis(1000);
};

struct SmpSimDeviceConfig {
    core::smp::ServerConfig server;          // buf_size/buf_count, reset delay, image group options
    core::mcuboot::FlashGeometry geometry;
    core::mcuboot::BootConfig boot;
    SmpDeviceTiming timing;
};

struct SmpSimDeviceStats {
    int requests = 0;                  // packets taken by the SMP thread
    int droppedNoBuffer = 0;           // request arrived while every net_buf was held
    int unansweredNoBuffer = 0;        // no net_buf left for the response
    int ignoredWhileDown = 0;          // arrived while the board was not running
    int linkErrors = 0;                // frames the board's transport dropped
    int resets = 0;
    SimTime busy;                      // SMP thread processing time (flash included)
    SimTime flashErase;
    SimTime flashWrite;
    SimTime hashing;
    SimTime booting;                   // MCUboot (swap, validation) + application start
};

// Requests from the link are queued for one SMP thread (Zephyr's SMP work queue) and
// handled in arrival order by SmpServer. Each request holds one of the server's
// buf_count net_bufs (CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT) from its arrival until its
// answer left; the answer needs one more while it is built. A request that finds no
// free buffer is dropped, like a board whose pool is exhausted. A request costs
// requestProcessing plus the flash work SmpServer did for it (erases and writes counted
// from the flash statistics, at the timing above) plus hashing for an image check; the
// answer is handed to the link, and the thread is free again when the link says so
// (serial: after uart_poll_out sent the last byte).
//
// A reset request is answered first; resetDelayMs later the board reboots: the SMP
// state in RAM is lost, requests in the queue vanish, MCUboot runs (swap time from its
// flash work, validation hashing) and the application starts appStart later. Links
// that drop on reset (USB CDC, BLE) lose the board's end at the reset and get it back
// linkReturn after the application started.
// Simulation thread only; must outlive the simulator's events.
class SmpSimDevice final : public EventHandler, public SmpLinkDevice {
public:
    SmpSimDevice(Simulator& sim, SmpLink& link, SmpSimDeviceConfig config = {}, NodeId node = 0);
    SmpSimDevice(const SmpSimDevice&) = delete;
    SmpSimDevice& operator=(const SmpSimDevice&) = delete;

    // Programs `image` into the primary slot (like west flash) and boots it at once.
    Result<void> install(const QByteArray& image);
    // A reset from outside (the reset button, a power cycle) at the current time.
    void resetNow();
    // The power fails now and returns `offFor` later; then the board boots as after a
    // reset. RAM state (the upload in progress, queued requests) is lost, the flash keeps
    // what was written; a link that drops on reset loses the board's end until it is back.
    void powerCut(SimTime offFor);
    bool isPoweredOff() const { return m_poweredOff; }
    // Fault model of an unhealthy image: whenever MCUboot boots an application of
    // `version`, it faults `after` its start, before its SMP server is up, and the watchdog
    // resets the board (MCUboot then reverts an unconfirmed test image). nullopt disarms.
    void setFaultingVersion(std::optional<core::mcuboot::ImageVersion> version, SimTime after = SimTime::fromMillis(500));
    int faults() const { return m_faults; }   // application faults so far

    // Faults: at the next reset (MCUboot's next run), the power fails after `sectors` sector
    // operations of the swap / copy (BootLoader::powerCutAfterSectors) and stays off for
    // `offFor`; then the board boots again and MCUboot resumes the interrupted swap from its
    // status in flash. A boot with no swap to do leaves the cut unspent (budget lost).
    void armBootPowerCut(int sectors, SimTime offFor);
    // Told of every MCUboot run (after reset, power-on or power cut during a swap).
    void setBootObserver(std::function<void(const core::mcuboot::BootResult&)> observer) { m_bootObserver = std::move(observer); }

    bool isRunning() const { return m_running; }
    core::mcuboot::BootLoader& board() { return m_board; }
    core::smp::SmpServer& server() { return m_server; }
    const SmpSimDeviceConfig& config() const { return m_config; }
    const SmpSimDeviceStats& stats() const { return m_stats; }
    const std::optional<core::mcuboot::BootResult>& lastBoot() const { return m_lastBoot; }
    // Board-side log ("12.345678 s: …"): dropped input, resets, MCUboot's lines; the
    // newest kMaxLogLines are kept.
    const QStringList& log() const { return m_log; }
    static constexpr int kMaxLogLines = 2000;

    void onLinkPacket(const QByteArray& packet) override;
    void onLinkError(const QString& message) override;
    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { WorkDone = 1, WorkerFree = 2, Reset = 3, Booted = 4, LinkBack = 5, PowerOn = 6 };

    void startNext();
    void onWorkDone();
    void onReset();
    void onBooted();
    void stopRunning();
    SimTime flashCost(const core::mcuboot::FlashStats& before, const core::mcuboot::FlashStats& after);
    SimTime hashCost(qint64 bytes);
    void note(const QString& line);
    EventData eventData(std::uint32_t kind) const { return EventData{m_node, kind, m_generation, 0}; }

    Simulator& m_sim;
    SmpLink& m_link;
    NodeId m_node;
    SmpSimDeviceConfig m_config;
    core::mcuboot::BootLoader m_board;
    core::smp::SmpServer m_server;
    std::optional<core::mcuboot::BootResult> m_lastBoot;
    bool m_running = false;
    bool m_poweredOff = false;
    std::optional<core::mcuboot::ImageVersion> m_faultingVersion;
    SimTime m_faultAfter;
    int m_faults = 0;
    std::optional<std::pair<int, SimTime>> m_bootCut;   // armed boot power cut: sectors, off time
    std::function<void(const core::mcuboot::BootResult&)> m_bootObserver;
    std::uint64_t m_generation = 0;      // bumps at every reset: older events are void
    std::deque<QByteArray> m_queue;      // requests waiting for the SMP thread
    int m_buffersHeld = 0;
    bool m_busy = false;
    core::smp::ServerOutput m_current;   // the answer being produced
    qint64 m_bytesSinceErase = 0;        // image bytes written since the last slot erase
    SmpSimDeviceStats m_stats;
    QStringList m_log;
};

} // namespace otalab::sim
