// SPDX-License-Identifier: Apache-2.0
// Real NWK security on the air (NwkSecuritySettings::Mode::Real): CCM* sealing against a
// published test vector, the carried layout and its codec, frame counters (hop by hop,
// replay drop), and captures decrypted by a real peer — tshark with the scenario's keys.
#include "zigbee_ota_test_support.h"
#include "pcap_test_support.h"
#include "tshark_support.h"

#include "sim/fleet/faults/faultconfig.h"
#include "sim/fleet/fleetrun.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/kernel/tracewriter.h"
#include "sim/pcap/pcapwriter.h"
#include "sim/radio/macframe.h"
#include "sim/radio/phytiming.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/nwksecurity.h"
#include "sim/zigbee/nwksourceroute.h"
#include "sim/zigbee/rollout.h"
#include "sim/zigbee/zigbeeframe.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace otalab::sim;
using otalab::sim::test::pcapRecords;

namespace {

std::vector<std::uint8_t> hex(const std::string& text)
{
    std::vector<std::uint8_t> out;
    std::string digits;
    for (char c : text)
        if (std::isxdigit(static_cast<unsigned char>(c)))
            digits += c;
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    return out;
}

std::string hexKey(const std::array<std::uint8_t, 16>& key)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string s;
    for (std::uint8_t b : key) {
        s += kHex[b >> 4];
        s += kHex[b & 0x0F];
    }
    return s;
}

// Every FrameFate::Transmitted record: carried bytes and sealer output.
class SealedLog final : public SimObserver {
public:
    void onFrame(const FrameRecord& f) override
    {
        if (f.fate != FrameFate::Transmitted)
            return;
        carried.emplace_back(f.bytes.begin(), f.bytes.end());
        airtime.push_back(f.airtime);
        std::vector<std::uint8_t> out(f.bytes.size());
        if (f.sealer && f.sealer->seal(f.bytes, out))
            sealed.push_back(out);
        else
            sealed.push_back(carried.back());
        hadSealer.push_back(f.sealer != nullptr);
    }
    std::vector<std::vector<std::uint8_t>> carried;
    std::vector<std::vector<std::uint8_t>> sealed;
    std::vector<SimTime> airtime;
    std::vector<bool> hadSealer;
};

RolloutConfig realConfig(bool apsEncryption)
{
    RolloutConfig c = test::starterConfig();
    c.network.security.mode = NwkSecuritySettings::Mode::Real;
    c.network.security.apsEncryption = apsEncryption;
    if (apsEncryption)
        c.server.maxBlockDataSize = 48; // 65 APS payload octets − 17 (FrameBudget::maxOtaBlockDataBytes)
    return c;
}

std::string tsharkKeys(const RolloutConfig& c)
{
    return "-o 'uat:zigbee_pc_keys:\"" + hexKey(c.network.security.networkKey) + "\",\"Normal\",\"network\"' "
         + "-o 'uat:zigbee_pc_keys:\"" + hexKey(c.network.security.linkKey) + "\",\"Normal\",\"link\"'";
}

} // namespace

// RFC 3610 packet vector #1 (AES-128, M = 8, L = 2, 13-octet nonce): CCM* with a MIC is
// this CCM (Zigbee R22 Annex A.1), so the same primitive seals Zigbee's ENC-MIC-32.
TEST(ZigbeeNwkSecurity, CcmStarMatchesRfc3610Vector1)
{
    const std::vector<std::uint8_t> key = hex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF");
    const std::vector<std::uint8_t> nonce = hex("00000003020100A0A1A2A3A4A5");
    const std::vector<std::uint8_t> aad = hex("0001020304050607");
    std::vector<std::uint8_t> text = hex("08090A0B0C0D0E0F101112131415161718191A1B1C1D1E");
    std::array<std::uint8_t, 8> tag{};
    ASSERT_TRUE(ccmStarSeal(std::span<const std::uint8_t, 16>(key.data(), 16),
                            std::span<const std::uint8_t, 13>(nonce.data(), 13), aad, text, tag));
    EXPECT_EQ(text, hex("588C979A61C663D2F066D0C2C0F989806D5F6B61DAC384"));
    EXPECT_EQ(std::vector<std::uint8_t>(tag.begin(), tag.end()), hex("17E8D12CFDF926E0"));
    // And back; a flipped bit fails the tag.
    std::vector<std::uint8_t> again = text;
    EXPECT_TRUE(ccmStarOpen(std::span<const std::uint8_t, 16>(key.data(), 16),
                            std::span<const std::uint8_t, 13>(nonce.data(), 13), aad, again, tag));
    EXPECT_EQ(again, hex("08090A0B0C0D0E0F101112131415161718191A1B1C1D1E"));
    again = text;
    again[3] ^= 1;
    EXPECT_FALSE(ccmStarOpen(std::span<const std::uint8_t, 16>(key.data(), 16),
                             std::span<const std::uint8_t, 13>(nonce.data(), 13), aad, again, tag));
}

