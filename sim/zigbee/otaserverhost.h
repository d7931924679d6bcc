// SPDX-License-Identifier: Apache-2.0
// OtaServerHost: the coordinator's OTA Upgrade server (OtaServer) on the simulated network.
#pragma once

#include "core/zigbee/ota_server.h"
#include "sim/zigbee/otahostbase.h"

#include <QString>

#include <functional>
#include <vector>

namespace otalab::sim {

// Frames from clients → OtaServer::handle; its actions run through OtaHostBase.
// Image Notify and delayed upgrade releases are scheduled with scheduleNotify() /
// scheduleRelease(). A frame the network refuses (e.g. an Image Block Response too
// large for the 127-octet frame) is reported through the refusal callback with the
// destination and the network's error text. Simulation thread only.
class OtaServerHost final : public OtaHostBase {
public:
    using RefusalCallback = std::function<void(std::uint16_t destination, const QString& message)>;

    OtaServerHost(Simulator& sim, ZigbeeNode& node, core::zigbee::OtaServerConfig config);

    core::zigbee::OtaServer& server() { return m_server; }
    void setRefusalCallback(RefusalCallback callback) { m_onRefused = std::move(callback); }

    // Image Notify (image `imageId`, payload type, jitter) to `destination` at `at`.
    void scheduleNotify(SimTime at, std::uint16_t destination, int imageId, std::uint8_t payloadType, std::uint8_t jitter);
    // releaseUpgrade(device, 0 s) at `at` (for devices told to wait with 0xFFFFFFFF).
    void scheduleRelease(SimTime at, std::uint16_t device);

    std::uint64_t framesRefused() const { return m_refused; }

private:
    enum OwnKind : std::uint32_t { NotifyDue = kFirstSubclassKind, ReleaseDue };
    struct NotifyRequest {
        std::uint16_t destination = 0;
        int imageId = 0;
        std::uint8_t payloadType = 0;
        std::uint8_t jitter = 100;
    };
    void onOtaFrame(std::uint16_t source, QByteArrayView frame) override;
    void onOtaTimer(core::zigbee::OtaTimerId id) override;
    void onOtherAction(const core::zigbee::OtaAction& action) override;
    void onSendRefused(std::uint16_t destination, std::uint8_t commandId, const Error& error) override;
    void onOwnEvent(const Event& event) override;

    core::zigbee::OtaServer m_server;
    RefusalCallback m_onRefused;
    std::vector<NotifyRequest> m_notifies;
    std::uint64_t m_refused = 0;
};

} // namespace otalab::sim
