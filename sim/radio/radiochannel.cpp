// SPDX-License-Identifier: Apache-2.0
#include "sim/radio/radiochannel.h"

#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/radio/phytiming.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kTxEnd = 1;
constexpr std::uint32_t kFilterEnd = 2;
// EventQueue FIFO lane of the constant delay to the filter point (lanes 0 and 1: Mac).
constexpr std::size_t kFilterLane = 2;

// Address filter point: PSDU octets up to and including the destination address of a
// short-addressed, PAN-ID-compressed MAC header (FCF 2 + DSN 1 + dst PAN 2 + dst 2,
// IEEE 802.15.4-2006 7.2.1); with SHR + PHR (6) that is 13 octets = 416 µs after the
// frame's start.
constexpr std::size_t kFilterPsduOctets = 7;

// Population count without the libgcc call std::popcount makes for baseline x86-64
// (no POPCNT instruction): the SWAR sum.
std::uint32_t popcount64(std::uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return static_cast<std::uint32_t>((x * 0x0101010101010101ull) >> 56);
}

std::uint16_t le16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::int8_t rssiForRecord(double rssiDbm)
{
    if (!std::isfinite(rssiDbm))
        return 0;
    return static_cast<std::int8_t>(std::clamp(std::lround(rssiDbm), -128L, 127L));
}

} // namespace

RadioChannel::RadioChannel(const Config& config, std::unique_ptr<LinkLossModel> loss)
    : m_config(config)
    , m_loss(std::move(loss))
    , m_shortToNode(0x10000, kNoNode)
{
}

RadioChannel::~RadioChannel() = default;

RadioChannel::NodeSlot& RadioChannel::slot(NodeId node)
{
    if (node >= m_nodes.size()) {
        m_nodes.resize(static_cast<std::size_t>(node) + 1);
        m_rxOn.resize(m_nodes.size(), 0);
        m_rxOnBits.resize((m_nodes.size() + 63) / 64, 0);
        m_memberIndex.resize(m_nodes.size(), -1);
    }
    return m_nodes[node];
}

void RadioChannel::attach(Simulator& sim, Mac& mac)
{
    NodeSlot& s = slot(mac.node());
    if (!s.mac) {
        m_memberIndex[mac.node()] = static_cast<std::int32_t>(m_members.size());
        m_members.push_back(mac.node());
    }
    s.mac = &mac;
    s.addressFiltering = mac.config().addressFiltering;
    s.shortAddress = mac.shortAddress();
    s.panId = mac.panId();
    s.rng.emplace(sim.seed(), mac.node(), kRngPurpose);
    if (mac.shortAddress() != 0xFFFF)
        m_shortToNode[mac.shortAddress()] = mac.node();
}

void RadioChannel::connect(NodeId a, NodeId b)
{
    connectOneWay(a, b);
    connectOneWay(b, a);
}

void RadioChannel::connectOneWay(NodeId from, NodeId to)
{
    m_explicitHearing = true;
    if (from == to)
        return;
    slot(to); // may grow m_nodes: before taking a reference into it
    std::vector<NodeId>& hearers = slot(from).hearers;
    if (std::find(hearers.begin(), hearers.end(), to) == hearers.end()) {
        hearers.push_back(to);
        m_hearersSorted = false;
    }
}

void RadioChannel::sortHearers()
{
    for (NodeSlot& s : m_nodes) {
        std::sort(s.hearers.begin(), s.hearers.end());
        s.hearerWords.clear();
        for (std::uint32_t i = 0; i < s.hearers.size(); ++i) {
            const std::uint32_t word = s.hearers[i] / 64;
            if (s.hearerWords.empty() || s.hearerWords.back().word != word)
                s.hearerWords.push_back(HearerWord{word, i, 0});
            s.hearerWords.back().mask |= std::uint64_t{1} << (s.hearers[i] % 64);
        }
    }
    m_hearersSorted = true;
}

