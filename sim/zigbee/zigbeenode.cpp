// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/zigbeenode.h"

#include "sim/energy/deviceenergy.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/zigbee/idlepollcost.h"
#include "sim/zigbee/zigbeeoutageloss.h"
#include "sim/zigbee/treerouting.h"
#include "sim/zigbee/zigbeeframe.h"

#include <algorithm>

namespace otalab::sim {

namespace {

// MAC payload of a Data Request command (IEEE 802.15.4-2006 7.3.4): the command id only.
constexpr std::array<std::uint8_t, 1> kDataRequest{kMacCommandDataRequest};

NwkDropReason fromMac(MacStatus status)
{
    switch (status) {
    case MacStatus::Success: return NwkDropReason::None;
    case MacStatus::ChannelAccessFailure: return NwkDropReason::ChannelAccessFailure;
    case MacStatus::NoAck: return NwkDropReason::NoAck;
    }
    return NwkDropReason::NoAck;
}

Error sendError(NwkDropReason reason, std::uint16_t dst)
{
    const QString where = QStringLiteral("0x%1").arg(dst, 4, 16, QLatin1Char('0'));
    switch (reason) {
    case NwkDropReason::MacQueueFull:
        return Error::at(-1, QStringLiteral("mac.queue"),
                         QStringLiteral("MAC transmit queue full; frame for %1 not sent, retry later").arg(where));
    case NwkDropReason::IndirectQueueFull:
        return Error::at(-1, QStringLiteral("nwk.indirect"),
                         QStringLiteral("indirect queue full: cannot hold another frame for sleepy child %1").arg(where));
    default:
        return Error::at(-1, QStringLiteral("nwk.route"),
                         QStringLiteral("no route to %1 (not a node of this network, or this node itself)").arg(where));
    }
}

} // namespace

ZigbeeNode::ZigbeeNode(Simulator& sim, Mac& mac, NodeRole role, const TreeRouting& routing, const NwkConfig& config)
    : m_sim(sim)
    , m_mac(mac)
    , m_role(role)
    , m_routing(routing)
    , m_config(config)
    , m_rng(sim.seed(), mac.node(), kRngPurpose)
    , m_parent(routing.parentOf(mac.shortAddress()).value_or(0xFFFF))
    , m_broadcasts(config.broadcastTableSize)
    , m_indirect(role == NodeRole::EndDevice ? 0 : config.indirectCapacity)
    , m_pollInterval(config.pollInterval)
    , m_aps(ApsReliability::resolve(config.model.aps))
    , m_apsDuplicates(m_aps.ack ? m_aps.duplicateTableSize : 0, m_aps.duplicateTimeout)
{
    m_inFlight.reserve(mac.config().queueCapacity);
    m_mac.setUpper(this);
}

std::uint16_t ZigbeeNode::shortAddress() const
{
    return m_mac.shortAddress();
}

NodeId ZigbeeNode::node() const
{
    return m_mac.node();
}

std::size_t ZigbeeNode::maxApsPayloadBytes() const
{
    return m_config.budget.maxApsPayloadBytes();
}

std::size_t ZigbeeNode::airOnlyOctets() const
{
    return m_config.budget.airOnlyBytes();
}

EventData ZigbeeNode::data(Kind kind, std::uint64_t arg0) const
{
    return EventData{m_mac.node(), kind, arg0, 0};
}

bool ZigbeeNode::isSleepyChild(std::uint16_t shortAddress) const
{
    return m_role != NodeRole::EndDevice && m_routing.roleOf(shortAddress) == NodeRole::EndDevice
        && m_routing.parentOf(shortAddress) == m_mac.shortAddress();
}

Result<std::uint32_t> ZigbeeNode::sendAps(std::uint16_t dstShort, std::uint8_t endpoint, std::uint16_t clusterId,
                                          std::span<const std::uint8_t> payload)
{
    return sendAps(ApsRequest{dstShort, endpoint, endpoint, clusterId, payload});
}

Result<std::uint32_t> ZigbeeNode::sendAps(const ApsRequest& request)
{
    const std::uint16_t self = m_mac.shortAddress();
    const bool broadcast = isNwkBroadcast(request.dstShort);
    std::uint16_t nextHop = 0xFFFF;
    if (!broadcast) {
        const std::optional<std::uint16_t> hop =
            m_role == NodeRole::EndDevice && request.dstShort != self && m_routing.contains(request.dstShort)
                ? std::optional<std::uint16_t>(m_parent)
            : m_mesh ? meshNextHop(request.dstShort, /*originating=*/true) // Mesh routing (zigbeenodemesh.cpp)
                     : m_routing.nextHop(self, request.dstShort);
        if (!hop)
            return fail(sendError(NwkDropReason::NoRoute, request.dstShort));
        nextHop = *hop;
    } else if (m_role == NodeRole::EndDevice) {
        nextHop = m_parent; // 3.6.5: a sleepy end device unicasts broadcasts to its parent
    }

    NwkHeader nwk;
    nwk.dst = request.dstShort;
    nwk.src = self;
    nwk.radius = m_config.radius;
    nwk.sequence = m_nwkSequence;
    ApsHeader aps;
    aps.deliveryMode = broadcast ? ApsDeliveryMode::Broadcast : ApsDeliveryMode::Unicast;
    aps.dstEndpoint = request.dstEndpoint;
    aps.srcEndpoint = request.srcEndpoint;
    aps.clusterId = request.clusterId;
    aps.profileId = m_config.profileId;
    aps.counter = m_apsCounter;
    // EMBER_APS_OPTION_RETRY (in EMBER_AF_DEFAULT_APS_OPTIONS): unicasts ask for an APS ACK.
    const bool tracked = m_aps.ack && !broadcast;
    aps.ackRequest = tracked;
    NwkFrameBuffer frame;
    // Real security: NWK-secured; OTA cluster unicasts also APS-secured with the link key
    // when the scenario asks (security.apsEncryption).
    const bool apsSecured = m_config.model.security.apsEncryption && !broadcast
                         && request.clusterId == zbsec::kOtaClusterId;
    if (Result<void> encoded =
            ZigbeeFrame::encode(nwk, aps, request.payload, m_config.budget, frame, nextSecurity(apsSecured));
        !encoded)
        return fail(encoded.error());

    const InFlight meta{0,       SendKind::Data, m_nextApsHandle, self, request.dstShort, nwk.sequence,
                        nextHop, m_sim.now(),    aps.counter};
    if (const NwkDropReason reason = m_mesh && !broadcast ? meshSend(frame, nextHop, meta) : transmit(frame, nextHop, meta);
        reason != NwkDropReason::None)
        return fail(sendError(reason, request.dstShort));
    if (broadcast)
        m_broadcasts.checkAndInsert(self, nwk.sequence); // ignore our own broadcast relayed back
    if (tracked) {
        ApsPending pending;
        pending.apsHandle = m_nextApsHandle;
        pending.frame = frame;
        pending.dst = request.dstShort;
        pending.apsCounter = aps.counter;
        pending.nwkSequence = nwk.sequence;
        pending.attempts = 1;
        pending.requestedAt = m_sim.now();
        pending.ackTimer.arm(m_sim, apsAckWait(request.dstShort), *this, data(ApsAckWait, m_nextApsHandle));
        m_apsPending.push_back(pending);
        // (Not when it polls at least that often anyway, e.g. fast polling during a download.)
        if (m_role == NodeRole::EndDevice && m_pollInterval > SimTime::fromMillis(ApsStackDefaults::kShortPollMs)
            && !m_apsPollTimer.isArmed(m_sim))
            m_apsPollTimer.arm(m_sim, SimTime::fromMillis(ApsStackDefaults::kShortPollMs), *this, data(ApsAckPoll));
    }
    ++m_nwkSequence;
    ++m_apsCounter;
    ++m_stats.originated;
    return m_nextApsHandle++;
}

NwkDropReason ZigbeeNode::transmit(const NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta)
{
    if (nextHop != 0xFFFF && isSleepyChild(nextHop)) {
        IndirectQueue::Held held;
        held.frame = frame;
        held.child = nextHop;
        held.apsHandle = meta.apsHandle;
        held.nwkSrc = meta.nwkSrc;
        held.nwkDst = meta.nwkDst;
        held.nwkSequence = meta.nwkSequence;
        held.apsCounter = meta.apsCounter;
        held.queuedAt = m_sim.now();
        held.expiresAt = m_sim.now() + m_config.indirectPersistence;
        if (!m_indirect.push(held))
            return NwkDropReason::IndirectQueueFull;
        ++m_stats.held;
        armExpiry(m_sim);
        return NwkDropReason::None;
    }
    std::optional<NwkFrameBuffer> stamped; // Real security: secured as handed to the MAC
    const Result<std::uint32_t> handle = m_mac.send(securedView(frame, stamped), nextHop, /*ackRequested=*/nextHop != 0xFFFF,
                                                    MacFrameType::Data, /*framePending=*/false, airOnlyOctets());
    if (!handle)
        return NwkDropReason::MacQueueFull; // size was checked by the budget: only the queue can refuse
    InFlight entry = meta;
    entry.macHandle = *handle;
    m_inFlight.push_back(entry);
    return NwkDropReason::None;
}

void ZigbeeNode::onSendComplete(Simulator& sim, const MacSendResult& result)
{
    const auto it = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                                 [&](const InFlight& f) { return f.macHandle == result.handle; });
    if (it == m_inFlight.end())
        return;
    const InFlight meta = *it;
    m_inFlight.erase(it);
    if (meta.kind == SendKind::RejoinRequest || meta.kind == SendKind::RejoinPoll) {
        onRejoinSendComplete(sim, meta, result);
        return;
    }

