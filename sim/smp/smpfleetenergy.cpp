// SPDX-License-Identifier: Apache-2.0
// SMP board energy: activity from device and link statistics, joules from a DevicePreset.
#include "sim/smp/smpfleetenergy.h"

#include "sim/smp/smpfleetboard.h"
#include "sim/smp/smpfleetconfig.h"

#include <algorithm>

namespace otalab::sim {

namespace {

SimTime bitsAt(double bits, double bitRate)
{
    return bitRate > 0 ? SimTime::fromSeconds(bits / bitRate) : SimTime::zero();
}

} // namespace

SmpBoardActivity smpBoardActivity(const SmpFleetBoard& board, const SmpFleetConfig& config, SimTime now)
{
    SmpBoardActivity a;
    const SmpSimDevice* device = board.device();
    const SmpLink* link = board.link();
    if (!device || !link)
        return a;
    const SmpSimDeviceStats& d = device->stats();
    a.flashErase = d.flashErase;
    a.flashWrite = d.flashWrite;
    a.cpuActive = std::max(SimTime::zero(), d.busy - d.flashErase - d.flashWrite) + d.booting;
    const SmpLinkStats& s = link->stats();
    SimTime talk = board.talkTime;
    if (board.attemptSince)
        talk += now - *board.attemptSince;
    if (config.link == SmpFleetConfig::Link::Ble) {
        const SmpBleLinkConfig& ble = config.ble.link;
        const int framing = 14;   // preamble (≤2), access address 4, header 2, CRC 3, MIC 4 (worst case)
        const auto air = [&](std::int64_t bytes) {
            const std::int64_t pdus = (bytes + ble.llPayload - 1) / std::max(1, ble.llPayload);
            return bitsAt(double(bytes + pdus * framing) * 8.0, ble.phyBitRate);
        };
        a.radioRx = air(s.hostWireBytes);
        a.radioTx = air(s.deviceWireBytes);
        const std::int64_t interval = std::max<std::int64_t>(1, ble.connectionInterval.nanos());
        const std::int64_t events = talk.nanos() / interval;
        a.radioListen = bitsAt(double(events) * 2.0 * 10.0 * 8.0, ble.phyBitRate);   // empty PDU: 10 bytes on air
    } else {
        const SmpUdpLinkConfig& udp = config.udp.link;
        a.radioRx = bitsAt(double(s.hostWireBytes) * 8.0, udp.bitRate);
        a.radioTx = bitsAt(double(s.deviceWireBytes) * 8.0, udp.bitRate);
        a.radioListen = std::max(SimTime::zero(), talk - a.radioRx - a.radioTx);
    }
    return a;
}

double smpBoardJoules(const DevicePreset& p, const SmpBoardActivity& a, SimTime sleepSpan)
{
    const double amperesSeconds = a.cpuActive.toSeconds() * p.cpu.activeA + a.flashErase.toSeconds() * p.cpu.flashEraseA
                                  + a.flashWrite.toSeconds() * p.cpu.flashWriteA + a.radioRx.toSeconds() * p.radio.rxA
                                  + a.radioTx.toSeconds() * p.radio.txA + a.radioListen.toSeconds() * p.radio.idleA
                                  + std::max(0.0, sleepSpan.toSeconds()) * p.cpu.sleepA;
    return p.supplyVoltageV * amperesSeconds;
}

} // namespace otalab::sim
