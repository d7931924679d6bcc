// SPDX-License-Identifier: Apache-2.0
// OCF family links and presets.
//
// Thread (IEEE 802.15.4-2006 §6.5 O-QPSK 2.4 GHz): 250 kbit/s = 32 µs per byte; SHR + PHR
//   6 bytes; aMaxPHYPacketSize 127 bytes of PSDU. MAC data frame as Thread sends it: frame
//   control 2 + sequence 1 + PAN id 2 + short destination 2 + short source 2, auxiliary
//   security header 6 (key id mode 1), MIC-32 4, FCS 2 = 21 bytes, so 106 bytes of 6LoWPAN
//   per frame. 6LoWPAN (RFC 4944 §5.3): a datagram that does not fit one frame is cut in a
//   FRAG1 (4-byte header) and FRAGNs (5-byte header), fragment payloads multiples of 8 bytes
//   of the uncompressed datagram; IPHC + NHC-UDP (RFC 6282) compress the 48 bytes of IPv6 +
//   UDP header to ≈ 20 bytes towards an off-mesh server (inline destination). A 1 KiB
//   Block2 response (≈ 1,040 bytes of CoAP) is 12 frames. CSMA-CA (§7.5.1.4): initial
//   backoff uniform 0..2^macMinBE−1 (BE 3) unit periods of 320 µs (mean 1.12 ms), CCA 128 µs,
//   turnaround 192 µs, ACK 11 bytes (0.352 ms) after aTurnaroundTime; macMaxFrameRetries 3.
//   A sleepy end device receives through its parent's indirect queue: the parent holds a
//   frame until the child's next data request (poll); OpenThread lets the application set
//   the poll period (otLinkSetPollPeriod) and polls faster while it awaits a response.
// nrf52840-thread-sed — Nordic nRF52840 Product Specification v1.7 at 3 V with the DC/DC:
//   radio TX 0 dBm 4.8 mA, RX (IEEE 802.15.4) 4.6 mA; System ON, full RAM retention, RTC
//   running ≈ 3 µA; CPU 64 MHz from flash ≈ 3.3 mA; NVMC page erase 85 ms per 4 KiB, word
//   write 41 µs (42 ms per 4 KiB) at ≈ 7 mA; one data poll ≈ 2.5 ms awake at ≈ 5 mA (data
//   request + ACK with frame pending + guard). SHA-256 on CryptoCell-310 ≈ 8 MB/s, Ed25519
//   verify ≈ 50 ms, reset + MCUboot + application ≈ 0.3 s.
// esp32-wifi — ESP32-WROOM-32 figures of sim/jobs/jobspreset.cpp (datasheet v3.4): TX 240 mA,
//   RX 100 mA, active between frames 30 mA, light sleep 0.8 mA, DTIM beacon 2 ms at 100 mA
//   every 307.2 ms (DTIM 3), CPU 50 mA, SPI flash 45 ms erase + 6.4 ms program per 4 KiB at
//   15 mA, SHA 20 MB/s, 0.6 s reboot; Wi-Fi latency / throughput / loss of jobslink.cpp
//   (15 ms one-way, 4 Mbit/s, 0.1 % loss).
// MCUboot swap-move (docs/design.md "swap using move"): each sector of the primary slot is
//   moved up one sector, then swapped with the secondary: ≈ 3 erase + program cycles per 4 KiB.
#include "sim/ocf/ocflink.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

constexpr int kMaxPsdu = 127;
constexpr int kMacOverhead = 21;
constexpr int kSixlowpanPerFrame = kMaxPsdu - kMacOverhead;   // 106
constexpr int kCompressedHeaders = 20;                        // IPHC + NHC-UDP, off-mesh destination
constexpr int kUncompressedHeaders = 48;                      // IPv6 40 + UDP 8
constexpr std::int64_t kByteNs = 32'000;                      // 250 kbit/s
constexpr std::int64_t kShrPhrNs = 6 * kByteNs;
constexpr std::int64_t kBackoffMeanNs = 1'120'000;            // 3.5 × 320 µs
constexpr std::int64_t kCcaNs = 128'000;
constexpr std::int64_t kTurnaroundNs = 192'000;
constexpr std::int64_t kAckNs = 11 * kByteNs;

OcfPreset makeThread()
{
    OcfPreset p;
    p.name = QStringLiteral("nrf52840-thread-sed");
    p.module = QStringLiteral("nRF52840 (Thread SED)");
    p.volts = 3.0;
    p.txA = 4.8e-3;
    p.rxA = 4.6e-3;
    p.awakeA = 0;
    p.sleepA = 3.0e-6;
    p.pollA = 5.0e-3;
    p.pollS = 2.5e-3;
    p.cpuA = 3.3e-3;
    p.flashA = 7.0e-3;
    p.flashEraseSPer4K = 0.085;
    p.flashWriteSPer4K = 0.042;
    p.hashBytesPerS = 8e6;
    p.verifyS = 0.050;
    p.bootS = 0.3;
    p.selfTestS = 2.0;
    return p;
}