TEST(ZigbeeNwkSecurity, AuxHeaderAndNonceBytes)
{
    ZigbeeAuxHeader h;
    h.frameCounter = 0x01020304;
    h.source = 0x00124B0000000007ull;
    h.keySequence = 3;
    std::array<std::uint8_t, 14> out{};
    ASSERT_EQ(h.encode(out), 14u);
    // Security control 0x28: level 0 (as sent), key id 1 (network key), extended nonce.
    EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.end()),
              hex("28 04030201 0700000000 4B1200 03"));
    const auto back = ZigbeeAuxHeader::decode(out, "nwk");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->frameCounter, h.frameCounter);
    EXPECT_EQ(back->source, h.source);
    EXPECT_EQ(back->keySequence, 3);
    EXPECT_FALSE(ZigbeeAuxHeader::decode(std::span(out).first(13), "nwk"));
    // The nonce carries the real level (5): control 0x2D.
    const auto nonce = zigbeeCcmNonce(h.source, h.frameCounter, h.control(), zbsec::kLevelEncMic32);
    EXPECT_EQ(std::vector<std::uint8_t>(nonce.begin(), nonce.end()), hex("0700000000 4B1200 04030201 2D"));
    ZigbeeAuxHeader aps;
    aps.keyId = zbsec::kKeyIdData;
    EXPECT_EQ(aps.size(), ZigbeeAuxHeader::kApsBytes);
    EXPECT_EQ(aps.control(), 0x20);
}

TEST(ZigbeeNwkSecurity, CarriedLayoutRoundTripsAndRelayRestamps)
{
    NwkHeader nwk;
    nwk.dst = 0x0001;
    nwk.src = 0x0000;
    nwk.sequence = 9;
    ApsHeader aps;
    aps.clusterId = zbsec::kOtaClusterId;
    const std::vector<std::uint8_t> zcl = hex("0901050000");
    FrameBudget budget;
    ZigbeeFrameSecurity sec;
    sec.source = zbsec::euiOf(0);
    sec.nwkFrameCounter = 41;
    NwkFrameBuffer frame;
    ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, zcl, budget, frame, &sec));
    EXPECT_EQ(frame.length, 8 + 14 + 8 + zcl.size() + 4);
    EXPECT_EQ(frame.bytes[1] & 0x02, 0x02) << "NWK security flag";
    auto decoded = ZigbeeFrame::decode(frame.view());
    ASSERT_TRUE(decoded) << decoded.error().toString().toStdString();
    ASSERT_TRUE(decoded->nwkSecurity);
    EXPECT_EQ(decoded->nwkSecurity->frameCounter, 41u);
    EXPECT_FALSE(decoded->apsSecurity);
    EXPECT_EQ(std::vector<std::uint8_t>(decoded->payload.begin(), decoded->payload.end()), zcl);

    ASSERT_TRUE(ZigbeeFrame::restamp(frame, zbsec::euiOf(5), 7));
    decoded = ZigbeeFrame::decode(frame.view());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->nwkSecurity->source, zbsec::euiOf(5));
    EXPECT_EQ(decoded->nwkSecurity->frameCounter, 7u);

    sec.apsSecured = true;
    sec.apsFrameCounter = 3;
    ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, zcl, budget, frame, &sec));
    EXPECT_EQ(frame.length, 8 + 14 + 8 + 13 + zcl.size() + 4 + 4);
    decoded = ZigbeeFrame::decode(frame.view());
    ASSERT_TRUE(decoded) << decoded.error().toString().toStdString();
    ASSERT_TRUE(decoded->apsSecurity);
    EXPECT_EQ(decoded->apsSecurity->frameCounter, 3u);
    EXPECT_EQ(decoded->apsSecurity->keyId, zbsec::kKeyIdData);
    EXPECT_EQ(decoded->aps.clusterId, zbsec::kOtaClusterId);
    EXPECT_EQ(std::vector<std::uint8_t>(decoded->payload.begin(), decoded->payload.end()), zcl);
}

