// SPDX-License-Identifier: Apache-2.0
// LorawanCapture: the real LoRaWAN frames of a simulated FUOTA run, as a sniffer at the
// network side sees them, written to a LoRaTap pcap with a Wireshark key table beside it.
//
// The fleet models frames by size only; when a capture is on (otalab-cli run --pcap) the
// fleet calls this class at its frame sites and it builds the bytes with core/lorawan's
// codecs. It never schedules events nor reports to observers: a run with a capture has
// the same fingerprint as one without. No capture, no cost (the fleet holds a null pointer).
//
// What is captured (one pcap record per transmission, timestamped in virtual time, the
// file in time order):
//  - every uplink some gateway heard, once (the network server's view after
//    de-duplication), stamped at the end of reception (the packet forwarder's "RX
//    finished" time) with the RSSI/SNR at the best gateway that heard it;
//  - every unicast downlink a gateway sent (RX1 or RX2), stamped at its start, with the
//    link's downlink SNR at the device;
//  - every multicast frame each gateway sent, stamped at its start, with the mean
//    downlink SNR of the devices that gateway serves.
//  - with faults.forgedFragments, the attacker's frame just before the gateway's: the same
//    McAddr and counter, a valid multicast MIC, wrong data (the complement of the real
//    fragment) — what a sniffer near the gateway hears.
// Not captured: class B beacons (no LoRaWAN data frame).
//
// Keys and addresses (test-only, derived from a fixed demo root key so every run of a
// scenario lists the same keys; never use them on a real network):
//   DevAddr(i)   = 0x26000001 + node id of device i (NwkID 0x13, TTN-style prefix)
//   NwkSKey(i)   = AES128(root, 01 | DevAddr LE | 00×11)
//   AppSKey(i)   = AES128(root, 02 | DevAddr LE | 00×11)
//   GenAppKey(i) = AES128(root, 03 | DevAddr LE | 00×11)
//   McAddr       = 0x26FFFFFE − the fleet's first node id (fleets of one scenario differ),
//   McKey        = AES128(root, 10 | McAddr LE | 00×11)
// McKey goes to each device encrypted with its McKEKey (TS005: McRootKey from GenAppKey);
// McAppSKey / McNwkSKey follow from McKey and McAddr (multicastsetup.h).
//
// Network time: GPS second kGpsSecondsAtZero at virtual t = 0 (SessionTime, DeviceTime);
// record timestamps are the same instant in Unix time (kUnixSecondsAtZero + t), so a
// frame's time and the GPS times inside the commands agree.
#pragma once

#include "core/common/error.h"
#include "core/lorawan/fragencoder.h"
#include "core/lorawan/keys.h"
#include "core/lorawan/phypayload.h"
#include "sim/kernel/simtime.h"
#include "sim/lorawan/lorawandevice.h"
#include "sim/lorawan/loratapwriter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim {

class LorawanFleet;

// GPS seconds at virtual time 0 (2024-05-17 16:53:02 UTC): network time for TS003/TS005 fields.
inline constexpr std::uint32_t kGpsSecondsAtZero = 1'400'000'000;
// The same instant in Unix seconds: GPS epoch 1980-01-06 is Unix 315,964,800, minus the 18
// leap seconds since (as Wireshark's LoRaWAN dissector converts beacon times).
inline constexpr std::int64_t kUnixSecondsAtZero = std::int64_t(kGpsSecondsAtZero) + 315'964'800 - 18;
// FPort of the sensors' own uplinks (application data).
inline constexpr std::uint8_t kSensorPort = 1;

// The demo root key (test-only) the capture derives every key from; hex, wire order.
inline constexpr const char* kLorawanCaptureRootKeyHex = "0a7a1ab0000000000000000000000004";

// Addresses and keys of one captured fleet (see the file comment for the derivation).
struct LorawanCaptureKeys {
    core::lorawan::AesKey root{};
    std::uint32_t mcAddr = 0;
    core::lorawan::AesKey mcKey{};
    core::lorawan::SessionKeys multicast;        // McNwkSKey / McAppSKey

    static LorawanCaptureKeys derive(const core::lorawan::AesKey& root, std::uint32_t firstNode);
    std::uint32_t devAddr(std::uint32_t node) const { return 0x26000001u + node; }
    core::lorawan::SessionKeys unicast(std::uint32_t devAddr) const;
    core::lorawan::AesKey genAppKey(std::uint32_t devAddr) const;
};

// What a captured uplink carries (one application message per uplink, as the fleet models).
enum class LorawanUplinkKind : std::uint8_t {
    Sensor,             // appPayloadBytes of sensor data on kSensorPort
    Answer,             // the answer to a unicast FUOTA command (McGroupSetupAns, ...)
    AppTime,            // TS003 AppTimeReq
    DataBlockReceived,  // TS004 v2 FragDataBlockReceivedReq (the image MIC result)
};
enum class LorawanDownlinkKind : std::uint8_t {
    Command,            // a unicast FUOTA command (McGroupSetupReq, ...)
    AppTime,            // TS003 AppTimeAns
    DataBlockReceived,  // TS004 v2 FragDataBlockReceivedAns
};

