// SPDX-License-Identifier: Apache-2.0
// LorawanFleet on the kernel: uplinks, RX windows, server jobs and multicast frames.
#include "sim/lorawan/lorawanfleet.h"

#include "sim/kernel/simulator.h"
#include "sim/lorawan/lorawancapture.h"
#include "sim/lorawan/lorawanfleetevents.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

using namespace lorawanevents;

// What an uplink carries besides the sensor reading (one application port per uplink).
enum Carry : std::uint32_t { kCarrySensor = 0, kCarryAnswer = 1, kCarryTime = 2, kCarryMic = 3 };
static_assert(LorawanUplinkKind(kCarryMic) == LorawanUplinkKind::DataBlockReceived, "capture kinds follow Carry");
// What a downlink carries.
enum DownKind : int { kDownNone = 0, kDownCommand, kDownTime, kDownMic };

constexpr SimTime kReceiveDelay1 = SimTime::fromSecondsInt(1);  // RECEIVE_DELAY1 (RP002)
constexpr int kRxWindowSymbols = 6;                              // LoRaMac-node's minimum RX symbols

SimTime rxWindow(int sf, int bandwidthHz)
{
    return SimTime::fromSeconds(double(kRxWindowSymbols) * double(1 << sf) / double(bandwidthHz));
}

} // namespace

int lorawanCommandBytes(LorawanCommand c, int fecVersion)
{
    switch (c) {
    case LorawanCommand::McGroupSetup: return 30;       // CID, McGroupIDHeader, McAddr, McKey_encrypted, min/max FCnt
    case LorawanCommand::FragSessionSetup: return fecVersion == 2 ? 17 : 11;
    case LorawanCommand::McSession: return 11;          // CID, group, SessionTime, TimeOut(/Periodicity), DLFreq, DR
    case LorawanCommand::FragStatus: return 2;
    case LorawanCommand::None: return 0;
    }
    return 0;
}

int lorawanAnswerBytes(LorawanCommand c)
{
    switch (c) {
    case LorawanCommand::McGroupSetup: return 2;
    case LorawanCommand::FragSessionSetup: return 2;
    case LorawanCommand::McSession: return 5;
    case LorawanCommand::FragStatus: return 5;
    case LorawanCommand::None: return 0;
    }
    return 0;
}

void LorawanFleet::start()
{
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        LorawanDevice& d = m_devices[i];
        d.nextUplink = SimTime::fromSeconds(d.rng.uniform(0.0, m_config.devices.uplinkIntervalS));
        m_sim.schedule(d.nextUplink, *this, EventData{m_firstNode + NodeId(i), kUplinkStart, i, 0});
    }
    for (const LorawanGatewayDown& f : m_config.faults.gatewayDown) {
        const NodeId node = m_gateways[std::size_t(f.gateway)].node;
        m_sim.schedule(SimTime::fromSeconds(f.atS), *this, EventData{node, kGatewayDown, std::uint64_t(f.gateway), 0});
        m_sim.schedule(SimTime::fromSeconds(f.atS + f.forS), *this, EventData{node, kGatewayUp, std::uint64_t(f.gateway), 0});
    }
    m_server->start();
}