TEST(ZigbeeNwkSecurity, BudgetKeeps82OctetsAndApsEncryptionNeedsASmallerBlock)
{
    NwkSecuritySettings real;
    real.mode = NwkSecuritySettings::Mode::Real;
    const FrameBudget nwkOnly = FrameBudget::forSecurity(FrameBudget{}, real);
    EXPECT_EQ(nwkOnly.maxApsPayloadBytes(), 82u);
    EXPECT_EQ(nwkOnly.airOnlyBytes(), 0u) << "the octets are in the bytes";
    EXPECT_GE(nwkOnly.maxOtaBlockDataBytes(), 64u);
    real.apsEncryption = true;
    const FrameBudget withAps = FrameBudget::forSecurity(FrameBudget{}, real);
    EXPECT_EQ(withAps.maxApsPayloadBytes(), 65u);
    EXPECT_EQ(withAps.maxOtaBlockDataBytes(), 48u);
    const auto refused = withAps.check(FrameBudget::kOtaBlockResponseOverheadBytes + 64);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("at most 65 payload octets")))
        << refused.error().message.toStdString();
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("at most 48 data octets")));
    // Modelled stays as before: 18 octets airtime-only.
    NwkSecuritySettings modelled;
    FrameBudget base;
    base.nwkSecurityOverheadBytes = 18;
    EXPECT_EQ(FrameBudget::forSecurity(base, modelled).airOnlyBytes(), 18u);
}

// A rollout with Real security: every NWK data frame carries the security header; each
// transmitter uses its own increasing frame counter and its EUI-64 (relays re-secure);
// the sealed bytes differ from the carried ones only in the encrypted part, MIC and FCS.
TEST(ZigbeeNwkSecurity, RolloutFramesAreSecuredHopByHop)
{
    auto rollout = Rollout::build(realConfig(false));
    ASSERT_TRUE(rollout.has_value()) << rollout.error().toString().toStdString();
    SealedLog log;
    (*rollout)->addObserver(&log);
    (*rollout)->runUntil(200.0);

    std::map<std::uint64_t, std::uint32_t> lastCounter;
    std::map<std::uint64_t, std::vector<std::uint8_t>> lastBytes;
    std::size_t secured = 0;
    std::size_t relayedSources = 0;
    for (std::size_t i = 0; i < log.carried.size(); ++i) {
        const auto& mpdu = log.carried[i];
        EXPECT_TRUE(log.hadSealer[i]);
        std::span<const std::uint8_t> macPayload;
        const auto mac = MacFrame::parse(mpdu, &macPayload);
        ASSERT_TRUE(mac);
        EXPECT_EQ(log.airtime[i], PhyTiming::airtime(mpdu.size())) << "no airtime-only octets in Real mode";
        if (mac->type != MacFrameType::Data) {
            EXPECT_EQ(log.sealed[i], mpdu) << "ACKs and MAC commands are not sealed";
            continue;
        }
        const auto frame = ZigbeeFrame::decode(macPayload);
        ASSERT_TRUE(frame) << frame.error().toString().toStdString();
        ASSERT_TRUE(frame->nwkSecurity);
        ++secured;
        const std::uint64_t eui = frame->nwkSecurity->source;
        // The transmitter's EUI-64 (hop by hop): the MAC source's node.
        EXPECT_EQ(eui & 0xFFFF'FFFF'0000'0000ull, zbsec::kEuiBase);
        if (frame->nwk.src != mac->src)
            ++relayedSources;
        const std::uint32_t counter = frame->nwkSecurity->frameCounter;
        if (auto it = lastCounter.find(eui); it != lastCounter.end()) {
            // A MAC retransmission repeats the same bytes; anything else is a new counter.
            if (lastBytes[eui] != mpdu || counter != it->second)
                EXPECT_GT(counter, it->second);
        }
        lastCounter[eui] = counter;
        lastBytes[eui] = mpdu;
        // Sealed: same length, same MAC + NWK + aux headers, different protected part, valid FCS.
        const auto& sealed = log.sealed[i];
        ASSERT_EQ(sealed.size(), mpdu.size());
        EXPECT_TRUE(std::equal(mpdu.begin(), mpdu.begin() + 9 + 8 + 14, sealed.begin()));
        EXPECT_NE(sealed, mpdu);
        EXPECT_TRUE(MacFrame::parse(sealed, nullptr, MacFrame::FcsCheck::Verify));
    }
    EXPECT_GT(secured, 100u);
    EXPECT_GT(relayedSources, 10u) << "the router relays (re-secured with its own EUI-64)";
}

// The receiver's incoming frame counter (nwkSecurityMaterial): a frame replayed with an
// old counter is dropped (FrameCounterReplay), a newer one delivered.
TEST(ZigbeeNwkSecurity, ReplayedFrameCounterIsDropped)
{
    auto rollout = Rollout::build(realConfig(false));
    ASSERT_TRUE(rollout.has_value());
    (*rollout)->runUntil(120.0);
    ZigbeeNetwork& net = (*rollout)->network();
    std::uint64_t replayDrops = 0;
    for (std::size_t i = 0; i < net.size(); ++i)
        replayDrops += net.node(static_cast<NodeId>(i)).drops(NwkDropReason::FrameCounterReplay);
    // Only duplicates of MAC retransmissions (lost ACKs) can be dropped so in a clean run;
    // delivery goes on, so the drops are few compared with deliveries.
    std::uint64_t received = 0;
    for (std::size_t i = 0; i < net.size(); ++i)
        received += net.node(static_cast<NodeId>(i)).stats().received;
    EXPECT_GT(received, 50u);
    EXPECT_LT(replayDrops * 10, received);
    EXPECT_STREQ(toString(NwkDropReason::FrameCounterReplay), "frame-counter-replay");
}

// The same, frame by frame: a secured frame handed to the coordinator twice with the same
// counter is delivered once; a later counter from the same sender is delivered again.
TEST(ZigbeeNwkSecurity, SameCounterTwiceIsDroppedNewerAccepted)
{
    auto rollout = Rollout::build(realConfig(false));
    ASSERT_TRUE(rollout.has_value());
    ZigbeeNode& coordinator = (*rollout)->network().node(0);
    NwkHeader nwk;
    nwk.dst = 0x0000;
    nwk.src = 0x0001;
    ApsHeader aps;
    aps.clusterId = 0x0006; // On/Off: not for the OTA server
    const std::vector<std::uint8_t> zcl = hex("010002");
    auto inject = [&](std::uint32_t counter) {
        ZigbeeFrameSecurity sec;
        sec.source = zbsec::euiOf(1);
        sec.nwkFrameCounter = counter;
        NwkFrameBuffer frame;
        ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, zcl, FrameBudget{}, frame, &sec));
        MacIndication ind;
        ind.srcNode = 1;
        ind.header.src = 0x0001;
        ind.header.dst = 0x0000;
        ind.payload = frame.view();
        coordinator.onReceive((*rollout)->simulator(), ind);
    };
    const std::uint64_t received = coordinator.stats().received;
    inject(1000);
    EXPECT_EQ(coordinator.stats().received, received + 1);
    inject(1000);
    EXPECT_EQ(coordinator.stats().received, received + 1);
    EXPECT_EQ(coordinator.drops(NwkDropReason::FrameCounterReplay), 1u);
    inject(999);
    EXPECT_EQ(coordinator.drops(NwkDropReason::FrameCounterReplay), 2u);
    inject(1001);
    EXPECT_EQ(coordinator.stats().received, received + 2);
}

