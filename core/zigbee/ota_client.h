// SPDX-License-Identifier: Apache-2.0
// Sans-IO Zigbee OTA Upgrade cluster client: queries, block/page download with timeouts and
// retries, WAIT_FOR_DATA, verification, upgrade timing and reboot.
#pragma once

#include "core/zigbee/ota_client_attributes.h"
#include "core/zigbee/ota_client_config.h"
#include "core/zigbee/ota_client_flash.h"
#include "core/zigbee/ota_cluster_actions.h"
#include "core/zigbee/ota_commands.h"
#include "core/zigbee/zcl_frame.h"

#include <functional>

namespace otalab::core::zigbee {

// Not thread-safe: one thread drives it. No clocks and no I/O: each input carries `now` (ms
// of the caller's clock, non-decreasing); outputs are appended to `out`. The flash must
// outlive the client. Timers are the OtaClient::Timer values; arming an armed id moves it.
//
// ImageUpgradeStatus (attribute 0x0006) transitions, each reported as StateChanged:
//   Normal → DownloadInProgress           Query Next Image / device-specific file response SUCCESS
//   DownloadInProgress → DownloadComplete  all bytes received and the image verified
//   DownloadInProgress → Normal            INVALID_IMAGE, ABORT from the server, retries exhausted,
//                                          flash error (reason says which)
//   DownloadComplete → CountDown           Upgrade End Response with a future upgrade time
//   DownloadComplete → WaitingToUpgrade    upgrade time 0xFFFFFFFF, or no Upgrade End Response
//   DownloadComplete/WaitingToUpgrade → WaitingToUpgradeViaExternalEvent   activation policy 1
//   CountDown/WaitingToUpgrade → CountDown a later Upgrade End Response with a time
//   DownloadComplete/CountDown/WaitingToUpgrade/ViaExternalEvent → Normal  reboot (Reboot action)
// WaitForMore (multi-part images, REQUIRE_MORE_IMAGE) is not produced by this client.
class OtaClient final {
public:
    enum class Timer : OtaTimerId {
        Query = 1,        // periodic Query Next Image
        NotifyQuery = 2,  // query after an accepted Image Notify
        Response = 3,     // the outstanding request's timeout
        NextBlock = 4,    // MinimumBlockPeriod pacing and WAIT_FOR_DATA retries
        Upgrade = 5,      // upgrade count-down, or the hourly Upgrade End re-ask
    };
    // Uniform 32-bit random numbers (jitter draws). Inject one RNG stream per node.
    using RandomSource = std::function<std::uint32_t()>;

    OtaClient(OtaClientConfig config, OtaFlash& flash, RandomSource random = {});

    const OtaClientConfig& config() const { return m_config; }
    const OtaClientAttributes& attributes() const { return m_attr; }
    ImageUpgradeStatus status() const { return m_attr.imageUpgradeStatus; }
    std::int64_t minimumBlockPeriodMs() const { return minimumBlockPeriodMs_(); }
    int rebootCount() const { return m_reboots; }

    // Arms the first periodic query (config().firstQueryDelayMs after now).
    void start(std::int64_t now, OtaActions& out);
    // A frame (ZCL header + payload, cluster 0x0019) received from `source`.
    void handle(std::int64_t now, NwkAddress source, QByteArrayView frame, OtaActions& out);
    void onTimer(std::int64_t now, OtaTimerId id, OtaActions& out);

    // Query Next Image now (ignored unless idle).
    void queryNow(std::int64_t now, OtaActions& out);
    // Query Device Specific File for `imageType` (0xFFC0..0xFFC2; ignored unless idle). A
    // SUCCESS answer is downloaded and verified like an image; it does not reboot the device.
    void queryDeviceSpecificFile(std::int64_t now, std::uint16_t imageType, std::uint32_t currentFileVersion, OtaActions& out);
    // Out-of-band activation (UpgradeActivationPolicy 1, or any time a verified image waits).
    void applyNow(std::int64_t now, OtaActions& out);

