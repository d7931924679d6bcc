// SPDX-License-Identifier: Apache-2.0
// Internals of SwUpdateDevice shared by its source files (swupdate_device.cpp: dispatch,
// boot, timers; swupdate_device_server.cpp: the CoAP resources; swupdate_device_steps.cpp:
// isac / isvv / upgrade). Not a public API.
#pragma once

#include "core/ocf/coap_blockwise.h"
#include "core/ocf/coap_observe.h"
#include "core/ocf/ocf_purl.h"
#include "core/ocf/swupdate_device.h"

#include <deque>
#include <map>
#include <optional>

namespace otalab::core::ocf {

// The step running now (one at a time).
enum class SwUpdateOperation : std::uint8_t { None, Check, Download };

// A CON request's answer kept for deduplication (RFC 7252 §4.5).
struct SwUpdateAnswered {
    CoapPeer peer;
    std::uint16_t messageId = 0;
    std::optional<CoapMessage> response;   // nullopt: it was answered by nothing (empty)
};

struct SwUpdateDevice::Impl {
    // --- messaging
    std::uint16_t nextMessageId = 0;
    std::uint32_t nextToken = 0;
    std::uint64_t jitterState = 0;          // splitmix64 state (seeded from the device id)
    std::deque<SwUpdateAnswered> answered;  // the last kDedupWindow CON requests
    static constexpr std::size_t kDedupWindow = 32;

    // --- observe (RFC 7641) on /oc/swu
    ObserverList observers;                 // keyed by peerKey()
    std::map<QString, CoapPeer> observerPeers;
    std::uint32_t notificationsSent = 0;
    // CON notifications not yet acknowledged: key "peer|token hex" → (message id, sent at).
    // One older than MAX_TRANSMIT_WAIT when the next notification is due ends the
    // observation (RFC 7641 §4.5: the client is gone).
    std::map<QString, std::pair<std::uint16_t, qint64>> unackedNotifications;
    static constexpr qint64 kMaxTransmitWaitMs = 93'000;   // RFC 7252 §4.8.2
    qint64 lastNowMs = 0;                   // the clock of the last input (for the above)

    // --- the step in progress
    SwUpdateOperation operation = SwUpdateOperation::None;
    bool upgradeAfterValidation = false;    // the step is an "upgrade": apply once valid
    std::optional<BlockwiseGet> download;
    CoapPeer server;
    QByteArray downloadToken;
    std::uint16_t downloadMessageId = 0;
    QString downloadPurl;                   // the purl the stored bytes came from
    std::uint64_t bytesStored = 0;
    std::optional<std::uint64_t> imageBytes;
    QByteArray etag;
    bool validated = false;
    bool halted = false;                    // a flash write failed (power cut): wait for boot()

    // --- the action scheduled at updatetime (Apply timer)
    bool applyArmed = false;

    std::uint16_t takeMessageId() { return nextMessageId++; }
    static QString peerKey(const CoapPeer& peer) { return peer.host + QLatin1Char(':') + QString::number(peer.port); }
    QByteArray takeToken();
    double jitter();
};

} // namespace otalab::core::ocf
