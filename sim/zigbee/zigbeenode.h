// SPDX-License-Identifier: Apache-2.0
// ZigbeeNode: one device's NWK + APS data service on top of its Mac (coordinator, router or sleepy end device).
#pragma once

#include "core/common/error.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/timer.h"
#include "sim/radio/macupper.h"
#include "sim/zigbee/apsreliability.h"
#include "sim/zigbee/apsupper.h"
#include "sim/zigbee/broadcasttable.h"
#include "sim/zigbee/indirectqueue.h"
#include "sim/zigbee/meshrouting.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/noderole.h"
#include "sim/zigbee/nwkconfig.h"
#include "sim/zigbee/nwkdropreason.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/rejoin.h"
#include "sim/zigbee/zigbeeframe.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

class Mac;
class TreeRouting;
class ZigbeeOutageLoss;
struct ZigbeeDataFrame;

// The NWK layer (unsecured frames, tree routing) and APS data service of one node.
//
// Sending (sendAps): the frame (NWK | APS | payload, on the air for as long as a frame
// with the budget's security octets would be) goes to the next hop of the tree (TreeRouting). To a router/coordinator it is sent at once
// with a MAC acknowledgement (the MAC's CSMA-CA and macMaxFrameRetries are the per-hop
// retries); to a sleepy child it is *held* in the IndirectQueue until the child polls.
// Relays decrement the radius and forward the same way; a frame whose radius would
// reach 0 is dropped.
//
// Broadcasts (destination 0xFFF8..0xFFFF): routers and the coordinator send them as
// MAC broadcasts; a sleepy end device unicasts them to its parent (Zigbee R22 3.6.5).
// Every receiver handles a (NWK source, sequence) pair once (BroadcastTable); routers
// relay it once, after a jitter uniform in [0, broadcastJitterMax), with radius − 1.
// Broadcasts are never held for sleepy children: a ZED gets one only if its radio
// happens to be on (polling or sending) — "ZEDs miss broadcasts while asleep".
// 0xFFFF is delivered to every device, 0xFFFD/0xFFFC (and the other reserved
// broadcast addresses) to routers and the coordinator only.
//
// Polling (sleepy end devices, macRxOnWhenIdle = FALSE): every pollInterval the ZED
// sends a MAC Data Request (command 0x04) to its parent. The parent's MAC ACK carries
// the frame-pending bit (MacUpper::hasPendingFor) when it holds a frame for the child (queued, or handed to the MAC and not yet acknowledged);
// the parent then sends the oldest held frame (one per poll). On an ACK with frame
// pending the ZED keeps its receiver on for pollResponseWait; after receiving the held
// frame it polls again at once (fast poll) and goes on until a poll's ACK has the
// frame-pending bit clear. (The existing Mac cannot set the frame-pending bit on the
// data frame itself, so "more pending" is learnt from the next poll's ACK; see README.)
// Held frames expire indirectPersistence (7.68 s) after being queued and are dropped
// with NwkDropReason::IndirectExpired.
//
// Reporting: every originated frame gets exactly one ApsUpper::onApsSendComplete;
// every drop (originated or relayed) goes to the NwkDropListener.
//
// Simulation thread only. Must outlive its pending events and its Mac's (destroy the
// Simulator first); references to the Mac, routing and config must stay valid.
class ZigbeeNode final : public MacUpper, public EventHandler {
public:
    // RandomStream purpose of broadcast jitter draws ('NWKJ').
    static constexpr std::uint32_t kRngPurpose = 0x4E574B4Au;

    // A full APSDE-DATA.request (sendAps(dst, endpoint, cluster, payload) uses the same
    // endpoint at both ends).
    struct ApsRequest {
        std::uint16_t dstShort = 0;          // a node or a broadcast address (0xFFFF, 0xFFFD, 0xFFFC)
        std::uint8_t dstEndpoint = 1;
        std::uint8_t srcEndpoint = 1;
        std::uint16_t clusterId = 0;
        std::span<const std::uint8_t> payload; // the ZCL frame; copied before return
    };

