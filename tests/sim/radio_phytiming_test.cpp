// SPDX-License-Identifier: Apache-2.0
#include "sim/radio/macframe.h"
#include "sim/radio/phytiming.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

using namespace otalab::sim;

TEST(RadioPhyTiming, AirtimeCountsPreambleSfdPhrAndPsdu)
{
    // 127-byte PSDU + 4 preamble + 1 SFD + 1 PHR = 133 bytes × 32 µs = 4.256 ms.
    EXPECT_EQ(PhyTiming::airtime(127), SimTime::fromMicros(4256));
    EXPECT_EQ(PhyTiming::airtime(5), SimTime::fromMicros(352)); // ACK: 11 bytes on air
    EXPECT_EQ(PhyTiming::airtime(0), SimTime::fromMicros(192));
    EXPECT_EQ(PhyTiming::airtime(31), SimTime::fromMicros(1184));
}

TEST(RadioPhyTiming, MacConstantsInSymbols)
{
    EXPECT_EQ(PhyTiming::kSymbol, SimTime::fromMicros(16));
    EXPECT_EQ(PhyTiming::kTurnaround, SimTime::fromMicros(192));  // 12 symbols
    EXPECT_EQ(PhyTiming::kCca, SimTime::fromMicros(128));         // 8 symbols
    EXPECT_EQ(PhyTiming::kUnitBackoff, SimTime::fromMicros(320)); // 20 symbols
    EXPECT_EQ(PhyTiming::kAckWaitSymbols, 54);
    EXPECT_EQ(PhyTiming::kAckWait, SimTime::fromMicros(864));
    // The ACK arrives well within macAckWaitDuration: turnaround + ACK airtime.
    EXPECT_LT(PhyTiming::kTurnaround + PhyTiming::airtime(PhyTiming::kAckBytes), PhyTiming::kAckWait);
}

TEST(RadioMacFrame, FcsIsCrc16Kermit)
{
    constexpr std::string_view check = "123456789";
    const std::vector<std::uint8_t> bytes(check.begin(), check.end());
    EXPECT_EQ(MacFrame::fcs(bytes), 0x2189); // CRC-16/KERMIT check value
}

TEST(RadioMacFrame, DataFrameRoundTrip)
{
    MacHeader h;
    h.type = MacFrameType::Data;
    h.ackRequest = true;
    h.sequence = 0x42;
    h.panId = 0x1A62;
    h.dst = 0x0001;
    h.src = 0x796F;
    const std::vector<std::uint8_t> payload = {1, 2, 3, 4, 5};
    MpduBuffer buf{};
    const std::size_t n = MacFrame::encode(h, payload, buf);
    ASSERT_EQ(n, MacFrame::kOverheadBytes + payload.size());
    EXPECT_EQ(buf[0], 0x61); // FCF 0x8861: data, ack request, PAN ID compression
    EXPECT_EQ(buf[1], 0x88); //   short dst and src addresses
    std::span<const std::uint8_t> parsedPayload;
    const auto parsed = MacFrame::parse({buf.data(), n}, &parsedPayload);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->sequence, 0x42);
    EXPECT_TRUE(parsed->ackRequest);
    EXPECT_EQ(parsed->dst, 0x0001);
    EXPECT_EQ(parsed->src, 0x796F);
    EXPECT_EQ(parsed->panId, 0x1A62);
    EXPECT_EQ(std::vector<std::uint8_t>(parsedPayload.begin(), parsedPayload.end()), payload);

    buf[4] ^= 0xFF; // corrupt → FCS mismatch
    EXPECT_FALSE(MacFrame::parse({buf.data(), n}));
}

TEST(RadioMacFrame, AckIsFiveBytes)
{
    MpduBuffer buf{};
    ASSERT_EQ(MacFrame::encodeAck(7, true, buf), 5u);
    const auto parsed = MacFrame::parse({buf.data(), 5});
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->type, MacFrameType::Ack);
    EXPECT_EQ(parsed->sequence, 7);
    EXPECT_TRUE(parsed->framePending);
}

TEST(RadioMacFrame, PayloadLimitIs116)
{
    EXPECT_EQ(MacFrame::kMaxPayloadBytes, 116u);
    MpduBuffer buf{};
    const std::vector<std::uint8_t> fits(116, 0), tooBig(117, 0);
    EXPECT_EQ(MacFrame::encode({}, fits, buf), 127u);
    EXPECT_EQ(MacFrame::encode({}, tooBig, buf), 0u);
}
