// SPDX-License-Identifier: Apache-2.0
// OcfFleet: the links (Thread SED behind its border router, Wi-Fi station), the OCF client
// and the image server.
#include "sim/ocf/ocffleet.h"
#include "sim/ocf/ocffleetevents.h"

#include "core/ocf/coap_blockwise.h"
#include "core/ocf/swupdate_resource.h"
#include "sim/kernel/simulator.h"

#include <QCborValue>

#include <algorithm>

namespace otalab::sim {

using core::ocf::CoapMessage;

namespace {

// The next instant ≥ t on the grid phase + k × period (period > 0).
SimTime nextOnGrid(SimTime t, std::int64_t phase, std::int64_t period, std::uint32_t* steps = nullptr, SimTime from = SimTime::zero())
{
    if (period <= 0)
        return t;
    const std::int64_t base = t.nanos() - phase;
    const std::int64_t k = base <= 0 ? 0 : (base + period - 1) / period;
    const SimTime at = SimTime::fromNanos(phase + k * period);
    if (steps)
        *steps += std::uint32_t(std::max<std::int64_t>(1, (at - from).nanos() / period));
    return at;
}

std::int64_t threadHopNs(const ThreadFraming& f)
{
    return std::int64_t(f.frames) * threadFrameNs(0) + std::int64_t(f.psduBytes) * 32'000;
}

} // namespace

// --- links -------------------------------------------------------------------------------

std::optional<SimTime> OcfFleet::uplink(std::size_t i, SimTime at, int bytes, SimTime& leftDevice, bool request)
{
    OcfDevice& d = m_devices[i];
    const OcfGroup& g = m_groups[d.group];
    const SimTime start = request ? std::max(at, d.busyUntil) : at;
    SimTime arrive;
    bool lost = false;
    if (g.kind == OcfLinkKind::Thread) {
        const ThreadFraming f = threadFraming(bytes);
        const std::int64_t hop = threadHopNs(f);
        d.energy.txNs += std::int64_t(f.psduBytes) * 32'000 + std::int64_t(f.frames) * 6 * 32'000;
        d.energy.rxNs += std::int64_t(f.frames) * (threadFrameNs(0) - threadAirtimeNs(0));   // backoff, CCA, turnaround, ACK
        m_counters.frames += std::uint64_t(f.frames) * d.link.hops;
        leftDevice = start + SimTime::fromNanos(hop);
        arrive = start + SimTime::fromNanos(hop * d.link.hops + d.link.latencyNs);
        lost = d.rng.bernoulli(threadDatagramLoss(f.frames, d.link.hops, double(d.link.loss)));
    } else {
        const SimTime air = SimTime::fromSeconds(double(wifiWireBytes(bytes)) / double(d.link.bytesPerS));
        d.energy.txNs += air.nanos();
        leftDevice = start + air;
        arrive = leftDevice + SimTime::fromNanos(d.link.latencyNs);
        lost = d.rng.bernoulli(double(d.link.loss));
    }
    if (request)
        d.lastSendAt = leftDevice;
    if (lost || start < d.linkDownUntil || start < m_gatewayDownUntil[d.gateway]) {
        ++m_counters.datagramsLost;
        return std::nullopt;
    }
    return arrive;
}

std::optional<SimTime> OcfFleet::downlink(std::size_t i, SimTime sentAt, int bytes, bool solicited)
{
    OcfDevice& d = m_devices[i];
    const OcfGroup& g = m_groups[d.group];
    SimTime atGateway = sentAt + SimTime::fromNanos(g.kind == OcfLinkKind::Thread ? d.link.latencyNs : 0);
    if (atGateway < m_gatewayDownUntil[d.gateway] || atGateway < d.linkDownUntil) {
        ++m_counters.datagramsLost;
        return std::nullopt;
    }
    SimTime arrive;
    bool lost = false;
    if (g.kind == OcfLinkKind::Thread) {
        const ThreadFraming f = threadFraming(bytes);
        const std::int64_t hop = threadHopNs(f);
        m_counters.frames += std::uint64_t(f.frames) * d.link.hops;
        const SimTime atParent = atGateway + SimTime::fromNanos(hop * (d.link.hops - 1));
        // The parent holds the frames until the child's next data poll: fast polls after its
        // own request (a response awaited), the idle cadence otherwise.
        SimTime poll;
        if (solicited) {
            const std::int64_t fast = SimTime::fromSeconds(g.fastPollS).nanos();
            poll = nextOnGrid(atParent, d.lastSendAt.nanos() % std::max<std::int64_t>(fast, 1), fast, &d.energy.polls, d.lastSendAt);
        } else {
            poll = nextOnGrid(atParent, d.link.pollPhaseNs, SimTime::fromSeconds(g.idlePollS).nanos());
        }
        d.energy.rxNs += std::int64_t(f.psduBytes) * 32'000 + std::int64_t(f.frames) * 6 * 32'000;
        d.energy.txNs += std::int64_t(f.frames) * 11 * 32'000;   // its ACKs
        arrive = poll + SimTime::fromNanos(hop);
        lost = d.rng.bernoulli(threadDatagramLoss(f.frames, d.link.hops, double(d.link.loss)));
    } else {
        const SimTime air = SimTime::fromSeconds(double(wifiWireBytes(bytes)) / double(d.link.bytesPerS));
        SimTime heard = atGateway + SimTime::fromNanos(d.link.latencyNs);
        if (!solicited)   // in power save: the AP buffers it until the next DTIM beacon
            heard = nextOnGrid(heard, d.link.pollPhaseNs, SimTime::fromSeconds(g.idlePollS).nanos());
        else
            d.energy.awakeNs += std::max<std::int64_t>(0, (heard - d.lastSendAt).nanos());   // active mode while awaiting it
        d.energy.rxNs += air.nanos();
        arrive = heard + air;
        lost = d.rng.bernoulli(double(d.link.loss));
    }
    if (lost) {
        ++m_counters.datagramsLost;
        return std::nullopt;
    }
    return arrive;
}

// --- client ------------------------------------------------------------------------------

void OcfFleet::enqueue(std::size_t i, std::uint8_t stage)
{
    OcfDevice& d = m_devices[i];
    if (d.queued || d.clientWaiting)
        return;
    d.queued = true;
    d.clientStage = m_config.client.validateFirst ? stage : 1;
    m_clientQueue.push_back(std::uint32_t(i));
    clientPump();
}

void OcfFleet::clientPump()
{
    const SimTime now = m_sim.now();
    while (!m_clientQueue.empty() && m_clientOutstanding < m_config.client.concurrent) {
        if (m_clientNextSend > now) {
            if (!m_clientPumpArmed) {
                m_clientPumpArmed = true;
                m_sim.schedule(m_clientNextSend, *this, EventData{m_clientNode, ocfevents::kClientPump, 0, 0});
            }
            return;
        }
        const std::uint32_t i = m_clientQueue.front();
        m_clientQueue.pop_front();
        OcfDevice& d = m_devices[i];
        d.queued = false;
        if (d.clientStage == 0 || !m_config.client.validateFirst)
            ++d.clientTries;
        d.clientAttempt = 0;
        d.clientMessageId = m_clientMessageId++;
        d.clientWaiting = true;
        ++m_clientOutstanding;
        m_clientNextSend = now + SimTime::fromSeconds(m_config.client.spacingMs / 1000.0);
        clientSend(i, false);
    }
}

void OcfFleet::clientSend(std::size_t i, bool retransmission)
{
    OcfDevice& d = m_devices[i];
    const OcfImage* image = m_images->image(d.offered);
    core::ocf::SwUpdateRequest body;
    body.purl = QStringLiteral("coap://image-server/%1").arg(image->path);
    body.action = d.clientStage == 0 ? core::ocf::SwUpdateAction::Isvv : core::ocf::SwUpdateAction::Upgrade;
    body.updateTime = d.clientStage == 0 ? core::ocf::UpdateTime{core::ocf::UpdateTime::Kind::Now, 0} : *core::ocf::UpdateTime::parse(m_updateTimeText);
    CoapMessage post = core::ocf::makeRequest(core::ocf::CoapType::Confirmable, core::ocf::coap_code::Post, d.clientMessageId,
                                              QByteArray(1, char((d.clientStage << 7) | 0x40 | (d.clientTries & 0x3f))), QString::fromLatin1(core::ocf::kSwUpdatePath));
    post.setContentFormat(core::ocf::content_format::VndOcfCbor);
    post.payload = toCbor(body).toCborValue().toCbor();
    ++m_counters.posts;
    if (retransmission)
        ++m_counters.postRetransmissions;
    const SimTime now = m_sim.now();
    if (const auto at = downlink(i, now, int(core::ocf::encodedSize(post)), false))
        m_sim.schedule(*at, *this, data(i, ocfevents::kDeviceRx, park(std::move(post)), (ocfevents::kFromClient << 32) | d.epoch));
    // RFC 7252 §4.2: ACK_TIMEOUT 2 s × ACK_RANDOM_FACTOR, doubled at each retransmission. A
    // sleepy device answers only after its next poll: the client allows a poll period more.
    const core::ocf::CoapTransmission tx;
    const double timeout = tx.initialTimeoutMs(d.rng.uniform01()) / 1000.0 * double(1u << d.clientAttempt) + m_groups[d.group].idlePollS;
    m_sim.schedule(now + SimTime::fromSeconds(timeout), *this,
                   data(i, ocfevents::kClientTimeout, (std::uint64_t(d.clientStage) << 24) | (std::uint64_t(d.clientTries) << 8) | d.clientAttempt));
}

void OcfFleet::clientTimeout(std::size_t i, std::uint32_t tag)
{
    OcfDevice& d = m_devices[i];
    if (!d.clientWaiting || tag != ((std::uint32_t(d.clientStage) << 24) | (std::uint32_t(d.clientTries) << 8) | d.clientAttempt))
        return;
    const core::ocf::CoapTransmission tx;
    if (d.clientAttempt < tx.maxRetransmit) {
        ++d.clientAttempt;
        clientSend(i, true);
        return;
    }
    ++m_counters.postsGivenUp;
    clientDone(i);
    if (d.clientTries <= m_config.client.maxRetries)
        m_sim.schedule(m_sim.now() + SimTime::fromSeconds(m_config.client.retryAfterS), *this, data(i, ocfevents::kClientRetry));
}

void OcfFleet::clientDone(std::size_t i)
{
    OcfDevice& d = m_devices[i];
    if (!d.clientWaiting)
        return;
    d.clientWaiting = false;
    --m_clientOutstanding;
    clientPump();
}

void OcfFleet::clientReceived(std::size_t i, const CoapMessage& message)
{
    OcfDevice& d = m_devices[i];
    if (message.isResponse() && d.clientWaiting && message.messageId == d.clientMessageId) {
        if (message.code == core::ocf::coap_code::Changed) {
            ++m_counters.configured;
            if (d.configuredAt == SimTime::max())
                d.configuredAt = m_sim.now();
        }
        clientDone(i);
        return;
    }
    ++m_counters.notifications;   // a duplicate answer or an Observe notification
}

void OcfFleet::intruderSend(std::size_t i, int attackId)
{
    OcfDevice& d = m_devices[i];
    core::ocf::SwUpdateRequest body;
    body.purl = QStringLiteral("coap://intruder/fw/evil.bin");
    body.action = core::ocf::SwUpdateAction::Upgrade;
    body.updateTime = core::ocf::UpdateTime{core::ocf::UpdateTime::Kind::Now, 0};
    CoapMessage post = core::ocf::makeRequest(core::ocf::CoapType::Confirmable, core::ocf::coap_code::Post, std::uint16_t(0x7000 + attackId),
                                              QByteArray("\xee\x01", 2), QString::fromLatin1(core::ocf::kSwUpdatePath));
    post.setContentFormat(core::ocf::content_format::VndOcfCbor);
    post.payload = toCbor(body).toCborValue().toCbor();
    if (const auto at = downlink(i, m_sim.now(), int(core::ocf::encodedSize(post)), false))
        m_sim.schedule(*at, *this, data(i, ocfevents::kDeviceRx, park(std::move(post)), (ocfevents::kFromIntruder << 32) | d.epoch));
}

// --- image server --------------------------------------------------------------------------

void OcfFleet::serverReceived(std::size_t i, const CoapMessage& request)
{
    const SimTime now = m_sim.now();
    if (now < m_serverDownUntil) {
        ++m_counters.droppedAtServer;
        return;
    }
    ++m_counters.blockRequests;
    const auto variant = m_images->variantOf(request);
    CoapMessage response = core::ocf::makeResponse(request, core::ocf::coap_code::NotFound, request.messageId);
    const SimTime s = std::max(now, m_serverBusy);
    m_serverBusy = s + m_serverSlot;
    m_counters.serverBusyS += m_serverSlot.toSeconds();
    m_counters.maxServerQueueS = std::max(m_counters.maxServerQueueS, (s - now).toSeconds());
    if (variant) {
        const OcfImage* image = m_images->image(*variant);
        serveBlock2(request, image->bytes, response, m_szx, image->etag);
        if (response.code == core::ocf::coap_code::Content) {
            ++m_counters.blocksServed;
            m_counters.bytesServed += std::uint64_t(response.payload.size());
        }
    }
    OcfDevice& d = m_devices[i];
    if (const auto at = downlink(i, s + m_serverSlot, int(core::ocf::encodedSize(response)), true)) {
        // The device stores a block before it handles the answer (its flash write); the last
        // block then goes through hash + signature check (Verifying, see kLastBlock).
        SimTime handled = *at;
        std::uint64_t flags = 0;
        if (response.code == core::ocf::coap_code::Content && variant) {
            const OcfPreset& p = *m_groups[d.group].preset;
            const double write = p.flashWriteSPer4K * double(response.payload.size()) / 4096.0;
            d.energy.flashNs += SimTime::fromSeconds(write).nanos();
            handled = handled + SimTime::fromSeconds(write);
            const auto block = response.block2();
            if (block && *block && !(*block)->more)
                flags = ocfevents::kLastBlock;
            d.storedVariant = *variant;
        }
        d.busyUntil = std::max(d.busyUntil, handled);
        m_sim.schedule(handled, *this, data(i, ocfevents::kDeviceRx, park(std::move(response)), flags | (ocfevents::kFromServer << 32) | d.epoch));
    }
}

} // namespace otalab::sim