void LorawanFleet::handleEvent(Simulator&, const Event& event)
{
    const EventData& e = event.data;
    if (m_faults && deferForFault(event))
        return;
    switch (e.kind) {
    case kUplinkStart: uplinkStart(std::size_t(e.arg0)); break;
    case kUplinkEnd: uplinkEnd(std::size_t(e.arg0), e.arg1); break;
    case kServerJob: m_server->onJob(event.time); break;
    case kFrame: frame(std::size_t(e.arg0), int(e.arg1)); break;
    case kFramesDone:
        m_beaconing = false;
        m_server->onFramesSent(event.time);
        break;
    case kBeacon: beacon(std::size_t(e.arg0)); break;
    case kSessionOpen: {
        const bool repair = e.arg0 != 0;
        for (std::size_t i = 0; i < m_devices.size(); ++i) {
            LorawanDevice& d = m_devices[i];
            const bool joins = repair ? (d.state == LorawanDeviceState::WaitingForRepair && d.repairJoined)
                                      : d.state == LorawanDeviceState::WaitingForSession;
            if (!joins)
                continue;
            d.repairJoined = false;
            d.statusKnown = false;
            d.inSession = true;
            d.listenFrom = std::max(event.time, d.sessionOpen);
            setDeviceState(i, LorawanDeviceState::Receiving);
        }
        break;
    }
    case kApply: setDeviceState(std::size_t(e.arg0), LorawanDeviceState::Applying); {
        // Copy the image into the running slot and reboot (2 s).
        LorawanDevice& d = m_devices[std::size_t(e.arg0)];
        const double copyS = double(m_plan.imageBytes) * m_preset.flashSecondsPerByte;
        d.energy.flashNs += std::int64_t(copyS * 1e9);
        m_sim.scheduleAfter(SimTime::fromSeconds(copyS + 2.0), *this, EventData{e.node, kApplied, e.arg0, 0});
        break;
    }
    case kApplied:
        if (!m_devices[std::size_t(e.arg0)].faultWatch || !faultApplied(std::size_t(e.arg0)))
            setDeviceState(std::size_t(e.arg0), LorawanDeviceState::Upgraded);
        break;
    case kGroupDelete:
        if (e.arg0 == std::uint64_t(m_server->wave()))   // 0 without a rollout; a wave's own group
            deleteGroup();
        break;
    case kGatewayDown: m_gateways[std::size_t(e.arg0)].down = true; break;
    case kGatewayUp: m_gateways[std::size_t(e.arg0)].down = false; break;
    default: break;
    }
}

void LorawanFleet::scheduleNextUplink(std::size_t i, SimTime after)
{
    LorawanDevice& d = m_devices[i];
    const double interval = m_config.devices.uplinkIntervalS;
    const double jitter = std::min(m_config.devices.jitterS, interval * 0.9);
    SimTime next = d.nextUplink + SimTime::fromSeconds(interval + d.rng.uniform(-jitter, jitter));
    next = std::max(next, after);
    d.nextUplink = next;
    m_sim.schedule(next, *this, EventData{m_firstNode + NodeId(i), kUplinkStart, i, 0});
}

void LorawanFleet::uplinkStart(std::size_t i)
{
    LorawanDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    if (d.state == LorawanDeviceState::Applying) {   // rebooting: no uplink
        scheduleNextUplink(i, now);
        return;
    }
    if (d.faultWatch && offAir(d, now)) {   // a scenario power cut or link outage: nothing on the air
        scheduleNextUplink(i, std::max(d.offUntil, now));
        return;
    }
    std::uint32_t carry = kCarrySensor;
    LorawanCommand command = LorawanCommand::None;
    int bytes = m_config.devices.appPayloadBytes;
    if (d.micToSend) {
        carry = kCarryMic;
        bytes = kLorawanDataBlockReceivedReqBytes;   // the image MIC's result (TS004 v2 FragDataBlockReceivedReq)
    } else if (d.answer != LorawanCommand::None) {
        carry = kCarryAnswer;
        command = d.answer;
        bytes = lorawanAnswerBytes(command);
        d.answer = LorawanCommand::None;
    } else if (d.needsTime) {
        carry = kCarryTime;
        bytes = kLorawanAppTimeReqBytes;
    }
    const int phyBytes = kLorawanFrameOverhead + bytes;
    const LorawanDataRate rate = *m_phy.dataRate(d.dataRate);
    const SimTime airtime = LorawanFleetPhy::timeOnAir(rate.spreadingFactor, rate.bandwidthHz, phyBytes, true);
    const std::size_t channels = m_phy.uplinkChannelsHz().size();
    const int channel = int(d.rng.uniformInt(channels));
    d.energy.txNs += airtime.nanos();
    d.energy.mcuNs += 5'000'000;   // stack + sensor read, 5 ms
    ++d.uplinks;
    const SimTime end = now + airtime;
    const double noise = LorawanFleetPhy::noiseFloorDbm(rate.bandwidthHz, m_config.radio.noiseFigureDb);
    const std::uint32_t frequency = m_phy.uplinkChannelsHz()[std::size_t(channel)];
    for (int k = 0; k < d.gatewayCount; ++k) {
        LorawanGateway& g = m_gateways[d.gateway[std::size_t(k)]];
        if (g.down) {
            d.receptionId[std::size_t(k)] = -1;
            continue;
        }
        const double snr = d.uplinkSnrDb[std::size_t(k)];
        lorawan::Uplink up;
        up.start = now;
        up.airtime = airtime;
        up.frequencyHz = frequency;
        up.spreadingFactor = rate.spreadingFactor;
        up.bandwidthHz = rate.bandwidthHz;
        up.snrDb = snr;
        up.rssiDbm = snr + noise;
        up.payloadBytes = phyBytes;
        d.receptionId[std::size_t(k)] = g.receiver->beginReception(up);
    }
    // arg1: carry (2 bits) | command (3 bits) << 2 | channel (5 bits) << 5 | PHY bytes (8 bits) << 10.
    const std::uint64_t info = std::uint64_t(carry) | (std::uint64_t(command) << 2) | (std::uint64_t(channel) << 5) |
                               (std::uint64_t(phyBytes) << 10);
    m_sim.schedule(end, *this, EventData{m_firstNode + NodeId(i), kUplinkEnd, i, info});
}

