// SPDX-License-Identifier: Apache-2.0
// Test helpers for the radio/MAC/channel models: a recording upper layer and a frame log.
#pragma once

#include "sim/kernel/simobserver.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/radio/macupper.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace otalab::sim::test {

// Records completions and indications; optional hooks (test-only std::function).
class RecordingUpper final : public MacUpper {
public:
    struct Received {
        SimTime time;
        NodeId srcNode;
        MacHeader header;
        std::vector<std::uint8_t> payload;
    };
    struct Completed {
        SimTime time;
        MacSendResult result;
    };

    void onSendComplete(Simulator& sim, const MacSendResult& result) override
    {
        completed.push_back({sim.now(), result});
        if (onComplete)
            onComplete(sim, result);
    }
    void onReceive(Simulator& sim, const MacIndication& ind) override
    {
        received.push_back({sim.now(), ind.srcNode, ind.header, {ind.payload.begin(), ind.payload.end()}});
    }
    bool hasPendingFor(std::uint16_t) const override { return pendingBit; }

    std::vector<Received> received;
    std::vector<Completed> completed;
    std::function<void(Simulator&, const MacSendResult&)> onComplete;
    bool pendingBit = false;
};

// Copies every FrameRecord (bytes included).
class FrameLog final : public SimObserver {
public:
    struct Entry {
        SimTime time;
        SimTime airtime;
        NodeId src;
        NodeId dst;
        FrameFate fate;
        std::int8_t rssiDbm;
        std::vector<std::uint8_t> bytes;
    };
    void onFrame(const FrameRecord& f) override
    {
        entries.push_back({f.time, f.airtime, f.src, f.dst, f.fate, f.rssiDbm, {f.bytes.begin(), f.bytes.end()}});
    }
    std::size_t count(FrameFate fate, NodeId dst = kNoNode) const
    {
        std::size_t n = 0;
        for (const Entry& e : entries)
            n += (e.fate == fate && (dst == kNoNode || e.dst == dst)) ? 1 : 0;
        return n;
    }
    std::vector<Entry> entries;
};

inline std::vector<std::uint8_t> payloadOf(std::size_t size, std::uint8_t fill = 0xA5)
{
    return std::vector<std::uint8_t>(size, fill);
}

inline MacConfig immediateConfig()
{
    MacConfig c;
    c.access = ChannelAccess::Immediate;
    return c;
}

} // namespace otalab::sim::test
