// SPDX-License-Identifier: Apache-2.0
// ScenarioConfig: one or more fleets, each of one family, plus what the whole run shares.
#pragma once

#include "sim/fleet/faults/faultconfig.h"
#include "sim/fleet/rollout/rolloutconfig.h"
#include "sim/jobs/jobsfleetconfig.h"
#include "sim/lorawan/lorawanfleetconfig.h"
#include "sim/ocf/ocffleetconfig.h"
#include "sim/report/runresult.h"
#include "sim/smp/smpfleetconfig.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QString>

#include <optional>
#include <variant>
#include <vector>

namespace otalab::sim {

// One fleet: its family's whole configuration. The Zigbee family keeps the shape of the
// original scenario file (RolloutConfig; its name/seed/stop/sampleIntervalS/fingerprint
// are ignored inside a ScenarioConfig: the scenario's own apply).
struct FleetConfig {
    QString name;                                            // "name": unique in the scenario
    std::variant<RolloutConfig, SmpFleetConfig, LorawanFleetConfig, JobsFleetConfig, OcfFleetConfig> family;  // "family": "zigbee" | "smp" | "lorawan" | "jobs" | "ocf"
    QString familyId() const;                                // "zigbee", "smp", "lorawan", "jobs", "ocf"
};

struct ScenarioConfig {
    QString name = QStringLiteral("starter");  // "name"
    QString description;                       // "description"
    QString file;                              // absolute path it was loaded from (empty when built in code)
    std::uint64_t seed = 1;                    // "seed": master seed; per-node streams derive from it
    StopConfig stop;                           // "stop"
    double sampleIntervalS = 10.0;             // "sampleIntervalS"
    bool fingerprint = true;                   // "fingerprint"
    std::vector<FleetConfig> fleets;           // "fleets"; a file without it is one Zigbee fleet
    // "rollout": the job and its policy over the campaign devices of the fleets it targets
    // (sim/fleet/rollout); absent: every family runs its campaign as it always did.
    std::optional<rollout::RolloutPolicyConfig> rollout;
    // "faults" / "attacks": what goes wrong in the field and what an attacker tries
    // (sim/fleet/faults); empty: nothing is injected.
    faults::FaultsConfig faults;
    // Parameters that differ from the bundled defaults ("server.blockResponseDelayMs" =
    // "100"), filled by the loader; the report names them.
    std::vector<ResultAttribute> changes;

    // The original single-Zigbee-fleet form: one fleet named after the scenario.
    static ScenarioConfig fromRollout(const RolloutConfig& rollout);
    // The Zigbee fleet's config when the scenario is exactly one Zigbee fleet (the form
    // and editor of the lab edit that shape), else null.
    const RolloutConfig* singleZigbee() const;
    RolloutConfig* singleZigbee();
};

} // namespace otalab::sim