std::int32_t RadioChannel::hearerIndex(NodeId src, NodeId node) const
{
    if (!m_explicitHearing)
        return node < m_memberIndex.size() ? m_memberIndex[node] : -1;
    if (!m_hearersSorted) { // set-up time only (hearing changed since the last transmission)
        const std::vector<NodeId>& hearers = m_nodes[src].hearers;
        const auto it = std::find(hearers.begin(), hearers.end(), node);
        return it != hearers.end() ? static_cast<std::int32_t>(it - hearers.begin()) : -1;
    }
    const std::vector<HearerWord>& words = m_nodes[src].hearerWords;
    const std::uint32_t word = node / 64;
    const auto it = std::lower_bound(words.begin(), words.end(), word,
                                     [](const HearerWord& w, std::uint32_t v) { return w.word < v; });
    if (it == words.end() || it->word != word)
        return -1;
    const std::uint64_t bit = std::uint64_t{1} << (node % 64);
    if (!(it->mask & bit))
        return -1;
    return static_cast<std::int32_t>(it->base + popcount64(it->mask & (bit - 1)));
}

void RadioChannel::senseFramesOnAir(NodeId node)
{
    for (const std::uint32_t index : m_onAir) {
        Transmission& tx = m_tx[index];
        if (tx.src == node)
            continue;
        const std::int32_t i = hearerIndex(tx.src, node);
        if (i < 0 || tx.fate[static_cast<std::size_t>(i)] != Miss::Asleep)
            continue;
        tx.fate[static_cast<std::size_t>(i)] = Miss::WokeLate;
        const auto at = std::lower_bound(tx.counted.begin(), tx.counted.end(), static_cast<std::uint32_t>(i));
        tx.counted.insert(at, static_cast<std::uint32_t>(i));
        ++m_nodes[node].heard;
    }
}

NodeId RadioChannel::nodeForShort(std::uint16_t shortAddress) const
{
    if (shortAddress == 0xFFFF)
        return kBroadcastNode;
    return m_shortToNode[shortAddress];
}

bool RadioChannel::hears(NodeId listener, NodeId speaker) const
{
    if (listener == speaker)
        return false;
    if (!m_explicitHearing)
        return true;
    if (speaker >= m_nodes.size())
        return false;
    const std::vector<NodeId>& hearers = m_nodes[speaker].hearers;
    return std::find(hearers.begin(), hearers.end(), listener) != hearers.end();
}

const std::vector<NodeId>& RadioChannel::hearersOf(NodeId src) const
{
    return m_explicitHearing ? m_nodes[src].hearers : m_members;
}

bool RadioChannel::wasBusy(NodeId node, SimTime since, SimTime until) const
{
    if (node >= m_nodes.size())
        return false;
    const NodeSlot& s = m_nodes[node];
    // A frame that ended after `since` overlapped the window: it cannot have started
    // after `until`, being longer than now − until.
    if (s.lastHeardEnd > since)
        return true;
    if (s.heard == 0)
        return false;
    // On the air now: busy if one of them had started by `until`.
    for (const std::uint32_t index : m_onAir) {
        const Transmission& tx = m_tx[index];
        if (tx.src == node || tx.start > until)
            continue;
        const std::int32_t i = hearerIndex(tx.src, node);
        if (i >= 0 && tx.fate[static_cast<std::size_t>(i)] != Miss::Asleep)
            return true;
    }
    return false;
}

void RadioChannel::setReceiverOn(Simulator& sim, NodeId node, bool on)
{
    NodeSlot& s = slot(node);
    if (s.receiverOn == on)
        return;
    s.receiverOn = on;
    m_rxOn[node] = on ? 1 : 0;
    m_rxOnBits[node / 64] ^= std::uint64_t{1} << (node % 64);
    if (on)
        ++m_awakeCount;
    else
        --m_awakeCount;
    if (on) {
        if (!m_onAir.empty())
            senseFramesOnAir(node);
        return;
    }
    if (s.lockedTx >= 0) {
        m_tx[static_cast<std::size_t>(s.lockedTx)].fate[s.lockedHearerIndex] = Miss::SleptDuring;
        s.lockedTx = -1;
        if (s.mac)
            s.mac->channelRxEnded(sim);
    }
}

std::uint32_t RadioChannel::allocateTransmission()
{
    if (!m_freeTx.empty()) {
        const std::uint32_t index = m_freeTx.back();
        m_freeTx.pop_back();
        return index;
    }
    m_tx.emplace_back();
    return static_cast<std::uint32_t>(m_tx.size() - 1);
}