    if (meta.kind == SendKind::Poll) {
        m_pollInFlight = false;
        if (m_rejoinDirectory)
            onPollOutcome(result.status); // parent-loss detection (rejoin)
        if (result.status == MacStatus::Success && result.framePending) {
            ++m_stats.pollsWithPending;
            m_awaitingIndirect = true;
            m_mac.enableReceiver(m_config.pollResponseWait);
            m_pollWaitTimer.arm(sim, m_config.pollResponseWait, *this, data(PollWaitEnd));
        }
        return;
    }
    if (result.status != MacStatus::Success) {
        drop(sim, fromMac(result.status), meta);
        return;
    }
    if (meta.kind == SendKind::Indirect)
        ++m_stats.heldDelivered;
    completeDelivered(sim, meta, result.transmissions);
}

void ZigbeeNode::completeDelivered(Simulator& sim, const InFlight& meta, std::uint8_t transmissions)
{
    if (apsTracked(meta)) {
        // The first hop has it; the send completes with the destination's APS ACK.
        if (ApsPending* pending = findApsPending(meta.apsHandle))
            pending->macTransmissions = transmissions;
        return;
    }
    if (meta.apsHandle == 0 || !m_upper)
        return;
    ApsSendResult r;
    r.handle = meta.apsHandle;
    r.delivered = true;
    r.dstShort = meta.nwkDst;
    r.nwkSequence = meta.nwkSequence;
    r.apsCounter = meta.apsCounter;
    r.macTransmissions = transmissions;
    r.requestedAt = meta.requestedAt;
    m_upper->onApsSendComplete(sim, r);
}

