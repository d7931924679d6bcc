// SPDX-License-Identifier: Apache-2.0
// IdlePollCost: the radio time line of an idle poll (Data Request + ACK, frame pending clear) in closed form.
#pragma once

#include "sim/energy/powerstatemachine.h"
#include "sim/kernel/simtime.h"

#include <array>

namespace otalab::sim {

// What an on-air poll that meets a clear channel and finds nothing pending does to the
// radios of the polling end device and of its parent, as the Mac and RadioChannel
// would run it (sim/radio/mac.cpp, radiochannel.cpp), without simulating it
// (NwkModelConfig::IdlePolls::ClosedForm, sim/zigbee/README.md "Closed-form idle polls"):
//
//   child  : Idle [access] → Tx [request] → Idle [aTurnaroundTime] → Rx [ACK] → Sleep
//   parent : (Idle) → Rx [request] → Idle [aTurnaroundTime] → Tx [ACK] → (Idle)
//
// access  = time from the request to the start of transmission (Mac::consumeClearChannelAttempt:
//           backoff drawn with BE = macMinBE + CCA 8 symbols + aTurnaroundTime 12 symbols);
// request = airtime of the Data Request: PSDU = MAC header 9 (FCF, DSN, PAN ID, short
//           destination and source, PAN ID compression) + command id 0x04 + FCS 2 = 12 octets,
//           + 6 octets of SHR/PHR = 18 × 32 µs = 576 µs (IEEE 802.15.4-2006 7.3.4, 6.5.3.1);
// ACK     = 5-octet MPDU (7.2.2.3) + 6 = 352 µs; the parent sends it aTurnaroundTime
//           (192 µs, 6.4.1 Table 22) after the request's end (7.5.6.4.2).
struct IdlePollCost {
    SimTime access;                                      // request → start of the Data Request on air
    SimTime duration;                                    // request → the child's radio is back asleep
    std::array<PowerStateMachine::StateDuration, 4> child{};  // radio states of the polling device
    std::array<PowerStateMachine::StateDuration, 3> parent{}; // radio states of its parent (from `access` on)

    static IdlePollCost compute(SimTime access);
    // Airtime of a Data Request command (576 µs) and of an ACK (352 µs).
    static SimTime dataRequestAirtime();
    static SimTime ackAirtime();
};

} // namespace otalab::sim
