// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a scenario file. loadScenario (the one-Zigbee-fleet
// shape) and loadScenarioConfig (any fleets: zigbee, smp) must return a config or an Error
// with a JSON path — never crash, hang or leak.
#include "sim/scenario/scenarioloader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto config = otalab::sim::loadScenario(json, QStringLiteral("/nonexistent-fuzz-dir"));
    if (!config && config.error().field.isEmpty())
        __builtin_trap();  // every scenario error names its JSON path
    const auto scenario = otalab::sim::loadScenarioConfig(json, QStringLiteral("/nonexistent-fuzz-dir"));
    if (!scenario && scenario.error().field.isEmpty())
        __builtin_trap();
    return 0;
}