bool RadioChannel::startTransmission(Simulator& sim, NodeId src, std::span<const std::uint8_t> mpdu, NodeId dst,
                                     std::size_t airOnlyOctets)
{
    if (mpdu.size() + airOnlyOctets > PhyTiming::kMaxPhyPacketSize || src >= m_nodes.size())
        return false;
    if (m_nodes[src].transmitting)
        return false;
    if (!m_hearersSorted)
        sortHearers();

    const std::uint32_t index = allocateTransmission();
    {
        NodeSlot& self = m_nodes[src];
        self.transmitting = true;
        if (self.lockedTx >= 0) { // half duplex: our own reception dies
            m_tx[static_cast<std::size_t>(self.lockedTx)].fate[self.lockedHearerIndex] = Miss::Collided;
            self.lockedTx = -1;
            if (self.mac)
                self.mac->channelRxEnded(sim);
        }
    }

    Transmission& tx = m_tx[index];
    tx.src = src;
    tx.dst = dst;
    tx.start = sim.now();
    tx.end = sim.now() + PhyTiming::airtime(mpdu.size() + airOnlyOctets);
    std::copy(mpdu.begin(), mpdu.end(), tx.bytes.begin());
    tx.length = static_cast<std::uint8_t>(mpdu.size());
    tx.psduLength = static_cast<std::uint8_t>(mpdu.size() + airOnlyOctets);

    const std::vector<NodeId>& hearers = hearersOf(src);
    // Asleep hearers are not counted in `heard` unless they wake (senseFramesOnAir), and
    // nothing else happens to them at the start: only hearers whose receiver is on are
    // visited, found from the (short) list of awake nodes when that is cheaper than
    // scanning every hearer. Either way they are handled in ascending hearer order.
    tx.fate.assign(hearers.size(), Miss::Asleep);
    tx.counted.clear();
    tx.dstIndex = dst != src ? hearerIndex(src, dst) : -1;
    tx.filterPending = false;
    std::vector<std::uint32_t>& awakeHearers = m_scratchHearers;
    awakeHearers.clear();
    if (m_explicitHearing) {
        // Awake hearers = the source's hearer bitset AND the receivers-on bitset, one
        // word at a time, in ascending NodeId = hearer order (a node never hears itself).
        for (const HearerWord& w : m_nodes[src].hearerWords) {
            for (std::uint64_t m = w.mask & m_rxOnBits[w.word]; m != 0; m &= m - 1) {
                const std::uint64_t below = (m & (0 - m)) - 1;
                awakeHearers.push_back(w.base + popcount64(w.mask & below));
            }
        }
    } else if (m_awakeCount < hearers.size()) {
        // Everyone hears everyone: the awake nodes from the bitset, in member order.
        for (std::size_t word = 0; word < m_rxOnBits.size(); ++word) {
            for (std::uint64_t m = m_rxOnBits[word]; m != 0; m &= m - 1) {
                const NodeId a = static_cast<NodeId>(word * 64 + static_cast<std::size_t>(std::countr_zero(m)));
                if (a != src && m_memberIndex[a] >= 0)
                    awakeHearers.push_back(static_cast<std::uint32_t>(m_memberIndex[a]));
            }
        }
        std::sort(awakeHearers.begin(), awakeHearers.end()); // member order is attach order
    } else {
        // Branch-free compaction: most hearers of a big fleet are asleep end devices.
        awakeHearers.resize(hearers.size());
        std::size_t n = 0;
        for (std::uint32_t i = 0; i < hearers.size(); ++i) {
            const NodeId h = hearers[i];
            awakeHearers[n] = i;
            n += static_cast<std::size_t>(m_rxOn[h] & static_cast<std::uint8_t>(h != src));
        }
        awakeHearers.resize(n);
    }
    for (const std::uint32_t i : awakeHearers) {
        const NodeId h = hearers[i];
        tx.fate[i] = Miss::Locked;
        tx.counted.push_back(i);
        NodeSlot& s = m_nodes[h];
        if (s.transmitting) {
            tx.fate[i] = Miss::Collided;
        } else if (s.heard > 0) {
            tx.fate[i] = Miss::Collided;
            if (s.lockedTx >= 0)
                s.lockedCorrupt = true; // no capture: the earlier frame dies too
        } else {
            s.lockedTx = static_cast<std::int32_t>(index);
            s.lockedHearerIndex = i;
            s.lockedCorrupt = false;
            if (s.addressFiltering && !addressedTo(s, tx))
                tx.filterPending = true;
            if (s.mac)
                s.mac->channelRxStarted(sim);
        }
        ++s.heard;
    }

    m_onAir.push_back(index);
    ++m_stats.transmissions;
    sim.observers().notifyFrame(FrameRecord{tx.start, tx.end - tx.start, src, dst, m_config.panId,
                                            m_config.channel, FrameFate::Transmitted, 0, 0,
                                            {tx.bytes.data(), tx.length}, m_sealer});
    sim.schedule(tx.end, *this, EventData{src, kTxEnd, index, 0});
    // One event per frame, only if some locked hearer filters it out; a frame that ends
    // by the filter point is received to its end.
    if (tx.filterPending && tx.psduLength > kFilterPsduOctets)
        sim.scheduleAfterFifo(PhyTiming::airtime(kFilterPsduOctets), kFilterLane, *this,
                              EventData{src, kFilterEnd, index, 0});
    else
        tx.filterPending = false;
    return true;
}

