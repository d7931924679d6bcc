// SPDX-License-Identifier: Apache-2.0
// Sans-IO Zigbee OTA Upgrade cluster server: images, per-device policy, notifications,
// block / page responses with throttling and WAIT_FOR_DATA, upgrade end timing.
#pragma once

#include "core/common/error.h"
#include "core/zigbee/ota_cluster_actions.h"
#include "core/zigbee/ota_commands.h"
#include "core/zigbee/ota_server_config.h"
#include "core/zigbee/ota_server_image.h"
#include "core/zigbee/zcl_frame.h"

#include <QByteArray>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace otalab::core::zigbee {

// Not thread-safe: one thread drives it. No clocks, no I/O: every input carries `now`
// (ms of the caller's clock, non-decreasing), every output is an OtaAction appended to
// `out`. Timers: the server arms ids built by pageTimerId()/sessionTimerId() and expects
// onTimer() with the same id at (or after) the armed time.
class OtaServer final {
public:
    explicit OtaServer(OtaServerConfig config = {});

    const OtaServerConfig& config() const { return m_config; }

    // Images. The id is stable until removeImage(). Files are shared, never copied.
    Result<int> addImage(std::shared_ptr<const QByteArray> file);
    void removeImage(int id);
    OtaServerImagePtr image(int id) const;

    // Policy for one device (by NWK address); others use config().defaultPolicy.
    void setDevicePolicy(NwkAddress device, OtaDevicePolicy policy);
    void clearDevicePolicy(NwkAddress device);
    const OtaDevicePolicy& policyFor(NwkAddress device) const;

    // A frame (ZCL header + payload, cluster 0x0019) received from `source`.
    void handle(std::int64_t now, NwkAddress source, QByteArrayView frame, OtaActions& out);
    void onTimer(std::int64_t now, OtaTimerId id, OtaActions& out);

    // Sends Image Notify to a device or a broadcast address (kBroadcastAll, ...). Sent with
    // disable-default-response set. Spec note: unicast notifies should use jitter 100.
    void notify(std::int64_t now, NwkAddress destination, const ImageNotify& payload, OtaActions& out);
    // An Image Notify describing image `id` with the given payload type (0..3) and jitter.
    Result<ImageNotify> notifyPayloadFor(int id, std::uint8_t payloadType, std::uint8_t queryJitter) const;

    // Unsolicited Upgrade End Response to a client that was told to wait (0xFFFFFFFF):
    // apply after `delaySeconds`. Fails when the device never reported a finished download.
    Result<void> releaseUpgrade(std::int64_t now, NwkAddress device, std::uint32_t delaySeconds, OtaActions& out);

    // The server process restarted: its sessions (offers, downloads in progress, pages being
    // sent, finished-download reports) were in RAM and are lost; images and device policies
    // (files and configuration on disk) are kept. Timers armed before are stale: the host
    // drops them (onTimer for an unknown session does nothing).
    void restart()
    {
        m_sessions.clear();
        m_activeDownloads = 0;
        m_nextFreeSlot = 0;
    }

    // Number of clients between their first block request and upgrade end / expiry.
    int activeDownloads() const { return m_activeDownloads; }

    static OtaTimerId pageTimerId(NwkAddress device) { return 0x10000u | device; }
    static OtaTimerId sessionTimerId(NwkAddress device) { return 0x20000u | device; }

    // Zigbee UTC seconds at `now` (config().utcAtZero + now / 1000).
    std::uint32_t utcSeconds(std::int64_t now) const;

private:
    struct Page {
        bool active = false;
        std::uint8_t tsn = 0;
        std::uint32_t nextOffset = 0;
        std::uint32_t endOffset = 0;
        std::uint8_t maxDataSize = 0;
        std::int64_t spacingMs = 0;
        OtaServerImagePtr image;
    };
    struct Session {
        OtaServerImagePtr image;     // offered / being downloaded
        bool downloading = false;    // counted in m_activeDownloads
        bool rateAdvised = false;    // MinimumBlockPeriod already sent
        bool sessionTimerArmed = false;
        std::int64_t lastSeen = 0;
        Page page;
        std::optional<UpgradeEndRequest> finished;  // last SUCCESS Upgrade End Request
    };

    void handleQueryNextImage(std::int64_t now, NwkAddress src, std::uint8_t tsn, const QueryNextImageRequest& req, OtaActions& out);
    void handleQueryDeviceSpecificFile(std::int64_t now, NwkAddress src, std::uint8_t tsn, const QueryDeviceSpecificFileRequest& req, OtaActions& out);
    void handleBlockRequest(std::int64_t now, NwkAddress src, std::uint8_t tsn, const ImageBlockRequest& req, OtaActions& out);
    void handlePageRequest(std::int64_t now, NwkAddress src, std::uint8_t tsn, const ImagePageRequest& req, OtaActions& out);
    void handleUpgradeEnd(std::int64_t now, NwkAddress src, const ZclHeader& h, const UpgradeEndRequest& req, OtaActions& out);

    OtaServerImagePtr selectNextImage(const OtaDevicePolicy& policy, const QueryNextImageRequest& req) const;
    OtaServerImagePtr findImage(const Session* s, std::uint16_t manufacturer, std::uint16_t type, std::uint32_t version,
                                std::optional<std::uint64_t> ieee) const;
    // Common gate for block and page requests: answers ABORT / NO_IMAGE_AVAILABLE /
    // WAIT_FOR_DATA itself and returns nullptr, or returns the image to serve.
    OtaServerImagePtr admitBlock(std::int64_t now, NwkAddress src, std::uint8_t tsn, std::uint16_t manufacturer,
                                 std::uint16_t type, std::uint32_t version, std::uint32_t offset,
                                 std::optional<std::uint64_t> ieee, std::optional<std::uint16_t> clientPeriod, OtaActions& out);
    void sendBlock(std::int64_t at, NwkAddress dst, std::uint8_t tsn, const OtaServerImage& image, std::uint32_t offset,
                   std::uint8_t maxDataSize, OtaActions& out);
    void sendWaitForData(std::int64_t now, NwkAddress dst, std::uint8_t tsn, std::int64_t retryAtMs, OtaActions& out);
    void sendUpgradeEndResponse(std::int64_t now, NwkAddress dst, std::uint8_t tsn, const UpgradeEndRequest& req,
                                std::uint32_t upgradeTime, OtaActions& out);
    void sendFrame(std::int64_t at, NwkAddress dst, std::uint8_t tsn, std::uint8_t commandId, const QByteArray& payload,
                   bool global, OtaActions& out);
    void defaultResponse(std::int64_t now, NwkAddress dst, std::uint8_t tsn, std::uint8_t commandId, ZclStatus status, OtaActions& out);
    Session& touch(std::int64_t now, NwkAddress src, OtaActions& out);
    void startDownloading(std::int64_t now, NwkAddress src, Session& s, OtaActions& out);
    void stopDownloading(Session& s);
    std::int64_t throttled(std::int64_t desired);
    void event(OtaActions& out, std::int64_t now, OtaEventKind kind, NwkAddress peer, ZclStatus status = ZclStatus::Success,
               std::uint32_t offset = 0, std::int64_t value = 0, QString detail = {}) const;

    OtaServerConfig m_config;
    std::vector<OtaServerImagePtr> m_images;  // index = id; nullptr when removed
    std::unordered_map<NwkAddress, OtaDevicePolicy> m_policies;
    std::unordered_map<NwkAddress, Session> m_sessions;
    int m_activeDownloads = 0;
    std::int64_t m_nextFreeSlot = 0;
    std::uint8_t m_tsn = 0;
};

} // namespace otalab::core::zigbee
