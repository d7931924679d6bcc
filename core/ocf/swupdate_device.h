// SPDX-License-Identifier: Apache-2.0
// SwUpdateDevice: an OCF server's software update, sans-IO — the /oc/swu resource
// (swupdate_resource.h), the pstat tm/cm bits, discovery (/oic/res, /oic/d), Observe on
// /oc/swu, the block-wise download of the image from `purl` (coap_blockwise.h), its
// validation, and the upgrade at `updatetime`. One machine drives the simulator's devices
// (sim/ocf, virtual time) and `otalab-cli target serve --ocf` (app/hw, real UDP).
//
// Steps (IoTivity-Lite oc_swupdate.c; the application callbacks are this machine's):
//   A POST to /oc/swu (IoTivity-Lite swupdate_resource_post) must carry updatetime and purl
//     (an empty purl keeps the stored one when the action is not idle); an updatetime in the
//     past, a read-only or unknown property → 4.06 Not Acceptable. The action then runs AT
//     updatetime (swupdate_execute_action: "now" at once, "none" never, RFC 3339 when the
//     device clock says so — the Apply timer; onClockSet re-arms it). tm bits run at once.
//   action isac (or tm bit 256): state nsa while it GETs block 0 of purl and reads the image
//     header's version; newer than the running one → nv = that version, state stays nsa
//     ("new software available", cm 256); else back to idle, result idle.
//   action isvv (or tm bit 64): state svv while downloading the whole image block-wise
//     (resuming from what the platform already stored) and validating it (platform
//     validate(): signature with the image toolkit, version not lower, security counter);
//     valid → sva (cm 256|64); invalid → idle, result 5 (SVV fail), the slot erased.
//   action upgrade (or tm bit 128): svv + download + validate first when not sva; then
//     state upgrading (cm 256|64|128), platform apply() → DeviceReboot; after boot() with the
//     new image running: state idle, result 1 (success), lastupdate = the device clock, cm 0.
//   (IoTivity-Lite chains isac → isvv → upgrade when the application reports success; this
//   machine stops after each requested step, as the OCF spec's "triggers are not sequenced".)
//   Errors: purl not coap:// → result 7 (unsupported protocol); unparsable → 6 (invalid URL);
//     server never answers / 4.xx 5.xx → 4 (connection fail); image larger than the slot → 3.
//   cm holds the results as IoTivity-Lite's oc_sec_pstat_set_current_mode calls set them; tm
//   is cleared as soon as the step starts (oc_pstat_handle_target_mode).
//   Every state change notifies every observer of /oc/swu (RFC 7641: same token, rising
//   Observe sequence, CON every so often else NON).
//   A POST to /oc/swu or /oic/sec/pstat from a client that is not authorised (config) gets
//   4.01 Unauthorized and changes nothing (reported as DeviceRefused).
// Power: everything the device must keep is committed to the platform (persist()) at each
// state change; after a power cut the host calls boot() with what the platform kept: a
// download resumes at the stored offset, an interrupted apply is the bootloader's (the
// platform says which image runs), user data is the platform's and is never touched here.
//
// Not thread-safe. The platform must outlive the machine.
#pragma once

#include "core/common/error.h"
#include "core/ocf/coap_blockwise.h"
#include "core/ocf/coap_message.h"
#include "core/ocf/swupdate_resource.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::ocf {

// A CoAP peer: where datagrams go and who sent them. `identity`: the authenticated peer
// (an OCF DTLS session's subject uuid; without DTLS the host decides — the simulator uses
// the node's name, the UDP server the source address); empty = anonymous.
struct CoapPeer {
    QString host;            // "127.0.0.1", "fd00::1", a simulator node name
    std::uint16_t port = 5683;
    QString identity;
    friend bool operator==(const CoapPeer&, const CoapPeer&) = default;
};

// What a device keeps in flash across a power cut.
struct SwUpdatePersisted {
    SwUpdateResource resource;         // purl, nv, action, state, result, updatetime, lastupdate
    std::uint64_t bytesStored = 0;     // image bytes the platform holds in its download slot
    std::optional<std::uint64_t> imageBytes;   // Size2 of the image being fetched
    QByteArray etag;                   // of that image (a change restarts at 0)
    bool validated = false;            // the stored image passed validate()
    friend bool operator==(const SwUpdatePersisted&, const SwUpdatePersisted&) = default;
};

// What the platform found in an image (validate() / readHeader()).
struct SwUpdateImageInfo {
    QString version;                   // "2.0.0"
    std::uint32_t securityCounter = 0;
    std::uint64_t sizeBytes = 0;
};

// The device's platform (flash, bootloader, clock-independent): the host implements it.
class SwUpdatePlatform {
public:
    virtual ~SwUpdatePlatform() = default;
    virtual QString runningVersion() const = 0;
    virtual std::uint64_t slotCapacity() const = 0;
    // The image's first bytes (≥ the header) → its version, or why it is not an image.
    virtual Result<SwUpdateImageInfo> readHeader(QByteArrayView firstBytes) const = 0;
    virtual void eraseSlot() = 0;
    // Writes a block at `offset` of the download slot. False: the write did not happen
    // (the power failed — the host's fault injection); the machine stops there.
    virtual bool writeSlot(std::uint64_t offset, QByteArrayView data) = 0;
    virtual std::uint64_t storedBytes() const = 0;
    // The whole stored image: signature by a trusted key, not older than the running one,
    // security counter not lower. Error: the reason the device refuses it.
    virtual Result<SwUpdateImageInfo> validate(std::uint64_t imageBytes) = 0;
    // Marks the stored image for the bootloader; the host reboots the device next.
    virtual void apply() = 0;
    // Commits `record` to flash (called at every state change).
    virtual void persist(const SwUpdatePersisted& record) = 0;
};

