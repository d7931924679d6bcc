// SPDX-License-Identifier: Apache-2.0
// OtaServerHost: the coordinator's OTA Upgrade server (OtaServer) on the simulated network.
#pragma once

#include "core/zigbee/ota_server.h"
#include "sim/zigbee/otahostbase.h"

#include <QString>

#include <functional>
#include <unordered_map>
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

    // --- Faults (sim/zigbee/zigbeefaults) ---------------------------------------------------
    // The server process crashes now and is back `downFor` later: while down, frames for
    // the OTA cluster find no server (no answer) and its timers are gone; at the restart
    // OtaServer::restart() drops the sessions (RAM) and keeps the images and policies.
    // `onRestart` (may be empty) is called at the restart with the sessions that were lost.
    void crash(SimTime downFor, std::function<void(int lostDownloads)> onRestart);
    bool isDown() const { return m_down; }
    // Attack staging: the next Query Next Image Request from `device` is answered by an
    // attacker impersonating the server (a spoofed answer), once: SUCCESS, offering
    // `offer` (identity, FileVersion, size) instead of what the server would say.
    void forgeNextOffer(std::uint16_t device, const core::zigbee::QueryImageResponse& offer) { m_forged[device] = offer; }

    // --- Rollout gate (sim/fleet/rollout; off until gate() is first called) ---------------
    // Held: the device's job execution is queued, not yet notified. Stopped: the policy
    // ended it (timed out, canceled). A held or stopped device gets NO_IMAGE_AVAILABLE to
    // Query Next Image / Query Device Specific File and ABORT to Image Block / Page
    // Request, answered by this host (the OtaServer never sees those frames, so its
    // session of a stopped device expires at sessionTimeoutMs and frees its download slot;
    // page responses still due to it are dropped); Upgrade End Requests pass (the image is
    // on the device already). Unicast Image Notifies scheduled for it are not sent.
    // `onGated` is told the destination of every such answer, before it is sent.
    enum class Gate : std::uint8_t { Open, Held, Stopped };
    void setGate(std::uint16_t device, Gate gate);
    Gate gate(std::uint16_t device) const;
    void setGatedAnswerCallback(std::function<void(std::uint16_t destination)> onGated) { m_onGated = std::move(onGated); }
    // Image Notify to `destination` now (the rollout released it and the scenario notifies).
    void notifyNow(std::uint16_t destination, int imageId, std::uint8_t payloadType, std::uint8_t jitter);
    std::uint64_t gatedAnswers() const { return m_gatedAnswers; }

private:
    enum OwnKind : std::uint32_t { NotifyDue = kFirstSubclassKind, ReleaseDue, RestartDue };
    // True when the frame was answered for the gate (and must not reach the server).
    bool answerGated(std::uint16_t source, QByteArrayView frame);
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
    bool m_gated = false;
    std::unordered_map<std::uint16_t, Gate> m_gates;  // devices not Open (when m_gated)
    std::function<void(std::uint16_t)> m_onGated;
    std::uint64_t m_gatedAnswers = 0;
    bool m_down = false;
    int m_lostDownloads = 0;
    std::function<void(int)> m_onRestart;
    std::unordered_map<std::uint16_t, core::zigbee::QueryImageResponse> m_forged;
};

} // namespace otalab::sim
