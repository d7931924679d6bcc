// SPDX-License-Identifier: Apache-2.0
// PcapWriter: SimObserver writing every 802.15.4 frame put on the air to a libpcap file (link type 195).
#pragma once

#include "sim/kernel/simobserver.h"

#include <cstdint>
#include <iosfwd>

namespace otalab::sim {

// Writes a classic libpcap file (https://wiki.wireshark.org/Development/LibpcapFileFormat):
//   global header: magic 0xA1B2C3D4 (microsecond timestamps), version 2.4, thiszone 0,
//   sigfigs 0, snaplen 127, network 195 = LINKTYPE_IEEE802_15_4_WITHFCS
//   (tcpdump.org/linktypes.html: the MPDU followed by the 2-octet FCS, which the
//   simulated MAC computes as CRC-16/KERMIT, the ITU-T CRC of 802.15.4-2006 7.2.1.9 —
//   Wireshark's default wpan FCS setting for this link type);
//   one record per frame: ts_sec, ts_usec (virtual time, truncated to µs), incl_len =
//   orig_len = MPDU length, then the MPDU (MAC header | NWK | APS | ZCL | FCS). A record
//   whose FrameRecord::sealer is set is written as seal() returns it: the frame as a
//   sniffer captures it (Real NWK security: payload encrypted, MIC, FCS recomputed).
// All integers are written little-endian (the magic tells readers the byte order).
//
// Which records: one per FrameFate::Transmitted — the frame as it went on the air,
// timestamped at the start of its airtime — including ACKs, retransmissions, and
// frames that later collide or are lost at their receiver. A sniffer sits at one
// place and sees each transmission once; per-receiver fates (Delivered/Lost/
// Collided/Missed) are not new frames and would duplicate records, so they are not
// written (they are in the TraceWriter JSONL). `includeAcks = false` drops the 5-octet
// ACK frames for a smaller capture.
//
// Simulation thread only. The stream must be binary, outlive the writer, and is
// flushed only by its owner; write errors are not reported (check the stream).
class PcapWriter final : public SimObserver {
public:
    static constexpr std::uint32_t kLinkTypeIeee802154WithFcs = 195;

    struct Options {
        bool includeAcks = true;
    };

    // Writes the global header at once.
    explicit PcapWriter(std::ostream& out);
    PcapWriter(std::ostream& out, Options options);

    void onFrame(const FrameRecord& frame) override;

    std::uint64_t recordsWritten() const { return m_records; }

private:
    void writeGlobalHeader();

    std::ostream& m_out;
    Options m_options;
    std::uint64_t m_records = 0;
};

} // namespace otalab::sim