bool RadioChannel::addressedTo(const NodeSlot& s, const Transmission& tx)
{
    // Only data and MAC command frames with a short destination address are filtered
    // (the only ones MacFrame produces); anything else is received to its end.
    if (tx.length < kFilterPsduOctets)
        return true;
    const std::uint16_t fcf = le16(tx.bytes.data());
    const std::uint16_t type = fcf & 0x7;
    const bool shortDst = ((fcf >> 10) & 0x3) == 2;
    if ((type != 1 && type != 3) || !shortDst)
        return true;
    const std::uint16_t pan = le16(tx.bytes.data() + 3);
    const std::uint16_t dstShort = le16(tx.bytes.data() + 5);
    return (pan == s.panId || pan == 0xFFFF) && (dstShort == s.shortAddress || dstShort == 0xFFFF);
}

void RadioChannel::filterHearers(Simulator& sim, std::uint32_t index)
{
    if (!m_tx[index].filterPending)
        return;
    m_tx[index].filterPending = false;
    // Index loop: a MAC reacting below never adds a Locked hearer to this frame.
    for (std::size_t k = 0; k < m_tx[index].counted.size(); ++k) {
        Transmission& tx = m_tx[index];
        const std::uint32_t i = tx.counted[k];
        if (tx.fate[i] != Miss::Locked)
            continue;
        NodeSlot& s = m_nodes[hearersOf(tx.src)[i]];
        if (s.lockedTx != static_cast<std::int32_t>(index) || !s.addressFiltering || addressedTo(s, tx))
            continue;
        // The radio drops the frame and listens again (Idle), still sensing its energy:
        // it stays in `heard` until the end, so CCA is busy and an overlapping frame
        // still collides (no capture).
        tx.fate[i] = Miss::Filtered;
        s.lockedTx = -1;
        if (s.mac)
            s.mac->channelRxEnded(sim);
    }
}

void RadioChannel::report(Simulator& sim, const Transmission& tx, NodeId dst, FrameFate fate, double rssiDbm) const
{
    sim.observers().notifyFrame(FrameRecord{sim.now(), tx.end - tx.start, tx.src, dst, m_config.panId,
                                            m_config.channel, fate, rssiForRecord(rssiDbm), 0,
                                            {tx.bytes.data(), tx.length}, m_sealer});
}