void LorawanFleet::uplinkEnd(std::size_t i, std::uint64_t info)
{
    LorawanDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    const std::uint32_t carry = std::uint32_t(info & 3u);
    const auto command = LorawanCommand((info >> 2) & 7u);
    const int channel = int((info >> 5) & 31u);
    const int phyBytes = int((info >> 10) & 255u);
    const LorawanDataRate rate = *m_phy.dataRate(d.dataRate);
    int heard[kLorawanMaxGateways];
    int heardCount = 0;
    for (int k = 0; k < d.gatewayCount; ++k) {
        LorawanGateway& g = m_gateways[d.gateway[std::size_t(k)]];
        const std::int32_t id = d.receptionId[std::size_t(k)];
        d.receptionId[std::size_t(k)] = -1;
        if (id < 0)
            continue;
        switch (g.receiver->endReception(id)) {
        case lorawan::ReceptionOutcome::Received:
            if (!g.down) {
                ++g.uplinksHeard;
                heard[heardCount++] = k;
            }
            break;
        case lorawan::ReceptionOutcome::Collided: ++g.uplinksCollided; break;
        case lorawan::ReceptionOutcome::GatewayTransmitting: ++g.uplinksWhileTransmitting; break;
        case lorawan::ReceptionOutcome::NoDemodulator: ++g.uplinksNoDemodulator; break;
        default: break;
        }
    }
    if (heardCount == 0) {
        ++d.uplinksLost;
        // Nothing for it: both receive windows open and find no preamble.
        d.energy.rxNs += (rxWindow(rate.spreadingFactor, rate.bandwidthHz) +
                          rxWindow(m_phy.dataRate(m_rx2DataRate)->spreadingFactor, m_phy.dataRate(m_rx2DataRate)->bandwidthHz)).nanos();
        scheduleNextUplink(i, now);
        return;
    }
    if (m_faults && serverDown(now)) {
        // The network server is down (a scenario serverCrash): the gateways heard it, nobody
        // processes it; both receive windows stay empty.
        d.energy.rxNs += (rxWindow(rate.spreadingFactor, rate.bandwidthHz) +
                          rxWindow(m_phy.dataRate(m_rx2DataRate)->spreadingFactor, m_phy.dataRate(m_rx2DataRate)->bandwidthHz)).nanos();
        scheduleNextUplink(i, now);
        return;
    }
    if (m_capture)
        m_capture->uplink(i, LorawanUplinkKind(carry), command,
                          {now, m_phy.uplinkChannelsHz()[std::size_t(channel)], rate.spreadingFactor, rate.bandwidthHz,
                           double(d.uplinkSnrDb[std::size_t(heard[0])])}, clockErrorAt(d, now));
    switch (carry) {
    case kCarryAnswer:
        if (m_server)
            m_server->onAnswer(i, command, now, command != LorawanCommand::FragSessionSetup || m_flashFits);
        break;
    case kCarryTime: d.timeAnswerDue = true; break;
    case kCarryMic:
        if (d.state == LorawanDeviceState::Reassembled)
            d.micAnswerDue = true;
        break;
    default: break;
    }
    downlink(i, heard, heardCount, m_phy.uplinkChannelsHz()[std::size_t(channel)], channel, now);
    scheduleNextUplink(i, now);
}