    struct Stats {
        std::uint64_t originated = 0;       // sendAps() accepted
        std::uint64_t received = 0;         // handed to the ApsUpper
        std::uint64_t relayedUnicast = 0;
        std::uint64_t relayedBroadcast = 0;
        std::uint64_t duplicateBroadcasts = 0;
        std::uint64_t held = 0;             // frames queued for sleepy children
        std::uint64_t heldDelivered = 0;    // held frames acknowledged by the child
        std::uint64_t polls = 0;            // Data Requests sent (ZED)
        std::uint64_t pollsWithPending = 0; // ... whose ACK had the frame-pending bit
        std::uint64_t pollWaitTimeouts = 0; // frame pending, but nothing came in time
        std::uint64_t closedFormPolls = 0;  // ... of `polls`, accounted in closed form (idlePolls = ClosedForm)
        std::array<std::uint64_t, kNwkDropReasonCount> drops{}; // indexed by NwkDropReason
        // Rejoin (NwkModelConfig::rejoin): ZED side
        std::uint64_t parentLosses = 0;      // moves started (missed polls reached the limit)
        std::uint64_t rejoinRequests = 0;    // NWK rejoin requests sent
        std::uint64_t rejoins = 0;           // rejoin responses with SUCCESS (new parent)
        SimTime lastRejoinDuration;          // parent lost → rejoin response, of the last rejoin
        // ... router side
        std::uint64_t rejoinsAccepted = 0;   // rejoin requests answered with SUCCESS
        // APS acknowledgements (NwkModelConfig::aps.ack)
        std::uint64_t apsRetries = 0;        // retransmissions of APS frames after an ack wait
        std::uint64_t apsAcksSent = 0;       // APS ACK frames originated (duplicates re-ACKed included)
        std::uint64_t apsAcksReceived = 0;   // APS ACKs that completed a send
        std::uint64_t apsDuplicates = 0;     // data frames rejected by the duplicate table
        std::uint64_t apsAckTimeouts = 0;    // sends that failed after 1 + maxRetries attempts
    };

    // Attaches itself as `mac`'s upper layer. The MAC's rxOnWhenIdle must match the
    // role (false only for EndDevice). A ZED polls only after startPolling().
    ZigbeeNode(Simulator& sim, Mac& mac, NodeRole role, const TreeRouting& routing, const NwkConfig& config);
    ZigbeeNode(const ZigbeeNode&) = delete;
    ZigbeeNode& operator=(const ZigbeeNode&) = delete;

    void setUpper(ApsUpper* upper) { m_upper = upper; }
    void setDropListener(NwkDropListener* listener) { m_dropListener = listener; }

    // APSDE-DATA.request. Returns a handle echoed in ApsSendResult, or an error with
    // nothing sent: payload larger than maxApsPayloadBytes() ("aps.payload"), unknown
    // or own destination ("nwk.route"), MAC queue or indirect queue full ("mac.queue",
    // "nwk.indirect"). Completion always comes later (never inside this call).
    Result<std::uint32_t> sendAps(std::uint16_t dstShort, std::uint8_t endpoint, std::uint16_t clusterId,
                                  std::span<const std::uint8_t> payload);
    Result<std::uint32_t> sendAps(const ApsRequest& request);
    // Largest APS payload one frame carries under the network's FrameBudget.
    std::size_t maxApsPayloadBytes() const;

    // --- Sleepy end devices (no-ops for other roles) ---
    // First poll `firstPollDelay` from now, then every pollInterval().
    void startPolling(SimTime firstPollDelay);
    void stopPolling();
    // Changes the poll period (e.g. fast polling while an OTA download runs); a
    // running poll timer is re-armed to fire `interval` from now.
    void setPollInterval(SimTime interval);
    SimTime pollInterval() const { return m_pollInterval; }
    // Sends a Data Request now unless one is in flight or a held frame is awaited.
    // Does not move the periodic schedule. Returns whether a poll was sent.
    // With NwkModelConfig::idlePolls = ClosedForm, a poll that would find nothing
    // (parent holds nothing for us, both radios quiet) is counted and charged, not sent
    // (closedFormPoll; sim/zigbee/README.md "Closed-form idle polls").
    bool pollNow();

    // --- Rejoin (NwkModelConfig::rejoin; sim/zigbee/rejoin.h, rejoinnode.cpp) ---
    // Current parent (0xFFFF for the coordinator); a ZED's changes when it rejoins.
    std::uint16_t parent() const { return m_parent; }
    // Set by ZigbeeNetwork when rejoin is enabled; nullptr: no rejoins (the old model).
    void setRejoinDirectory(RejoinDirectory* directory) { m_rejoinDirectory = directory; }
    // ZED: looks for a new parent now, as after pollFailures missed polls. No-op without a
    // directory, for other roles, or while a move runs.
    void startRejoin();
    const ZedRejoin& rejoinState() const { return m_rejoin; }
    // The ZigbeeNode of this end device's parent (set by ZigbeeNetwork; whoever moves the
    // device to another parent sets it again). Closed-form polls ask it hasPendingFor();
    // null, or a node whose short address is not the parent's, means every poll goes on air.
    void setParentNode(ZigbeeNode* parent) { m_parentNode = parent; }
    // Dark intervals (faults: power loss, router/link outage). A closed-form poll is never
    // made while this device or its parent is dark during the poll: such polls go on air
    // (and fail there, so rejoin sees them). Set by ZigbeeFleet; null = none.
    void setOutages(const ZigbeeOutageLoss* outages) { m_outages = outages; }

