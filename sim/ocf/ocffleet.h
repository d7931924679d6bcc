// SPDX-License-Identifier: Apache-2.0
// OcfFleet: OCF devices in homes (Thread sleepy end devices behind a border router, Wi-Fi
// stations of an access point) each hosting core/ocf's SwUpdateDevice, an OCF client that
// schedules the update on every device, and a CoAP image server — behind the neutral Fleet
// contract (seed 001, story 8, issue 14). sim/ocf/README.md describes the model.
#pragma once

#include "core/ocf/coap_message.h"
#include "core/ocf/swupdate_device.h"
#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "sim/kernel/eventhandler.h"
#include "sim/ocf/ocfdevice.h"
#include "sim/ocf/ocffleetconfig.h"
#include "sim/ocf/ocfimages.h"
#include "sim/ocf/ocflink.h"

#include <QString>

#include <array>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

struct OcfGroup {
    QString name;
    OcfLinkKind kind = OcfLinkKind::Thread;
    const OcfPreset* preset = nullptr;
    double idlePollS = 0;        // Thread: poll period; Wi-Fi: DTIM interval
    double fastPollS = 0;        // Thread: poll period while awaiting a response
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

// The fleet's counters (client, image server, links).
struct OcfCounters {
    std::uint64_t posts = 0;               // POSTs the client sent (incl. retransmissions)
    std::uint64_t postRetransmissions = 0;
    std::uint64_t postsGivenUp = 0;        // no answer after 4 retransmissions
    std::uint64_t configured = 0;          // 2.04 answers to the client
    std::uint64_t reasked = 0;             // devices asked again after result 4
    std::uint64_t blockRequests = 0;       // GETs that reached the image server
    std::uint64_t blocksServed = 0;
    std::uint64_t bytesServed = 0;
    std::uint64_t droppedAtServer = 0;     // arrived while it was down
    std::uint64_t datagramsLost = 0;       // lost on a link (loss, outage, device off)
    std::uint64_t frames = 0;              // 802.15.4 frames (every hop)
    std::uint64_t notifications = 0;       // messages devices sent the client besides answers
    std::uint64_t unauthorised = 0;        // POSTs answered 4.01
    double serverBusyS = 0;
    double maxServerQueueS = 0;
};

class OcfDeviceSlot;
class OcfSimPlatform;

// Nodes: device i is ctx.firstNode + i ("ocf-00001", role "end device" / "station"), then the
// gateways ("br-0001" border routers, "ap-0001" access points), then "ocf-client", "image-server"
// and "intruder" (the unauthorised client of attack unauthorisedClient).
//
// Randomness: per device RandomStream(seed, node, purpose): 'OLNK' (link draw, poll phase,
// clock offset), 'OCFL' (losses).
class OcfFleet final : public Fleet, private EventHandler {
public:
    ~OcfFleet() override;

    QString family() const override { return QStringLiteral("ocf"); }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_devices.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_firstNode + NodeId(device); }
    FleetPhase phase(std::size_t device) const override { return ocfStepPhase(m_devices[device].step); }
    DeviceStatus status(std::size_t device) const override;
    DeviceFigures figures(std::size_t device) const override;
    std::vector<MachineDescription> machines() const override;
    std::optional<DeviceStatus> nodeStatus(NodeId node) const override;
    FleetFacts facts() const override;
    void start() override;
    void appendResults(std::vector<DeviceResult>& out) const override;
    std::vector<NamedValue> fleetFigures() const override;

    RolloutSupport rolloutSupport() const override;
    void holdForRollout() override;
    void releaseDevices(const std::vector<std::size_t>& devices) override;
    void stopDevices(const std::vector<std::size_t>& devices) override;

    FaultSupport faultSupport() const override;
    Result<void> armFault(const faults::FaultOrder& order) override;
    Result<void> armAttack(const faults::AttackOrder& order) override;
    void injectFault(const faults::FaultOrder& order) override;
    void injectAttack(const faults::AttackOrder& order) override;

    const OcfFleetConfig& config() const { return m_config; }
    const OcfDevice& device(std::size_t i) const { return m_devices[i]; }
    const OcfGroup& groupOf(std::size_t i) const { return m_groups[m_devices[i].group]; }
    const OcfCounters& counters() const { return m_counters; }
    const OcfImages& images() const { return *m_images; }
    // The device's machine while it has one (configured and powered), else null.
    const core::ocf::SwUpdateDevice* machineOf(std::size_t device) const;
    // The device's wall clock (ms since the Unix epoch, UTC) now.
    qint64 deviceClockMs(std::size_t device) const;
    // Virtual time of updatetime on an exact clock (nullopt for "now").
    std::optional<SimTime> updateAt() const { return m_updateAt; }
    // Energy of device i since t = 0 and since its download started (J).
    std::pair<double, double> energy(std::size_t device) const;
    QString failureReason(std::size_t device) const;
    // Devices per swupdatestate (idle nsa svv sva upgrading) when updatetime came (zeros before).
    const std::array<int, 5>& statesAtUpdateTime() const { return m_statesAtUpdate; }

