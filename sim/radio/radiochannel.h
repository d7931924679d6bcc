// SPDX-License-Identifier: Apache-2.0
// RadioChannel: the shared 2.4 GHz medium of one PAN — airtime, CCA, collisions, loss.
#pragma once

#include "sim/channel/linklossmodel.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/observerrecords.h"
#include "sim/kernel/randomstream.h"
#include "sim/radio/macframe.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace otalab::sim {

class Mac;

// One 802.15.4 channel shared by the MACs of one PAN.
//
// Who hears whom: by default every attached node hears every other (one collision
// domain). After the first connect() the channel switches to explicit hearing:
// a transmission reaches only the nodes connected to its sender (hidden terminals,
// large multi-hop fleets). Configure hearing before the run; it must not change
// while frames are on the air.
//
// Reception (per hearer of a transmission, decided when the frame starts):
//   * receiver off (sleeping)        → the frame is missed (fate Missed if addressed);
//     a hearer that wakes while the frame is on the air does not decode it either,
//     but senses it (CCA busy) from the moment it wakes;
//   * hearer transmitting            → missed (half duplex; Collided if addressed);
//   * another audible frame on air   → both frames collide at that hearer (no
//     capture effect: the earlier locked frame is corrupted too);
//   * otherwise the hearer locks on the frame. A lock is aborted if the hearer starts
//     transmitting (Collided) or switches its receiver off (Lost).
// At the end of the airtime each addressed hearer (the destination, or every hearer
// of a broadcast) whose lock survived asks the LinkLossModel (with its own
// RandomStream, purpose kRngPurpose) and gets the frame (Delivered) or not (Lost).
// Every outcome is reported to the observers as a FrameRecord; unaddressed hearers
// are silent (they only matter for collisions and CCA).
//
// CCA (wasBusy) is energy detection: busy if any transmission audible at the node is
// on the air, or ended after the CCA window began. Loss models and cuts affect
// decoding only, not interference or CCA.
//
// Simulation thread only. Must outlive every event scheduled on it (destroy the
// Simulator first, or run the queue empty).
class RadioChannel final : public EventHandler {
public:
    // RandomStream purpose of the per-receiver loss streams ('LOSS').
    static constexpr std::uint32_t kRngPurpose = 0x4C4F5353u;

    struct Config {
        std::uint16_t panId = 0x1A62;
        std::uint8_t channel = 11; // 11..26, for the FrameRecords
    };

    struct Stats {
        std::uint64_t transmissions = 0;
        std::uint64_t delivered = 0;
        std::uint64_t lost = 0;
        std::uint64_t collided = 0;
        std::uint64_t missed = 0;  // receiver asleep
    };

    explicit RadioChannel(const Config& config, std::unique_ptr<LinkLossModel> loss = nullptr);
    ~RadioChannel();
    RadioChannel(const RadioChannel&) = delete;
    RadioChannel& operator=(const RadioChannel&) = delete;

    // Loss model consulted for every decodable frame (nullptr: no loss).
    void setLossModel(std::unique_ptr<LinkLossModel> loss) { m_loss = std::move(loss); }
    LinkLossModel* lossModel() const { return m_loss.get(); }

    // Symmetric hearing a ↔ b (switches to explicit hearing).
    void connect(NodeId a, NodeId b);
    // Only `to` hears `from` (switches to explicit hearing).
    void connectOneWay(NodeId from, NodeId to);
    bool explicitHearing() const { return m_explicitHearing; }
    // Sealer put on every FrameRecord (nullptr: none). Its seal() returns false for frames
    // it does not secure, which capture writers then write as carried. Set by the network
    // model that secures frames (ZigbeeNetwork with Real NWK security); must outlive its use.
    void setFrameSealer(const FrameSealer* sealer) { m_sealer = sealer; }
    const FrameSealer* frameSealer() const { return m_sealer; }
    // Whether `listener` hears `speaker` (always, without explicit hearing). O(hearers of
    // speaker); for set-up and rare decisions (a rejoining end device's candidate parents).
    bool hears(NodeId listener, NodeId speaker) const;

    // Node with the given MAC short address (kBroadcastNode for 0xFFFF, kNoNode if
    // no attached MAC has it).
    NodeId nodeForShort(std::uint16_t shortAddress) const;
    const Config& config() const { return m_config; }
    const Stats& stats() const { return m_stats; }

    // --- Interface for Mac (not for upper layers) ---
    // Registers `mac` (called by Mac's constructor). Uses sim.seed(): set it first.
    void attach(Simulator& sim, Mac& mac);
    // Energy detection at `node` over the past window [since, until] (until <= now, and
    // now − until shorter than the shortest frame, 352 µs): true if something audible
    // was on the air at some instant of the window. Lets the MAC evaluate its CCA when
    // the turnaround that follows it ends, without an event at the end of the CCA.
    bool wasBusy(NodeId node, SimTime since, SimTime until) const;
    void setReceiverOn(Simulator& sim, NodeId node, bool on);
    // Puts `mpdu` on the air from `src` now, addressed to `dst` (a node, kBroadcastNode,
    // or kNoNode for an address nobody has). `airOnlyOctets` are octets the sender
    // models without carrying them (Mac::send): the PSDU on the air is
    // mpdu.size() + airOnlyOctets octets (airtime, loss model), while receivers and
    // FrameRecords get exactly `mpdu`. Returns false (nothing sent) if `src` is already
    // transmitting or the PSDU exceeds 127 octets. The MAC gets Mac::channelTxEnded()
    // after airtime(mpdu.size() + airOnlyOctets).
    bool startTransmission(Simulator& sim, NodeId src, std::span<const std::uint8_t> mpdu, NodeId dst,
                           std::size_t airOnlyOctets = 0);

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    // Per hearer of a transmission. Every fate but Asleep counts in the hearer's
    // `heard` (energy on the air); Asleep hearers are skipped until they wake.
    // Filtered: locked, then dropped by the hearer's address filter once the MAC header
    // showed the frame is for another node (it still senses the energy until the end).
    enum class Miss : std::uint8_t { Locked, Asleep, WokeLate, SleptDuring, Collided, Filtered };