    // --- Mesh routing (NwkModelConfig::routing.mode == Mesh; zigbeenodemesh.cpp) ---
    // Routers and the coordinator: installs the neighbour table (routers/coordinator
    // heard both ways, from the channel's hearing graph) and creates the routing state.
    // Set by ZigbeeNetwork::start() in Mesh mode; no-op for end devices or in Tree mode.
    void setMeshNeighbours(std::vector<std::uint16_t> neighbours);
    // Coordinator with routing.manyToOne: broadcasts a many-to-one route request now and
    // every concentratorIntervalS.
    void startConcentrator();
    // nullptr unless this node routes in Mesh mode.
    const MeshRouting* mesh() const { return m_mesh.get(); }
    struct MeshStats {
        std::uint64_t routeRequests = 0;      // route discoveries started (route request broadcasts)
        std::uint64_t manyToOneRequests = 0;  // many-to-one route requests broadcast (concentrator)
        std::uint64_t routeReplies = 0;       // route replies originated (as the destination)
        std::uint64_t routeRecords = 0;       // route records originated
        std::uint64_t sourceRouted = 0;       // frames sent with a source route subframe
        std::uint64_t sourceRouteTooLong = 0; // source route would not fit: sent hop by hop
        std::uint64_t discoveriesFailed = 0;  // buffered frames dropped at nwkcRouteDiscoveryTime
        std::uint64_t buffered = 0;           // frames that waited for a route discovery
    };
    const MeshStats& meshStats() const { return m_meshStats; }

    NodeRole role() const { return m_role; }
    std::uint16_t shortAddress() const;
    NodeId node() const;
    const Stats& stats() const { return m_stats; }
    std::uint64_t drops(NwkDropReason reason) const { return m_stats.drops[static_cast<std::size_t>(reason)]; }
    // Frames held for sleepy children (parents only).
    const IndirectQueue& indirectQueue() const { return m_indirect; }

    // MacUpper
    void onSendComplete(Simulator& sim, const MacSendResult& result) override;
    void onReceive(Simulator& sim, const MacIndication& indication) override;
    bool hasPendingFor(std::uint16_t srcShort) const override;
    // EventHandler
    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { PollDue = 1, PollWaitEnd = 2, IndirectExpiry = 3, BroadcastRelay = 4, ApsAckWait = 5, ApsAckPoll = 6 };
    enum class SendKind : std::uint8_t { Data, Poll, Indirect, RejoinRequest, RejoinPoll };
    static constexpr std::uint32_t kRejoinStepKind = 20; // event kind of m_rejoinTimer

    // What the completion of one MAC send refers to.
    struct InFlight {
        std::uint32_t macHandle = 0;
        SendKind kind = SendKind::Data;
        std::uint32_t apsHandle = 0; // 0: not originated here
        std::uint16_t nwkSrc = 0;
        std::uint16_t nwkDst = 0;
        std::uint8_t nwkSequence = 0;
        std::uint16_t nextHop = 0xFFFF;
        SimTime requestedAt;
        std::uint8_t apsCounter = 0;
    };
    struct Relay {
        NwkFrameBuffer frame;
        bool used = false;
    };
    // An originated unicast waiting for its APS ACK (aps.ack on).
    struct ApsPending {
        std::uint32_t apsHandle = 0;
        NwkFrameBuffer frame;           // NWK | APS | payload of the last attempt
        std::uint16_t dst = 0;
        std::uint8_t apsCounter = 0;
        std::uint8_t nwkSequence = 0;   // of the last attempt
        std::uint8_t attempts = 0;      // transmissions so far (1 = the first)
        std::uint8_t macTransmissions = 0;
        NwkDropReason lastReason = NwkDropReason::None; // last attempt's NWK drop, if any
        SimTime requestedAt;
        Timer ackTimer;
    };