    // --- for OcfSimPlatform (ocfplatform.cpp) ---------------------------------------
    OcfDevice& platformDevice(std::size_t device) { return m_devices[device]; }
    std::uint64_t slotCapacity() const { return m_slotBytes; }
    bool platformWrite(std::size_t device, std::uint64_t offset, std::uint64_t bytes);
    void platformErase(std::size_t device);
    Result<core::ocf::SwUpdateImageInfo> platformValidate(std::size_t device, std::uint64_t imageBytes);
    QString runningVersion(std::size_t device) const;

private:
    friend Result<std::unique_ptr<Fleet>> buildOcfFleet(const OcfFleetConfig&, const FleetBuildContext&);
    OcfFleet(Simulator& sim, const OcfFleetConfig& config, FleetListener* listener);
    Result<void> construct(const FleetBuildContext& ctx);

    void handleEvent(Simulator& sim, const Event& event) override;
    EventData data(std::size_t i, std::uint32_t kind, std::uint64_t arg0 = 0, std::uint64_t arg1 = 0) const;
    std::uint32_t park(core::ocf::CoapMessage message);
    core::ocf::CoapMessage unpark(std::uint32_t slot);

    // Client (ocffleetclient.cpp).
    // Queues a POST: stage 0 = isvv now (validateFirst) or the upgrade at updatetime; stage 1 = the upgrade.
    void enqueue(std::size_t i, std::uint8_t stage = 0);
    void clientPump();
    void clientSend(std::size_t i, bool retransmission);
    void clientTimeout(std::size_t i, std::uint32_t attempt);
    void clientReceived(std::size_t i, const core::ocf::CoapMessage& message);
    void clientDone(std::size_t i);
    void intruderSend(std::size_t i, int attackId);
    // Links (ocffleetlink.cpp): when a datagram of `bytes` CoAP bytes arrives, or nullopt when lost.
    std::optional<SimTime> downlink(std::size_t i, SimTime sentAt, int bytes, bool solicited);
    // A request waits until the device is done with its flash / CPU work (busyUntil); an
    // answer (to the client) leaves at once.
    std::optional<SimTime> uplink(std::size_t i, SimTime at, int bytes, SimTime& leftDevice, bool request = true);
    // Server.
    void serverReceived(std::size_t i, const core::ocf::CoapMessage& request);
    // Device host (ocffleethost.cpp).
    OcfDeviceSlot& slotFor(std::size_t i);
    void deviceReceived(std::size_t i, std::uint32_t epoch, const core::ocf::CoapMessage& message, const core::ocf::CoapPeer& from);
    void deviceTimer(std::size_t i, std::uint32_t epoch, std::uint32_t timer);
    void carryOut(std::size_t i, core::ocf::DeviceActions& actions);
    void onStateChanged(std::size_t i, const core::ocf::DeviceStateChanged& change);
    void rebooted(std::size_t i, std::uint32_t epoch);
    void bootMachine(std::size_t i);
    void releaseIfDone(std::size_t i);
    void setStep(std::size_t i, OcfStep next);
    void takeSnapshot();
    // Faults (ocffleetfaults.cpp).
    void powerLoss(std::size_t i, double forS, int faultId, const QString& how);
    void powerOn(std::size_t i, std::uint32_t epoch);
    void armedCut(std::size_t i, std::uint32_t epoch);
    void checkProgressFault(std::size_t i);
    void resolveFaults(std::size_t i);
    void endOutage(std::uint32_t what, std::uint64_t arg);

    Simulator& m_sim;
    OcfFleetConfig m_config;
    FleetListener* m_listener;
    NodeId m_firstNode = 0;
    NodeId m_gatewayNode = 0;            // first gateway node
    NodeId m_clientNode = kNoNode;
    NodeId m_serverNode = kNoNode;
    NodeId m_intruderNode = kNoNode;
    std::vector<OcfGroup> m_groups;
    std::vector<OcfDevice> m_devices;
    std::vector<FleetNodeInfo> m_nodes;
    std::vector<SimTime> m_gatewayDownUntil;
    std::unique_ptr<OcfImages> m_images;
    std::uint64_t m_slotBytes = 0;
    std::uint8_t m_szx = 6;
    qint64 m_startsAtMs = 0;
    QString m_updateTimeText;
    std::optional<SimTime> m_updateAt;
    std::array<int, 5> m_statesAtUpdate{};
    // Datagrams in flight (EventData carries the slot number, never an address).
    std::vector<core::ocf::CoapMessage> m_parked;
    std::vector<std::uint32_t> m_freeParked;
    // Client.
    std::deque<std::uint32_t> m_clientQueue;
    int m_clientOutstanding = 0;
    SimTime m_clientNextSend;
    bool m_clientPumpArmed = false;
    std::uint16_t m_clientMessageId = 0x4000;
    // Image server.
    SimTime m_serverBusy;
    SimTime m_serverSlot;
    SimTime m_serverDownUntil;
    OcfCounters m_counters;
    // Faults and attacks.
    struct ArmedPowerLoss {
        int faultId = 0;
        std::optional<int> atFlashWrite;
        std::optional<double> atProgress;
        double forS = 10;
        QString how;                     // set when its condition met: "at flash write 57 (…)"
    };
    std::unordered_map<std::uint32_t, ArmedPowerLoss> m_armedPowerLoss;   // by device
    std::unordered_map<std::uint32_t, std::vector<int>> m_openFaults;      // device → fault ids awaiting its end
    std::unordered_map<std::uint32_t, QString> m_reasons;                  // device → the machine's words for a refusal / failure
    bool m_hold = false;
    bool m_started = false;
};

} // namespace otalab::sim
