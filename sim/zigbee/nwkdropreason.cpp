// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwkdropreason.h"

namespace otalab::sim {

const char* toString(NwkDropReason reason)
{
    switch (reason) {
    case NwkDropReason::None: return "none";
    case NwkDropReason::NoAck: return "no-ack";
    case NwkDropReason::ChannelAccessFailure: return "channel-access-failure";
    case NwkDropReason::MacQueueFull: return "mac-queue-full";
    case NwkDropReason::IndirectExpired: return "indirect-expired";
    case NwkDropReason::IndirectQueueFull: return "indirect-queue-full";
    case NwkDropReason::NoRoute: return "no-route";
    case NwkDropReason::RadiusExhausted: return "radius-exhausted";
    case NwkDropReason::Malformed: return "malformed";
    case NwkDropReason::NotForUs: return "not-for-us";
    case NwkDropReason::FrameCounterReplay: return "frame-counter-replay";
    case NwkDropReason::ApsNoAck: return "aps-no-ack";
    }
    return "?";
}

} // namespace otalab::sim
