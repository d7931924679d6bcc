// SPDX-License-Identifier: Apache-2.0
// Reads "topology" of a scenario: a generated tree or an explicit node list.
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/topologygenerator.h"
#include "sim/zigbee/topologyspec.h"

#include <QJsonValue>

#include <optional>
#include <variant>

namespace otalab::sim {

using ScenarioTopology = std::variant<GeneratedTopology, TopologySpec>;

// `value` is the "topology" member (path "$.topology"). Exactly one of
//   {"generate": {"routers", "branching", "zedsPerRouter", "zedsOnCoordinator",
//                 "placement": "grid"|"random", "spacingM", "zedRadiusM",
//                 "areaWidthM", "areaHeightM", "seed"}}
//   {"nodes": [{"short", "role": "coordinator"|"router"|"end-device", "parent", "x", "y"}, ...]}
// Explicit nodes: nodes[0] is the only coordinator (short 0x0000, no parent); parents are
// short addresses of a coordinator or router listed anywhere in the array; no cycles; no
// duplicate addresses. A topology without any node besides the coordinator is an error.
// On failure records into `sink` and returns nullopt.
std::optional<ScenarioTopology> readTopology(const QJsonValue& value, std::optional<Error>& sink);

} // namespace otalab::sim
