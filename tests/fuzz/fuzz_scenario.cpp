// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a scenario file. loadScenario (the one-Zigbee-fleet
// shape) and loadScenarioConfig (any fleets: zigbee, smp) must return a config or an Error
// with a JSON path — never crash, hang or leak. A loaded "network" section must survive
// the writer: loadScenario(scenarioToJson(c)) reads it back to the same JSON.
// Seeds: tests/fuzz/corpus/scenario (e.g. fuzz_scenario -max_total_time=60 NEW_DIR tests/fuzz/corpus/scenario).
#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariowriter.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto config = otalab::sim::loadScenario(json, QStringLiteral("/nonexistent-fuzz-dir"));
    if (!config && config.error().field.isEmpty())
        __builtin_trap();  // every scenario error names its JSON path
    if (config) {
        const QJsonObject written = otalab::sim::scenarioToJson(*config);
        QJsonObject networkOnly{{QStringLiteral("network"), written.value(QStringLiteral("network"))},
                                {QStringLiteral("device"), QJsonObject{{QStringLiteral("nwkSecurityOverheadBytes"),
                                    written.value(QStringLiteral("device")).toObject().value(QStringLiteral("nwkSecurityOverheadBytes"))}}}};
        const auto reloaded = otalab::sim::loadScenario(QJsonDocument(networkOnly).toJson(), QString());
        if (!reloaded || otalab::sim::scenarioToJson(*reloaded).value(QStringLiteral("network")) != written.value(QStringLiteral("network")))
            __builtin_trap();  // the writer's "network" section reads back as written
    }
    const auto scenario = otalab::sim::loadScenarioConfig(json, QStringLiteral("/nonexistent-fuzz-dir"));
    if (!scenario && scenario.error().field.isEmpty())
        __builtin_trap();
    return 0;
}
