// SPDX-License-Identifier: Apache-2.0
// What the sans-IO OTA machines (OtaServer, OtaClient) ask their host to do.
#pragma once

#include "core/zigbee/zcl_status.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <variant>
#include <vector>

namespace otalab::core::zigbee {

// Zigbee NWK short address of the peer. The OTA payloads travel in APS frames for cluster
// 0x0019; the machines only see and produce the ZCL frame (header + payload).
using NwkAddress = std::uint16_t;
inline constexpr NwkAddress kBroadcastAll = 0xFFFF;          // all devices, sleepy ones included
inline constexpr NwkAddress kBroadcastRxOnWhenIdle = 0xFFFD;  // routers and rx-on end devices
inline bool isBroadcast(NwkAddress a) { return a >= 0xFFF8; }

// Host-opaque timer identity; each machine documents its values.
using OtaTimerId = std::uint32_t;

// Transmit `frame` (a complete ZCL frame for cluster 0x0019) to `destination` at the
// absolute time `at` (ms of the caller's clock; ≥ the `now` of the call that produced it).
struct SendFrame {
    NwkAddress destination = 0;
    std::int64_t at = 0;
    std::uint8_t commandId = 0;  // for traces and views; the frame carries it too
    QByteArray frame;
};

// Call onTimer(t, id) at absolute time `at` (ms). Arming an armed id moves it.
struct ArmTimer {
    OtaTimerId id = 0;
    std::int64_t at = 0;
};
struct CancelTimer {
    OtaTimerId id = 0;
};

// Client only: restart into the downloaded image. When the host sees this the client has
// already made `newFileVersion` its CurrentFileVersion; the host models boot time, if any.
struct Reboot {
    std::uint32_t oldFileVersion = 0;
    std::uint32_t newFileVersion = 0;
};

// Client ImageUpgradeStatus (attribute 0x0006) values, ZCL §11.10.
enum class ImageUpgradeStatus : std::uint8_t {
    Normal = 0x00,
    DownloadInProgress = 0x01,
    DownloadComplete = 0x02,
    WaitingToUpgrade = 0x03,
    CountDown = 0x04,
    WaitForMore = 0x05,
    WaitingToUpgradeViaExternalEvent = 0x06,
};
QString imageUpgradeStatusName(ImageUpgradeStatus s);

// Client state change for timelines and the GUI: ImageUpgradeStatus from → to, with the
// reason (empty for ordinary progress; the failure text otherwise, e.g. "block request at
// offset 1200 unanswered after 10 retries").
struct StateChanged {
    std::int64_t at = 0;
    ImageUpgradeStatus from = ImageUpgradeStatus::Normal;
    ImageUpgradeStatus to = ImageUpgradeStatus::Normal;
    QString reason;
};

// Metrics and notable moments. `peer` is the other end (the client's address on the
// server, the server's on the client). value/offset meanings per kind below.
enum class OtaEventKind : std::uint8_t {
    QueryAnswered,       // server: status in `status`, offered file version in `value`
    DownloadStarted,     // first block of an image served / requested; value = image size
    BlockServed,         // server: offset, value = data bytes
    BlockReceived,       // client: offset, value = data bytes
    WaitForDataSent,     // server: value = delay in ms until requestTime
    WaitForDataReceived, // client: value = wait in ms
    RequestTimedOut,     // client: offset, value = retry number (1-based)
    DownloadFailed,      // client/server: status, detail
    DownloadComplete,    // client: value = image size
    ImageVerified,       // client: status SUCCESS or INVALID_IMAGE, detail
    UpgradeEndReceived,  // server: status from the client, value = file version
    UpgradeScheduled,    // client: value = delay in ms (-1 = wait for the server)
    SessionExpired,      // server: client silent for the session timeout
    FileInstalled,       // client: a device-specific file (0xFFC0..0xFFC2) was accepted; value = file version
    MalformedFrame,      // either side: detail = decode error
};
QString otaEventKindName(OtaEventKind k);

struct OtaEvent {
    std::int64_t at = 0;
    OtaEventKind kind = OtaEventKind::QueryAnswered;
    NwkAddress peer = 0;
    ZclStatus status = ZclStatus::Success;
    std::uint32_t offset = 0;
    std::int64_t value = 0;
    QString detail;
};

using OtaAction = std::variant<SendFrame, ArmTimer, CancelTimer, Reboot, StateChanged, OtaEvent>;
// Machines append to the caller's vector (so a host can reuse one buffer per step).
using OtaActions = std::vector<OtaAction>;

} // namespace otalab::core::zigbee
