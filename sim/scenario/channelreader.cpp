// SPDX-License-Identifier: Apache-2.0
// Scenario sections "channel" and every "loss" object.
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"

namespace otalab::sim {

void checkNodeReference(const TopologyIndex& topology, std::uint16_t shortAddress, bool needsRouter,
                        const QString& path, std::optional<Error>& sink)
{
    const QString hex = QString::number(shortAddress, 16).toUpper().rightJustified(4, QLatin1Char('0'));
    const auto role = topology.roleOf(shortAddress);
    if (!role)
        recordScenarioError(sink, path, QStringLiteral("no node has short address 0x%1; expected an address of the topology").arg(hex));
    else if (needsRouter && *role == NodeRole::EndDevice)
        recordScenarioError(sink, path, QStringLiteral("0x%1 is an end device; expected a router or the coordinator").arg(hex));
}

void readLossModel(const QJsonObject& json, const QString& path, LossModelConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, path, sink);
    if (!r.contains("kind"))
        r.fail(r.pathOf(QStringLiteral("kind")), QStringLiteral("missing; expected \"none\", \"bernoulli\", \"gilbert-elliott\" or \"distance\""));
    r.choice("kind", out.kind, {{"none", LossKind::None}, {"bernoulli", LossKind::Bernoulli},
                                {"gilbert-elliott", LossKind::GilbertElliott}, {"distance", LossKind::Distance}});
    if (r.failed())
        return;
    // Only the parameters of the chosen kind are known keys: a stray "p" on a
    // Gilbert–Elliott model is reported, not silently ignored.
    switch (out.kind) {
    case LossKind::None:
        break;
    case LossKind::Bernoulli:
        r.probability("p", out.p);
        break;
    case LossKind::GilbertElliott:
        r.probability("pGoodToBad", out.pGoodToBad);
        r.probability("pBadToGood", out.pBadToGood);
        r.probability("lossGood", out.lossGood);
        r.probability("lossBad", out.lossBad);
        if (!r.failed() && out.pGoodToBad + out.pBadToGood <= 0.0)
            r.fail(r.pathOf(QStringLiteral("pBadToGood")), QStringLiteral("pGoodToBad + pBadToGood is 0; expected a positive sum (the chain must move)"));
        break;
    case LossKind::Distance:
        r.number("txPowerDbm", out.txPowerDbm, -40.0, 30.0);
        r.number("referenceLossDb", out.referenceLossDb, 0.0, 200.0);
        r.number("referenceDistanceM", out.referenceDistanceM, 0.0, 1e4, true);
        r.number("exponent", out.exponent, 0.0, 10.0, true);
        r.number("shadowingSigmaDb", out.shadowingSigmaDb, 0.0, 50.0);
        r.number("noiseFloorDbm", out.noiseFloorDbm, -200.0, 0.0);
        break;
    }
    r.finish();
}

void readChannel(const QJsonObject& json, const TopologyIndex& topology, ChannelConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.channel"), sink);
    if (const auto loss = r.object("loss"))
        readLossModel(*loss, r.pathOf(QStringLiteral("loss")), out.loss, sink);
    if (const auto cuts = r.array("cuts")) {
        for (qsizetype i = 0; i < cuts->size() && !r.failed(); ++i) {
            const QString path = QStringLiteral("$.channel.cuts[%1]").arg(i);
            if (!(*cuts)[i].isObject()) {
                r.fail(path, QStringLiteral("expected an object {\"a\", \"b\", \"from\", \"to\"}, got %1").arg(JsonFieldReader::describe((*cuts)[i])));
                break;
            }
            JsonFieldReader c((*cuts)[i].toObject(), path, sink);
            LinkCutConfig cut;
            for (const char* key : {"a", "b", "from", "to"})
                if (!c.contains(key))
                    c.fail(c.pathOf(QLatin1String(key)), QStringLiteral("missing; a cut needs \"a\", \"b\", \"from\" and \"to\""));
            c.hexInteger("a", cut.a, 0xFFF7);
            c.hexInteger("b", cut.b, 0xFFF7);
            c.number("from", cut.fromS, 0.0, kMaxDurationS);
            c.number("to", cut.toS, 0.0, kMaxDurationS);
            c.finish();
            if (c.failed())
                break;
            checkNodeReference(topology, cut.a, false, c.pathOf(QStringLiteral("a")), sink);
            checkNodeReference(topology, cut.b, false, c.pathOf(QStringLiteral("b")), sink);
            if (cut.a == cut.b)
                c.fail(c.pathOf(QStringLiteral("b")), QStringLiteral("a link joins two different nodes; expected b != a"));
            if (cut.toS <= cut.fromS)
                c.fail(c.pathOf(QStringLiteral("to")), QStringLiteral("expected \"to\" > \"from\" (%1 s)").arg(cut.fromS));
            out.cuts.push_back(cut);
        }
    }
    if (const auto overrides = r.array("routerOverrides")) {
        for (qsizetype i = 0; i < overrides->size() && !r.failed(); ++i) {
            const QString path = QStringLiteral("$.channel.routerOverrides[%1]").arg(i);
            if (!(*overrides)[i].isObject()) {
                r.fail(path, QStringLiteral("expected an object {\"router\", \"from\", \"to\", \"loss\"}, got %1")
                                 .arg(JsonFieldReader::describe((*overrides)[i])));
                break;
            }
            JsonFieldReader o((*overrides)[i].toObject(), path, sink);
            RouterLossOverride ov;
            if (!o.contains("router"))
                o.fail(o.pathOf(QStringLiteral("router")), QStringLiteral("missing; expected the router's short address"));
            if (!o.contains("loss"))
                o.fail(o.pathOf(QStringLiteral("loss")), QStringLiteral("missing; expected a loss model object"));
            o.hexInteger("router", ov.router, 0xFFF7);
            o.number("from", ov.fromS, 0.0, kMaxDurationS);
            o.number("to", ov.toS, 0.0, kMaxDurationS);
            if (const auto loss = o.object("loss"))
                readLossModel(*loss, o.pathOf(QStringLiteral("loss")), ov.loss, sink);
            o.finish();
            if (o.failed())
                break;
            checkNodeReference(topology, ov.router, true, o.pathOf(QStringLiteral("router")), sink);
            if (ov.toS && *ov.toS <= ov.fromS)
                o.fail(o.pathOf(QStringLiteral("to")), QStringLiteral("expected \"to\" > \"from\" (%1 s)").arg(ov.fromS));
            out.routerOverrides.push_back(ov);
        }
    }
    r.hexInteger("panId", out.panId, 0xFFFE);
    r.integer("channel", out.channel, 11, 26);
    r.boolean("treeLinksOnly", out.treeLinksOnly);
    r.number("hearingRangeM", out.hearingRangeM, 0.0, 10'000.0, true);
    r.integer("macQueueCapacity", out.macQueueCapacity, 1, 255);
    r.finish();
}

} // namespace otalab::sim
