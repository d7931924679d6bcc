// SPDX-License-Identifier: Apache-2.0
// FuotaDevice: one LoRaWAN 1.0.x end device running the three FUOTA application
// packages — clock sync (TS003, port 202), remote multicast setup (TS005, port 200) and
// fragmented data block transport (TS004 v1 or v2, port 201) — as a sans-IO machine:
// real PHYPayloads in, real PHYPayloads out, no clock and no radio of its own.
//
// Behaviour follows the reference stacks (LoRaMac-node LmhpClockSync /
// LmhpRemoteMcastSetup / LmhpFragmentation, LoRa Basics Modem's v2 packages) except
// where they are unsafe (see fragdecoder.h) and for seed 004's commit rule: the device
// commits only after its unicast data-block MIC exchange (datablockintegrity.h) and the
// container checks of unpackFuotaImage() (signature, delta base, flash) pass.
//
// Time: every `nowMs` is the device's own clock (its RTC, uncorrected), milliseconds
// since the GPS epoch. The device's network-time estimate is nowMs + the corrections
// received in AppTimeAns; McClassCSessionReq / McClassBSessionReq session times are
// compared with that estimate. Calls must come with non-decreasing nowMs.
//
// States (FuotaDevice::State):
//   Idle          no multicast group
//   GroupSetUp    a group is set up (McGroupSetupReq), no fragmentation session
//   SessionSetUp  a fragmentation session is set up (FragSessionSetupReq), no multicast session
//   InSession     a class C/B multicast session is scheduled; classCWindowOpen() tells
//                 whether the device's clock is inside it (multicast frames are only
//                 heard then)
//   Reassembled   the data block is decoded; its FragDataBlockReceivedReq is queued
//   Verifying     the data-block MIC matched and the report went out; waiting for
//                 FragDataBlockReceivedAns
//   Committed     the server confirmed and unpackFuotaImage() accepted: committedImage()
//   Rejected      the MIC did not match or unpackFuotaImage() refused; nothing committed
//                 (a new FragSessionSetupReq starts again)
// The running image given at construction is never modified.
//
// Refusals never throw and never change what was committed: every one is an Event in
// words ("counter replay: got 7, last 7", "fragment for session index 2, but session 2
// is not set up", ...).
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragsessioncommands.h"
#include "core/lorawan/multicastsetup.h"
#include "core/lorawan/packagecommands.h"
#include "core/lorawan/phypayload.h"

#include <QByteArray>
#include <QString>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::core::lorawan {

struct FuotaDeviceConfig {
    std::uint32_t devAddr = 0;
    SessionKeys session;                 // NwkSKey / AppSKey of the unicast session
    AesKey genAppKey{};                  // McKEKey (TS005) and DataBlockIntKey (TS004 v2) root
    fragmentation::Version fragVersion = fragmentation::Version::V2;  // the TS004 the device implements
    qint64 flashCapacity = 0;            // bytes for the received data block and the new image
    QByteArray runningImage;             // the base of delta images; never modified
    crypto::PKey trustedKey;             // verifies signed containers (null: none)
    bool requireSignature = false;       // refuse raw and unsigned containers
    std::uint32_t firstFCntUp = 0;       // counter of the first uplink
    std::optional<std::uint32_t> lastFCntDown;  // last unicast downlink counter accepted (nullopt: none yet)
    std::uint32_t maxLosses = FragDecoder::kAnyLosses;  // decoder memory budget (l of the TS004 annex)
    std::uint8_t maxDataRate = 7;        // McClass*SessionReq DR above this: DRError
    std::uint32_t minFrequencyHz = 863'000'000;  // McClass*SessionReq frequency outside: FreqError
    std::uint32_t maxFrequencyHz = 870'000'000;
    bool syncClockAtStart = true;        // the first uplink carries AppTimeReq
    int appTimeRetryUplinks = 4;         // AppTimeReq again after this many uplinks without AppTimeAns (0: never)
    int reportRetryUplinks = 4;          // FragDataBlockReceivedReq again after this many uplinks without its Ans (0: never)
    std::size_t maxEvents = 4096;        // the event log keeps the newest this many
    int maxUplinkPayload = 51;           // FRMPayload bytes per uplink (EU868 DR0..2)
};

class FuotaDevice {
public:
    enum class State : std::uint8_t { Idle, GroupSetUp, SessionSetUp, InSession, Reassembled, Verifying, Committed, Rejected };
    static QString stateName(State state);  // "idle", "group set up", ...

    struct Event {
        enum class Kind : std::uint8_t {
            StateChange,  // text: "session set up → in session"
            Command,      // a package command executed ("McGroupSetupReq group 0 McAddr 26ffffff accepted")
            Refusal,      // a frame or command refused, in words
            Uplink,       // an uplink built by nextUplink (its commands)
        };
        qint64 atMs = 0;  // device clock
        Kind kind = Kind::Command;
        QString text;
    };

    // One multicast group as set up by McGroupSetupReq (keys derived on the device).
    struct Group {
        multicastsetup::McGroupSetupReq setup;  // McKey_encrypted as received
        SessionKeys keys;                        // McNwkSKey / McAppSKey
        std::optional<std::uint32_t> lastMcFCnt;
        // The multicast session (McClassCSessionReq / McClassBSessionReq), GPS seconds.
        std::optional<std::int64_t> sessionStartS;
        std::int64_t sessionEndS = 0;             // start + timeout (exclusive)
        bool classB = false;
    };

