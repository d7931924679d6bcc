// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: what a sweep reads from people and from the shared folder. The input is
// up to three parts separated by NUL bytes:
//   1. a `--vary` argument, parsed against a fixed base scenario (parseVaryArgument);
//   2. a plan.json document (SweepPlan::fromJson);
//   3. a result.json document (SweepRunResult::fromJson) read against the plan of part 2
//      when it is valid, else against a fixed plan; a "plan" member equal to "" is
//      replaced by that plan's identity so the fuzzer gets past the identity check.
// Invariants: an accepted axis has 1..kMaxAxisValues values and survives its JSON round
// trip; an accepted plan keeps its identity through toJson/fromJson and its run order
// covers every point; an accepted result survives its round trip — never crash or hang.
#include "sim/sweep/sweepplan.h"
#include "sim/sweep/sweepresult.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace otalab::sim;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

const QJsonObject& baseScenario()
{
    static const QJsonObject base = QJsonDocument::fromJson(R"({
        "name": "fuzz", "seed": 1,
        "topology": {"generate": {"routers": 1, "zedsPerRouter": 2}},
        "channel": {"loss": {"kind": "bernoulli", "p": 0.01}},
        "device": {"pollIntervalMs": 7500, "battery": "CR2032"},
        "server": {"maxBlockDataSize": 50, "blockResponseDelayMs": 250},
        "client": {"currentFileVersion": "0x00000001", "includeRouters": false},
        "fleets": [{"name": "a", "campaign": {"redundancyPercent": 10}}],
        "stop": {"until": 3600, "whenAllFinished": true}
    })").object();
    return base;
}

const SweepPlan& fixedPlan()
{
    static const SweepPlan plan = [] {
        SweepPlan p;
        p.scenario = baseScenario();
        p.axes = {SweepAxis{QStringLiteral("$.server.maxBlockDataSize"), {QJsonValue(32), QJsonValue(64)}}};
        p.seeds = {1, 2, 3};
        p.untilS = 600;
        return p;
    }();
    return plan;
}

QJsonObject objectOf(const QByteArray& bytes, bool* ok)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const QList<QByteArray> parts = input.split('\0');

    // 1. --vary
    auto axis = parseVaryArgument(QString::fromUtf8(parts.value(0)), baseScenario());
    if (axis) {
        check(!axis->values.isEmpty() && axis->values.size() <= kMaxAxisValues);
        check(axis->path.startsWith(QLatin1Char('$')));
        auto back = SweepAxis::fromJson(axis->toJson());
        check(back.has_value());
        check(back->path == axis->path && back->values == axis->values);
        (void)axis->label();
        for (const QJsonValue& v : axis->values)
            (void)SweepAxis::valueText(v);
    } else {
        check(!axis.error().message.isEmpty());
    }

    // 2. plan.json
    const SweepPlan* plan = &fixedPlan();
    std::optional<SweepPlan> parsedPlan;
    if (parts.size() > 1) {
        bool ok = false;
        const QJsonObject object = objectOf(parts[1], &ok);
        if (ok) {
            auto p = SweepPlan::fromJson(object);
            if (p) {
                check(p->runCount() >= 1);
                const QString id = p->identity();
                auto again = SweepPlan::fromJson(p->toJson());
                check(again.has_value() && again->identity() == id);
                const int last = int(p->runCount()) - 1;
                const SweepRunSpec spec = p->run(last);
                check(spec.index == last && std::size_t(spec.pointIndex) == p->pointCount() - 1);
                check(spec.seed == p->seeds.back() && spec.point.size() == p->axes.size());
                check(p->run(0).pointIndex == 0);
                (void)p->scenarioFor(spec);
                parsedPlan = std::move(*p);
                plan = &*parsedPlan;
            } else {
                check(!p.error().message.isEmpty());
            }
        }
    }

    // 3. result.json
    if (parts.size() > 2) {
        bool ok = false;
        QJsonObject object = objectOf(parts[2], &ok);
        if (ok) {
            if (object.value(QStringLiteral("plan")).toString().isEmpty() && object.value(QStringLiteral("plan")).isString())
                object.insert(QStringLiteral("plan"), plan->identity());
            auto r = SweepRunResult::fromJson(object, *plan);
            if (r) {
                auto again = SweepRunResult::fromJson(r->toJson(*plan), *plan);
                check(again.has_value());
                check(again->run.index == r->run.index && again->metrics == r->metrics && again->ok == r->ok);
                check(again->fingerprint == r->fingerprint && again->error == r->error);
            }
        }
    }
    return 0;
}
