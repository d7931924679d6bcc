// SPDX-License-Identifier: Apache-2.0
// ZigbeeFleet: the Zigbee OTA family behind the neutral Fleet contract.
#pragma once

#include "sim/energy/devicepreset.h"
#include "sim/fleet/families.h"
#include "sim/fleet/fleet.h"
#include "sim/zigbee/otadevice.h"
#include "sim/zigbee/rolloutconfig.h"

#include <memory>
#include <vector>

namespace otalab::sim {

class OtaServerHost;
class RadioChannel;
class SeededOtaSigner;
class ZigbeeFaults;
class ZigbeeNetwork;
class ZigbeeOutageLoss;

// One PAN from a RolloutConfig: a coordinator hosting the OTA server (short 0x0000,
// endpoint 1, cluster 0x0019) and an OtaDevice on every router / ZED
// (ClientConfig::includeRouters, clientOverrides[].enabled). Each client's first query
// comes at a uniform offset in [0, firstQueryJitterMs) from the node's stream (seed,
// node, 'OTAJ'). Its nodes take NodeIds 0..N-1: a Zigbee fleet is the first fleet of
// its scenario (buildZigbeeFleet refuses another firstNode).
//
// Neutral phases: client running without a download → Waiting; DownloadInProgress →
// Downloading, or Waiting while parked by WAIT_FOR_DATA (the server's concurrency
// limit); DownloadComplete → Verifying; WaitingToUpgrade / CountDown / WaitForMore /
// external event → WaitingToApply; rebooted into the new version → Upgraded; gave up
// → Failed; NOT_AUTHORIZED / NO_IMAGE_AVAILABLE → Refused.
// Machines: kOtaStatusMachine (ImageUpgradeStatus) and kOtaPhaseMachine (rollout progress).
class ZigbeeFleet final : public Fleet, private OtaDeviceListener {
public:
    ~ZigbeeFleet() override;

    QString family() const override { return QStringLiteral("zigbee"); }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_devices.size(); }
    NodeId deviceNode(std::size_t device) const override;
    FleetPhase phase(std::size_t device) const override { return m_phase[device]; }
    DeviceStatus status(std::size_t device) const override;
    DeviceFigures figures(std::size_t device) const override;
    std::vector<MachineDescription> machines() const override;
    FleetFacts facts() const override;
    void start() override;
    void appendResults(std::vector<DeviceResult>& out) const override;

    // Rollout policy: the coordinator's OTA server answers NO_IMAGE_AVAILABLE to a device
    // until the policy notifies it (the device keeps querying at client.queryPeriodMs and
    // stays Waiting); released, it is offered the image at its next query (at once when
    // server.notify is "unicast": a unicast Image Notify goes out, which a sleepy device
    // only gets if it polls within the parent's 7.68 s persistence). Stopped: ABORT to its
    // block requests (a download under way ends Failed), NO_IMAGE_AVAILABLE to its queries
    // (one never started stays Waiting). Retry: a Failed device queries again at once.
    RolloutSupport rolloutSupport() const override;
    void holdForRollout() override;
    void releaseDevices(const std::vector<std::size_t>& devices) override;
    void stopDevices(const std::vector<std::size_t>& devices) override;

    // Faults and attacks: sim/zigbee/zigbeefaults.h says what each one does.
    FaultSupport faultSupport() const override;
    Result<void> armFault(const faults::FaultOrder& order) override;
    Result<void> armAttack(const faults::AttackOrder& order) override;
    void injectFault(const faults::FaultOrder& order) override;
    void injectAttack(const faults::AttackOrder& order) override;

    const RolloutConfig& config() const { return m_config; }
    ZigbeeNetwork& network() { return *m_network; }
    OtaServerHost& serverHost() { return *m_server; }
    const std::vector<std::unique_ptr<OtaDevice>>& devices() const { return m_devices; }
    // Attack wrongKey: images[0] signed by the attacker's own key (SeededOtaSigner
    // kPurposeAttacker, self-issued certificate), the size of the served images[0] — the
    // served file re-signed when the fleet signs (client "requireSignature"), else a
    // generated image shorter by the signature elements. Built once, shared. Fails for an
    // unsigned images[0].path file (the signed copy would not have its size).
    Result<std::shared_ptr<const QByteArray>> wrongKeyImage();

private:
    friend Result<std::unique_ptr<Fleet>> buildZigbeeFleet(const RolloutConfig&, const FleetBuildContext&);
    ZigbeeFleet(Simulator& sim, const RolloutConfig& config, FleetListener* listener);
    Result<void> construct(const QString& baseDir);

    void onDevicePhase(OtaDevice& device) override;
    void onDeviceStatus(OtaDevice& device) override;
    void onDeviceFlashWrite(OtaDevice& device, int writes) override;
    void onDevicePowerOn(OtaDevice& device, const QString& what) override;
    void onDeviceOfferRefused(OtaDevice& device, std::uint32_t fileVersion, const QString& why) override;
    void updatePhase(OtaDevice& device);
    FleetPhase neutralPhase(const OtaDevice& device) const;
    std::size_t indexOf(const OtaDevice& device) const;

    Simulator& m_sim;
    RolloutConfig m_config;
    FleetListener* m_listener;
    std::vector<std::shared_ptr<const QByteArray>> m_images;
    std::unique_ptr<SeededOtaSigner> m_signer;    // client.requireSignature: the trusted signer
    std::shared_ptr<const QByteArray> m_wrongKeyImage;   // built by wrongKeyImage()
    QString m_baseDir;
    std::unique_ptr<RadioChannel> m_channel;
    ZigbeeOutageLoss* m_outage = nullptr;        // the channel's loss model (owned by it)
    std::unique_ptr<ZigbeeNetwork> m_network;
    std::unique_ptr<OtaServerHost> m_server;
    std::vector<std::unique_ptr<OtaDevice>> m_devices;
    std::unique_ptr<ZigbeeFaults> m_faults;
    std::vector<std::uint32_t> m_deviceOfNode;   // NodeId → device index (UINT32_MAX: none)
    std::vector<FleetPhase> m_phase;             // per device, neutral
    std::vector<SimTime> m_phaseSince;
    std::vector<FleetNodeInfo> m_nodes;
    int m_notifyImageId = 0;                     // image announced by Image Notify
    bool m_heldForRollout = false;
    DevicePreset m_preset;
    QString m_batteryName;
    double m_batteryJoules = 0;
    double m_batteryMah = 0;
    double m_batteryVolts = 0;
};

// The Zigbee family's builder (called from sim/fleet/families.cpp). Errors name the
// field below ctx.field ("$.topology.nodes[3].parent" style, as the loader does).
Result<std::unique_ptr<Fleet>> buildZigbeeFleet(const RolloutConfig& config, const FleetBuildContext& ctx);

} // namespace otalab::sim