namespace {

// Runs `config` for `seconds`, writes the pcap, and returns tshark's verbose text with the keys.
struct Capture {
    std::string pcap;
    std::string jsonl;
    std::vector<std::vector<std::uint8_t>> sealed;
};

Capture capture(const RolloutConfig& config, double seconds)
{
    Capture c;
    auto rollout = Rollout::build(config);
    EXPECT_TRUE(rollout.has_value()) << rollout.error().toString().toStdString();
    if (!rollout)
        return c;
    std::ostringstream pcap(std::ios::binary);
    std::ostringstream jsonl;
    PcapWriter writer(pcap);
    TraceWriter trace(&jsonl);
    SealedLog log;
    (*rollout)->addObserver(&writer);
    (*rollout)->addObserver(&trace);
    (*rollout)->addObserver(&log);
    (*rollout)->runUntil(seconds);
    c.pcap = pcap.str();
    if (const char* keep = std::getenv("OTALAB_KEEP_SECURITY_PCAP")) // for looking at it in Wireshark
        std::ofstream(keep, std::ios::binary) << c.pcap;
    c.jsonl = jsonl.str();
    c.sealed = log.sealed;
    return c;
}

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

// The pcap and the JSONL trace hold the sealed frames (what a sniffer captures).
TEST(ZigbeeNwkSecurity, PcapAndJsonlCarryTheSealedBytes)
{
    const Capture c = capture(realConfig(false), 60.0);
    const auto records = pcapRecords(c.pcap);
    ASSERT_EQ(records.size(), c.sealed.size());
    for (std::size_t i = 0; i < records.size(); ++i)
        ASSERT_EQ(records[i], c.sealed[i]) << i;
    // The first sealed NWK data frame's hex appears in the JSONL trace.
    for (const auto& s : c.sealed) {
        if (s.size() < 40)
            continue;
        std::string h;
        static constexpr char kHex[] = "0123456789abcdef";
        for (std::uint8_t b : s) {
            h += kHex[b >> 4];
            h += kHex[b & 0x0F];
        }
        EXPECT_NE(c.jsonl.find(h), std::string::npos);
        break;
    }
}

// A real peer decrypts the capture: tshark with the scenario's network key shows the ZCL
// OTA commands inside (Image Block Request / Response) and reports no MIC failure.
TEST(ZigbeeNwkSecurity, TsharkDecryptsNwkSecuredRollout)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    const RolloutConfig config = realConfig(false);
    const Capture c = capture(config, 150.0);
    const std::string text = test::tsharkRead(c.pcap, tsharkKeys(config) + " -V");
    ASSERT_FALSE(text.empty());
    // On the air: security level 0 (receivers substitute 5), key id network key, extended nonce.
    const std::size_t secured = count(text, "Security Control Field: 0x28, Key Id: Network Key, Extended Nonce");
    EXPECT_GT(secured, 50u) << text.substr(0, 4000);
    // Every secured frame decrypted (MIC verified) with the network key ...
    EXPECT_EQ(count(text, "[Key Label: network]"), secured);
    EXPECT_EQ(count(text, "Encrypted Payload"), 0u) << "a frame tshark could not decrypt (MIC failure)";
    // ... showing the OTA commands inside.
    EXPECT_GT(count(text, "Image Block Request"), 5u) << text.substr(0, 4000);
    EXPECT_GT(count(text, "Image Block Response"), 5u);
    // With a wrong key the MIC check fails: the payload stays encrypted.
    const std::string blind =
        test::tsharkRead(c.pcap, "-o 'uat:zigbee_pc_keys:\"00000000000000000000000000000000\",\"Normal\",\"wrong\"' -V");
    EXPECT_EQ(count(blind, "Image Block Request"), 0u);
    EXPECT_GT(count(blind, "Encrypted Payload"), 50u);
}