void ZigbeeNode::drop(Simulator& sim, NwkDropReason reason, const InFlight& meta, SimTime heldSince)
{
    ++m_stats.drops[static_cast<std::size_t>(reason)];
    if (m_dropListener) {
        m_dropListener->onNwkDrop(sim, NwkDrop{sim.now(), m_mac.node(), reason, meta.nwkSrc, meta.nwkDst,
                                               meta.nwkSequence, meta.nextHop, heldSince});
    }
    if (apsTracked(meta)) {
        // This attempt is lost; the ack wait decides (retry or fail).
        if (ApsPending* pending = findApsPending(meta.apsHandle))
            pending->lastReason = reason;
        return;
    }
    if (meta.apsHandle != 0 && m_upper) {
        ApsSendResult r;
        r.handle = meta.apsHandle;
        r.delivered = false;
        r.reason = reason;
        r.dstShort = meta.nwkDst;
        r.nwkSequence = meta.nwkSequence;
        r.apsCounter = meta.apsCounter;
        r.requestedAt = meta.requestedAt;
        m_upper->onApsSendComplete(sim, r);
    }
}

void ZigbeeNode::onReceive(Simulator& sim, const MacIndication& indication)
{
    if (indication.header.type == MacFrameType::Command) {
        if (!indication.payload.empty() && indication.payload[0] == kMacCommandDataRequest
            && m_role != NodeRole::EndDevice)
            serveDataRequest(sim, indication.header.src);
        return;
    }
    if (indication.header.type != MacFrameType::Data)
        return;
    if (m_config.model.security.mode == NwkSecuritySettings::Mode::Real && receiveSecuredCommand(sim, indication))
        return;
    if (m_rejoinDirectory && RejoinFrame::decode(indication.payload)) {
        onRejoinCommand(sim, indication);
        return;
    }
    // A move awaiting the rejoin response: the candidate adopted us at the request, so
    // frames routed to us since (OTA responses, APS retries and ACKs) may be held ahead of
    // the response. Frame pending set: poll the candidate again at once for the rest
    // (rejoinnode.cpp) instead of failing it when the wait ends.
    const bool rejoinFrame = m_role == NodeRole::EndDevice && m_rejoin.phase() == ZedRejoin::Phase::AwaitResponse
                          && indication.header.src == m_rejoin.candidate()
                          && indication.header.dst == m_mac.shortAddress() && indication.header.framePending;
    const bool polledFrame = m_role == NodeRole::EndDevice && m_awaitingIndirect
                          && indication.header.src == m_parent && indication.header.dst == m_mac.shortAddress();
    handleData(sim, indication.payload, indication);
    if (rejoinFrame && m_rejoin.phase() == ZedRejoin::Phase::AwaitResponse) {
        m_rejoin.setPhase(ZedRejoin::Phase::AwaitResponsePoll);
        m_rejoinTimer.arm(sim, SimTime::zero(), *this, EventData{m_mac.node(), kRejoinStepKind, 0, 0});
    }
    if (polledFrame) {
        // The held frame arrived; its frame-pending bit says whether the parent holds
        // more for us: then poll again at once, else sleep until the next poll.
        m_awaitingIndirect = false;
        m_pollWaitTimer.cancel(sim);
        if (indication.header.framePending)
            pollNow();
    }
}