void LorawanFleet::downlink(std::size_t i, const int* heard, int heardCount, std::uint32_t uplinkFrequencyHz, int channel,
                            SimTime uplinkEnd)
{
    LorawanDevice& d = m_devices[i];
    int kind = kDownNone;
    int bytes = 0;
    LorawanCommand command = LorawanCommand::None;
    if (d.micAnswerDue) {
        kind = kDownMic;
        bytes = kLorawanDataBlockReceivedAnsBytes;
    } else if (d.timeAnswerDue) {
        kind = kDownTime;
        bytes = kLorawanAppTimeAnsBytes;
    } else if (d.queued != LorawanCommand::None) {
        kind = kDownCommand;
        command = d.queued;
        bytes = lorawanCommandBytes(command, m_plan.fecVersion);
    }
    const LorawanDataRate up = *m_phy.dataRate(d.dataRate);
    const LorawanDataRate rx1 = *m_phy.dataRate(m_phy.rx1DataRate(d.dataRate));
    const LorawanDataRate rx2 = *m_phy.dataRate(m_rx2DataRate);
    const SimTime idle1 = rxWindow(rx1.spreadingFactor, rx1.bandwidthHz);
    const SimTime idle2 = rxWindow(rx2.spreadingFactor, rx2.bandwidthHz);
    if (kind == kDownNone) {
        d.energy.rxNs += (idle1 + idle2).nanos();
        return;
    }
    (void)up;
    const int phyBytes = kLorawanFrameOverhead + bytes;
    const std::uint32_t f1 = m_phy.rx1FrequencyHz(uplinkFrequencyHz, channel);
    const std::uint32_t f2 = m_phy.rx2FrequencyHz();
    const double downBoost = m_config.gateways.txPowerDbm - m_config.devices.txPowerDbm;
    // RX1 through the best gateway that heard it and may send; else RX2 likewise.
    for (int window = 1; window <= 2; ++window) {
        const LorawanDataRate& rate = window == 1 ? rx1 : rx2;
        const std::uint32_t f = window == 1 ? f1 : f2;
        const SimTime at = uplinkEnd + kReceiveDelay1 * window;
        const SimTime airtime = LorawanFleetPhy::timeOnAir(rate.spreadingFactor, rate.bandwidthHz, phyBytes, false);
        const int band = m_phy.subBand(f);
        for (int h = 0; h < heardCount; ++h) {
            const int k = heard[h];
            LorawanGateway& g = m_gateways[d.gateway[std::size_t(k)]];
            if (g.down || g.txBusyUntil > at || g.dutyCycle.earliestStart(f, at) > at)
                continue;
            // Send.
            g.receiver->beginTransmit(at, airtime);
            g.txBusyUntil = at + airtime;
            g.lastTxStart = at;
            g.lastTxEnd = at + airtime;
            g.dutyCycle.record(f, at, airtime);
            g.bandAirtimeS[std::size_t(band)] += airtime.toSeconds();
            g.unicastAirtimeS += airtime.toSeconds();
            ++g.unicastDownlinks;
            if (kind == kDownMic)
                d.micAnswerDue = false;
            else if (kind == kDownTime)
                d.timeAnswerDue = false;
            else
                d.queued = LorawanCommand::None;
            const double bwPenalty = rate.bandwidthHz > 125'000 ? 10.0 * std::log10(double(rate.bandwidthHz) / 125'000.0) : 0.0;
            const double snr = d.uplinkSnrDb[std::size_t(k)] + downBoost - bwPenalty;
            if (m_capture)
                m_capture->downlink(i, kind == kDownMic ? LorawanDownlinkKind::DataBlockReceived
                                       : kind == kDownTime ? LorawanDownlinkKind::AppTime : LorawanDownlinkKind::Command,
                                    command, {at, f, rate.spreadingFactor, rate.bandwidthHz, snr}, clockErrorAt(d, uplinkEnd));
            const bool got = !d.rng.bernoulli(LorawanFleetPhy::packetErrorRate(rate.spreadingFactor, snr, phyBytes));
            // RX1 hit: that window holds the frame (RX2 stays closed if it decoded).
            d.energy.rxNs += (window == 1 ? airtime + (got ? SimTime() : idle2) : idle1 + airtime).nanos();
            if (got) {
                ++d.downlinks;
                deliver(i, kind, command, at + airtime);
            }
            return;
        }
    }
    ++m_gateways[d.gateway[std::size_t(heard[0])]].downlinksBlocked;
    d.energy.rxNs += (idle1 + idle2).nanos();
}