// Radio side of one captured frame.
struct LorawanCaptureRadio {
    SimTime at;                  // record timestamp (see the file comment)
    std::uint32_t frequencyHz = 0;
    int spreadingFactor = 7;
    int bandwidthHz = 125'000;
    double snrDb = 0;            // RSSI written = SNR + the receiver's noise floor at this bandwidth
};

class LorawanCapture {
public:
    // Files it writes into dir: capture-lorawan.pcap and lorawan-keys.uat.
    static constexpr const char* kPcapName = "capture-lorawan.pcap";
    static constexpr const char* kKeysName = "lorawan-keys.uat";

    // Opens both files in `dir` (which must exist) for `fleet` (built, not started) and
    // writes the key table at once. Errors: a file that cannot be written (path named).
    static Result<std::unique_ptr<LorawanCapture>> open(const LorawanFleet& fleet, const QString& dir);
    ~LorawanCapture();

    QStringList files() const { return {m_pcapPath, m_keysPath}; }
    const LorawanCaptureKeys& keys() const { return m_keys; }
    const QByteArray& dataBlock() const { return m_dataBlock; }

    // The data block the capture fragments for `fleet` (plan().imageBytes bytes): the
    // fleet's LorawanDataBlock (raw image, or container around the image or its patch),
    // a signed block's reserved signature bytes as zeros (the run does not sign).
    static QByteArray dataBlockOf(const LorawanFleet& fleet);

    // Frame sites (the fleet calls them only when a capture is on).
    // An uplink of device i heard by some gateway: FCntUp = the device's uplink count − 1.
    // deviceClockErrorS: its clock − network time now (AppTimeReq's DeviceTime).
    void uplink(std::size_t device, LorawanUplinkKind kind, LorawanCommand answer, const LorawanCaptureRadio& radio,
                double deviceClockErrorS);
    // A unicast downlink to device i; clockErrorS: the device's clock error at the
    // AppTimeReq it answers (AppTimeAns's TimeCorrection is its negation, rounded).
    void downlink(std::size_t device, LorawanDownlinkKind kind, LorawanCommand command, const LorawanCaptureRadio& radio,
                  double clockErrorS);
    // Multicast frame n (1-based TS004 frame counter; McFCnt = n) sent by gateway `gateway`.
    void multicast(std::size_t gateway, int n, const LorawanCaptureRadio& radio);
    // The attacker's forged frame n near gateway `gateway` (call it before multicast()).
    void forgedMulticast(std::size_t gateway, int n, const LorawanCaptureRadio& radio);
    // Writes what is buffered and closes the files (also done by the destructor).
    void finish();

    std::uint64_t framesWritten() const { return m_written; }
    // Mean downlink SNR from gateway g to the devices it serves (multicast records).
    double gatewaySnrDb(std::size_t gateway) const;

    // FRMPayload bytes of the real encodings, for the model's sizes (tests): the command
    // as the server sends it and the device's answer.
    // `at`: when it is sent (McClassC/BSessionAns's TimeToStart). Empty for None.
    QByteArray commandPayload(std::size_t device, LorawanCommand command) const;
    QByteArray answerPayload(std::size_t device, LorawanCommand answer, SimTime at) const;
    // The application port of a command/answer: 200, 201 (TS004) or 202.
    static std::uint8_t portOf(LorawanCommand command);

private:
    explicit LorawanCapture(const LorawanFleet& fleet);
    void record(const LorawanCaptureRadio& radio, QByteArray phyPayload);
    void flushBefore(SimTime t);
    const std::array<std::uint8_t, 4>& dataBlockMic(std::size_t device) const;
    std::uint32_t gpsSeconds(SimTime t) const;

    const LorawanFleet& m_fleet;
    LorawanCaptureKeys m_keys;
    QByteArray m_dataBlock;            // the data block without padding
    std::optional<core::lorawan::FragEncoder> m_encoder;
    int m_lastMulticastN = 0;          // frame n's bytes, shared by every gateway sending it
    QByteArray m_lastMulticast;
    QString m_pcapPath;
    QString m_keysPath;
    std::ofstream m_stream;
    std::unique_ptr<lorawan::LoraTapWriter> m_writer;
    std::vector<core::lorawan::SessionKeys> m_unicast;  // per device, derived once
    std::vector<std::uint32_t> m_fCntDown;   // per device: next downlink counter
    mutable std::vector<std::optional<std::array<std::uint8_t, 4>>> m_mic;  // per device, computed once
    std::vector<double> m_gatewaySnr;
    struct Pending {
        LorawanCaptureRadio radio;
        std::uint64_t sequence = 0;
        QByteArray bytes;
    };
    std::vector<Pending> m_pending;    // min-heap on (time, sequence): downlinks wait for earlier uplinks
    std::uint64_t m_sequence = 0;
    std::uint64_t m_written = 0;
    bool m_finished = false;
};

} // namespace otalab::sim
