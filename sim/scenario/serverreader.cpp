// SPDX-License-Identifier: Apache-2.0
// Scenario section "server" (the coordinator's OTA server and its per-device policies).
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"

namespace otalab::sim {

namespace {

using UpgradeTime = DevicePolicyConfig::UpgradeTime;

void readPolicy(const QJsonObject& json, const QString& path, bool perDevice, const TopologyIndex& topology,
                DevicePolicyConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, path, sink);
    if (perDevice) {
        if (!r.contains("device"))
            r.fail(r.pathOf(QStringLiteral("device")), QStringLiteral("missing; expected the device's short address"));
        r.hexInteger("device", out.device, 0xFFF7);
        if (!r.failed())
            checkNodeReference(topology, out.device, false, r.pathOf(QStringLiteral("device")), sink);
    }
    r.boolean("authorized", out.authorized);
    r.boolean("allowUpgrade", out.allowUpgrade);
    r.boolean("allowDowngrade", out.allowDowngrade);
    r.boolean("allowReinstall", out.allowReinstall);
    r.hexInteger("pinnedFileVersion", out.pinnedFileVersion, 0xFFFFFFFF);
    r.choice("upgradeTime", out.upgradeTime, {{"now", UpgradeTime::Now}, {"delay", UpgradeTime::Delay}, {"wait", UpgradeTime::Wait}});
    r.integer("upgradeDelayS", out.upgradeDelayS, 0, 0xFFFFFFFE);
    r.number("releaseAtS", out.releaseAtS, 0.0, kMaxDurationS);
    r.finish();
    if (!r.failed() && out.releaseAtS && out.upgradeTime != UpgradeTime::Wait)
        r.fail(r.pathOf(QStringLiteral("releaseAtS")), QStringLiteral("only applies to \"upgradeTime\": \"wait\""));
}

} // namespace

void readServer(const QJsonObject& json, const TopologyIndex& topology, ServerConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.server"), sink);
    r.integer("maxBlockDataSize", out.maxBlockDataSize, 1, 255);
    r.integer("blockResponseDelayMs", out.blockResponseDelayMs, 0, kMaxDurationMs);
    r.integer("controlResponseDelayMs", out.controlResponseDelayMs, 0, kMaxDurationMs);
    r.integer("minResponseSpacingMs", out.minResponseSpacingMs, 0, kMaxDurationMs);
    r.integer("sessionTimeoutMs", out.sessionTimeoutMs, 1, kMaxDurationMs);
    r.integer("dataAvailableAtMs", out.dataAvailableAtMs, 0, kMaxDurationMs);
    r.integer("maxConcurrentDownloads", out.maxConcurrentDownloads, 0, 0xFFFF);
    r.integer("busyRetryDelayMs", out.busyRetryDelayMs, 0, kMaxDurationMs);
    r.integer("minimumBlockPeriodMs", out.minimumBlockPeriodMs, 0, 0xFFFF);
    r.integer("clusterRevision", out.clusterRevision, 1, 255);
    if (const auto policy = r.object("defaultPolicy"))
        readPolicy(*policy, r.pathOf(QStringLiteral("defaultPolicy")), false, topology, out.defaultPolicy, sink);
    if (const auto policies = r.array("devicePolicies")) {
        for (qsizetype i = 0; i < policies->size() && !r.failed(); ++i) {
            const QString path = QStringLiteral("$.server.devicePolicies[%1]").arg(i);
            if (!(*policies)[i].isObject()) {
                r.fail(path, QStringLiteral("expected a policy object, got %1").arg(JsonFieldReader::describe((*policies)[i])));
                break;
            }
            DevicePolicyConfig policy = out.defaultPolicy;  // unspecified keys inherit the default policy
            readPolicy((*policies)[i].toObject(), path, true, topology, policy, sink);
            out.devicePolicies.push_back(policy);
        }
    }
    using Notify = ServerConfig::Notify;
    r.choice("notify", out.notify, {{"none", Notify::None}, {"broadcast", Notify::Broadcast}, {"unicast", Notify::Unicast}});
    r.number("notifyAtS", out.notifyAtS, 0.0, kMaxDurationS);
    r.integer("notifyPayloadType", out.notifyPayloadType, 0, 3);
    r.integer("notifyQueryJitter", out.notifyQueryJitter, 1, 100);
    r.finish();
}

} // namespace otalab::sim