TEST(ZigbeeNwkSecurity, TsharkDecryptsApsEncryptedOtaFrames)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    const RolloutConfig config = realConfig(true);
    const Capture c = capture(config, 150.0);
    const std::string text = test::tsharkRead(c.pcap, tsharkKeys(config) + " -V");
    ASSERT_FALSE(text.empty());
    EXPECT_GT(count(text, "Image Block Request"), 5u) << text.substr(0, 4000);
    EXPECT_GT(count(text, "Image Block Response"), 5u);
    EXPECT_EQ(count(text, "Encrypted Payload"), 0u) << "a layer tshark could not decrypt (MIC failure)";
    // Two layers per OTA unicast: APS (key id 0, data key — Wireshark says "Link Key") inside NWK.
    const std::size_t apsSecured = count(text, "Security Control Field: 0x20, Key Id: Link Key, Extended Nonce");
    EXPECT_GT(apsSecured, 20u) << text.substr(0, 6000);
    EXPECT_EQ(count(text, "[Key Label: link]"), apsSecured);
}

// The default 50-octet blocks do not fit once APS security takes 17 octets: the server's
// sendAps is refused with the sizes (FrameBudget::check), nothing oversize goes on the air.
TEST(ZigbeeNwkSecurity, ApsEncryptionRefusesABlockThatDoesNotFit)
{
    RolloutConfig config = realConfig(true);
    auto rollout = Rollout::build(config);
    ASSERT_TRUE(rollout.has_value());
    ZigbeeNode& server = (*rollout)->network().node(0);
    EXPECT_EQ(server.maxApsPayloadBytes(), 65u);
    std::vector<std::uint8_t> block(FrameBudget::kOtaBlockResponseOverheadBytes + 50, 0);
    const auto refused = server.sendAps(0x0001, 1, zbsec::kOtaClusterId, block);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, QStringLiteral("aps.payload"));
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("at most 48 data octets")))
        << refused.error().message.toStdString();
    block.resize(FrameBudget::kOtaBlockResponseOverheadBytes + 48);
    EXPECT_TRUE(server.sendAps(0x0001, 1, zbsec::kOtaClusterId, block));
    // Other clusters are not APS-secured: 82 octets still fit.
    std::vector<std::uint8_t> other(82, 0);
    EXPECT_TRUE(server.sendAps(0x0001, 1, 0x0006, other));
}

// --- NWK command frames and source-routed frames (issue 15 leftover) ---