double LorawanFleet::clockErrorAt(const LorawanDevice& d, SimTime t) const
{
    const SimTime since = d.timeSynced ? t - d.syncedAt : t;
    return double(d.clockErrorS) + double(d.driftPpm) * 1e-6 * since.toSeconds();
}

void LorawanFleet::deliver(std::size_t i, int kind, LorawanCommand command, SimTime at)
{
    LorawanDevice& d = m_devices[i];
    d.energy.mcuNs += 2'000'000;
    switch (kind) {
    case kDownMic:
        if (d.state != LorawanDeviceState::Reassembled)
            return;
        d.micToSend = false;
        if (d.corrupted) {
            setDeviceState(i, LorawanDeviceState::Rejected);
        } else if (d.faultWatch && faultImageCheck(i)) {
            // The device's own check of the reassembled block (signature, version) refused it.
        } else {
            setDeviceState(i, LorawanDeviceState::Verified);
            m_sim.schedule(at + SimTime::fromSecondsInt(1), *this, EventData{m_firstNode + NodeId(i), kApply, i, 0});
        }
        return;
    case kDownTime:
        // AppTimeAns corrects to the second (TS003 resolution): what is left is under ±0.5 s.
        d.needsTime = false;
        d.timeSynced = true;
        d.syncedAt = at;
        d.clockErrorS = float(d.rng.uniform(-0.5, 0.5));
        return;
    default: break;
    }
    d.answer = command;
    switch (command) {
    case LorawanCommand::FragSessionSetup:
        if (m_flashFits && d.fec.fragments() == 0)
            d.fec = LorawanFecTracker(m_plan.fragments);
        if (m_config.campaign.clockSync && !d.timeSynced)
            d.needsTime = true;
        break;
    case LorawanCommand::McSession: {
        const SimTime start = m_server->sessionStart();
        const double error = clockErrorAt(d, start);
        d.sessionOpen = start + SimTime::fromSeconds(error);
        d.sessionClose = d.sessionOpen + m_plan.sessionTimeout;
        break;
    }
    default: break;
    }
}

bool LorawanFleet::multicastLost(LorawanDevice& d)
{
    bool lost = d.rng.bernoulli(double(d.multicastLoss));
    const double extra = m_config.radio.extraLossPercent / 100.0;
    if (extra > 0) {
        const double burst = m_config.radio.burstFrames;
        if (burst <= 1.0) {
            lost = d.rng.bernoulli(extra) || lost;
        } else {
            // Gilbert–Elliott with mean burst `burst` frames and stationary loss `extra`.
            const double toGood = 1.0 / burst;
            const double toBad = std::min(1.0, extra * toGood / std::max(1e-9, 1.0 - extra));
            d.burstLoss = d.burstLoss ? !d.rng.bernoulli(toGood) : d.rng.bernoulli(toBad);
            lost = d.burstLoss || lost;
        }
    }
    return lost;
}