    // Fails for a flash capacity ≤ 0 or a running image larger than the flash.
    static Result<FuotaDevice> create(FuotaDeviceConfig config);

    FuotaDevice(FuotaDevice&&) noexcept;
    FuotaDevice& operator=(FuotaDevice&&) noexcept;
    ~FuotaDevice();

    // One downlink PHYPayload (unicast to this DevAddr, or multicast to one of its
    // groups): MIC checked with the right keys, counter reconstructed (replays refused),
    // then the FPort's package commands parsed and executed in order. The error says why
    // the frame was refused (also logged as an Event); a frame whose commands are refused
    // one by one (a fragment of an unknown session ...) is accepted as a frame.
    Result<void> onDownlink(QByteArrayView phyPayload, qint64 nowMs);

    // Moves the device's clock (class C window open / closed events). onDownlink and
    // nextUplink call it first.
    void advanceTo(qint64 nowMs);
    // The next device-clock instant at which advanceTo() changes something (a window
    // opening or closing), or nullopt.
    std::optional<qint64> nextTimerMs() const;

    // Whether answers are queued (nextUplink would carry package commands).
    bool hasPendingUplink() const;
    // The next uplink PHYPayload: queued answers of one package port (McGroupSetupAns,
    // FragSessionSetupAns, McClassCSessionAns with TimeToStart, FragSessionStatusAns,
    // AppTimeReq, FragDataBlockReceivedReq ...), or an empty unconfirmed uplink (no FPort)
    // when nothing is queued, which opens the class A receive windows.
    QByteArray nextUplink(qint64 nowMs);

    State state() const { return m_state; }
    bool classCWindowOpen() const;
    const std::vector<Event>& events() const { return m_events; }
    const FuotaDeviceConfig& config() const { return m_config; }
    const QByteArray& runningImage() const { return m_config.runningImage; }
    // The new image (unpacked from the data block): empty until a commit.
    const QByteArray& committedImage() const { return m_committed; }
    // The reassembled data block (container or raw image, padding cut), once decoded.
    const QByteArray& reassembledBlock() const { return m_reassembled; }
    // The last refusal, e.g. for a test or a status line (empty: none).
    QString lastRefusal() const;

    std::optional<Group> group(std::uint8_t mcGroupId) const;
    std::optional<FragDecoder::Status> sessionStatus(std::uint8_t fragIndex) const;
    std::uint32_t nextFCntUp() const { return m_fCntUp; }
    std::optional<std::uint32_t> lastFCntDown() const { return m_lastFCntDown; }
    qint64 clockCorrectionMs() const { return m_correctionMs; }
    std::int64_t networkTimeS(qint64 nowMs) const;  // GPS seconds by the device's corrected clock

private:
    struct Session;
    struct Queued {
        std::uint8_t port = 0;
        PackageCommand command;
    };
    explicit FuotaDevice(FuotaDeviceConfig config);

    // fuotadevice.cpp: frames, state, uplinks
    Result<void> openDownlink(QByteArrayView phyPayload, DataFrame& frame, std::optional<std::uint8_t>& mcGroup);
    void setState(State state, qint64 atMs);
    void log(Event::Kind kind, QString text);
    Error refuse(Error error);
    void queue(std::uint8_t port, PackageCommand command);
    void recomputeSessionState();

    // fuotadevicecommands.cpp: the packages
    void execute(const PackageCommand& command, std::optional<std::uint8_t> viaGroup);
    void onClockSync(const clocksync::Command& command);
    void onMulticastSetup(const multicastsetup::Command& command);
    void onFragmentation(const fragmentation::Command& command, std::optional<std::uint8_t> viaGroup);
    void onFragSessionSetup(const fragmentation::FragSessionSetupReq& req);
    void onDataFragment(const DataFragment& fragment, std::optional<std::uint8_t> viaGroup);
    void onReassembled(std::uint8_t fragIndex);
    void onDataBlockReceivedAns(const fragmentation::FragDataBlockReceivedAns& ans);
    void onMcSessionReq(std::uint8_t groupId, std::uint32_t sessionTime, std::int64_t lengthS, std::uint8_t dataRate,
                        std::uint32_t frequencyHz, bool classB);

    FuotaDeviceConfig m_config;
    State m_state = State::Idle;
    qint64 m_nowMs = 0;
    qint64 m_correctionMs = 0;
    std::uint32_t m_fCntUp = 0;
    std::optional<std::uint32_t> m_lastFCntDown;
    std::array<std::optional<Group>, 4> m_groups;
    std::array<std::unique_ptr<Session>, 4> m_sessions;
    std::optional<std::uint16_t> m_lastSessionCnt;  // v2 SessionCntReplay
    std::uint8_t m_tokenReq = 0;
    bool m_appTimePending = false;  // an AppTimeReq went out, its AppTimeAns not yet in
    int m_uplinksSinceAppTimeReq = 0;
    int m_uplinksSinceReport = 0;
    std::deque<Queued> m_uplinkQueue;
    std::vector<Event> m_events;
    QByteArray m_reassembled;
    QByteArray m_committed;
    std::optional<std::uint8_t> m_verifyingIndex;  // the session whose image is being verified
    bool m_windowOpen = false;
};

} // namespace otalab::core::lorawan