    // One 64-node word of a sparse hearer bitset: the hearers with NodeId in
    // [64 word, 64 word + 63] (bit n − 64 word) and how many hearers precede them.
    struct HearerWord {
        std::uint32_t word = 0;
        std::uint32_t base = 0; // hearer index of the word's lowest set bit
        std::uint64_t mask = 0;
    };

    struct NodeSlot {
        Mac* mac = nullptr;
        bool receiverOn = false;
        bool transmitting = false;
        std::uint32_t heard = 0;          // audible transmissions on the air
        std::int32_t lockedTx = -1;       // transmission being received
        std::uint32_t lockedHearerIndex = 0;
        bool lockedCorrupt = false;
        SimTime lastHeardEnd = SimTime::min();
        bool addressFiltering = false;    // MacConfig::addressFiltering of the attached MAC
        std::uint16_t shortAddress = 0xFFFF; // of the attached MAC (address filter)
        std::uint16_t panId = 0xFFFF;
        std::vector<NodeId> hearers;      // explicit hearing: who hears this node
        std::vector<HearerWord> hearerWords; // `hearers` as a sparse bitset (sortHearers)
        std::optional<RandomStream> rng;  // loss decisions as receiver
    };

    struct Transmission {
        NodeId src = kNoNode;
        NodeId dst = kNoNode;
        SimTime start;
        SimTime end;
        MpduBuffer bytes{};
        std::uint8_t length = 0;     // octets in `bytes` (what receivers and records get)
        std::uint8_t psduLength = 0; // octets on the air: length + the sender's air-only octets
        std::vector<Miss> fate; // per hearer, in hearer order
        // Indices (ascending) of the hearers whose fate is not Asleep: the only ones the
        // end of a unicast has to visit, besides an asleep destination (dstIndex).
        std::vector<std::uint32_t> counted;
        std::int32_t dstIndex = -1; // the unicast destination's hearer index, -1 if not a hearer
        bool filterPending = false; // a FilterEnd event is scheduled (some locked hearer is unaddressed)
    };

    struct Delivery {
        NodeId node;
        double rssiDbm;
    };

    NodeSlot& slot(NodeId node);
    const std::vector<NodeId>& hearersOf(NodeId src) const;
    // Index of `node` in hearersOf(src), or -1 (explicit lists are sorted by NodeId).
    std::int32_t hearerIndex(NodeId src, NodeId node) const;
    void sortHearers();
    // A node's receiver came on: it senses (but cannot decode) frames already on the air.
    void senseFramesOnAir(NodeId node);
    std::uint32_t allocateTransmission();
    void finishTransmission(Simulator& sim, std::uint32_t index);
    // Address filter (MacConfig::addressFiltering): hearers locked on `index` whose MAC
    // header is addressed elsewhere stop receiving (FilterEnd event, one per frame).
    void filterHearers(Simulator& sim, std::uint32_t index);
    // Whether a hearer with `s`'s addresses would keep receiving the MPDU after its
    // addressing fields (IEEE 802.15.4-2006 7.5.6.2, third-level filtering).
    static bool addressedTo(const NodeSlot& s, const Transmission& tx);
    void report(Simulator& sim, const Transmission& tx, NodeId dst, FrameFate fate, double rssiDbm) const;

    Config m_config;
    std::unique_ptr<LinkLossModel> m_loss;
    std::vector<NodeSlot> m_nodes;    // indexed by NodeId
    std::vector<NodeId> m_members;    // attach order
    std::vector<NodeId> m_shortToNode; // 65536 entries (kNoNode: none)
    std::vector<Transmission> m_tx;
    std::vector<std::uint32_t> m_freeTx;
    std::vector<std::uint32_t> m_onAir;    // indices into m_tx of transmissions on the air
    std::vector<std::uint8_t> m_rxOn;      // by NodeId: receiver on (hot copy of NodeSlot::receiverOn)
    std::vector<std::uint64_t> m_rxOnBits; // the same as a bitset (bit n % 64 of word n / 64)
    std::size_t m_awakeCount = 0;          // receivers on
    std::vector<std::int32_t> m_memberIndex; // by NodeId: index in m_members, -1 if not attached
    std::vector<std::uint32_t> m_scratchHearers; // hearer indices, reused by startTransmission
    bool m_hearersSorted = true;
    std::vector<Delivery> m_deliveries; // scratch, reused
    bool m_explicitHearing = false;
    const FrameSealer* m_sealer = nullptr; // setFrameSealer
    Stats m_stats;
};

} // namespace otalab::sim