void ZigbeeNode::handleData(Simulator& sim, std::span<const std::uint8_t> bytes, const MacIndication& indication)
{
    // Mesh routing: NWK commands and source-routed frames (zigbeenodemesh.cpp).
    if (m_config.model.routing.mode == MeshRoutingSettings::Mode::Mesh && handleMeshFrame(sim, bytes, indication))
        return;
    const Result<ZigbeeDataFrame> frame = ZigbeeFrame::decode(bytes);
    if (!frame || !acceptFrameCounter(*frame)) {
        InFlight meta;
        if (bytes.size() >= NwkHeader::kBytes) {
            meta.nwkDst = static_cast<std::uint16_t>(bytes[2] | (bytes[3] << 8));
            meta.nwkSrc = static_cast<std::uint16_t>(bytes[4] | (bytes[5] << 8));
            meta.nwkSequence = bytes[7];
        }
        drop(sim, frame ? NwkDropReason::FrameCounterReplay : NwkDropReason::Malformed, meta);
        return;
    }
    const NwkHeader& nwk = frame->nwk;
    const std::uint16_t self = m_mac.shortAddress();
    if (isNwkBroadcast(nwk.dst)) {
        if (nwk.src == self || m_broadcasts.checkAndInsert(nwk.src, nwk.sequence)) {
            ++m_stats.duplicateBroadcasts;
            return;
        }
        if (nwk.dst == kNwkBroadcastAll || m_role != NodeRole::EndDevice)
            deliver(sim, *frame, indication.rssiDbm);
        if (m_role != NodeRole::EndDevice && nwk.radius > 1)
            scheduleRelay(sim, bytes);
        return;
    }
    if (nwk.dst == self) {
        if (frame->aps.frameType == ApsFrameType::Ack) {
            onApsAck(sim, *frame);
            return;
        }
        if (m_aps.ack && frame->aps.ackRequest && frame->aps.deliveryMode == ApsDeliveryMode::Unicast) {
            // Zigbee R22 2.2.8.4.2: ACK every copy; deliver only the first within the timeout.
            sendApsAck(*frame);
            if (m_apsDuplicates.checkAndInsert(nwk.src, frame->aps.counter, sim.now())) {
                ++m_stats.apsDuplicates;
                return;
            }
        }
        deliver(sim, *frame, indication.rssiDbm);
        return;
    }
    InFlight meta{0, SendKind::Data, 0, nwk.src, nwk.dst, nwk.sequence, 0xFFFF, sim.now()};
    if (m_role == NodeRole::EndDevice) {
        drop(sim, NwkDropReason::NotForUs, meta);
        return;
    }
    if (nwk.radius <= 1) {
        drop(sim, NwkDropReason::RadiusExhausted, meta);
        return;
    }
    const std::optional<std::uint16_t> hop =
        m_mesh ? meshNextHop(nwk.dst, /*originating=*/false) : m_routing.nextHop(self, nwk.dst);
    if (!hop) {
        drop(sim, NwkDropReason::NoRoute, meta);
        return;
    }
    // Mesh, many-to-one: a parent sends the route record its end device child's first
    // frame to the concentrator needs (the route to a ZED is the route to its parent).
    if (m_mesh && m_mesh->routeRecordDue && nwk.dst == 0x0000 && isSleepyChild(nwk.src))
        sendRouteRecord(self);
    meta.nextHop = *hop;
    NwkFrameBuffer relay;
    relay.assign(bytes);
    relay.bytes[NwkHeader::kRadiusOffset] = static_cast<std::uint8_t>(nwk.radius - 1);
    if (const NwkDropReason reason = transmit(relay, *hop, meta); reason != NwkDropReason::None) {
        drop(sim, reason, meta);
        return;
    }
    ++m_stats.relayedUnicast;
}

void ZigbeeNode::deliver(Simulator& sim, const ZigbeeDataFrame& frame, double rssiDbm)
{
    ++m_stats.received;
    if (!m_upper)
        return;
    ApsIndication ind;
    ind.srcShort = frame.nwk.src;
    ind.dstShort = frame.nwk.dst;
    ind.srcEndpoint = frame.aps.srcEndpoint;
    ind.dstEndpoint = frame.aps.dstEndpoint;
    ind.clusterId = frame.aps.clusterId;
    ind.profileId = frame.aps.profileId;
    ind.apsCounter = frame.aps.counter;
    ind.radius = frame.nwk.radius;
    ind.rssiDbm = rssiDbm;
    ind.payload = frame.payload;
    m_upper->onApsReceive(sim, ind);
}

void ZigbeeNode::scheduleRelay(Simulator& sim, std::span<const std::uint8_t> bytes)
{
    auto it = std::find_if(m_relays.begin(), m_relays.end(), [](const Relay& r) { return !r.used; });
    if (it == m_relays.end()) {
        m_relays.emplace_back();
        it = m_relays.end() - 1;
    }
    it->used = true;
    it->frame.assign(bytes);
    it->frame.bytes[NwkHeader::kRadiusOffset] = static_cast<std::uint8_t>(bytes[NwkHeader::kRadiusOffset] - 1);
    const auto slot = static_cast<std::uint64_t>(it - m_relays.begin());
    const std::int64_t jitterNs = m_config.broadcastJitterMax.nanos();
    const SimTime jitter =
        jitterNs > 0 ? SimTime::fromNanos(static_cast<std::int64_t>(m_rng.uniformInt(static_cast<std::uint64_t>(jitterNs))))
                     : SimTime::zero();
    sim.scheduleAfter(jitter, *this, data(BroadcastRelay, slot));
}

