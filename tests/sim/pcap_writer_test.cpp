// SPDX-License-Identifier: Apache-2.0
#include "pcap_test_support.h"
#include "tshark_support.h"
#include "zigbee_test_support.h"

#include "sim/pcap/pcapwriter.h"
#include "sim/radio/macframe.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/zigbeenetwork.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// ZCL OTA ImageBlockRsp: frame control 0x19 (cluster-specific, server→client, disable
// default response), TSN 1, command 0x05, status SUCCESS, manufacturer 0x1037, image
// type 0x0101, file version 0x01020304, offset 0, data size 4, data 01 02 03 04.
const std::vector<std::uint8_t> kImageBlockRsp{0x19, 0x01, 0x05, 0x00, 0x37, 0x10, 0x01, 0x01, 0x04, 0x03, 0x02,
                                               0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04};

// Coordinator 0x0000 and router 0x0001: the coordinator sends the ImageBlockRsp and
// a broadcast; returns the pcap bytes.
std::string capture(std::uint64_t* records = nullptr, PcapWriter::Options options = {})
{
    TopologySpec t;
    t.nodes = {{NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::Router, 0x0001, 0, 5, 0}};
    Simulator sim;
    sim.setSeed(1);
    std::ostringstream out(std::ios::binary);
    PcapWriter pcap(out, options);
    sim.addObserver(&pcap);
    RadioChannel channel{RadioChannel::Config{}};
    auto net = ZigbeeNetwork::create(sim, channel, t);
    EXPECT_TRUE(net);
    sim.runUntil(SimTime::fromMillis(1'500));
    EXPECT_TRUE((*net)->node(0).sendAps(0x0001, 1, 0x0019, kImageBlockRsp));
    sim.runUntil(SimTime::fromMillis(2'000));
    EXPECT_TRUE((*net)->node(0).sendAps(kNwkBroadcastAll, 1, 0x0019, kImageBlockRsp));
    sim.runUntil(SimTime::fromMillis(2'500));
    if (records)
        *records = pcap.recordsWritten();
    return out.str();
}

} // namespace

TEST(PcapWriter, GlobalHeaderAndOneRecordPerTransmission)
{
    std::uint64_t records = 0;
    const std::string file = capture(&records);
    ASSERT_GE(file.size(), 24u);
    EXPECT_EQ(le32(file, 0), 0xA1B2C3D4u);
    EXPECT_EQ(static_cast<std::uint8_t>(file[4]), 2);
    EXPECT_EQ(static_cast<std::uint8_t>(file[6]), 4);
    EXPECT_EQ(le32(file, 16), 127u);
    EXPECT_EQ(le32(file, 20), 195u);
    // Unicast data + ACK, the broadcast, router's relay of it: 4 frames on air.
    EXPECT_EQ(records, 4u);

    std::size_t at = 24;
    std::size_t n = 0;
    while (at + 16 <= file.size()) {
        const std::uint32_t sec = le32(file, at);
        const std::uint32_t usec = le32(file, at + 4);
        const std::uint32_t incl = le32(file, at + 8);
        EXPECT_EQ(incl, le32(file, at + 12));
        ASSERT_LE(at + 16 + incl, file.size());
        EXPECT_LT(usec, 1'000'000u);
        if (n == 0) {
            // Sent at 1.5 s plus CSMA backoff: still within the 1.5 s .. 1.51 s window.
            EXPECT_EQ(sec, 1u);
            EXPECT_GE(usec, 500'000u);
            EXPECT_LT(usec, 510'000u);
            EXPECT_EQ(incl, 11u + 16u + kImageBlockRsp.size());
        }
        // Every record is a whole MPDU with a valid CRC-16/KERMIT FCS.
        const auto* mpdu = reinterpret_cast<const std::uint8_t*>(file.data() + at + 16);
        EXPECT_TRUE(MacFrame::parse({mpdu, incl})) << "record " << n;
        at += 16 + incl;
        ++n;
    }
    EXPECT_EQ(at, file.size());
    EXPECT_EQ(n, records);

    std::uint64_t withoutAcks = 0;
    capture(&withoutAcks, PcapWriter::Options{.includeAcks = false});
    EXPECT_EQ(withoutAcks, 3u);
}

TEST(PcapWriter, TsharkDecodesDownToZclOta)
{
    if (!otalab::sim::test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    const std::string text = otalab::sim::test::tsharkRead(capture(), "-V");
    ASSERT_FALSE(text.empty());
    for (const char* layer : {"IEEE 802.15.4", "ZigBee Network Layer", "ZigBee Application Support Layer",
                              "ZigBee Cluster Library", "OTA Upgrade", "Image Block Response"}) {
        EXPECT_NE(text.find(layer), std::string::npos) << "missing \"" << layer << "\" in:\n" << text;
    }
    // tshark's frame summary names the whole dissector chain, and the FCS checks out.
    EXPECT_NE(text.find("[Protocols in frame: wpan:zbee_nwk:zbee_aps:zbee_zcl:zbee_zcl_general.ota]"), std::string::npos);
    EXPECT_NE(text.find("(Correct)"), std::string::npos);
    EXPECT_EQ(text.find("Bad FCS"), std::string::npos);
    EXPECT_EQ(text.find("Incorrect"), std::string::npos);
    EXPECT_EQ(text.find("Malformed"), std::string::npos) << text;
}