    NwkDropReason transmit(const NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta);
    void handleData(Simulator& sim, std::span<const std::uint8_t> frame, const MacIndication& indication);
    void deliver(Simulator& sim, const ZigbeeDataFrame& frame, double rssiDbm);
    void scheduleRelay(Simulator& sim, std::span<const std::uint8_t> frame);
    void serveDataRequest(Simulator& sim, std::uint16_t child);
    void armExpiry(Simulator& sim);
    // m_pollInterval with the sleep-clock jitter (NwkConfig::pollJitterFraction).
    SimTime nextPollPeriod();
    // ClosedForm idle poll: true if this poll was accounted without the channel.
    bool closedFormPoll();
    void onExpiry(Simulator& sim);
    void onRelay(Simulator& sim, std::size_t slot);
    void drop(Simulator& sim, NwkDropReason reason, const InFlight& meta, SimTime heldSince = SimTime::min());
    void completeDelivered(Simulator& sim, const InFlight& meta, std::uint8_t transmissions);
    bool isSleepyChild(std::uint16_t shortAddress) const;
    // Octets of every NWK data frame charged as airtime but not carried in its bytes:
    // the budget's modelled security overhead (Mac::send airOnlyOctets).
    std::size_t airOnlyOctets() const;
    EventData data(Kind kind, std::uint64_t arg0 = 0) const;
    // Rejoin (rejoinnode.cpp).
    void onPollOutcome(MacStatus status);
    void tryRejoinCandidate();
    void onRejoinSendComplete(Simulator& sim, const InFlight& meta, const MacSendResult& result);
    void onRejoinCommand(Simulator& sim, const MacIndication& indication);
    void onRejoinStep(Simulator& sim, const Event& event);
    void rejoinCandidateFailed();
    // APS acknowledgements (NwkModelConfig::aps.ack; sim/zigbee/README.md "APS acknowledgements").
    // Whether `meta` is an originated unicast tracked by m_apsPending (completion = APS ACK).
    bool apsTracked(const InFlight& meta) const;
    ApsPending* findApsPending(std::uint32_t apsHandle);
    SimTime apsAckWait(std::uint16_t dst) const;
    void onApsAckWait(Simulator& sim, std::uint32_t apsHandle);
    void onApsAck(Simulator& sim, const ZigbeeDataFrame& frame);
    void sendApsAck(const ZigbeeDataFrame& frame);
    void finishAps(Simulator& sim, std::uint32_t apsHandle, bool acked);
    // Next hop / hand-off of an APS retry or ACK, routed like sendAps (mesh or tree).
    std::optional<std::uint16_t> apsNextHop(std::uint16_t dst) const;
    NwkDropReason apsTransmit(NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta);
    // Real NWK security (NwkModelConfig::security.mode == Real; sim/zigbee/nwksecurity.h).
    // The security fields of a secured frame this node originates (advances the APS frame
    // counter when apsSecured; the NWK counter is stamped by securedView); nullptr unless Real.
    const ZigbeeFrameSecurity* nextSecurity(bool apsSecured);
    // Secures a NWK-secured frame as this node hands it to the MAC: own EUI-64 and next
    // NWK frame counter (hop-by-hop security, counters in transmission order; MAC retries
    // resend the same bytes). No-op on unsecured frames.
    void restampSecurity(NwkFrameBuffer& frame);
    // frame.view(), or (Real security) a restamped copy of it in `scratch`; a NWK command
    // frame (built unsecured) gets its security header there (secureNwkCommand).
    std::span<const std::uint8_t> securedView(const NwkFrameBuffer& frame, std::optional<NwkFrameBuffer>& scratch);
    // Real security: a received NWK-secured command frame is checked (frame counter) and
    // handed to onReceive opened (openNwkCommand); true when `indication` was one.
    bool receiveSecuredCommand(Simulator& sim, const MacIndication& indication);
    // Incoming frame counter check (nwkSecurityMaterial, Zigbee R22 4.3.1.2 step 6):
    // false for a NWK-secured frame whose counter is below the next expected from its
    // sender; true (and the expectation advanced) otherwise.
    bool acceptFrameCounter(const ZigbeeDataFrame& frame);
    bool acceptFrameCounter(const ZigbeeAuxHeader& nwkAux);

