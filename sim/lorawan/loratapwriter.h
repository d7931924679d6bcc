// SPDX-License-Identifier: Apache-2.0
// LoraTapWriter: LoRa frames to a libpcap file with LoRaTap v0 headers (link type 270).
#pragma once

#include "sim/kernel/simtime.h"

#include <QByteArrayView>

#include <cstdint>
#include <iosfwd>

namespace otalab::sim::lorawan {

// Radio metadata of one captured frame.
struct LoraTapInfo {
    std::uint32_t frequencyHz = 0;
    int bandwidthHz = 125'000; // written in 125 kHz units (125 → 1, 250 → 2, 500 → 4)
    int spreadingFactor = 7;
    double rssiDbm = 0.0;      // packet RSSI
    double snrDb = 0.0;
    std::uint8_t syncWord = 0x34; // 0x34 = LoRaWAN public network
};

// Writes a classic libpcap file: global header (magic 0xA1B2C3D4, µs timestamps, version
// 2.4, snaplen 65535, network 270 = LINKTYPE_LORATAP), then one record per write():
// ts_sec, ts_usec (virtual time truncated to µs), incl_len = orig_len = 15 + payload, then
// the LoRaTap v0 header (github.com/eriknl/LoRaTap; all multi-byte fields big-endian):
//   u8 version 0, u8 padding 0, u16 length 15,
//   u32 frequency (Hz), u8 bandwidth (125 kHz units), u8 SF,
//   u8 packet_rssi  (RSSI = −139 + v, dBm, clamped to −139..116: how Wireshark 4.0 reads it
//                    whatever the SNR; LoRaTap's README gives −139 + v/4 for SNR < 0, an
//                    SX1276 register rule no dissector applies),
//   u8 max_rssi     (−139 + v; the packet RSSI again),
//   u8 current_rssi (−139 + v; the channel's background: RSSI − SNR, the noise),
//   u8 snr          (two's complement, quarter dB; Wireshark 4.0 shows its magnitude only),
//   u8 sync_word,
// followed by the PHYPayload (MHDR .. MIC). Wireshark hands frames with sync word 0x34 to
// its LoRaWAN dissector. Values are clamped to their fields' ranges. pcap header
// integers are little-endian (the magic tells readers the byte order).
// The stream must be binary and outlive the writer; write errors show on the stream.
// Simulation thread only.
class LoraTapWriter {
public:
    static constexpr std::uint32_t kLinkTypeLoraTap = 270;
    static constexpr int kHeaderLength = 15;

    // Writes the global header at once.
    explicit LoraTapWriter(std::ostream& out);

    void write(SimTime t, const LoraTapInfo& info, QByteArrayView phyPayload);

    std::uint64_t recordsWritten() const { return m_records; }

private:
    std::ostream& m_out;
    std::uint64_t m_records = 0;
};

} // namespace otalab::sim::lorawan