void ZigbeeNode::onRelay(Simulator& sim, std::size_t slot)
{
    if (slot >= m_relays.size() || !m_relays[slot].used)
        return;
    Relay& relay = m_relays[slot];
    relay.used = false;
    const std::span<const std::uint8_t> bytes = relay.frame.view();
    const InFlight meta{0, SendKind::Data, 0, static_cast<std::uint16_t>(bytes[4] | (bytes[5] << 8)),
                        static_cast<std::uint16_t>(bytes[2] | (bytes[3] << 8)), bytes[7], 0xFFFF, sim.now()};
    if (const NwkDropReason reason = transmit(relay.frame, 0xFFFF, meta); reason != NwkDropReason::None) {
        drop(sim, reason, meta);
        return;
    }
    ++m_stats.relayedBroadcast;
}

bool ZigbeeNode::hasPendingFor(std::uint16_t srcShort) const
{
    if (m_indirect.hasFor(srcShort))
        return true;
    // A frame already handed to the MAC for this child is still pending until its ACK:
    // when the ACK of the child's data request was lost and it polls again, the
    // answer must keep frame-pending set or the child sleeps through the delivery.
    return std::any_of(m_inFlight.begin(), m_inFlight.end(), [srcShort](const InFlight& f) {
        return f.kind == SendKind::Indirect && f.nextHop == srcShort;
    });
}

void ZigbeeNode::serveDataRequest(Simulator& sim, std::uint16_t child)
{
    std::optional<IndirectQueue::Held> held = m_indirect.takeFor(child);
    if (!held)
        return;
    // Frame pending (IEEE 802.15.4-2006 7.2.1.1.3): more frames are held for this child,
    // so it polls again as soon as this one arrives.
    const bool more = m_indirect.hasFor(child);
    std::optional<NwkFrameBuffer> stamped; // Real security: secured as handed to the MAC
    const Result<std::uint32_t> handle =
        m_mac.send(securedView(held->frame, stamped), child, /*ackRequested=*/true, MacFrameType::Data, more, airOnlyOctets());
    if (!handle) {
        m_indirect.restore(*held); // MAC queue full: keep it for the next poll
        return;
    }
    m_inFlight.push_back(InFlight{*handle, SendKind::Indirect, held->apsHandle, held->nwkSrc, held->nwkDst,
                                  held->nwkSequence, child, held->queuedAt, held->apsCounter});
    armExpiry(sim);
}

void ZigbeeNode::armExpiry(Simulator& sim)
{
    const std::optional<SimTime> next = m_indirect.nextExpiry();
    if (!next) {
        m_expiryTimer.cancel(sim);
        m_expiryAt = SimTime::max();
        return;
    }
    if (*next == m_expiryAt && m_expiryTimer.isArmed(sim))
        return;
    m_expiryAt = *next;
    m_expiryTimer.armAt(sim, *next, *this, data(IndirectExpiry));
}

void ZigbeeNode::onExpiry(Simulator& sim)
{
    m_expiryAt = SimTime::max();
    while (std::optional<IndirectQueue::Held> held = m_indirect.popExpired(sim.now())) {
        const InFlight meta{0,           SendKind::Indirect, held->apsHandle, held->nwkSrc,     held->nwkDst,
                            held->nwkSequence, held->child,    held->queuedAt, held->apsCounter};
        drop(sim, NwkDropReason::IndirectExpired, meta, held->queuedAt);
    }
    armExpiry(sim);
}

SimTime ZigbeeNode::nextPollPeriod()
{
    const double f = m_config.pollJitterFraction;
    if (!(f > 0))
        return m_pollInterval;
    const double scale = m_rng.uniform(1.0 - f, 1.0 + f);
    return SimTime::fromNanos(static_cast<std::int64_t>(static_cast<double>(m_pollInterval.nanos()) * scale));
}

void ZigbeeNode::startPolling(SimTime firstPollDelay)
{
    if (m_role != NodeRole::EndDevice)
        return;
    m_pollTimer.arm(m_sim, firstPollDelay, *this, data(PollDue));
}

void ZigbeeNode::stopPolling()
{
    m_pollTimer.cancel(m_sim);
}

void ZigbeeNode::setPollInterval(SimTime interval)
{
    m_pollInterval = interval;
    if (m_pollTimer.isArmed(m_sim))
        m_pollTimer.arm(m_sim, nextPollPeriod(), *this, data(PollDue));
}