namespace {

// A route request (Zigbee R22 3.4.1) as the mesh code builds it: unsecured.
NwkFrameBuffer plainRouteRequest()
{
    NwkHeader nwk;
    nwk.frameType = NwkFrameType::Command;
    nwk.dst = kNwkBroadcastRouters;
    nwk.src = 0x0005;
    nwk.radius = 30;
    nwk.sequence = 3;
    NwkFrameBuffer frame;
    std::span<std::uint8_t> out(frame.bytes);
    std::size_t n = nwk.encode(out);
    n += NwkCommand{NwkRouteRequest{ManyToOne::No, 7, 0x0009, 0}}.encode(out.subspan(n));
    frame.length = static_cast<std::uint8_t>(n);
    return frame;
}

// The MPDU around a NWK frame, then sealed with `key`; returns the sealed bytes.
std::vector<std::uint8_t> sealedMpdu(const NwkFrameBuffer& nwkFrame, const std::array<std::uint8_t, 16>& key)
{
    MacHeader mac;
    mac.type = MacFrameType::Data;
    mac.panId = 0x1A62;
    mac.dst = 0x0001;
    mac.src = 0x0002;
    MpduBuffer mpdu{};
    const std::size_t n = MacFrame::encode(mac, nwkFrame.view(), mpdu);
    std::vector<std::uint8_t> carried(mpdu.begin(), mpdu.begin() + static_cast<std::ptrdiff_t>(n));
    std::vector<std::uint8_t> sealed(n);
    if (!sealZigbeeMpdu(carried, sealed, key, key))
        return {};
    return sealed;
}

// Opens the NWK layer of a sealed MPDU the way a receiver (and Wireshark) does: the
// authentication data is the NWK header as received (source route included) plus the aux
// header with level 5 substituted. True when the MIC verifies; `text` gets the plaintext.
bool openSealed(const std::vector<std::uint8_t>& sealed, const std::array<std::uint8_t, 16>& key,
                std::vector<std::uint8_t>& text)
{
    const std::span<const std::uint8_t> nwk(sealed.data() + MacFrame::kHeaderBytes,
                                            sealed.size() - MacFrame::kOverheadBytes);
    const std::size_t auxAt = nwkAuxOffset(nwk);
    const auto aux = ZigbeeAuxHeader::decode(nwk.subspan(auxAt), "nwk");
    if (!aux)
        return false;
    std::vector<std::uint8_t> aad(nwk.begin(), nwk.begin() + static_cast<std::ptrdiff_t>(auxAt + aux->size()));
    aad[auxAt] = static_cast<std::uint8_t>((aad[auxAt] & ~zbsec::kLevelMask) | zbsec::kLevelEncMic32);
    text.assign(nwk.begin() + static_cast<std::ptrdiff_t>(aad.size()), nwk.end() - zbsec::kMicBytes);
    const std::span<const std::uint8_t> mic = nwk.last(zbsec::kMicBytes);
    const auto nonce = zigbeeCcmNonce(aux->source, aux->frameCounter, aux->control(), zbsec::kLevelEncMic32);
    return ccmStarOpen(key, nonce, aad, text, mic);
}

} // namespace

// Every NWK command this model sends is secured with the network key (R22 4.3.1.1); only a
// rejoin without the network key (unsecured rejoin) is not.
TEST(ZigbeeNwkSecurity, WhichCommandsAreSecured)
{
    for (NwkCommandId id : {NwkCommandId::RouteRequest, NwkCommandId::RouteReply, NwkCommandId::NetworkStatus,
                            NwkCommandId::Leave, NwkCommandId::RouteRecord, NwkCommandId::LinkStatus})
        EXPECT_TRUE(nwkCommandSecured(static_cast<std::uint8_t>(id), true)) << int(id);
    EXPECT_TRUE(nwkCommandSecured(static_cast<std::uint8_t>(NwkCommandId::RejoinRequest), true));
    EXPECT_TRUE(nwkCommandSecured(static_cast<std::uint8_t>(NwkCommandId::RejoinResponse), true));
    EXPECT_FALSE(nwkCommandSecured(static_cast<std::uint8_t>(NwkCommandId::RejoinRequest), false));
    EXPECT_FALSE(nwkCommandSecured(static_cast<std::uint8_t>(NwkCommandId::RejoinResponse), false));
}

// secureNwkCommand adds the 14-octet aux header after the NWK header and a 4-octet MIC
// (18 octets more on the air), openNwkCommand gives back the plain command; the sealed
// frame's MIC verifies with the NWK header + aux header as authentication data.
TEST(ZigbeeNwkSecurity, CommandFrameSecuresOpensAndSeals)
{
    const NwkFrameBuffer plain = plainRouteRequest();
    NwkFrameBuffer secured = plain;
    ASSERT_TRUE(secureNwkCommand(secured, zbsec::euiOf(5), 77, 0));
    EXPECT_EQ(secured.length, plain.length + 18);
    EXPECT_EQ(secured.bytes[1] & 0x02, 0x02) << "NWK security flag";
    EXPECT_FALSE(secureNwkCommand(secured, zbsec::euiOf(5), 78, 0)) << "already secured";
    const auto aux = ZigbeeAuxHeader::decode(secured.view().subspan(8), "nwk");
    ASSERT_TRUE(aux);
    EXPECT_EQ(aux->frameCounter, 77u);
    EXPECT_EQ(aux->source, zbsec::euiOf(5));
    EXPECT_EQ(aux->control(), 0x28);
    NwkFrameBuffer opened;
    const auto back = openNwkCommand(secured.view(), opened);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->frameCounter, 77u);
    EXPECT_EQ(std::vector<std::uint8_t>(opened.view().begin(), opened.view().end()),
              std::vector<std::uint8_t>(plain.view().begin(), plain.view().end()));
    EXPECT_FALSE(openNwkCommand(plain.view(), opened)) << "an unsecured command is not opened";

    const NwkSecuritySettings keys;
    const auto sealed = sealedMpdu(secured, keys.networkKey);
    ASSERT_FALSE(sealed.empty());
    std::vector<std::uint8_t> text;
    ASSERT_TRUE(openSealed(sealed, keys.networkKey, text));
    EXPECT_EQ(text, std::vector<std::uint8_t>(plain.view().begin() + 8, plain.view().end()));
    EXPECT_EQ(text[0], static_cast<std::uint8_t>(NwkCommandId::RouteRequest));
}

