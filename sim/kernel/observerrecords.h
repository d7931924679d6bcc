// SPDX-License-Identifier: Apache-2.0
// Plain records the kernel and the models pass to SimObserver callbacks.
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <cstdint>
#include <span>

namespace otalab::sim {

// A state machine of a node changed state. Machines and states are small integers
// whose enumerations the model layer owns and documents (radio: sleep/idle/RX/TX,
// CPU, flash, OTA client ImageUpgradeStatus, ...), so the kernel stays protocol-free.
struct StateChange {
    SimTime time;
    NodeId node = kNoNode;
    std::uint16_t machine = 0;
    std::uint16_t from = 0;
    std::uint16_t to = 0;
};

// What happened to a frame on the air.
enum class FrameFate : std::uint8_t {
    Transmitted, // the sender started transmitting it (time = start of airtime)
    Delivered,   // the receiver `dst` decoded it (time = end of airtime)
    Lost,        // the channel model dropped it for `dst` (bit errors, cut link)
    Collided,    // overlapped another transmission at the receiver
    Missed,      // the receiver's radio was off (a sleeping end device) when it arrived
};

// An IEEE 802.15.4 frame on the air. `bytes` is the MPDU as transmitted (MAC header
// through FCS, at most 127 bytes) and is valid only during the callback: copy it to
// keep it. `airtime` covers the whole PSDU, which may be longer than `bytes` by octets
// the sender models without carrying (Mac::send airOnlyOctets: the NWK security
// overhead). For broadcasts dst is kBroadcastNode on Transmitted and the actual
// receiver on Delivered/Lost/Collided.
// Turns the bytes a model carries for a secured frame into the frame as it is on the air.
// A model that secures frames (sim/zigbee NWK security) carries the protected part in
// plaintext with the security header filled in and a zero MIC — everything the secured
// frame is a deterministic function of — so receivers and the fingerprint need no
// cryptography; writers of captures (pcap, JSONL "bytes") call seal() to get what a
// sniffer captures: payload encrypted, MIC computed, FCS recomputed. Simulation thread.
class FrameSealer {
public:
    // Writes the on-air MPDU of `carried` into `out` (same length) and returns true; false
    // (out untouched) when `carried` is not a frame this sealer secures.
    virtual bool seal(std::span<const std::uint8_t> carried, std::span<std::uint8_t> out) const = 0;

protected:
    ~FrameSealer() = default;
};

struct FrameRecord {
    SimTime time;             // see FrameFate for which instant
    SimTime airtime;          // PHY duration incl. preamble/SFD/PHR at 250 kbit/s
    NodeId src = kNoNode;
    NodeId dst = kNoNode;
    std::uint16_t panId = 0xFFFF;
    std::uint8_t channel = 11; // 802.15.4 channel 11..26
    FrameFate fate = FrameFate::Transmitted;
    std::int8_t rssiDbm = 0;   // at dst; 0 when not applicable (Transmitted)
    std::uint8_t lqi = 0;      // at dst; 0 when not applicable
    std::span<const std::uint8_t> bytes;
    // Non-null when `bytes` is a secured frame carried in plaintext: seal() gives the
    // on-air bytes (see FrameSealer). Writers of captures must use it; hashes need not.
    const FrameSealer* sealer = nullptr;
};

// Energy a node component drew over [time - duration, time].
struct EnergySample {
    SimTime time;
    SimTime duration;
    NodeId node = kNoNode;
    std::uint16_t component = 0; // model-defined: radio, CPU, flash, ...
    std::uint16_t state = 0;     // the component's state during the interval
    double joules = 0.0;         // energy in the interval (J)
};

// Periodic run progress, emitted by the Simulator (every progress interval of
// executed events, and once at the end of each run). Deterministic: counts events,
// never wall time.
struct Progress {
    SimTime time;              // current virtual time
    SimTime limit;             // runUntil() limit, SimTime::max() for run()/step()
    std::uint64_t eventsExecuted = 0;
    std::uint64_t eventsPending = 0;
};

} // namespace otalab::sim