bool ZigbeeNode::closedFormPoll()
{
    // Conditions under which the on-air poll would be exactly the closed-form one
    // (up to contention and loss, the named model change): the parent holds nothing
    // for us (its ACK would have frame pending clear), our MAC has nothing queued and our
    // receiver is off (the poll alone would wake the radio), and the parent's radio is
    // listening with nothing of its own queued (it would receive the request at once).
    ZigbeeNode* parent = m_parentNode;
    if (!parent || parent->shortAddress() != m_parent)
        return false;
    if (m_mac.pending() != 0 || m_mac.radioState() != RadioState::Sleep)
        return false;
    if (parent->hasPendingFor(m_mac.shortAddress()))
        return false;
    const Mac& parentMac = parent->m_mac;
    if (parentMac.radioState() != RadioState::Idle || parentMac.pending() != 0)
        return false;
    if (m_outages) {
        // The longest access (backoff of 2^macMinBE − 1 periods) bounds the poll's window.
        const SimTime maxAccess = PhyTiming::kUnitBackoff * ((std::int64_t{1} << m_mac.config().minBe) - 1)
                                + PhyTiming::kCca + PhyTiming::kTurnaround;
        const SimTime end = m_sim.now() + IdlePollCost::compute(maxAccess).duration;
        if (m_outages->isDark(m_mac.node(), m_sim.now(), end) || m_outages->isDark(parentMac.node(), m_sim.now(), end))
            return false;
    }
    const IdlePollCost cost = IdlePollCost::compute(m_mac.consumeClearChannelAttempt());
    if (DeviceEnergy* energy = m_mac.energy())
        energy->chargeRadioVisit(cost.child);
    if (DeviceEnergy* energy = parentMac.energy())
        energy->chargeRadioVisit(cost.parent);
    m_closedFormPollUntil = m_sim.now() + cost.duration;
    ++m_stats.polls;
    ++m_stats.closedFormPolls;
    return true;
}

bool ZigbeeNode::pollNow()
{
    if (m_rejoin.active())
        return false; // looking for a new parent (rejoinnode.cpp)
    if (m_role != NodeRole::EndDevice || m_pollInFlight || m_awaitingIndirect || m_parent == 0xFFFF)
        return false;
    if (m_config.model.idlePolls == NwkModelConfig::IdlePolls::ClosedForm) {
        if (m_sim.now() < m_closedFormPollUntil)
            return false; // the last closed-form poll is still in flight
        if (closedFormPoll())
            return true;
    }
    const Result<std::uint32_t> handle = m_mac.send(kDataRequest, m_parent, /*ackRequested=*/true, MacFrameType::Command);
    if (!handle)
        return false;
    InFlight entry;
    entry.macHandle = *handle;
    entry.kind = SendKind::Poll;
    entry.nextHop = m_parent;
    entry.requestedAt = m_sim.now();
    m_inFlight.push_back(entry);
    m_pollInFlight = true;
    ++m_stats.polls;
    return true;
}

void ZigbeeNode::handleEvent(Simulator& sim, const Event& event)
{
    switch (event.data.kind) {
    case PollDue:
        if (!m_pollTimer.isFiring(event))
            return;
        m_pollTimer.arm(sim, nextPollPeriod(), *this, data(PollDue));
        pollNow();
        break;
    case PollWaitEnd:
        if (m_awaitingIndirect) {
            m_awaitingIndirect = false;
            ++m_stats.pollWaitTimeouts;
        }
        break;
    case IndirectExpiry: onExpiry(sim); break;
    case kRouteDiscoveryEndKind: onRouteDiscoveryEnd(sim, static_cast<std::uint16_t>(event.data.arg0)); break;
    case kConcentratorKind:
        if (m_concentratorTimer.isFiring(event))
            sendManyToOneRequest(sim);
        break;
    case BroadcastRelay: onRelay(sim, static_cast<std::size_t>(event.data.arg0)); break;
    case kRejoinStepKind: onRejoinStep(sim, event); break;
    case ApsAckWait: {
        const auto handle = static_cast<std::uint32_t>(event.data.arg0);
        if (ApsPending* pending = findApsPending(handle); pending && pending->ackTimer.isFiring(event))
            onApsAckWait(sim, handle);
        break;
    }
    case ApsAckPoll:
        if (!m_apsPollTimer.isFiring(event) || m_apsPending.empty()
            || m_pollInterval <= SimTime::fromMillis(ApsStackDefaults::kShortPollMs))
            break;
        m_apsPollTimer.arm(sim, SimTime::fromMillis(ApsStackDefaults::kShortPollMs), *this, data(ApsAckPoll));
        pollNow();
        break;
    default: break;
    }
}

// --- APS acknowledgements, retries, duplicate rejection (NwkModelConfig::aps) ---

bool ZigbeeNode::apsTracked(const InFlight& meta) const
{
    return m_aps.ack && meta.apsHandle != 0 && !isNwkBroadcast(meta.nwkDst);
}

ZigbeeNode::ApsPending* ZigbeeNode::findApsPending(std::uint32_t apsHandle)
{
    const auto it = std::find_if(m_apsPending.begin(), m_apsPending.end(),
                                 [apsHandle](const ApsPending& p) { return p.apsHandle == apsHandle; });
    return it == m_apsPending.end() ? nullptr : &*it;
}