// A source-routed data frame: NWK header | source route | aux | APS | MIC. The aux header
// and the authentication data follow the source route; a relay that lowers the relay index
// and restamps produces a frame whose MIC verifies over the new header.
TEST(ZigbeeNwkSecurity, SourceRoutedFrameSealsOverTheWholeHeader)
{
    NwkHeader nwk;
    nwk.dst = 0x0009;
    nwk.src = 0x0000;
    nwk.sequence = 4;
    ApsHeader aps;
    aps.clusterId = zbsec::kOtaClusterId;
    const std::vector<std::uint8_t> zcl = hex("1901050000");
    ZigbeeFrameSecurity sec;
    sec.source = zbsec::euiOf(0);
    sec.nwkFrameCounter = 5;
    NwkFrameBuffer frame;
    ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, zcl, FrameBudget{}, frame, &sec));
    NwkSourceRoute sr;
    sr.relayCount = 2;
    sr.relayIndex = 1;
    sr.relays[0] = 0x0005;
    sr.relays[1] = 0x0002;
    ASSERT_TRUE(sr.insertInto(frame, MacFrame::kMaxPayloadBytes));
    EXPECT_EQ(nwkAuxOffset(frame.view()), 8u + 2 + 4);
    ASSERT_TRUE(ZigbeeFrame::restamp(frame, zbsec::euiOf(0), 6));
    const auto aux = ZigbeeAuxHeader::decode(frame.view().subspan(14), "nwk");
    ASSERT_TRUE(aux);
    EXPECT_EQ(aux->frameCounter, 6u) << "restamp writes the aux header after the source route";

    const NwkSecuritySettings keys;
    std::vector<std::uint8_t> text;
    auto sealed = sealedMpdu(frame, keys.networkKey);
    ASSERT_FALSE(sealed.empty());
    ASSERT_TRUE(openSealed(sealed, keys.networkKey, text));
    EXPECT_EQ(text[0] & 0x03, 0) << "the APS data frame inside";
    // The relay at index 1 forwards with index 0 and its own counter: sealed anew.
    NwkSourceRoute::setRelayIndex(frame, 0);
    ASSERT_TRUE(ZigbeeFrame::restamp(frame, zbsec::euiOf(2), 40));
    sealed = sealedMpdu(frame, keys.networkKey);
    ASSERT_TRUE(openSealed(sealed, keys.networkKey, text));
    // Authenticated: a frame whose relay index was changed after sealing fails its MIC.
    sealed[MacFrame::kHeaderBytes + 9] = 1;
    EXPECT_FALSE(openSealed(sealed, keys.networkKey, text));
    // The destination strips the source route; the secured frame decodes as before.
    NwkFrameBuffer stripped;
    ASSERT_TRUE(NwkSourceRoute::strip(frame.view(), stripped));
    const auto decoded = ZigbeeFrame::decode(stripped.view());
    ASSERT_TRUE(decoded) << decoded.error().toString().toStdString();
    EXPECT_EQ(decoded->nwkSecurity->frameCounter, 40u);
    EXPECT_EQ(std::vector<std::uint8_t>(decoded->payload.begin(), decoded->payload.end()), zcl);
}

namespace {

// Mesh routing, many-to-one, Real security: a chain of routers so that the coordinator
// source-routes to the far ones.
RolloutConfig manyToOneRealConfig()
{
    RolloutConfig c = test::starterConfig(8 * 1024, 3);
    c.topology = GeneratedTopology{.routers = 4, .branching = 1, .zedsPerRouter = 2};
    c.network.routing.mode = MeshRoutingSettings::Mode::Mesh;
    c.network.routing.manyToOne = true;
    c.network.routing.concentratorIntervalS = 60;
    c.network.security.mode = NwkSecuritySettings::Mode::Real;
    return c;
}

bool isNwkCommand(std::span<const std::uint8_t> macPayload)
{
    return macPayload.size() > 8 && (macPayload[0] & 0x03) == 1;
}

} // namespace

