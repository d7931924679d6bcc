// SPDX-License-Identifier: Apache-2.0
// Scenario sections "client", "clientOverrides" and "stop".
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"

namespace otalab::sim {

void readClient(const QJsonObject& json, ClientConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.client"), sink);
    r.hexInteger("manufacturer", out.manufacturer, 0xFFFF);
    r.hexInteger("imageType", out.imageType, 0xFFFF);
    r.hexInteger("currentFileVersion", out.currentFileVersion, 0xFFFFFFFF);
    r.integer("maxDataSize", out.maxDataSize, 1, 255);
    r.boolean("usePageRequests", out.usePageRequests);
    r.integer("pageSize", out.pageSize, 1, 0xFFFF);
    r.integer("responseSpacingMs", out.responseSpacingMs, 0, 0xFFFF);
    r.integer("queryPeriodMs", out.queryPeriodMs, 0, kMaxDurationMs);
    r.integer("firstQueryJitterMs", out.firstQueryJitterMs, 0, kMaxDurationMs);
    r.integer("requestTimeoutMs", out.requestTimeoutMs, 1, kMaxDurationMs);
    r.integer("maxRetries", out.maxRetries, 0, 1000);
    r.integer("minWaitForDataMs", out.minWaitForDataMs, 0, kMaxDurationMs);
    r.integer("upgradeRequeryPeriodMs", out.upgradeRequeryPeriodMs, 1, kMaxDurationMs);
    r.integer("unansweredUpgradeEndLimit", out.unansweredUpgradeEndLimit, 0, 1000);
    r.boolean("includeRouters", out.includeRouters);
    r.boolean("ignoreSameVersionOffer", out.ignoreSameVersionOffer);
    r.boolean("disableDowngrades", out.disableDowngrades);
    r.boolean("requireSignature", out.requireSignature);
    r.finish();
}

void readClientOverrides(const QJsonArray& json, const TopologyIndex& topology, std::vector<ClientOverride>& out,
                         std::optional<Error>& sink)
{
    for (qsizetype i = 0; i < json.size() && !sink; ++i) {
        const QString path = QStringLiteral("$.clientOverrides[%1]").arg(i);
        if (!json[i].isObject()) {
            recordScenarioError(sink, path, QStringLiteral("expected an object {\"device\", ...}, got %1").arg(JsonFieldReader::describe(json[i])));
            return;
        }
        JsonFieldReader r(json[i].toObject(), path, sink);
        ClientOverride o;
        if (!r.contains("device"))
            r.fail(r.pathOf(QStringLiteral("device")), QStringLiteral("missing; expected the device's short address"));
        r.hexInteger("device", o.device, 0xFFF7);
        if (!r.failed()) {
            checkNodeReference(topology, o.device, false, r.pathOf(QStringLiteral("device")), sink);
            if (!r.failed() && o.device == 0)
                r.fail(r.pathOf(QStringLiteral("device")), QStringLiteral("0x0000 is the coordinator (the OTA server); expected a client's address"));
        }
        r.hexInteger("currentFileVersion", o.currentFileVersion, 0xFFFFFFFF);
        if (r.contains("maxDataSize")) {
            std::uint8_t size = 64;
            r.integer("maxDataSize", size, 1, 255);
            o.maxDataSize = size;
        }
        r.boolean("enabled", o.enabled);
        r.finish();
        out.push_back(o);
    }
}

void readStop(const QJsonObject& json, StopConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.stop"), sink);
    r.number("until", out.untilS, 0.0, kMaxDurationS, true);
    r.boolean("whenAllFinished", out.whenAllFinished);
    r.finish();
}

} // namespace otalab::sim
