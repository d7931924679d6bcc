// SPDX-License-Identifier: Apache-2.0
// FuotaServerFrames: the frames a FUOTA server (ChirpStack v4 applayer/fuota flow) sends
// for one campaign to a list of LoRaWAN 1.0.x devices, and the reading of their uplinks.
// Sans-IO and without a scheduler: the caller decides when each frame goes out (class A
// windows, retries, duty cycle); this class owns the keys, the counters and the bytes.
//
//   unicast, per device (its NwkSKey/AppSKey, its own FCntDown, +1 per frame built):
//     McGroupSetupReq (McKey encrypted with the device's McKEKey from its GenAppKey),
//     FragSessionSetupReq (v2: SessionCnt + the device's data-block MIC; v1: the MIC in
//     the Descriptor, see fuotadeviceintegrity.h), McClassCSessionReq / McClassBSessionReq,
//     FragSessionStatusReq, McGroupDeleteReq, FragSessionDeleteReq, and the answers
//     onUplink() queues: AppTimeAns (TS003), FragDataBlockReceivedAns (the device's
//     data block reported without MicError);
//   multicast (McNwkSKey/McAppSKey from McKey and McAddr, McFCnt from minMcFCnt up, +1 per
//     frame): DataFragment n = 1..M+R (FragEncoder), FragSessionStatusReq.
// Nothing here depends on time except AppTimeAns, whose correction is the server's GPS
// time given to onUplink() minus the DeviceTime in the request.
#pragma once

#include "core/common/error.h"
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fec.h"
#include "core/lorawan/fragencoder.h"
#include "core/lorawan/multicastsetup.h"
#include "core/lorawan/packagecommands.h"
#include "core/lorawan/phypayload.h"

#include <QByteArray>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace otalab::core::lorawan {

// One device of the campaign as the network/application server knows it.
struct FuotaEndDeviceKeys {
    std::uint32_t devAddr = 0;
    SessionKeys session;          // NwkSKey / AppSKey
    AesKey genAppKey{};           // McKEKey and DataBlockIntKey root (LoRaWAN 1.0.x)
    std::uint32_t firstFCntDown = 0;  // counter of the first unicast downlink built
};

struct FuotaCampaignFramesConfig {
    QByteArray dataBlock;         // what is multicast: packFuotaImage() output or a raw image
    fragmentation::Version version = fragmentation::Version::V2;
    int fragmentSize = 48;        // FragSize, 1..255 (≤ the multicast DR's max payload − 3)
    std::uint32_t parityFrames = 0;  // R parity frames after the M fragments (redundancyFrames())
    std::uint8_t fragIndex = 0;
    std::uint16_t sessionCnt = 0; // v2
    std::uint32_t descriptor = 0; // v2 (v1: replaced by the MIC)
    std::uint8_t blockAckDelay = 0;
    // Multicast group (TS005).
    std::uint8_t mcGroupId = 0;
    std::uint32_t mcAddr = 0;
    AesKey mcKey{};
    std::uint32_t minMcFCnt = 0;
    std::optional<std::uint32_t> maxMcFCnt;  // default: minMcFCnt + M + R + 255 (status polls, repairs)
    // Multicast session (TS005 McClassCSessionReq, or class B).
    bool classB = false;
    std::uint32_t sessionTimeGps = 0;  // GPS seconds (class B: a multiple of 128)
    std::uint8_t sessionTimeOut = 10;  // class C: 2^n s; class B: 2^n beacon periods
    std::uint8_t pingSlotPeriodicity = 0;  // class B
    std::uint32_t dlFrequencyHz = 869'525'000;
    std::uint8_t dataRate = 0;
};

// What the server learnt from one device's uplinks.
struct FuotaDeviceProgress {
    std::optional<multicastsetup::McGroupSetupAns> groupSetup;
    std::optional<fragmentation::FragSessionSetupAns> fragSetup;
    std::optional<multicastsetup::McSessionAnsFields> session;
    std::optional<fragmentation::FragSessionStatusAns> status;
    std::optional<fragmentation::FragDataBlockReceivedReq> dataBlock;
    bool dataBlockAcknowledged = false;  // a FragDataBlockReceivedAns was queued
    std::optional<multicastsetup::McGroupDeleteAns> groupDelete;
    std::optional<fragmentation::FragSessionDeleteAns> fragDelete;
    std::optional<std::int32_t> lastTimeCorrection;  // AppTimeAns sent (s)
    std::uint32_t uplinks = 0;         // accepted
    std::uint32_t refusedUplinks = 0;  // bad MIC, replay, corrupted payload
    std::optional<std::uint32_t> lastFCntUp;
    std::uint32_t nextFCntDown = 0;
    bool setUp() const  // group, fragmentation session and multicast session all answered OK
    {
        return groupSetup && !groupSetup->idError && fragSetup && fragSetup->ok() && session && !session->hasError();
    }
    bool verified() const { return dataBlock && !dataBlock->micError; }
};