// With Real security every NWK command on the air carries the security header (18 octets
// of airtime more than the plain command) and a source-routed frame is secured too.
TEST(ZigbeeNwkSecurity, ManyToOneRunSecuresCommandsAndSourceRoutes)
{
    auto rollout = Rollout::build(manyToOneRealConfig());
    ASSERT_TRUE(rollout.has_value()) << rollout.error().toString().toStdString();
    SealedLog log;
    (*rollout)->addObserver(&log);
    (*rollout)->runUntil(300.0);
    std::size_t commands = 0;
    std::size_t sourceRouted = 0;
    const NwkSecuritySettings keys;
    for (std::size_t i = 0; i < log.carried.size(); ++i) {
        std::span<const std::uint8_t> macPayload;
        const auto mac = MacFrame::parse(log.carried[i], &macPayload);
        ASSERT_TRUE(mac);
        if (mac->type != MacFrameType::Data)
            continue;
        EXPECT_EQ(macPayload[1] & 0x02, 0x02) << "every NWK frame secured, frame " << i;
        EXPECT_EQ(log.airtime[i], PhyTiming::airtime(log.carried[i].size()));
        std::vector<std::uint8_t> text;
        ASSERT_TRUE(openSealed(log.sealed[i], keys.networkKey, text)) << "MIC of frame " << i;
        if (isNwkCommand(macPayload))
            ++commands;
        if (NwkSourceRoute::present(macPayload)) {
            ++sourceRouted;
            EXPECT_EQ(text[0] & 0x03, 0) << "an APS data frame inside";
        }
    }
    EXPECT_GT(commands, 20u);
    EXPECT_GT(sourceRouted, 5u);
    const ZigbeeNode::MeshStats& coordinator = (*rollout)->network().node(0).meshStats();
    EXPECT_GT(coordinator.sourceRouted, 0u);
    EXPECT_GT(coordinator.manyToOneRequests, 0u);
}

// tshark decrypts the route requests, route records and source-routed OTA frames of a
// many-to-one run with the scenario's network key (no MIC failure).
TEST(ZigbeeNwkSecurity, TsharkDecryptsCommandsAndSourceRoutedFrames)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    const RolloutConfig config = manyToOneRealConfig();
    const Capture c = capture(config, 300.0);
    const std::string text = test::tsharkRead(c.pcap, tsharkKeys(config) + " -V");
    ASSERT_FALSE(text.empty());
    const std::size_t secured = count(text, "Security Control Field: 0x28, Key Id: Network Key, Extended Nonce");
    EXPECT_GT(secured, 50u) << text.substr(0, 4000);
    EXPECT_EQ(count(text, "[Key Label: network]"), secured);
    EXPECT_EQ(count(text, "Encrypted Payload"), 0u) << "a frame tshark could not decrypt (MIC failure)";
    EXPECT_GT(count(text, "Command Identifier: Route Request (0x01)"), 5u) << text.substr(0, 6000);
    EXPECT_GT(count(text, "Command Identifier: Route Record (0x05)"), 0u);
    EXPECT_GT(count(text, "Relay Index:"), 5u) << "source-routed frames in the capture";
    EXPECT_GT(count(text, "Image Block Response"), 5u);
    const std::string blind =
        test::tsharkRead(c.pcap, "-o 'uat:zigbee_pc_keys:\"00000000000000000000000000000000\",\"Normal\",\"wrong\"' -V");
    EXPECT_EQ(count(blind, "Command Identifier: Route Request (0x01)"), 0u);
}

// A router dies; its children's secure rejoin: tshark decrypts the rejoin request and
// response with the network key.
TEST(ZigbeeNwkSecurity, TsharkDecryptsSecureRejoin)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not on PATH (packaging/install-deps.sh installs it)";
    RolloutConfig c = test::starterConfig(8 * 1024, 7);
    c.topology = GeneratedTopology{.routers = 2, .branching = 2, .zedsPerRouter = 3};
    c.channel.hearingRangeM = 20.0;
    c.network.rejoin.enabled = true;
    c.network.security.mode = NwkSecuritySettings::Mode::Real;
    ScenarioConfig s = ScenarioConfig::fromRollout(c);
    faults::FaultSpec f;
    f.kind = faults::FaultKind::GatewayOutage;
    f.target = QStringLiteral("0x0001");
    f.when.atS = 60.0;
    f.permanent = true;
    s.faults.faults.push_back(f);
    auto run = FleetRun::build(s);
    ASSERT_TRUE(run) << run.error().toString().toStdString();
    std::ostringstream pcap(std::ios::binary);
    PcapWriter writer(pcap);
    (*run)->addObserver(&writer);
    (*run)->runUntil(400.0);
    const std::string text = test::tsharkRead(pcap.str(), tsharkKeys(c) + " -V");
    ASSERT_FALSE(text.empty());
    EXPECT_GT(count(text, "Command Identifier: Rejoin Request (0x06)"), 0u) << text.substr(0, 4000);
    EXPECT_GT(count(text, "Command Identifier: Rejoin Response (0x07)"), 0u);
    EXPECT_EQ(count(text, "Encrypted Payload"), 0u) << "a frame tshark could not decrypt (MIC failure)";
}
