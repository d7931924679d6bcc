// SPDX-License-Identifier: Apache-2.0
// The emulated OCF device behind `otalab-cli target serve --ocf`: core/ocf's SwUpdateDevice
// on a McubootSwUpdatePlatform (a core/mcuboot BootLoader), answering CoAP on an
// OcfUdpEndpoint in real time.
//  - Time: the device clock is this computer's UTC clock plus a fixed offset (tests move it);
//    the machine's Request and Apply timers are QTimers.
//  - Peers: without DTLS a client's identity is its source address. `allow` entries are
//    "HOST" (any port of that host) or "HOST:PORT"; a peer matching one gets that entry as its
//    identity, any other peer "HOST:PORT" — so --allow 10.0.0.5 admits every request from
//    10.0.0.5 and nothing else. No --allow: anyone may POST.
//  - Power: the flash (FlashStateStore), the swupdate record and the user data are written to
//    the state folder after every event that changed them, so a killed process restarted on
//    the same folder resumes like a device after a power cut (download at the stored offset,
//    an interrupted swap finished by MCUboot).
//  - DeviceReboot: MCUboot runs in-process (its log printed), then the machine boots with
//    the record. The observers of /oc/swu are registered again for them (each gets a NON
//    2.05 with its token), as if they had re-registered: an observing client (coap-client
//    -s) sees the outcome of the upgrade.
// Prints one line per state change: "swupdatestate svv → sva (result 0)".
//
// Threading: the endpoint's thread (the main thread of otalab-cli).
#pragma once

#include "app/cli/target_flash_store.h"
#include "app/cli/target_ocf_state.h"
#include "app/hw/ocf_udp_endpoint.h"
#include "core/mcuboot/boot_loader.h"
#include "core/ocf/mcuboot_swupdate_platform.h"
#include "core/ocf/swupdate_device.h"

#include <QObject>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace otalab::cli {

struct OcfTargetConfig {
    QString name = QStringLiteral("otalab-ocf");
    QString stateDir;                           // empty: nothing survives the process
    QStringList allow;                          // "HOST" or "HOST:PORT"; empty: anyone
    std::vector<core::crypto::PKey> keys;       // trusted signing keys (empty: a SHA256 TLV suffices)
    QByteArray factoryImage;                    // written to the primary slot on first start
    QString factoryLabel;
    qint64 clockOffsetMs = 0;                   // device clock = UTC now + this
    core::mcuboot::FlashGeometry geometry;
    bool validatePrimary = true;                // MCUboot checks the running image on every boot
    std::uint8_t blockSzx = 6;                  // download block size 2^(szx+4)
    int rebootMs = 100;                         // from apply() until MCUboot runs
    bool verbose = false;                       // every CoAP message in and out
};

class OcfTargetDevice final : public QObject {
    Q_OBJECT
public:
    // `endpoint` is not owned and must outlive the device.
    OcfTargetDevice(OcfTargetConfig config, hw::ocf::OcfUdpEndpoint* endpoint, QTextStream& out,
                    QObject* parent = nullptr);
    ~OcfTargetDevice() override;

    // Restores (or creates) the state folder, programs the factory image on a fresh flash,
    // powers on (MCUboot + the machine's boot). Errors: unreadable state, bad factory image.
    Result<void> start();

    // Datagrams arriving on `listener` too (a multicast socket sharing the port) are served;
    // answers always leave from the main endpoint. Not owned.
    void listenOn(hw::ocf::OcfUdpEndpoint* listener);
    QString identityFor(const core::ocf::CoapPeer& peer) const;
    const core::ocf::SwUpdateDevice& machine() const { return *m_device; }
    int reboots() const { return m_reboots; }
    QString runningVersion() const { return m_platform->runningVersion(); }

private:
    qint64 now() const;
    void onDatagram(const core::ocf::CoapPeer& from, const QByteArray& datagram);
    void handle(core::ocf::DeviceActions& actions);
    void powerOn(const std::optional<core::ocf::SwUpdatePersisted>& kept, bool restart);
    void rebootNow();
    void trackObserver(const core::ocf::CoapPeer& from, const QByteArray& datagram);
    void saveState();

    OcfTargetConfig m_config;
    hw::ocf::OcfUdpEndpoint* m_endpoint;
    QTextStream& m_out;
    core::mcuboot::BootLoader m_loader;
    std::unique_ptr<core::ocf::McubootSwUpdatePlatform> m_platform;
    std::unique_ptr<core::ocf::SwUpdateDevice> m_device;
    FlashStateStore m_flashStore;
    OcfStateFiles m_stateFiles;
    QTimer m_requestTimer;
    QTimer m_applyTimer;
    QTimer m_rebootTimer;
    qint64 m_flashOpsSaved = -1;
    int m_reboots = 0;
    struct Observation { core::ocf::CoapPeer peer; QByteArray token; };
    std::vector<Observation> m_observations;   // GET /oc/swu Observe:0 seen, replayed after a reboot
};

} // namespace otalab::cli