    // Mesh routing (zigbeenodemesh.cpp). kAwaitRoute: "no route yet, discover one".
    static constexpr std::uint16_t kAwaitRoute = 0xFFFE;
    static constexpr std::uint32_t kRouteDiscoveryEndKind = 30; // arg0: the route target
    static constexpr std::uint32_t kConcentratorKind = 31;
    static constexpr std::size_t kAwaitingRouteCapacity = 16; // frames buffered during discoveries
    struct AwaitingRoute {
        NwkFrameBuffer frame;
        InFlight meta;
        std::uint16_t target = 0;
        SimTime deadline;
    };
    // Where a unicast for `dst` goes first: a sleepy child, a neighbour, a routing-table
    // next hop, kAwaitRoute (discovery needed; originating only), or the tree (relaying).
    std::optional<std::uint16_t> meshNextHop(std::uint16_t dst, bool originating) const;
    // The router a unicast for `dst` is routed to: dst itself, or an end device's parent.
    std::uint16_t meshTarget(std::uint16_t dst) const;
    // Sends an originated frame in Mesh mode: buffers it during a discovery, sends a due
    // route record first, adds a source route at the concentrator.
    NwkDropReason meshSend(NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta);
    void startRouteDiscovery(Simulator& sim, std::uint16_t target);
    void onRouteDiscoveryEnd(Simulator& sim, std::uint16_t target);
    void flushAwaitingRoute(Simulator& sim, std::uint16_t target);
    void sendRouteRecord(std::uint16_t nwkSrc);
    void sendManyToOneRequest(Simulator& sim);
    // NWK command frames (route request / reply / record, network status) and
    // source-routed frames; true when handled (handleData stops there).
    bool handleMeshFrame(Simulator& sim, std::span<const std::uint8_t> bytes, const MacIndication& indication);
    void onRouteRequest(Simulator& sim, std::span<const std::uint8_t> bytes, std::uint16_t prev);
    void onRouteReply(Simulator& sim, std::span<const std::uint8_t> bytes, std::uint16_t prev);
    void onRouteRecord(Simulator& sim, std::span<const std::uint8_t> bytes);
    void onSourceRouted(Simulator& sim, std::span<const std::uint8_t> bytes, const MacIndication& indication);
    // Sends a NWK command frame this node originates (its own command sequence).
    NwkDropReason sendCommand(std::uint16_t nwkDst, std::uint16_t nextHop, const NwkCommand& command);

    Simulator& m_sim;
    Mac& m_mac;
    NodeRole m_role;
    const TreeRouting& m_routing;
    const NwkConfig& m_config;
    ApsUpper* m_upper = nullptr;
    NwkDropListener* m_dropListener = nullptr;
    RandomStream m_rng;
    std::uint16_t m_parent = 0xFFFF;

    std::uint8_t m_nwkSequence = 0;
    std::uint8_t m_apsCounter = 0;
    std::uint32_t m_nextApsHandle = 1;
    std::vector<InFlight> m_inFlight; // at most the MAC queue capacity
    BroadcastTable m_broadcasts;
    std::vector<Relay> m_relays;      // broadcast relays waiting for their jitter

    IndirectQueue m_indirect;
    Timer m_expiryTimer;
    SimTime m_expiryAt = SimTime::max();

    SimTime m_pollInterval;
    Timer m_pollTimer;
    Timer m_pollWaitTimer;
    bool m_pollInFlight = false;
    bool m_awaitingIndirect = false;

    RejoinDirectory* m_rejoinDirectory = nullptr;
    ZedRejoin m_rejoin{m_config.model.rejoin};
    Timer m_rejoinTimer;
    ZigbeeNode* m_parentNode = nullptr;           // setParentNode
    const ZigbeeOutageLoss* m_outages = nullptr;  // setOutages
    SimTime m_closedFormPollUntil = SimTime::min(); // end of the last closed-form poll's notional radio time

    ApsReliability m_aps;             // resolved NwkModelConfig::aps
    ApsDuplicateTable m_apsDuplicates;
    std::vector<ApsPending> m_apsPending;
    Timer m_apsPollTimer;             // ZED: short poll while an APS ACK is awaited

    // Real NWK security (EUI-64 = zbsec::euiOf(node)): outgoing frame counters, and the
    // next frame counter expected from each sender EUI-64.
    std::uint32_t m_nwkFrameCounter = 0;
    std::uint32_t m_apsFrameCounter = 0;
    std::unordered_map<std::uint64_t, std::uint32_t> m_incomingCounters;
    ZigbeeFrameSecurity m_security; // returned by nextSecurity

    Stats m_stats;

    std::unique_ptr<MeshRouting> m_mesh; // routers/coordinator in Mesh mode
    std::vector<AwaitingRoute> m_awaitingRoute;
    Timer m_concentratorTimer;
    std::uint8_t m_commandSequence = 0x80; // NWK sequence of originated command frames
    MeshStats m_meshStats;
};

} // namespace otalab::sim