void RadioChannel::finishTransmission(Simulator& sim, std::uint32_t index)
{
    m_deliveries.clear();
    {
        Transmission& tx = m_tx[index];
        const std::vector<NodeId>& hearers = hearersOf(tx.src);
        const bool broadcast = tx.dst == kBroadcastNode;
        // One hearer's end of the frame, in hearer order (the order of the reports).
        const auto visit = [&](std::uint32_t i) {
            const NodeId h = hearers[i];
            if (h == tx.src)
                return;
            Miss miss = tx.fate[i];
            if (miss == Miss::Asleep) {
                if (broadcast || h == tx.dst) {
                    ++m_stats.missed;
                    report(sim, tx, h, FrameFate::Missed, std::nan(""));
                }
                return;
            }
            NodeSlot& s = m_nodes[h];
            if (s.heard > 0)
                --s.heard;
            s.lastHeardEnd = sim.now();
            if (miss == Miss::Locked) {
                if (s.lockedTx == static_cast<std::int32_t>(index)) {
                    if (s.lockedCorrupt)
                        miss = Miss::Collided;
                    s.lockedTx = -1;
                    if (s.mac)
                        s.mac->channelRxEnded(sim);
                } else {
                    miss = Miss::Collided; // defensive: lock lost without a recorded reason
                }
            }
            if (!broadcast && h != tx.dst)
                return;
            switch (miss) {
            case Miss::Asleep:
            case Miss::WokeLate:
            case Miss::SleptDuring:
                ++m_stats.missed;
                report(sim, tx, h, FrameFate::Missed, std::nan(""));
                break;
            case Miss::Filtered: // only a PAN mismatch filters the destination itself
                ++m_stats.lost;
                report(sim, tx, h, FrameFate::Lost, std::nan(""));
                break;
            case Miss::Collided:
                ++m_stats.collided;
                report(sim, tx, h, FrameFate::Collided, std::nan(""));
                break;
            case Miss::Locked: {
                LossDecision decision;
                if (m_loss)
                    decision = m_loss->decide(LinkFrame{tx.src, h, tx.start, tx.end, tx.psduLength}, *s.rng);
                if (decision.lost) {
                    ++m_stats.lost;
                    report(sim, tx, h, FrameFate::Lost, decision.rssiDbm);
                } else {
                    ++m_stats.delivered;
                    report(sim, tx, h, FrameFate::Delivered, decision.rssiDbm);
                    m_deliveries.push_back(Delivery{h, decision.rssiDbm});
                }
                break;
            }
            }
        };
        if (broadcast) {
            for (std::uint32_t i = 0; i < hearers.size() && i < tx.fate.size(); ++i)
                visit(i);
        } else {
            // Only counted hearers can be affected, plus an asleep destination (Missed),
            // which is visited at its place in hearer order.
            std::int32_t asleepDst = tx.dstIndex >= 0 && tx.fate[static_cast<std::size_t>(tx.dstIndex)] == Miss::Asleep
                                         ? tx.dstIndex
                                         : -1;
            for (const std::uint32_t i : tx.counted) {
                if (asleepDst >= 0 && static_cast<std::uint32_t>(asleepDst) < i) {
                    visit(static_cast<std::uint32_t>(asleepDst));
                    asleepDst = -1;
                }
                visit(i);
            }
            if (asleepDst >= 0)
                visit(static_cast<std::uint32_t>(asleepDst));
        }
    }

    // Free the slot before calling out: the MACs may start new transmissions (which
    // may reuse it or grow m_tx), so work from copies.
    Transmission& tx = m_tx[index];
    const NodeId src = tx.src;
    const MpduBuffer bytes = tx.bytes;
    const std::size_t length = tx.length;
    m_freeTx.push_back(index);
    m_onAir.erase(std::find(m_onAir.begin(), m_onAir.end(), index));
    m_nodes[src].transmitting = false;

    if (Mac* sender = m_nodes[src].mac)
        sender->channelTxEnded(sim);
    // finishTransmission() runs only from this channel's own events, never from inside
    // a delivery, so m_deliveries stays stable while the receivers react.
    const std::size_t count = m_deliveries.size();
    for (std::size_t i = 0; i < count; ++i) {
        const Delivery d = m_deliveries[i];
        if (Mac* receiver = m_nodes[d.node].mac)
            receiver->channelDeliver(sim, {bytes.data(), length}, src, d.rssiDbm);
    }
}

void RadioChannel::handleEvent(Simulator& sim, const Event& event)
{
    if (event.data.arg0 >= m_tx.size())
        return;
    if (event.data.kind == kTxEnd)
        finishTransmission(sim, static_cast<std::uint32_t>(event.data.arg0));
    else if (event.data.kind == kFilterEnd)
        filterHearers(sim, static_cast<std::uint32_t>(event.data.arg0));
}

} // namespace otalab::sim
