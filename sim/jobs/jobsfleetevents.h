// SPDX-License-Identifier: Apache-2.0
// Event kinds of JobsFleet (EventData::kind) and the link's byte count of one message.
#pragma once

#include <cstdint>

namespace otalab::sim {

namespace jobsevents {
enum Kind : std::uint32_t {
    kStart = 1,          // cloud: the job exists, notify every device (no rollout)
    kNotifyArrive,       // device: notify-next with its execution (arg0 = execution)
    kJobDocumentArrive,  // device: the service's answer to $next/get (arg0 = execution)
    kRequestAtService,   // cloud: a GetStream arrived (arg0 = device | generation << 32, arg1 = first wanted block)
    kBlockArrive,        // device: a data block (arg0 = block, arg1 = generation)
    kAgentTimer,         // device: an agent timer fired (arg0 = core::awsota::AgentTimer)
    kVerified,           // device: SHA-256 + signature done, the reset begins (arg0 = execution)
    kRebooted,           // device: back on the broker in the new image (arg0 = execution)
    kSelfTestDone,       // device: self-test finished (arg0 = execution)
    kRolledBack,         // device: back in the old image (arg0 = execution)
    kDisconnect,         // device: connection drop (arg1 = generation)
    kReconnect,          // device: connection back (arg1 = generation)
    kStopArrive,         // device: notify-next without its execution (arg0 = execution)
    kPowerOn,            // device: power back after a scenario power cut (arg0 = fault log id)
    kBrokerUp,           // cloud: the broker is back after a scenario crash (arg0 = fault log id)
};
} // namespace jobsevents

// Bytes on the link of one MQTT message of `mqttBytes`: one TLS 1.2 AES-GCM record (5
// header + 8 nonce + 16 tag) in TCP/IPv4 segments of 1460 bytes (40 bytes of headers each).
int jobsWireBytes(int mqttBytes);

} // namespace otalab::sim
