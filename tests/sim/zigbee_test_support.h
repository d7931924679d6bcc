// SPDX-License-Identifier: Apache-2.0
// Test helpers for the Zigbee NWK/APS model: a recording application and a drop log.
#pragma once

#include "sim/kernel/simulator.h"
#include "sim/zigbee/apsupper.h"
#include "sim/zigbee/nwkdropreason.h"
#include "sim/zigbee/zigbeenode.h"

#include <cstdint>
#include <vector>

namespace otalab::sim::test {

// Records APS completions and indications; optionally echoes every unicast back.
class RecordingApp final : public ApsUpper {
public:
    struct Received {
        SimTime time;
        std::uint16_t src;
        std::uint16_t dst;
        std::uint8_t endpoint;
        std::uint16_t cluster;
        std::uint8_t radius;
        std::vector<std::uint8_t> payload;
    };
    struct Completed {
        SimTime time;
        ApsSendResult result;
    };

    void onApsSendComplete(Simulator& sim, const ApsSendResult& result) override
    {
        completed.push_back({sim.now(), result});
    }
    void onApsReceive(Simulator& sim, const ApsIndication& ind) override
    {
        received.push_back({sim.now(), ind.srcShort, ind.dstShort, ind.dstEndpoint, ind.clusterId, ind.radius,
                            {ind.payload.begin(), ind.payload.end()}});
        if (echoVia && !isNwkBroadcast(ind.dstShort))
            static_cast<void>(echoVia->sendAps(ind.srcShort, ind.srcEndpoint, ind.clusterId, ind.payload));
    }

    ZigbeeNode* echoVia = nullptr;
    std::vector<Received> received;
    std::vector<Completed> completed;
};

class DropLog final : public NwkDropListener {
public:
    void onNwkDrop(Simulator&, const NwkDrop& drop) override { drops.push_back(drop); }
    std::vector<NwkDrop> drops;
};

} // namespace otalab::sim::test
