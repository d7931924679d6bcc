// SPDX-License-Identifier: Apache-2.0
// OtaDevice: a router or sleepy end device hosting one OtaClient, its flash model and energy.
#pragma once

#include "core/zigbee/ota_client.h"
#include "sim/energy/deviceenergy.h"
#include "sim/fleet/faults/faultconfig.h"
#include "sim/kernel/randomstream.h"
#include "sim/zigbee/otaflashmodel.h"
#include "sim/zigbee/otahostbase.h"

#include <QString>

#include <memory>
#include <optional>

namespace otalab::sim {

class OtaDevice;

// Told whenever a device's campaign phase changes (the rollout keeps fleet counters).
class OtaDeviceListener {
public:
    virtual void onDevicePhase(OtaDevice& device) = 0;
    // ImageUpgradeStatus changed, or the device was parked by WAIT_FOR_DATA / resumed
    // (parked()): what a campaign view shows may have changed without a phase change.
    virtual void onDeviceStatus(OtaDevice& device) { static_cast<void>(device); }
    // Faults: the device stored its `writes`-th image block (over its life) in flash; a
    // listener may call requestPowerCut() from here. And: power came back (`what` it did).
    virtual void onDeviceFlashWrite(OtaDevice& device, int writes) { static_cast<void>(device), static_cast<void>(writes); }
    virtual void onDevicePowerOn(OtaDevice& device, const QString& what) { static_cast<void>(device), static_cast<void>(what); }
    // The client refused an offer (Query Next Image Response SUCCESS) of `fileVersion`: `why`.
    virtual void onDeviceOfferRefused(OtaDevice& device, std::uint32_t fileVersion, const QString& why)
    {
        static_cast<void>(device), static_cast<void>(fileVersion), static_cast<void>(why);
    }

protected:
    ~OtaDeviceListener() = default;
};

struct OtaDeviceSettings {
    SimTime pollInterval = SimTime::fromMillis(7'500);  // ZED long poll
    SimTime fastPollInterval = SimTime::fromMillis(250); // ZED poll while downloading; zero = no switch
    SimTime bootTime = SimTime::fromMillis(2'000);      // CPU active after Reboot
    std::uint32_t flashPageBytes = 8'192;
    double flashEraseMsPerPage = 30.0;
    double flashWriteUsPerByte = 10.0;
    std::uint32_t flashCapacity = 16u << 20;
    int maxAttempts = 3;                                 // failed downloads before giving up
    SimTime firstQueryDelay;                             // start(): first Query Next Image after this
};

// Campaign view of one device, kept up to date from the client's actions.
struct OtaDeviceProgress {
    enum class Phase : std::uint8_t { Idle, Downloading, Upgraded, Failed, Refused };
    Phase phase = Phase::Idle;
    std::optional<SimTime> start;        // first Image Block/Page Request
    std::optional<SimTime> finish;       // Reboot into the new version
    std::uint64_t blockRequests = 0;     // Image Block/Page Request frames (re-sends included)
    std::uint64_t retries = 0;           // request timeouts + WAIT_FOR_DATA answers
    int failedAttempts = 0;
    std::uint32_t initialVersion = 0;
    std::uint32_t version = 0;
    QString failureReason;               // last failure (or refusal) reason
    QString lastNetworkError;            // last frame to/from this device the network refused
    double energyAtStart = 0;            // device energy (J) at `start`
    std::optional<double> energyAtFinish;
};

// Event flow: frames for cluster 0x0019 / endpoint 1 → OtaClient::handle; machine
// actions → OtaHostBase (frames, timers) or here (state, events, reboot). A ZED polls
// every fastPollInterval (EmberZNet's short poll) while it expects data — from each
// request it sends (Query Next Image, Image Block/Page, Upgrade End, Query Device
// Specific File) until a server frame arrives or the client's requestTimeoutMs passes
// (EmberZNet's EMBER_AF_WAITING_FOR_ZCL_RESPONSE task) — and for the whole download;
// otherwise every pollInterval (the long poll). A WAIT_FOR_DATA puts it back on the
// long poll until its next block request.
// Flash erase/write drive the CPU power state (FlashErase / FlashWrite for the modelled
// duration, then Sleep); Reboot keeps the CPU Active for bootTime. After Reboot,
// refusal, or maxAttempts failures the client is stopped (the campaign is over for
// this device). StateChanged is reported to the observers as machine
// kOtaStatusMachine. Simulation thread only; must outlive the Simulator's events.
class OtaDevice final : public OtaHostBase, private FlashActivityListener {
public:
    OtaDevice(Simulator& sim, ZigbeeNode& node, const DevicePreset& preset, const SimOtaFlash::ImageList& images,
              core::zigbee::OtaClientConfig clientConfig, const OtaDeviceSettings& settings, OtaDeviceListener* listener);
    ~OtaDevice();

    // Arms the client's first query (after settings.firstQueryDelay). The owner attaches
    // energy() to the node's Mac (Mac::setEnergy).
    void start();
    const OtaDeviceProgress& progress() const { return m_progress; }
    const core::zigbee::OtaClient& client() const { return *m_client; }
    const SimOtaFlash& flash() const { return m_flash; }
    DeviceEnergy& energy() { return m_energy; }
    const DeviceEnergy& energy() const { return m_energy; }
    bool finished() const;
    // Downloading, but told WAIT_FOR_DATA and given no block since (the server's
    // concurrency limit or a minimum block period holds it back; re-asks included).
    bool parked() const { return m_parked; }
    // ImageUpgradeStatus (ZCL attribute 0x0006) right now.
    core::zigbee::ImageUpgradeStatus upgradeStatus() const { return m_client->status(); }
    // Virtual time the device ended Failed/Refused (unset otherwise).
    const std::optional<SimTime>& stoppedAt() const { return m_stoppedAt; }
    // The server could not send a frame to this device (e.g. block too large for a frame).
    void noteNetworkError(const QString& message);

    // --- Rollout policy (ZigbeeFleet's hooks; none is called without a rollout) ---------
    // The server answered this device's latest query NO_IMAGE_AVAILABLE for the rollout
    // gate (queued or stopped execution), not for its policy: the answer is no refusal,
    // the client keeps querying at its query period as a real one does. Cleared by the
    // next query the device sends.
    void noteGatedAnswer() { m_gatedAnswer = true; }
    // The rollout ended this device's execution: a download under way ends at the server's
    // ABORT and the device concludes Failed (as does one between failed attempts); a device
    // that never started stays waiting; one with its image downloaded finishes.
    void stopForRollout();
    // A retry of a Failed device: the client queries again at once, attempts count from 0.
    // False unless the device is Failed (a device stopped but not yet Failed is simply no
    // longer stopped: the server serves it again).
    bool retryForRollout();

    // --- Faults (sim/zigbee/zigbeefaults) --------------------------------------------------
    // The power fails now for `offFor`: RAM is lost (the client machine, its timers, the
    // response it waited for), the node polls and answers nothing (the fleet darkens its
    // links), the CPU draws sleep current only. The download slot keeps what was written and
    // the download's identity and offset (EmberZNet's ota-storage); at power-on the device
    // boots (bootTime) and a new client resumes from the stored offset
    // (OtaClient::resumeDownload), or queries afresh when nothing was being downloaded. A
    // device already final stays final (it boots the version it runs). Ignored while off.
    void powerCut(SimTime offFor);
    // From inside onDeviceFlashWrite: the power fails right after this block is stored,
    // before the client sends anything more.
    void requestPowerCut(SimTime offFor) { m_cutRequested = offFor; }
    bool poweredOff() const { return m_poweredOff; }
    int imageWrites() const { return m_imageWrites; }   // image blocks stored, over its life
    // The image this device will get is bad (a buggy build, validly signed): at its reboot
    // into it, it fails its self-test or does not boot. Zigbee devices on the Gecko
    // bootloader have no second application slot to revert to (see zigbeefaults.h), so the
    // device ends Failed with the reason.
    void setBadImage(std::optional<faults::BadImageVariant> variant) { m_badImage = variant; }
    SimOtaFlash& flashForFaults() { return m_flash; }

private:
    enum OwnKind : std::uint32_t { CpuDone = kFirstSubclassKind, Started, ResponseWaitOver, PowerOn };
    void onOtaFrame(std::uint16_t source, QByteArrayView frame) override;
    void onOtaTimer(core::zigbee::OtaTimerId id) override;
    void onOtherAction(const core::zigbee::OtaAction& action) override;
    void onSendRefused(std::uint16_t destination, std::uint8_t commandId, const Error& error) override;
    // APS ACKs on (network.aps.ack): a send the APS layer gave up on (NwkDropReason::ApsNoAck)
    // becomes the last network error, named in the failure reason like a refused send.
    void onSendDone(const ApsSendResult& result) override;
    void onSendAction(const core::zigbee::SendFrame& send) override;
    void onOwnEvent(const Event& event) override;
    void onFlashErase(std::uint32_t bytes) override;
    void onFlashWrite(std::uint32_t bytes) override;

    void onStatus(const core::zigbee::StateChanged& change);
    void onEvent(const core::zigbee::OtaEvent& event);
    void cpuBusy(CpuState state, SimTime duration);
    void stopClient(OtaDeviceProgress::Phase phase);
    void setFastPolling(bool on);
    void updatePolling();
    void expectResponse(bool on);
    void setPhase(OtaDeviceProgress::Phase phase);
    void onPowerOn();
    void onReboot(const core::zigbee::Reboot& reboot);

    OtaDeviceSettings m_settings;
    OtaDeviceListener* m_listener;
    DeviceEnergy m_energy;
    RandomStream m_rng;
    SimOtaFlash m_flash;
    core::zigbee::OtaClientConfig m_clientConfig;     // to build the client again after a power cut
    std::optional<core::zigbee::OtaClient> m_client;  // RAM: rebuilt at power-on
    OtaDeviceProgress m_progress;
    Timer m_cpuTimer;
    SimTime m_cpuBusyUntil;
    DeadlineTimer m_responseWait;  // short polling for an expected response ends at its deadline
    bool m_downloadFastPoll = false;  // download in progress (and not parked by WAIT_FOR_DATA)
    bool m_expectingResponse = false;
    bool m_stopped = false;
    bool m_parked = false;
    bool m_gatedAnswer = false;      // the last query was answered for the rollout gate
    bool m_rolloutStopped = false;   // the rollout ended this device's execution
    std::optional<SimTime> m_stoppedAt;
    // Faults.
    bool m_poweredOff = false;
    std::optional<SimTime> m_cutRequested;
    std::optional<core::zigbee::OtaClient::StoredDownload> m_stored;
    std::uint64_t m_powerGeneration = 0;
    int m_imageWrites = 0;
    std::optional<faults::BadImageVariant> m_badImage;
    void setParked(bool parked);
};

} // namespace otalab::sim
