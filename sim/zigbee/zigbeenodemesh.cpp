// SPDX-License-Identifier: Apache-2.0
// ZigbeeNode, Mesh routing (NwkModelConfig::routing.mode == Mesh): route discovery, many-to-one
// routing, route records and source-routed frames. Tree mode never reaches this file.
#include "sim/zigbee/zigbeenode.h"

#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/zigbee/nwkcommand.h"
#include "sim/zigbee/nwksourceroute.h"
#include "sim/zigbee/treerouting.h"

#include <algorithm>

namespace otalab::sim {

namespace {

constexpr std::uint16_t kConcentrator = 0x0000; // the coordinator (the only concentrator here)

std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

// nwkcRouteDiscoveryTime, or the scenario's "routeDiscoveryTimeoutMs" when set.
SimTime discoveryTime(const NwkConfig& config)
{
    const std::int64_t msConfigured = config.model.routing.routeDiscoveryTimeoutMs;
    return SimTime::fromMillis(msConfigured > 0 ? msConfigured : MeshRouting::kRouteDiscoveryTimeMs);
}

bool isCommandFrame(std::span<const std::uint8_t> bytes)
{
    return bytes.size() > NwkHeader::kBytes && (bytes[0] & 0x03) == static_cast<std::uint8_t>(NwkFrameType::Command);
}

} // namespace

void ZigbeeNode::setMeshNeighbours(std::vector<std::uint16_t> neighbours)
{
    if (m_config.model.routing.mode != MeshRoutingSettings::Mode::Mesh || m_role == NodeRole::EndDevice)
        return;
    if (!m_mesh)
        m_mesh = std::make_unique<MeshRouting>();
    m_mesh->setNeighbours(std::move(neighbours));
}

void ZigbeeNode::startConcentrator()
{
    if (!m_mesh || m_role != NodeRole::Coordinator || !m_config.model.routing.manyToOne)
        return;
    sendManyToOneRequest(m_sim);
}

std::uint16_t ZigbeeNode::meshTarget(std::uint16_t dst) const
{
    if (m_routing.roleOf(dst) == NodeRole::EndDevice)
        return m_routing.parentOf(dst).value_or(dst);
    return dst;
}

std::optional<std::uint16_t> ZigbeeNode::meshNextHop(std::uint16_t dst, bool originating) const
{
    const std::uint16_t self = m_mac.shortAddress();
    if (dst == self || !m_routing.contains(dst))
        return std::nullopt;
    if (isSleepyChild(dst))
        return dst;
    const std::uint16_t target = meshTarget(dst);
    if (m_mesh->isNeighbour(target))
        return target;
    if (const MeshRouting::Route* route = m_mesh->route(target))
        return route->nextHop;
    if (originating)
        return kAwaitRoute;
    // A relay without a route (the discovery went along another path, or the frame
    // follows the tree): tree routing, which every Zigbee PRO router may fall back on.
    return m_routing.nextHop(self, dst);
}

NwkDropReason ZigbeeNode::meshSend(NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta)
{
    const std::uint16_t target = meshTarget(meta.nwkDst);
    const std::uint16_t self = m_mac.shortAddress();
    // Concentrator: a recorded route becomes a source route subframe (Zigbee R22 3.6.3.3.2).
    if (const MeshRouting::SourceRoute* sr = m_mesh->sourceRoute(target);
        sr && !isSleepyChild(meta.nwkDst) && !m_mesh->isNeighbour(target)) {
        NwkSourceRoute sub;
        std::size_t n = 0;
        if (target != meta.nwkDst)
            sub.relays[n++] = target; // the end device's parent relays last
        for (const std::uint16_t r : sr->relays)
            if (n < NwkSourceRoute::kMaxRelays)
                sub.relays[n++] = r;
        sub.relayCount = static_cast<std::uint8_t>(n);
        sub.relayIndex = static_cast<std::uint8_t>(n - 1);
        const std::size_t maxLength = MacFrame::kMaxPayloadBytes - std::min(airOnlyOctets(), MacFrame::kMaxPayloadBytes);
        if (n > 0) {
            NwkFrameBuffer routed = frame;
            if (sub.insertInto(routed, maxLength)) {
                ++m_meshStats.sourceRouted;
                InFlight m = meta;
                m.nextHop = sub.relays[n - 1];
                return transmit(routed, m.nextHop, m);
            }
            ++m_meshStats.sourceRouteTooLong;
            if (nextHop == kAwaitRoute)
                nextHop = m_routing.nextHop(self, meta.nwkDst).value_or(kAwaitRoute);
        }
    }
    if (nextHop == kAwaitRoute) {
        if (m_awaitingRoute.size() >= kAwaitingRouteCapacity)
            return NwkDropReason::MacQueueFull;
        const bool discovering = std::any_of(m_awaitingRoute.begin(), m_awaitingRoute.end(),
                                             [target](const AwaitingRoute& a) { return a.target == target; });
        m_awaitingRoute.push_back(AwaitingRoute{frame, meta, target,
                                                m_sim.now() + discoveryTime(m_config)});
        ++m_meshStats.buffered;
        if (!discovering)
            startRouteDiscovery(m_sim, target);
        return NwkDropReason::None;
    }
    // EmberZNet sends a route record before the first unicast to a concentrator after
    // each many-to-one route request that asked for records (ember "route record policy";
    // Zigbee R22 3.6.3.5.4 route record initiation).
    if (meta.nwkDst == kConcentrator && m_mesh->routeRecordDue) {
        const MeshRouting::Route* toConcentrator = m_mesh->route(kConcentrator);
        if (toConcentrator && toConcentrator->manyToOne)
            sendRouteRecord(self);
    }
    return transmit(frame, nextHop, meta);
}

void ZigbeeNode::startRouteDiscovery(Simulator& sim, std::uint16_t target)
{
    const std::uint8_t id = m_mesh->nextRequestId();
    MeshRouting::Discovery own;
    own.reverseHop = m_mac.shortAddress();
    own.forwardCost = 0;
    own.expiresAt = sim.now() + discoveryTime(m_config);
    m_mesh->expireDiscoveries(sim.now());
    m_mesh->addDiscovery(m_mac.shortAddress(), id, own);
    // 3.6.3.5.1: route request broadcast to all routers (0xFFFC), path cost 0.
    static_cast<void>(sendCommand(kNwkBroadcastRouters, 0xFFFF, NwkCommand{NwkRouteRequest{ManyToOne::No, id, target, 0}}));
    ++m_meshStats.routeRequests;
    sim.scheduleAfter(discoveryTime(m_config), *this,
                      EventData{m_mac.node(), kRouteDiscoveryEndKind, target, 0});
}

void ZigbeeNode::onRouteDiscoveryEnd(Simulator& sim, std::uint16_t target)
{
    // nwkcRouteDiscoveryTime elapsed without a reply: the buffered frames are dropped
    // (NO_ROUTE_AVAILABLE; EmberZNet reports EMBER_DELIVERY_FAILED to the sender).
    for (auto it = m_awaitingRoute.begin(); it != m_awaitingRoute.end();) {
        if (it->target == target && it->deadline <= sim.now()) {
            const InFlight meta = it->meta;
            it = m_awaitingRoute.erase(it);
            ++m_meshStats.discoveriesFailed;
            drop(sim, NwkDropReason::NoRoute, meta);
        } else {
            ++it;
        }
    }
    // Frames buffered after this discovery started still wait: they get a discovery of
    // their own (a route request with a new id), or they would wait forever.
    if (std::any_of(m_awaitingRoute.begin(), m_awaitingRoute.end(),
                    [target](const AwaitingRoute& a) { return a.target == target; })
        && !m_mesh->route(target))
        startRouteDiscovery(sim, target);
}

void ZigbeeNode::flushAwaitingRoute(Simulator& sim, std::uint16_t target)
{
    std::vector<AwaitingRoute> ready;
    for (auto it = m_awaitingRoute.begin(); it != m_awaitingRoute.end();) {
        if (it->target == target) {
            ready.push_back(*it);
            it = m_awaitingRoute.erase(it);
        } else {
            ++it;
        }
    }
    for (AwaitingRoute& a : ready) {
        const std::optional<std::uint16_t> hop = meshNextHop(a.meta.nwkDst, /*originating=*/false);
        InFlight meta = a.meta;
        meta.nextHop = hop.value_or(0xFFFF);
        if (!hop) {
            drop(sim, NwkDropReason::NoRoute, meta);
            continue;
        }
        if (const NwkDropReason reason = meshSend(a.frame, *hop, meta); reason != NwkDropReason::None)
            drop(sim, reason, meta);
    }
}

// Built unsecured; with Real security transmit's securedView adds the NWK security header
// (aux 14 + MIC 4, nwksecurity.h secureNwkCommand) as the frame is handed to the MAC, and
// receivers open it again (receiveSecuredCommand) before the handlers below parse it.
NwkDropReason ZigbeeNode::sendCommand(std::uint16_t nwkDst, std::uint16_t nextHop, const NwkCommand& command)
{
    NwkHeader nwk;
    nwk.frameType = NwkFrameType::Command;
    nwk.dst = nwkDst;
    nwk.src = m_mac.shortAddress();
    nwk.radius = m_config.radius;
    nwk.sequence = m_commandSequence++;
    NwkFrameBuffer frame;
    std::span<std::uint8_t> out(frame.bytes);
    std::size_t n = nwk.encode(out);
    n += command.encode(out.subspan(n));
    frame.length = static_cast<std::uint8_t>(n);
    const InFlight meta{0, SendKind::Data, 0, nwk.src, nwkDst, nwk.sequence, nextHop, m_sim.now()};
    return transmit(frame, nextHop, meta);
}

void ZigbeeNode::sendManyToOneRequest(Simulator& sim)
{
    const std::uint8_t id = m_mesh->nextRequestId();
    // 3.6.3.5.1: a concentrator's route request: many-to-one sub-field 1 (it keeps a route
    // record table), destination 0xFFFC, broadcast to all routers.
    static_cast<void>(sendCommand(kNwkBroadcastRouters, 0xFFFF,
                                  NwkCommand{NwkRouteRequest{ManyToOne::WithRecords, id, kNwkBroadcastRouters, 0}}));
    ++m_meshStats.manyToOneRequests;
    const std::int64_t periodS = std::max<std::int64_t>(1, m_config.model.routing.concentratorIntervalS);
    m_concentratorTimer.arm(sim, SimTime::fromMillis(periodS * 1000), *this, EventData{m_mac.node(), kConcentratorKind, 0, 0});
}

void ZigbeeNode::sendRouteRecord(std::uint16_t nwkSrc)
{
    static_cast<void>(nwkSrc);
    const MeshRouting::Route* route = m_mesh->route(kConcentrator);
    if (!route)
        return;
    m_mesh->routeRecordDue = false;
    if (sendCommand(kConcentrator, route->nextHop, NwkCommand{NwkRouteRecord{}}) == NwkDropReason::None)
        ++m_meshStats.routeRecords;
}

bool ZigbeeNode::handleMeshFrame(Simulator& sim, std::span<const std::uint8_t> bytes, const MacIndication& indication)
{
    if (NwkSourceRoute::present(bytes)) {
        onSourceRouted(sim, bytes, indication);
        return true;
    }
    if (!isCommandFrame(bytes))
        return false;
    if (!m_mesh)
        return true; // end devices: route requests overheard while awake are not for them
    const std::uint16_t prev = indication.header.src;
    switch (static_cast<NwkCommandId>(bytes[NwkHeader::kBytes])) {
    case NwkCommandId::RouteRequest: onRouteRequest(sim, bytes, prev); break;
    case NwkCommandId::RouteReply: onRouteReply(sim, bytes, prev); break;
    case NwkCommandId::RouteRecord: onRouteRecord(sim, bytes); break;
    default: break; // network status and others: no action in this model
    }
    return true;
}

void ZigbeeNode::onRouteRequest(Simulator& sim, std::span<const std::uint8_t> bytes, std::uint16_t prev)
{
    const Result<NwkCommand> cmd = NwkCommand::decode(bytes.subspan(NwkHeader::kBytes));
    if (!cmd || !std::holds_alternative<NwkRouteRequest>(cmd->payload))
        return;
    const auto& rreq = std::get<NwkRouteRequest>(cmd->payload);
    const std::uint16_t self = m_mac.shortAddress();
    const std::uint16_t originator = get16(bytes, 4);
    const std::uint8_t radius = bytes[NwkHeader::kRadiusOffset];
    if (originator == self)
        return;
    const auto cost = static_cast<std::uint8_t>(std::min(0xFF, rreq.pathCost + MeshRouting::kConstantLinkCost));
    MeshRouting::Discovery* disc = m_mesh->discovery(originator, rreq.requestId, sim.now());
    if (disc && cost >= disc->forwardCost)
        return; // 3.6.3.5.2: only a cheaper copy of a known request is processed again
    if (!disc) {
        MeshRouting::Discovery fresh;
        fresh.expiresAt = sim.now() + discoveryTime(m_config);
        m_mesh->expireDiscoveries(sim.now());
        disc = &m_mesh->addDiscovery(originator, rreq.requestId, fresh);
    }
    disc->reverseHop = prev;
    disc->forwardCost = cost;
    const auto relay = [&] {
        if (radius <= 1)
            return;
        NwkFrameBuffer copy;
        copy.assign(bytes);
        copy.bytes[NwkHeader::kBytes + 5] = cost; // path cost so far
        scheduleRelay(sim, copy.view());
    };
    if (rreq.manyToOne != ManyToOne::No) {
        // Many-to-one: the reverse path is the route to the concentrator; no reply.
        m_mesh->setRoute(originator, MeshRouting::Route{prev, cost, true});
        if (rreq.manyToOne == ManyToOne::WithRecords)
            m_mesh->routeRecordDue = true;
        relay();
        return;
    }
    if (rreq.dst == self) {
        // The destination answers along the reverse path (unicast to the previous hop).
        if (sendCommand(originator, prev, NwkCommand{NwkRouteReply{rreq.requestId, originator, self, 0}})
            == NwkDropReason::None)
            ++m_meshStats.routeReplies;
        return;
    }
    relay();
}

void ZigbeeNode::onRouteReply(Simulator& sim, std::span<const std::uint8_t> bytes, std::uint16_t prev)
{
    const Result<NwkCommand> cmd = NwkCommand::decode(bytes.subspan(NwkHeader::kBytes));
    if (!cmd || !std::holds_alternative<NwkRouteReply>(cmd->payload))
        return;
    const auto& rrep = std::get<NwkRouteReply>(cmd->payload);
    const auto cost = static_cast<std::uint8_t>(std::min(0xFF, rrep.pathCost + MeshRouting::kConstantLinkCost));
    const MeshRouting::Route* known = m_mesh->route(rrep.responder);
    MeshRouting::Discovery* disc = m_mesh->discovery(rrep.originator, rrep.requestId, sim.now());
    if (!disc || cost >= disc->residualCost)
        return; // discovery expired, or a costlier reply than one already handled
    disc->residualCost = cost;
    if (!known || known->manyToOne || cost <= known->pathCost || rrep.originator == m_mac.shortAddress())
        m_mesh->setRoute(rrep.responder, MeshRouting::Route{prev, cost, false});
    if (rrep.originator == m_mac.shortAddress()) {
        flushAwaitingRoute(sim, rrep.responder);
        return;
    }
    const std::uint8_t radius = bytes[NwkHeader::kRadiusOffset];
    if (radius <= 1)
        return;
    NwkFrameBuffer copy;
    copy.assign(bytes);
    copy.bytes[NwkHeader::kRadiusOffset] = static_cast<std::uint8_t>(radius - 1);
    copy.bytes[NwkHeader::kBytes + 7] = cost;
    const InFlight meta{0, SendKind::Data, 0, get16(bytes, 4), get16(bytes, 2), bytes[7], disc->reverseHop, sim.now()};
    if (const NwkDropReason reason = transmit(copy, disc->reverseHop, meta); reason != NwkDropReason::None)
        drop(sim, reason, meta);
}

void ZigbeeNode::onRouteRecord(Simulator& sim, std::span<const std::uint8_t> bytes)
{
    const Result<NwkCommand> cmd = NwkCommand::decode(bytes.subspan(NwkHeader::kBytes));
    if (!cmd || !std::holds_alternative<NwkRouteRecord>(cmd->payload))
        return;
    NwkRouteRecord record = std::get<NwkRouteRecord>(cmd->payload);
    const std::uint16_t self = m_mac.shortAddress();
    const std::uint16_t src = get16(bytes, 4);
    const std::uint16_t dst = get16(bytes, 2);
    if (dst == self) {
        m_mesh->recordRoute(src, std::span<const std::uint16_t>(record.relays.data(), record.relayCount));
        return;
    }
    const std::uint8_t radius = bytes[NwkHeader::kRadiusOffset];
    InFlight meta{0, SendKind::Data, 0, src, dst, bytes[7], 0xFFFF, sim.now()};
    if (radius <= 1 || record.relayCount >= NwkRouteRecord::kMaxRelays) {
        drop(sim, NwkDropReason::RadiusExhausted, meta);
        return;
    }
    // 3.6.3.5.4 (relaying a route record): append own address, count + 1, forward.
    record.relays[record.relayCount++] = self;
    const std::optional<std::uint16_t> hop = meshNextHop(dst, /*originating=*/false);
    if (!hop) {
        drop(sim, NwkDropReason::NoRoute, meta);
        return;
    }
    meta.nextHop = *hop;
    NwkFrameBuffer frame;
    std::span<std::uint8_t> out(frame.bytes);
    std::copy(bytes.begin(), bytes.begin() + NwkHeader::kBytes, out.begin());
    out[NwkHeader::kRadiusOffset] = static_cast<std::uint8_t>(radius - 1);
    const std::size_t n = NwkHeader::kBytes + NwkCommand{record}.encode(out.subspan(NwkHeader::kBytes));
    frame.length = static_cast<std::uint8_t>(n);
    if (const NwkDropReason reason = transmit(frame, *hop, meta); reason != NwkDropReason::None)
        drop(sim, reason, meta);
}

void ZigbeeNode::onSourceRouted(Simulator& sim, std::span<const std::uint8_t> bytes, const MacIndication& indication)
{
    const std::uint16_t self = m_mac.shortAddress();
    const std::uint16_t dst = get16(bytes, 2);
    InFlight meta{0, SendKind::Data, 0, get16(bytes, 4), dst, bytes[7], 0xFFFF, sim.now()};
    if (dst == self) {
        NwkFrameBuffer plain;
        if (!NwkSourceRoute::strip(bytes, plain)) {
            drop(sim, NwkDropReason::Malformed, meta);
            return;
        }
        handleData(sim, plain.view(), indication);
        return;
    }
    const Result<NwkSourceRoute> route = NwkSourceRoute::parse(bytes);
    if (!route) {
        drop(sim, NwkDropReason::Malformed, meta);
        return;
    }
    if (m_role == NodeRole::EndDevice || route->relays[route->relayIndex] != self) {
        drop(sim, m_role == NodeRole::EndDevice ? NwkDropReason::NotForUs : NwkDropReason::NoRoute, meta);
        return;
    }
    const std::uint8_t radius = bytes[NwkHeader::kRadiusOffset];
    if (radius <= 1) {
        drop(sim, NwkDropReason::RadiusExhausted, meta);
        return;
    }
    // Real security: the relay checks the previous hop's frame counter (NWK security is
    // hop by hop, Zigbee R22 4.3.1.2); transmit re-secures with its own (restamp).
    if (bytes[1] & (zbsec::kNwkFcfSecurity >> 8)) {
        const std::size_t auxAt = nwkAuxOffset(bytes);
        if (auxAt == 0) {
            drop(sim, NwkDropReason::Malformed, meta);
            return;
        }
        const Result<ZigbeeAuxHeader> aux = ZigbeeAuxHeader::decode(bytes.subspan(auxAt), "nwk");
        if (!aux) {
            drop(sim, NwkDropReason::Malformed, meta);
            return;
        }
        if (!acceptFrameCounter(*aux)) {
            drop(sim, NwkDropReason::FrameCounterReplay, meta);
            return;
        }
    }
    // 3.6.3.3.2: the relay at index 0 forwards to the destination, others to relays[index − 1].
    const std::uint16_t hop = route->relayIndex == 0 ? dst : route->relays[route->relayIndex - 1];
    meta.nextHop = hop;
    NwkFrameBuffer relay;
    relay.assign(bytes);
    relay.bytes[NwkHeader::kRadiusOffset] = static_cast<std::uint8_t>(radius - 1);
    if (route->relayIndex > 0)
        NwkSourceRoute::setRelayIndex(relay, static_cast<std::uint8_t>(route->relayIndex - 1));
    if (const NwkDropReason reason = transmit(relay, hop, meta); reason != NwkDropReason::None) {
        drop(sim, reason, meta);
        return;
    }
    ++m_stats.relayedUnicast;
}

} // namespace otalab::sim
