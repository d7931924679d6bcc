// SPDX-License-Identifier: Apache-2.0
// A hand-built RunResult for the report writer tests.
#pragma once

#include "sim/report/runresult.h"

namespace otalab::sim::reporttest {

// 10 devices behind router 0x0001: 0x0002..0x0009 upgraded at 100, 200, ..., 800 s;
// 0x000A failed (reason with a comma and quotes), 0x000B unfinished. Energy 0.1·i J
// update energy, 0.2·i J total; CR2032.
inline RunResult sampleRunResult()
{
    RunResult r;
    r.scenarioName = QStringLiteral("unit <test> & \"quotes\"");
    r.seed = 42;
    r.endTimeS = 1000;
    r.stopReason = QStringLiteral("time limit 1000 s");
    r.eventsExecuted = 123456;
    r.wallSeconds = 0.5;
    r.traceFingerprint = 0x0123456789ABCDEFull;
    r.imageBytes = 65536;
    r.batteryName = QStringLiteral("CR2032 (225 mAh)");
    for (int i = 0; i < 10; ++i) {
        DeviceResult d;
        d.node = std::uint32_t(i + 2);
        d.name = QStringLiteral("0x%1").arg(i + 2, 4, 16, QLatin1Char('0'));
        d.role = QStringLiteral("end-device");
        d.parent = QStringLiteral("0x0001");
        d.hops = 2;
        d.versionBefore = QStringLiteral("0x00000001");
        d.energyJ = 0.2 * (i + 1);
        d.updateEnergyJ = 0.1 * (i + 1);
        d.batteryShare = d.updateEnergyJ / (225 * 3.6 * 3.0);
        d.startS = 10.0 * (i + 1);
        if (i < 8) {
            d.outcome = DeviceOutcome::Upgraded;
            d.finishS = 100.0 * (i + 1);
            d.bytesReceived = 65536;
            d.versionAfter = QStringLiteral("0x00000002");
        } else if (i == 8) {
            d.outcome = DeviceOutcome::Failed;
            d.bytesReceived = 24000;
            d.versionAfter = QStringLiteral("0x00000001");
            d.failureReason = QStringLiteral("timeout, after 10 tries: \"no response\"");
        } else {
            d.outcome = DeviceOutcome::Unfinished;
            d.bytesReceived = 1000;
            d.versionAfter = QStringLiteral("0x00000001");
        }
        d.requests = d.bytesReceived / 50;
        d.retries = std::uint64_t(i);
        r.devices.push_back(d);
    }
    for (int t = 0; t <= 10; ++t)
        r.progress.push_back(FleetSample{100.0 * t, std::min(t, 8), t < 8 ? 2 : 1, t >= 9 ? 1 : 0, 0.05});
    return r;
}

} // namespace otalab::sim::reporttest