SimTime LorawanFleet::nextPingSlot(SimTime t) const
{
    // Class B: beacons every 128 s, 2.12 s reserved after each, slots of 30 ms, the last
    // 3 s before the next beacon guarded; the group's pings every pingPeriod from slot 0.
    const std::int64_t beaconNs = 128'000'000'000;
    const std::int64_t reservedNs = 2'120'000'000;
    const std::int64_t guardNs = 3'000'000'000;
    std::int64_t base = (t.nanos() / beaconNs) * beaconNs;
    for (;;) {
        const std::int64_t first = base + reservedNs;
        const std::int64_t period = m_plan.pingPeriod.nanos();
        std::int64_t k = t.nanos() <= first ? 0 : (t.nanos() - first + period - 1) / period;
        const std::int64_t slot = first + k * period;
        if (slot + m_plan.frameAirtime.nanos() <= base + beaconNs - guardNs)
            return SimTime::fromNanos(slot);
        base += beaconNs;
    }
}

void LorawanFleet::frame(std::size_t gi, int n)
{
    LorawanGateway& g = m_gateways[gi];
    const SimTime now = m_sim.now();
    const auto batchDone = [&](SimTime at) {
        g.sending = false;
        if (--m_gatewaysSending == 0)
            m_sim.schedule(at, *this, EventData{m_serverNode, kFramesDone, 0, 0});
    };
    if (m_server->groupDeleted()) {
        batchDone(now);   // the group's queue went with it
        return;
    }
    const int band = m_phy.subBand(m_plan.frequencyHz);
    SimTime at = std::max(g.txBusyUntil, g.dutyCycle.earliestStart(m_plan.frequencyHz, now));
    if (m_plan.classB)
        at = nextPingSlot(at);
    if (at > now) {
        m_sim.schedule(at, *this, EventData{g.node, kFrame, gi, std::uint64_t(n)});
        return;
    }
    const SimTime airtime = m_plan.frameAirtime;
    if (!g.down)
        g.receiver->beginTransmit(now, airtime);
    g.txBusyUntil = now + airtime;
    g.lastTxStart = now;
    g.lastTxEnd = now + airtime;
    g.dutyCycle.record(m_plan.frequencyHz, now, airtime);
    g.lastFrameSent = std::max(g.lastFrameSent, n);
    if (g.down) {
        ++g.framesWhileDown;
    } else {
        g.bandAirtimeS[std::size_t(band)] += airtime.toSeconds();
        g.multicastAirtimeS += airtime.toSeconds();
        ++g.framesSent;
        const std::size_t batch = n > m_plan.frames() ? 1 : 0;
        g.multicastFrom[batch] = std::min(g.multicastFrom[batch], now);
        g.multicastUntil[batch] = now + airtime;
        FrameRecord record;
        record.time = now;
        record.airtime = airtime;
        record.src = g.node;
        record.dst = kBroadcastNode;
        m_sim.observers().notifyFrame(record);
        if (m_capture) {
            const LorawanCaptureRadio radio{now, m_plan.frequencyHz, m_plan.spreadingFactor, m_plan.bandwidthHz, m_capture->gatewaySnrDb(gi)};
            const auto& forged = m_config.faults.forgedFragments;
            if (forged && n >= forged->atFragment && n < forged->atFragment + forged->count)
                m_capture->forgedMulticast(gi, n, radio);
            m_capture->multicast(gi, n, radio);
        }
        receiveFrame(gi, n, now);
    }
    if (n < g.lastFrame)
        m_sim.schedule(now + airtime, *this, EventData{g.node, kFrame, gi, std::uint64_t(n + 1)});
    else
        batchDone(now + airtime);
}