OcfPreset makeWifi()
{
    OcfPreset p;
    p.name = QStringLiteral("esp32-wifi");
    p.module = QStringLiteral("ESP32-WROOM-32 (Wi-Fi)");
    p.volts = 3.3;
    p.txA = 0.240;
    p.rxA = 0.100;
    p.awakeA = 0.030;
    p.sleepA = 0.8e-3;
    p.pollA = 0.100;
    p.pollS = 0.002;
    p.cpuA = 0.050;
    p.flashA = 0.015;
    p.flashEraseSPer4K = 0.045;
    p.flashWriteSPer4K = 0.0064;
    p.hashBytesPerS = 20e6;
    p.verifyS = 0.060;
    p.bootS = 0.6;
    p.selfTestS = 2.0;
    return p;
}

} // namespace

QString ocfLinkName(OcfLinkKind kind) { return kind == OcfLinkKind::Thread ? QStringLiteral("thread") : QStringLiteral("wifi"); }

const OcfPreset& ocfPreset(OcfLinkKind kind)
{
    static const OcfPreset thread = makeThread();
    static const OcfPreset wifi = makeWifi();
    return kind == OcfLinkKind::Thread ? thread : wifi;
}

double ocfSwapSeconds(const OcfPreset& p, std::uint64_t bytes)
{
    const double sectors = std::ceil(double(bytes) / 4096.0);
    return sectors * 3.0 * (p.flashEraseSPer4K + p.flashWriteSPer4K);
}

ThreadFraming threadFraming(int coapBytes)
{
    ThreadFraming f;
    if (kCompressedHeaders + coapBytes <= kSixlowpanPerFrame) {
        f.frames = 1;
        f.psduBytes = kMacOverhead + kCompressedHeaders + coapBytes;
        return f;
    }
    // FRAG1 carries the compressed headers and the first payload bytes such that the
    // uncompressed offset of the next fragment is a multiple of 8.
    const int firstRoom = kSixlowpanPerFrame - 4 - kCompressedHeaders;
    const int first = ((kUncompressedHeaders + firstRoom) / 8) * 8 - kUncompressedHeaders;
    const int nextRoom = ((kSixlowpanPerFrame - 5) / 8) * 8;   // 96
    const int rest = std::max(0, coapBytes - first);
    const int more = (rest + nextRoom - 1) / nextRoom;
    f.frames = 1 + more;
    f.psduBytes = kMacOverhead + 4 + kCompressedHeaders + std::min(first, coapBytes) + more * (kMacOverhead + 5) + rest;
    return f;
}

std::int64_t threadAirtimeNs(int psduBytes) { return kShrPhrNs + std::int64_t(psduBytes) * kByteNs; }

std::int64_t threadFrameNs(int psduBytes)
{
    return kBackoffMeanNs + kCcaNs + kTurnaroundNs + threadAirtimeNs(psduBytes) + kTurnaroundNs + kAckNs;
}

double threadDatagramLoss(int frames, int hops, double frameLoss)
{
    if (!(frameLoss > 0))
        return 0;
    const double frameGone = frameLoss * frameLoss * frameLoss * frameLoss;
    const double attempts = double(frames) * double(hops);
    if (frameGone * attempts < 1e-4)
        return frameGone * attempts;   // 1 − (1 − q)^n ≈ n·q (relative error < 1e-4)
    return 1.0 - std::pow(1.0 - frameGone, attempts);
}

int wifiWireBytes(int coapBytes)
{
    // 802.11 data header 24 + QoS 2 + CCMP 16 + FCS 4, LLC/SNAP 8, IPv6 40, UDP 8.
    return coapBytes + 24 + 2 + 16 + 4 + 8 + 40 + 8;
}

double ocfJoules(const OcfPreset& p, const OcfEnergyTimes& t, SimTime elapsed, double idlePollS)
{
    const double s = 1e-9;
    double charge = p.txA * double(t.txNs) * s + p.rxA * double(t.rxNs) * s + p.awakeA * double(t.awakeNs) * s +
                    p.cpuA * double(t.cpuNs) * s + p.flashA * double(t.flashNs) * s + p.pollA * p.pollS * double(t.polls);
    const double seconds = std::max(0.0, elapsed.toSeconds());
    charge += p.sleepA * seconds;
    if (idlePollS > 0)
        charge += p.pollA * p.pollS * (seconds / idlePollS);
    return charge * p.volts;
}

} // namespace otalab::sim