class FuotaServerFrames {
public:
    // Errors: no devices, two devices with one DevAddr, an empty data block or a bad
    // fragment size (FragEncoder::create), more than 16383 frames, a McFCnt window that
    // cannot hold them.
    static Result<FuotaServerFrames> create(FuotaCampaignFramesConfig config, std::vector<FuotaEndDeviceKeys> devices);

    std::size_t deviceCount() const { return m_devices.size(); }
    std::optional<std::size_t> deviceIndex(std::uint32_t devAddr) const;
    const FuotaEndDeviceKeys& device(std::size_t index) const { return m_devices[index]; }
    const FuotaDeviceProgress& progress(std::size_t index) const { return m_progress[index]; }
    const FuotaCampaignFramesConfig& config() const { return m_config; }
    const FragEncoder& encoder() const { return m_encoder; }
    std::uint32_t fragmentCount() const { return m_encoder.fragmentCount(); }             // M
    std::uint32_t frameCount() const { return m_encoder.fragmentCount() + m_config.parityFrames; }  // M + R
    std::uint32_t maxMcFCnt() const { return m_maxMcFCnt; }
    std::uint32_t nextMcFCnt() const { return m_nextMcFCnt; }

    // The commands as sent to device `index` (for tests and traces).
    multicastsetup::McGroupSetupReq groupSetupFor(std::size_t index) const;
    fragmentation::FragSessionSetupReq fragSetupFor(std::size_t index) const;
    DataBlockMic dataBlockMicFor(std::size_t index) const;

    // Unicast PHYPayloads (UnconfirmedDataDown), each consuming one FCntDown of the device.
    Result<QByteArray> mcGroupSetupReq(std::size_t index);
    Result<QByteArray> fragSessionSetupReq(std::size_t index);
    Result<QByteArray> mcSessionReq(std::size_t index);  // McClassCSessionReq or McClassBSessionReq
    Result<QByteArray> fragSessionStatusReq(std::size_t index, bool allParticipants = true);
    Result<QByteArray> fragDataBlockReceivedAns(std::size_t index);
    Result<QByteArray> mcGroupDeleteReq(std::size_t index);
    Result<QByteArray> fragSessionDeleteReq(std::size_t index);
    // Any commands of one port to one device.
    Result<QByteArray> unicast(std::size_t index, std::uint8_t port, const std::vector<PackageCommand>& commands);

    // Multicast PHYPayloads to the group, each consuming one McFCnt: DataFragment frame
    // n (1..M: fragment n, M+k: parity line k; n ≤ 16383), a status poll, any commands.
    Result<QByteArray> dataFragmentFrame(std::uint32_t n);
    Result<QByteArray> multicastStatusReq(bool allParticipants = false);
    Result<QByteArray> multicast(std::uint8_t port, const std::vector<PackageCommand>& commands);

    // One uplink from any device of the campaign: DevAddr looked up, counter and MIC
    // checked, FRMPayload decrypted and parsed, answers recorded in progress(); AppTimeReq
    // and an OK data-block report queue their answers for nextDownlink(). serverGpsS: the
    // server's GPS time when the uplink arrived. Returns the device index and its commands.
    struct Uplink {
        std::size_t device = 0;
        std::uint32_t fCnt = 0;
        std::optional<std::uint8_t> port;
        std::vector<PackageCommand> commands;
    };
    Result<Uplink> onUplink(QByteArrayView phyPayload, std::int64_t serverGpsS);

    bool hasPendingDownlink(std::size_t index) const { return !m_pending[index].empty(); }
    // The queued answers for one device (one port per frame), or nullopt.
    std::optional<QByteArray> nextDownlink(std::size_t index);

private:
    FuotaServerFrames(FuotaCampaignFramesConfig config, std::vector<FuotaEndDeviceKeys> devices, FragEncoder encoder,
                      std::uint32_t maxMcFCnt);

    FuotaCampaignFramesConfig m_config;
    std::vector<FuotaEndDeviceKeys> m_devices;
    std::vector<FuotaDeviceProgress> m_progress;
    std::vector<std::deque<PackageCommand>> m_pending;
    FragEncoder m_encoder;
    SessionKeys m_mcKeys;
    std::uint32_t m_maxMcFCnt = 0;
    std::uint32_t m_nextMcFCnt = 0;
};

} // namespace otalab::core::lorawan
