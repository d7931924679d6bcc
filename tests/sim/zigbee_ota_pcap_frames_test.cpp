// SPDX-License-Identifier: Apache-2.0
// The capture of a rollout with modelled NWK security (18 octets, the default): every
// frame is a real unsecured 802.15.4/NWK/APS/ZCL frame with nothing after the ZCL
// payload, while its airtime is that of the secured frame.
#include "pcap_test_support.h"
#include "tshark_support.h"
#include "zigbee_ota_test_support.h"

#include "sim/zigbee/rollout.h"
#include "sim/pcap/pcapwriter.h"
#include "sim/radio/macframe.h"
#include "sim/radio/phytiming.h"
#include "sim/zigbee/framebudget.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace otalab::sim;
using otalab::sim::test::pcapRecords;

namespace {

struct OnAir {
    std::vector<std::uint8_t> bytes;
    SimTime airtime;
};

// Every FrameFate::Transmitted record, in order (the records PcapWriter writes).
class TransmittedLog final : public SimObserver {
public:
    void onFrame(const FrameRecord& f) override
    {
        if (f.fate == FrameFate::Transmitted)
            frames.push_back({{f.bytes.begin(), f.bytes.end()}, f.airtime});
    }
    std::vector<OnAir> frames;
};

// ZCL OTA ImageBlockRsp (cluster 0x0019, command 0x05) with status SUCCESS, after the
// ZCL header: status 1 | manufacturer 2 | image type 2 | file version 4 | offset 4 |
// data size 1 | data.
constexpr std::size_t kBlockRspFixedBytes = 14;

} // namespace

TEST(OtaPcapFrames, BlockResponseIsARealUnsecuredFrameWithSecuredAirtime)
{
    const RolloutConfig config = test::starterConfig();
    ASSERT_EQ(config.device.nwkSecurityOverheadBytes, FrameBudget::kRealisticNwkSecurityBytes);
    auto rollout = Rollout::build(config);
    ASSERT_TRUE(rollout.has_value()) << rollout.error().toString().toStdString();
    std::ostringstream capture(std::ios::binary);
    PcapWriter pcap(capture);
    TransmittedLog log;
    (*rollout)->addObserver(&pcap);
    (*rollout)->addObserver(&log);
    (*rollout)->runUntil(300.0);

    const std::vector<std::vector<std::uint8_t>> records = pcapRecords(capture.str());
    ASSERT_EQ(records.size(), log.frames.size());
    std::size_t blockResponses = 0;
    std::size_t nwkFrames = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        SCOPED_TRACE("pcap record " + std::to_string(i));
        const std::vector<std::uint8_t>& mpdu = records[i];
        ASSERT_EQ(mpdu, log.frames[i].bytes);
        std::span<const std::uint8_t> macPayload;
        const std::optional<MacHeader> mac = MacFrame::parse(mpdu, &macPayload); // FCS verified
        ASSERT_TRUE(mac);
        if (mac->type != MacFrameType::Data) {
            // ACKs and Data Requests carry no NWK frame: no modelled security octets.
            EXPECT_EQ(log.frames[i].airtime, PhyTiming::airtime(mpdu.size()));
            continue;
        }
        ++nwkFrames;
        // The on-air duration is the secured frame's: the 18 octets are airtime only.
        EXPECT_EQ(log.frames[i].airtime, PhyTiming::airtime(mpdu.size() + FrameBudget::kRealisticNwkSecurityBytes));
        // NWK (Zigbee R22 3.3.1.1): data frame, security flag (FCF bit 9) clear.
        ASSERT_GE(macPayload.size(), 16u);
        EXPECT_EQ(macPayload[0] & 0x03, 0x00);
        EXPECT_EQ(macPayload[1] & 0x02, 0x00) << "NWK security flag set";
        // APS (2.2.5.1): data frame, no security (bit 5), no extended header (bit 7).
        const std::span<const std::uint8_t> aps = macPayload.subspan(8);
        EXPECT_EQ(aps[0] & 0x03, 0x00);
        EXPECT_EQ(aps[0] & 0xA0, 0x00);
        const std::uint16_t cluster = static_cast<std::uint16_t>(aps[2] | aps[3] << 8);
        const std::span<const std::uint8_t> zcl = macPayload.subspan(16);
        if (cluster != 0x0019 || zcl.size() < 3)
            continue;
        const std::size_t zclHeader = (zcl[0] & 0x04) ? 5 : 3; // manufacturer-specific adds 2
        ASSERT_GE(zcl.size(), zclHeader + 1);
        const bool serverToClient = (zcl[0] & 0x08) != 0;
        if (!serverToClient || zcl[zclHeader - 1] != 0x05 || zcl[zclHeader] != 0x00)
            continue; // not an ImageBlockRsp with SUCCESS
        ++blockResponses;
        ASSERT_GE(zcl.size(), zclHeader + kBlockRspFixedBytes);
        const std::size_t dataSize = zcl[zclHeader + kBlockRspFixedBytes - 1];
        EXPECT_GT(dataSize, 0u);
        EXPECT_LE(dataSize, config.server.maxBlockDataSize);
        // No trailing octets: the ZCL payload ends with the block's data.
        EXPECT_EQ(zcl.size(), zclHeader + kBlockRspFixedBytes + dataSize);
        EXPECT_EQ(mpdu.size(), MacFrame::kOverheadBytes + 16 + zcl.size());
    }
    EXPECT_GT(nwkFrames, 100u);
    EXPECT_GT(blockResponses, 50u) << "the prefix should carry image blocks";
}