SimTime ZigbeeNode::apsAckWait(std::uint16_t dst) const
{
    // A sleepy destination sees the frame only when it polls: EmberZNet adds the
    // indirect transmission timeout to emberApsAckTimeoutMs (apsreliability.h).
    return m_routing.roleOf(dst) == NodeRole::EndDevice ? m_aps.ackWait + m_aps.sleepyAckWaitExtra : m_aps.ackWait;
}

void ZigbeeNode::onApsAckWait(Simulator& sim, std::uint32_t apsHandle)
{
    ApsPending* pending = findApsPending(apsHandle);
    if (!pending)
        return;
    if (pending->attempts > m_aps.maxRetries) {
        ++m_stats.apsAckTimeouts;
        // The APS layer gives up (Zigbee R22 2.2.8.4.4): one ApsNoAck drop, by the originator.
        const InFlight meta{0, SendKind::Data, apsHandle, m_mac.shortAddress(), pending->dst, pending->nwkSequence,
                            0xFFFF, pending->requestedAt, pending->apsCounter};
        ++m_stats.drops[static_cast<std::size_t>(NwkDropReason::ApsNoAck)];
        if (m_dropListener)
            m_dropListener->onNwkDrop(sim, NwkDrop{sim.now(), m_mac.node(), NwkDropReason::ApsNoAck, meta.nwkSrc,
                                                   meta.nwkDst, meta.nwkSequence, meta.nextHop, SimTime::min()});
        finishAps(sim, apsHandle, /*acked=*/false);
        return;
    }
    // Zigbee R22 2.2.8.4.4: repeat the same APS frame (same APS counter) with a new NWK
    // sequence number, after apscAckWaitDuration, up to apscMaxFrameRetries times.
    const std::uint16_t self = m_mac.shortAddress();
    const std::optional<std::uint16_t> hop = apsNextHop(pending->dst);
    ++pending->attempts;
    ++m_stats.apsRetries;
    pending->nwkSequence = m_nwkSequence++;
    pending->frame.bytes[7] = pending->nwkSequence; // NWK header: sequence number (offset 7)
    pending->lastReason = NwkDropReason::None;
    pending->ackTimer.arm(sim, apsAckWait(pending->dst), *this, data(ApsAckWait, apsHandle));
    const InFlight meta{0,       SendKind::Data,  apsHandle, self, pending->dst, pending->nwkSequence,
                        hop.value_or(0xFFFF), pending->requestedAt, pending->apsCounter};
    NwkFrameBuffer frame = pending->frame; // transmit may grow m_inFlight, not m_apsPending
    if (!hop) {
        pending->lastReason = NwkDropReason::NoRoute;
        return;
    }
    if (const NwkDropReason reason = apsTransmit(frame, *hop, meta); reason != NwkDropReason::None)
        drop(sim, reason, meta);
}

std::optional<std::uint16_t> ZigbeeNode::apsNextHop(std::uint16_t dst) const
{
    // APS retries and ACKs are routed like the data path (sendAps): a sleepy end device
    // sends everything to its parent; a router uses the mesh route (zigbeenodemesh.cpp) when
    // the network routes as a mesh (kAwaitRoute: discover first), else the tree.
    if (m_role == NodeRole::EndDevice)
        return m_parent;
    return m_mesh ? meshNextHop(dst, /*originating=*/true) : m_routing.nextHop(m_mac.shortAddress(), dst);
}

NwkDropReason ZigbeeNode::apsTransmit(NwkFrameBuffer& frame, std::uint16_t nextHop, const InFlight& meta)
{
    return m_mesh ? meshSend(frame, nextHop, meta) : transmit(frame, nextHop, meta);
}

void ZigbeeNode::onApsAck(Simulator& sim, const ZigbeeDataFrame& frame)
{
    const auto it = std::find_if(m_apsPending.begin(), m_apsPending.end(), [&](const ApsPending& p) {
        return p.dst == frame.nwk.src && p.apsCounter == frame.aps.counter;
    });
    if (it == m_apsPending.end())
        return; // late ACK of a send already completed (or of a retry's twin)
    ++m_stats.apsAcksReceived;
    finishAps(sim, it->apsHandle, /*acked=*/true);
}

void ZigbeeNode::sendApsAck(const ZigbeeDataFrame& frame)
{
    const std::uint16_t self = m_mac.shortAddress();
    const std::optional<std::uint16_t> hop = apsNextHop(frame.nwk.src);
    if (!hop)
        return;
    NwkHeader nwk;
    nwk.dst = frame.nwk.src;
    nwk.src = self;
    nwk.radius = m_config.radius;
    nwk.sequence = m_nwkSequence;
    const ApsHeader ack = ApsHeader::ackFor(frame.aps);
    NwkFrameBuffer bytes;
    if (!ZigbeeFrame::encode(nwk, ack, {}, m_config.budget, bytes, nextSecurity(false)))
        return;
    ++m_nwkSequence;
    ++m_stats.apsAcksSent;
    const InFlight meta{0, SendKind::Data, 0, self, nwk.dst, nwk.sequence, *hop, m_sim.now(), ack.counter};
    if (const NwkDropReason reason = apsTransmit(bytes, *hop, meta); reason != NwkDropReason::None)
        drop(m_sim, reason, meta);
}

