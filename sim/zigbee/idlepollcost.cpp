// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/idlepollcost.h"

#include "sim/energy/energycomponent.h"
#include "sim/radio/macframe.h"
#include "sim/radio/phytiming.h"

namespace otalab::sim {

namespace {

constexpr std::uint16_t state(RadioState s)
{
    return static_cast<std::uint16_t>(s);
}

} // namespace

SimTime IdlePollCost::dataRequestAirtime()
{
    return PhyTiming::airtime(MacFrame::kOverheadBytes + 1); // header + command id 0x04 + FCS
}

SimTime IdlePollCost::ackAirtime()
{
    return PhyTiming::airtime(PhyTiming::kAckBytes);
}

IdlePollCost IdlePollCost::compute(SimTime access)
{
    const SimTime request = dataRequestAirtime();
    const SimTime ack = ackAirtime();
    IdlePollCost c;
    c.access = access;
    c.duration = access + request + PhyTiming::kTurnaround + ack;
    c.child = {{{state(RadioState::Idle), access},
                {state(RadioState::Tx), request},
                {state(RadioState::Idle), PhyTiming::kTurnaround},
                {state(RadioState::Rx), ack}}};
    c.parent = {{{state(RadioState::Rx), request},
                 {state(RadioState::Idle), PhyTiming::kTurnaround},
                 {state(RadioState::Tx), ack}}};
    return c;
}

} // namespace otalab::sim