struct SwUpdateDeviceConfig {
    QString deviceId;                      // "di": the device uuid
    QString name;                          // "n" in /oic/d
    QStringList authorisedClients;         // identities allowed to POST; empty: anyone
    std::uint8_t blockSzx = 6;             // block size the device asks for (2^(szx+4), 1024 B)
    CoapTransmission transmission;
    std::uint32_t observeConfirmableEvery = 5;   // every n-th notification is CON (RFC 7641 §4.5)
};

// --- outputs -----------------------------------------------------------------------
enum class SwUpdateTimer : std::uint8_t { Request, Apply };
struct DeviceSend { CoapPeer to; CoapMessage message; };   // typed: host encodes (encodedSize to cost it)
struct DeviceArmTimer { SwUpdateTimer timer; std::uint64_t delayMs = 0; };   // monotonic; re-arming moves it
struct DeviceCancelTimer { SwUpdateTimer timer; };
struct DeviceStateChanged { SwUpdateState from; SwUpdateState to; SwUpdateResult result; QString why; };
struct DeviceProgress { std::uint64_t stored = 0; std::optional<std::uint64_t> total; };
struct DeviceReboot {};                                    // apply() was called: restart; then boot()
struct DeviceRefused { CoapPeer from; QString reason; };   // a request or an image refused (why, in words)
using DeviceAction = std::variant<DeviceSend, DeviceArmTimer, DeviceCancelTimer, DeviceStateChanged,
                                  DeviceProgress, DeviceReboot, DeviceRefused>;
using DeviceActions = std::vector<DeviceAction>;

class SwUpdateDevice {
public:
    SwUpdateDevice(SwUpdateDeviceConfig config, SwUpdatePlatform& platform);

    // Power on. `kept`: what the platform's flash held (nullopt: factory fresh). A download
    // in svv resumes at kept.bytesStored; `upgrading` with the new image now running ends
    // in success; with the old one running (reverted) in result 8. `nowMsUtc`: device clock.
    void boot(qint64 nowMsUtc, const std::optional<SwUpdatePersisted>& kept, DeviceActions& out);
    // A CoAP message arrived (the host decoded it; onDatagram decodes bytes and answers a
    // malformed CON with RST as RFC 7252 §4.2 says).
    void onMessage(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& message, DeviceActions& out);
    void onDatagram(qint64 nowMsUtc, const CoapPeer& from, QByteArrayView datagram, DeviceActions& out);
    void onTimer(qint64 nowMsUtc, SwUpdateTimer timer, DeviceActions& out);
    // The device's wall clock was set (a clock jump): a pending updatetime is re-armed.
    void onClockSet(qint64 nowMsUtc, DeviceActions& out);

    const SwUpdateResource& resource() const { return m_resource; }
    const Pstat& pstat() const { return m_pstat; }
    SwUpdatePersisted persisted() const;
    int observerCount() const;

private:
    struct Impl;   // swupdate_device_impl.h
    // swupdate_device_server.cpp: the resources (nullopt: no answer, e.g. a multicast
    // discovery that matches nothing).
    std::optional<CoapMessage> answerRequest(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& request,
                                             DeviceActions& out);
    CoapMessage answerSwUpdate(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& request, DeviceActions& out);
    CoapMessage answerPstat(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& request, DeviceActions& out);
    std::optional<CoapMessage> answerDiscovery(const CoapMessage& request);
    CoapMessage answerDevice(const CoapMessage& request);
    bool authorised(const CoapPeer& from) const;
    // swupdate_device_steps.cpp: isac / isvv / upgrade (IoTivity-Lite oc_swupdate_perform_action).
    void performAction(qint64 nowMsUtc, SwUpdateAction action, DeviceActions& out);
    void startDownload(qint64 nowMsUtc, DeviceActions& out);
    void onDownloadResponse(qint64 nowMsUtc, const CoapMessage& response, DeviceActions& out);
    void onDownloadStep(qint64 nowMsUtc, BlockwiseGet::Step step, DeviceActions& out);
    void onImageComplete(qint64 nowMsUtc, DeviceActions& out);
    void applyImage(qint64 nowMsUtc, DeviceActions& out);
    void endStep(SwUpdateState state, SwUpdateResult result, const QString& why, DeviceActions& out);
    // swupdate_device.cpp
    void setState(SwUpdateState state, SwUpdateResult result, const QString& why, DeviceActions& out);
    void notifyObservers(DeviceActions& out);
    void persist();
    void scheduleAction(qint64 nowMsUtc, DeviceActions& out);
    void send(const CoapPeer& to, CoapMessage message, DeviceActions& out);

    SwUpdateDeviceConfig m_config;
    SwUpdatePlatform& m_platform;
    SwUpdateResource m_resource;
    Pstat m_pstat;
    std::shared_ptr<Impl> m_impl;   // download, observers, message ids (see swupdate_device.cpp)
};

} // namespace otalab::core::ocf