    // What the download slot's storage keeps across a reboot: the file being downloaded and
    // how many of its bytes are stored (EmberZNet's ota-storage "temp data").
    struct StoredDownload {
        std::uint16_t manufacturerCode = 0;
        std::uint16_t imageType = 0;
        std::uint32_t fileVersion = 0;
        std::uint32_t size = 0;     // total image size
        std::uint32_t offset = 0;   // bytes stored, from offset 0
    };
    // Called on a fresh client after a reboot, instead of start(): as EmberZNet's ota-client
    // at init (determineDownloadFileStatus): a partial file in storage is continued from its
    // offset without a new query (Image Block Request at `offset`, the slot not erased); a
    // complete one is verified again and reported with Upgrade End Request. The periodic
    // query is armed as start() does for when the download ends.
    void resumeDownload(std::int64_t now, const StoredDownload& stored, OtaActions& out);

    // Attribute writes allowed from the network or the host.
    void setUpgradeActivationPolicy(std::uint8_t v) { m_attr.upgradeActivationPolicy = v; }
    void setUpgradeTimeoutPolicy(std::uint8_t v) { m_attr.upgradeTimeoutPolicy = v; }

private:
    enum class Phase { Idle, Querying, Downloading, AwaitingUpgradeEnd, Waiting, CountDown, External };
    struct Target {
        std::uint16_t manufacturerCode = 0;
        std::uint16_t imageType = 0;
        std::uint32_t fileVersion = 0;
        std::uint32_t size = 0;
        std::uint16_t stackVersion = 0;
        bool deviceSpecific = false;
    };

    void onQueryResponse(std::int64_t now, const QueryImageResponse& rsp, bool deviceSpecific, OtaActions& out);
    void onBlockResponse(std::int64_t now, const ImageBlockResponse& rsp, OtaActions& out);
    void onUpgradeEndResponse(std::int64_t now, const UpgradeEndResponse& rsp, OtaActions& out);
    void onImageNotify(std::int64_t now, NwkAddress source, const ImageNotify& n, OtaActions& out);
    void onResponseTimeout(std::int64_t now, OtaActions& out);

    void sendQuery(std::int64_t now, OtaActions& out);
    void sendBlockRequest(std::int64_t now, OtaActions& out);
    void scheduleNextBlock(std::int64_t now, OtaActions& out);
    void finishDownload(std::int64_t now, OtaActions& out);
    void sendUpgradeEnd(std::int64_t now, ZclStatus status, OtaActions& out);
    void enterWaiting(std::int64_t now, const QString& reason, OtaActions& out);
    void apply(std::int64_t now, const QString& reason, OtaActions& out);
    void failDownload(std::int64_t now, const QString& reason, ZclStatus endStatus, bool tellServer, OtaActions& out);
    void resend(std::int64_t now, OtaActions& out);

    void send(std::int64_t now, std::uint8_t commandId, const QByteArray& payload, OtaActions& out);
    void arm(OtaActions& out, Timer t, std::int64_t at) { out.push_back(ArmTimer{OtaTimerId(t), at}); }
    void cancel(OtaActions& out, Timer t) { out.push_back(CancelTimer{OtaTimerId(t)}); }
    void setStatus(std::int64_t now, ImageUpgradeStatus to, const QString& reason, OtaActions& out);
    void event(OtaActions& out, std::int64_t now, OtaEventKind kind, ZclStatus status = ZclStatus::Success, std::uint32_t offset = 0,
               std::int64_t value = 0, QString detail = {}) const;
    std::int64_t minimumBlockPeriodMs_() const { return zigbee::minimumBlockPeriodMs(m_attr.minimumBlockPeriod, m_config.clusterRevision); }
    std::uint32_t random() { return m_random(); }

    OtaClientConfig m_config;
    OtaFlash& m_flash;
    RandomSource m_random;
    OtaClientAttributes m_attr;
    Phase m_phase = Phase::Idle;
    Target m_target;
    std::uint8_t m_tsn = 0;
    std::uint8_t m_lastCommand = 0;          // outstanding request (for resend)
    QByteArray m_lastPayload;
    int m_retries = 0;                       // consecutive timeouts of the outstanding request
    std::int64_t m_lastBlockRequestAt = -1;  // for MinimumBlockPeriod pacing
    std::uint32_t m_pageEnd = 0;             // page mode: end of the page asked for
    int m_unansweredUpgradeEnds = 0;
    std::int64_t m_lastUpgradeEndAt = 0;     // when the last Upgrade End Request left (re-ask period base)
    bool m_queryDeviceSpecific = false;      // the outstanding query is 0x08, not 0x01
    int m_reboots = 0;
};

} // namespace otalab::core::zigbee