void LorawanFleet::receiveFrame(std::size_t gi, int n, SimTime at)
{
    LorawanGateway& g = m_gateways[gi];
    const int m = m_plan.fragments;
    const bool parity = n > m;
    LorawanParityLine line;
    if (parity)
        line = lorawanParityLine(n - m, m, m_plan.fecVersion);
    const auto& forged = m_config.faults.forgedFragments;
    const bool forge = forged && n >= forged->atFragment && n < forged->atFragment + forged->count;
    if (forge)
        ++m_forgedSent;
    const SimTime end = at + m_plan.frameAirtime;
    const std::int64_t flashNs = std::int64_t(double(m_plan.fragmentSize) * m_preset.flashSecondsPerByte * 1e9);
    for (const std::uint32_t i : g.served) {
        LorawanDevice& d = m_devices[i];
        if (!d.inSession || d.state != LorawanDeviceState::Receiving)
            continue;
        if (at < d.sessionOpen || at >= d.sessionClose) {
            ++d.framesMissedClosed;
            continue;
        }
        if (d.faultWatch && offAir(d, at)) {   // off, or its link is down (scenario faults)
            ++d.framesLost;
            continue;
        }
        if ((forge || (d.faultWatch && wantsForgedFrame(i))) && !multicastLost(d)) {
            // The attacker's frame (valid multicast MIC, wrong data) comes first; a device
            // whose decoder keeps it holds a wrong image whatever else arrives.
            const bool wasCorrupted = d.fec.corrupted();
            const bool done = parity ? d.fec.addParity(line, true) : d.fec.addUncoded(n - 1, true);
            if (d.fec.corrupted() && !wasCorrupted) {
                d.corrupted = true;
                ++d.forgedAccepted;
            }
            if (done) {
                stopListening(d, end);
                d.micToSend = true;
                setDeviceState(i, LorawanDeviceState::Reassembled);
                continue;
            }
        }
        if (multicastLost(d)) {
            ++d.framesLost;
            continue;
        }
        ++d.framesReceived;
        d.energy.flashNs += flashNs;
        const bool complete = parity ? d.fec.addParity(line) : d.fec.addUncoded(n - 1);
        if (complete) {
            stopListening(d, end);
            d.micToSend = true;
            setDeviceState(i, LorawanDeviceState::Reassembled);
        }
        if (d.faultWatch)
            faultFrameStored(i);   // may cut its power at this write
    }
}

void LorawanFleet::stopListening(LorawanDevice& d, SimTime at)
{
    if (!d.inSession)
        return;
    d.inSession = false;
    const SimTime until = std::min(at, d.sessionClose);
    const SimTime span = until > d.listenFrom ? until - d.listenFrom : SimTime();
    if (m_plan.classB) {
        // Beacons (about 0.16 s each, every 128 s) and a short window per ping slot.
        const double beacons = span.toSeconds() / 128.0;
        const double pings = span.toSeconds() / m_plan.pingPeriod.toSeconds();
        const double pingS = double(kRxWindowSymbols) * double(1 << m_plan.spreadingFactor) / double(m_plan.bandwidthHz);
        d.energy.rxNs += std::int64_t((beacons * 0.16 + pings * pingS) * 1e9);
    } else {
        d.energy.rxNs += span.nanos();
    }
}

void LorawanFleet::scheduleServerJob(SimTime at)
{
    m_sim.schedule(at, *this, EventData{m_serverNode, kServerJob, 0, 0});
}

void LorawanFleet::sendFrames(SimTime at, int first, int last)
{
    if (first == 1 && m_config.campaign.groupDeleteAfterQueueS)
        m_sim.schedule(at + SimTime::fromSeconds(*m_config.campaign.groupDeleteAfterQueueS), *this,
                       EventData{m_serverNode, kGroupDelete, std::uint64_t(m_server->wave()), 0});
    m_gatewaysSending = 0;
    for (std::size_t gi = 0; gi < m_gateways.size(); ++gi) {
        LorawanGateway& g = m_gateways[gi];
        g.lastFrame = last;
        if (g.served.empty())
            continue;
        g.sending = true;
        ++m_gatewaysSending;
        m_sim.schedule(at, *this, EventData{g.node, kFrame, gi, std::uint64_t(first)});
    }
    if (m_gatewaysSending == 0)
        m_sim.schedule(at, *this, EventData{m_serverNode, kFramesDone, 0, 0});
}

