// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a scenario file. loadScenario must return a config
// or an Error with a JSON path — never crash, hang or leak.
#include "sim/scenario/scenarioloader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto config = otalab::sim::loadScenario(json, QStringLiteral("/nonexistent-fuzz-dir"));
    if (!config && config.error().field.isEmpty())
        __builtin_trap();  // every scenario error names its JSON path
    return 0;
}
