// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the rollout policy engine under arbitrary configs and inputs. The bytes
// before the first NUL are a "rollout" object (readRolloutPolicy; an invalid one falls back
// to a busy built-in policy), the rest is a sequence of 3-byte inputs (what, device, time
// step). After every input the executions per state must sum to the device count and each
// device must have made a legal transition, a retry or a notification — never crash or hang.
#include "sim/fleet/rollout/rolloutengine.h"
#include "sim/scenario/rolloutreader.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace otalab::sim;
using namespace otalab::sim::rollout;

namespace {

RolloutPolicyConfig fallback()
{
    RolloutPolicyConfig c;
    c.rollout.maximumPerMinute = 30;
    c.rollout.exponentialRate = ExponentialRate{5, 1.5, {std::nullopt, 2}};
    c.abort = {AbortCriterion{FailureType::All, QStringLiteral("CANCEL"), 40, 5}};
    c.inProgressTimeoutMinutes = 1;
    c.retries = {RetryCriterion{FailureType::All, 2}};
    c.scheduling.maintenanceWindows = {MaintenanceWindow{10, 60, 90}};
    return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::size_t split = 0;
    while (split < size && data[split] != 0)
        ++split;
    RolloutPolicyConfig config = fallback();
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), qsizetype(split)));
    if (doc.isObject()) {
        auto read = readRolloutPolicy(doc.object());
        if (!read && read.error().field.isEmpty())
            __builtin_trap();  // every error names its JSON path
        if (read)
            config = *read;
    }
    const std::uint8_t* ops = data + std::min(size, split + 1);
    const std::size_t opCount = (size - std::min(size, split + 1)) / 3;
    const std::uint32_t devices = 1 + (opCount ? ops[0] % 48 : 7);
    auto created = RolloutEngine::create(config, devices, size);
    if (!created)
        return 0;
    RolloutEngine& e = **created;
    std::vector<ExecutionState> before(devices, ExecutionState::Queued);
    std::vector<int> numbers(devices, 0);
    double t = 0;
    (void)e.start(t);
    for (std::size_t i = 0; i < opCount; ++i) {
        const std::uint8_t what = ops[3 * i], device = ops[3 * i + 1], step = ops[3 * i + 2];
        t += step * 0.5;
        if (what % 5 == 4) {
            for (int guard = 0; guard < 100000; ++guard) {  // catch up like a simulator would
                const auto wake = e.nextWakeS();
                if (!wake || *wake > t)
                    break;
                (void)e.advance(*wake);
            }
            (void)e.advance(t);
        } else if (what == 255) {
            (void)e.cancel(t, device & 1, QStringLiteral("fuzz"));
        } else {
            (void)e.report(device % (devices + 1), DeviceReport(what % 4), t);
        }
        int sum = 0;
        for (int c : e.counts())
            sum += c;
        if (sum != int(devices))
            __builtin_trap();
        for (std::uint32_t d = 0; d < devices; ++d) {
            const ExecutionState now = e.state(d);
            const int number = e.executionNumber(d);
            if (number == numbers[d] && now != before[d] && !isLegalTransition(before[d], now))
                __builtin_trap();
            if (number < numbers[d])
                __builtin_trap();
            before[d] = now;
            numbers[d] = number;
        }
        (void)e.sample(t);
    }
    (void)e.result({});
    return 0;
}