void ZigbeeNode::finishAps(Simulator& sim, std::uint32_t apsHandle, bool acked)
{
    const auto it = std::find_if(m_apsPending.begin(), m_apsPending.end(),
                                 [apsHandle](const ApsPending& p) { return p.apsHandle == apsHandle; });
    if (it == m_apsPending.end())
        return;
    ApsPending done = *it;
    m_apsPending.erase(it);
    done.ackTimer.cancel(sim);
    if (!m_upper)
        return;
    ApsSendResult r;
    r.handle = done.apsHandle;
    r.delivered = acked;
    r.acked = acked;
    r.reason = acked ? NwkDropReason::None
                     : (done.lastReason != NwkDropReason::None ? done.lastReason : NwkDropReason::ApsNoAck);
    r.dstShort = done.dst;
    r.apsCounter = done.apsCounter;
    r.nwkSequence = done.nwkSequence;
    r.macTransmissions = done.macTransmissions;
    r.requestedAt = done.requestedAt;
    r.apsAttempts = done.attempts;
    m_upper->onApsSendComplete(sim, r);
}

// --- Real NWK security (sim/zigbee/nwksecurity.h; README "NWK security on the air") ---

const ZigbeeFrameSecurity* ZigbeeNode::nextSecurity(bool apsSecured)
{
    if (m_config.model.security.mode != NwkSecuritySettings::Mode::Real)
        return nullptr;
    m_security.source = zbsec::euiOf(m_mac.node());
    m_security.nwkFrameCounter = m_nwkFrameCounter; // placeholder: set when handed to the MAC
    m_security.keySequence = m_config.model.security.keySequence;
    m_security.apsSecured = apsSecured;
    m_security.apsFrameCounter = apsSecured ? m_apsFrameCounter++ : 0;
    return &m_security;
}

std::span<const std::uint8_t> ZigbeeNode::securedView(const NwkFrameBuffer& frame, std::optional<NwkFrameBuffer>& scratch)
{
    if (m_config.model.security.mode != NwkSecuritySettings::Mode::Real)
        return frame.view();
    scratch.emplace(frame);
    // NWK commands are built unsecured; secured here, in transmission order like data.
    const std::size_t commandAt = nwkAuxOffset(frame.view());
    if (commandAt != 0 && commandAt < frame.length && nwkCommandSecured(frame.bytes[commandAt], /*haveNetworkKey=*/true)
        && secureNwkCommand(*scratch, zbsec::euiOf(m_mac.node()), m_nwkFrameCounter, m_config.model.security.keySequence)) {
        ++m_nwkFrameCounter;
        return scratch->view();
    }
    restampSecurity(*scratch);
    return scratch->view();
}

bool ZigbeeNode::receiveSecuredCommand(Simulator& sim, const MacIndication& indication)
{
    NwkFrameBuffer plain;
    const std::optional<ZigbeeAuxHeader> aux = openNwkCommand(indication.payload, plain);
    if (!aux)
        return false;
    if (!acceptFrameCounter(*aux)) {
        const std::span<const std::uint8_t> b = indication.payload;
        InFlight meta;
        meta.nwkDst = static_cast<std::uint16_t>(b[2] | (b[3] << 8));
        meta.nwkSrc = static_cast<std::uint16_t>(b[4] | (b[5] << 8));
        meta.nwkSequence = b[7];
        drop(sim, NwkDropReason::FrameCounterReplay, meta);
        return true;
    }
    MacIndication opened = indication;
    opened.payload = plain.view();
    onReceive(sim, opened);
    return true;
}

void ZigbeeNode::restampSecurity(NwkFrameBuffer& frame)
{
    if (m_config.model.security.mode != NwkSecuritySettings::Mode::Real)
        return;
    if (ZigbeeFrame::restamp(frame, zbsec::euiOf(m_mac.node()), m_nwkFrameCounter))
        ++m_nwkFrameCounter;
}

bool ZigbeeNode::acceptFrameCounter(const ZigbeeDataFrame& frame)
{
    return !frame.nwkSecurity || acceptFrameCounter(*frame.nwkSecurity);
}

bool ZigbeeNode::acceptFrameCounter(const ZigbeeAuxHeader& nwkAux)
{
    const auto [it, fresh] = m_incomingCounters.try_emplace(nwkAux.source, 0u);
    if (!fresh && nwkAux.frameCounter < it->second)
        return false;
    it->second = nwkAux.frameCounter + 1; // 4.3.1.2 step 9: FrameCount = received + 1
    return true;
}

} // namespace otalab::sim