void LorawanFleet::openSession(SimTime start, SimTime, bool repair)
{
    m_sim.schedule(start, *this, EventData{m_serverNode, kSessionOpen, repair ? 1u : 0u, 0});
    if (!m_plan.classB || m_beaconing)
        return;
    // Gateways beacon from two beacon periods before the session (devices lock on to the
    // beacon before their ping slots) until its last frame; beacons are sent on the
    // 128 s grid of GPS time (here: virtual time).
    m_beaconing = true;
    const std::int64_t period = 128'000'000'000;
    const std::int64_t first = std::max(m_sim.now().nanos(), start.nanos() - 2 * period);
    const SimTime at = SimTime::fromNanos((first + period - 1) / period * period);
    for (std::size_t gi = 0; gi < m_gateways.size(); ++gi)
        if (!m_gateways[gi].served.empty())
            m_sim.schedule(at, *this, EventData{m_gateways[gi].node, kBeacon, gi, 0});
}

void LorawanFleet::beacon(std::size_t gi)
{
    if (!m_beaconing)
        return;
    LorawanGateway& g = m_gateways[gi];
    const SimTime now = m_sim.now();
    const SimTime airtime = m_phy.beaconAirtime();
    const std::uint32_t f = m_phy.beaconFrequencyHz();
    if (!g.down && g.txBusyUntil <= now) {
        g.receiver->beginTransmit(now, airtime);
        g.txBusyUntil = now + airtime;
        g.lastTxStart = now;
        g.lastTxEnd = now + airtime;
        g.dutyCycle.record(f, now, airtime);
        g.bandAirtimeS[std::size_t(m_phy.subBand(f))] += airtime.toSeconds();
        ++g.beacons;
    }
    m_sim.schedule(now + SimTime::fromSecondsInt(128), *this, EventData{g.node, kBeacon, gi, 0});
}

void LorawanFleet::setDeviceState(std::size_t i, LorawanDeviceState next)
{
    LorawanDevice& d = m_devices[i];
    const LorawanDeviceState previous = d.state;
    if (previous == next || isFinalLorawanState(previous))
        return;
    const SimTime now = m_sim.now();
    const FleetPhase from = lorawanDevicePhase(previous);
    const FleetPhase to = lorawanDevicePhase(next);
    const int slot = int(from) - int(FleetPhase::Waiting);
    if (slot >= 0 && slot < int(d.phaseSeconds.size()))
        d.phaseSeconds[std::size_t(slot)] += float((now - d.stateSince).toSeconds());
    if (previous == LorawanDeviceState::ClassA) {
        d.energyAtStart = d.energy;
        if (d.campaignStart == SimTime::max())
            d.campaignStart = now;
    }
    if (d.inSession && next != LorawanDeviceState::Receiving)
        stopListening(d, now);
    d.state = next;
    d.stateSince = now;
    if (isFinalLorawanState(next)) {
        d.finishedAt = now;
        d.queued = LorawanCommand::None;
        d.micToSend = false;
    }
    m_sim.observers().notifyStateChange(StateChange{now, m_firstNode + NodeId(i), kLorawanDeviceMachine,
                                                    std::uint16_t(previous), std::uint16_t(next)});
    if (from != to && m_listener)
        m_listener->onDevicePhase(*this, i, from, to);
    if (d.faultWatch && isFinalLorawanState(next))
        faultFinal(i);
}

void LorawanFleet::serverStateChanged(FuotaServerState from, FuotaServerState to)
{
    m_sim.observers().notifyStateChange(
        StateChange{m_sim.now(), m_serverNode, kFuotaServerMachine, std::uint16_t(from), std::uint16_t(to)});
}

void LorawanFleet::deleteGroup()
{
    m_server->markGroupDeleted(m_sim.now());
}

} // namespace otalab::sim