// The same capture read by a real peer: Wireshark's dissectors (tshark, Debian's package,
// installed by packaging/install-deps.sh). Every Image Block Response must be exactly its
// headers plus dataSize octets — MAC 9 + NWK 8 + APS 8 + ZCL 3 + fixed fields 14 + FCS 2 —
// with the NWK security flag clear and nothing Wireshark calls malformed.
TEST(OtaPcapFrames, WiresharkReadsEveryBlockResponseAsHeadersPlusItsData)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    auto rollout = Rollout::build(test::starterConfig());
    ASSERT_TRUE(rollout.has_value()) << rollout.error().toString().toStdString();
    std::ostringstream capture(std::ios::binary);
    PcapWriter pcap(capture);
    (*rollout)->addObserver(&pcap);
    (*rollout)->runUntil(120.0);
    // One line per frame: length, NWK security flag, OTA command, data size, expert severities.
    const std::string text = test::tsharkRead(capture.str(),
                                              "-T fields -E separator=, -e frame.len -e zbee_nwk.security"
                                              " -e zbee_zcl_general.ota.cmd.srv_tx.id -e zbee_zcl_general.ota.data_size"
                                              " -e _ws.expert.severity");
    ASSERT_FALSE(text.empty());
    std::istringstream lines(text);
    std::string line;
    std::size_t blockResponses = 0;
    std::size_t nwkFrames = 0;
    while (std::getline(lines, line)) {
        SCOPED_TRACE(line);
        std::vector<std::string> field;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');)
            field.push_back(cell);
        field.resize(5);
        EXPECT_EQ(field[4].find("8388608"), std::string::npos) << "Wireshark reports an error (malformed frame)";
        if (!field[1].empty()) {
            ++nwkFrames;
            EXPECT_TRUE(field[1] == "0" || field[1] == "False") << "NWK security flag set on an unsecured frame";
        }
        if (field[2] != "0x05" && field[2] != "5")
            continue;
        ++blockResponses;
        ASSERT_FALSE(field[3].empty());
        EXPECT_EQ(std::stoul(field[0]), 9u + 8u + 8u + 3u + kBlockRspFixedBytes + 2u + std::stoul(field[3]));
    }
    EXPECT_GT(nwkFrames, 20u) << text;
    EXPECT_GT(blockResponses, 10u) << text;
}
