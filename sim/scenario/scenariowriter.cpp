// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenariowriter.h"

#include "sim/scenario/sectionreaders.h"

#include <QJsonArray>

namespace otalab::sim {

namespace {

QJsonValue hex(std::uint64_t value, int digits)
{
    return QStringLiteral("0x") + QString::number(value, 16).toUpper().rightJustified(digits, QLatin1Char('0'));
}

QJsonValue bigInteger(std::uint64_t value)
{
    return value <= (std::uint64_t(1) << 53) ? QJsonValue(qint64(value)) : QJsonValue(QString::number(value));
}

QJsonObject lossJson(const LossModelConfig& l)
{
    switch (l.kind) {
    case LossKind::None:
        return {{QStringLiteral("kind"), QStringLiteral("none")}};
    case LossKind::Bernoulli:
        return {{QStringLiteral("kind"), QStringLiteral("bernoulli")}, {QStringLiteral("p"), l.p}};
    case LossKind::GilbertElliott:
        return {{QStringLiteral("kind"), QStringLiteral("gilbert-elliott")}, {QStringLiteral("pGoodToBad"), l.pGoodToBad},
                {QStringLiteral("pBadToGood"), l.pBadToGood}, {QStringLiteral("lossGood"), l.lossGood},
                {QStringLiteral("lossBad"), l.lossBad}};
    case LossKind::Distance:
        return {{QStringLiteral("kind"), QStringLiteral("distance")}, {QStringLiteral("txPowerDbm"), l.txPowerDbm},
                {QStringLiteral("referenceLossDb"), l.referenceLossDb}, {QStringLiteral("referenceDistanceM"), l.referenceDistanceM},
                {QStringLiteral("exponent"), l.exponent}, {QStringLiteral("shadowingSigmaDb"), l.shadowingSigmaDb},
                {QStringLiteral("noiseFloorDbm"), l.noiseFloorDbm}};
    }
    return {};
}

QJsonObject topologyJson(const std::variant<GeneratedTopology, TopologySpec>& topology)
{
    if (const auto* g = std::get_if<GeneratedTopology>(&topology)) {
        return {{QStringLiteral("generate"), QJsonObject{
            {QStringLiteral("routers"), qint64(g->routers)}, {QStringLiteral("branching"), qint64(g->branching)},
            {QStringLiteral("zedsPerRouter"), qint64(g->zedsPerRouter)}, {QStringLiteral("zedsOnCoordinator"), qint64(g->zedsOnCoordinator)},
            {QStringLiteral("placement"), g->placement == Placement::Grid ? QStringLiteral("grid") : QStringLiteral("random")},
            {QStringLiteral("spacingM"), g->spacingM}, {QStringLiteral("zedRadiusM"), g->zedRadiusM},
            {QStringLiteral("areaWidthM"), g->areaWidthM}, {QStringLiteral("areaHeightM"), g->areaHeightM},
            {QStringLiteral("seed"), bigInteger(g->seed)}}}};
    }
    const auto& spec = std::get<TopologySpec>(topology);
    QJsonArray nodes;
    for (const NodeSpec& n : spec.nodes) {
        QJsonObject o{{QStringLiteral("short"), hex(n.shortAddress, 4)}, {QStringLiteral("role"), QLatin1String(toString(n.role))},
                      {QStringLiteral("x"), n.x}, {QStringLiteral("y"), n.y}};
        if (n.parent >= 0 && std::size_t(n.parent) < spec.nodes.size())
            o.insert(QStringLiteral("parent"), hex(spec.nodes[std::size_t(n.parent)].shortAddress, 4));
        nodes.append(o);
    }
    return {{QStringLiteral("nodes"), nodes}};
}

QJsonObject policyJson(const DevicePolicyConfig& p, bool perDevice)
{
    static const char* const times[] = {"now", "delay", "wait"};
    QJsonObject o{{QStringLiteral("authorized"), p.authorized}, {QStringLiteral("allowUpgrade"), p.allowUpgrade},
                  {QStringLiteral("allowDowngrade"), p.allowDowngrade}, {QStringLiteral("allowReinstall"), p.allowReinstall},
                  {QStringLiteral("upgradeTime"), QLatin1String(times[int(p.upgradeTime)])},
                  {QStringLiteral("upgradeDelayS"), qint64(p.upgradeDelayS)}};
    if (perDevice)
        o.insert(QStringLiteral("device"), hex(p.device, 4));
    if (p.pinnedFileVersion)
        o.insert(QStringLiteral("pinnedFileVersion"), hex(*p.pinnedFileVersion, 8));
    if (p.releaseAtS)
        o.insert(QStringLiteral("releaseAtS"), *p.releaseAtS);
    return o;
}

// "network" (sim/scenario/networkreader.cpp): every key, keys as 32 upper-case hex digits.
QJsonObject networkJson(const NwkModelConfig& n)
{
    static const char* const securityModes[] = {"none", "modelled", "real"};
    static const char* const routingModes[] = {"tree", "mesh"};
    static const char* const idlePolls[] = {"onAir", "closedForm"};
    return {
        {QStringLiteral("aps"), QJsonObject{
            {QStringLiteral("ack"), n.aps.ack}, {QStringLiteral("maxRetries"), int(n.aps.maxRetries)},
            {QStringLiteral("ackWaitMs"), qint64(n.aps.ackWaitMs)}, {QStringLiteral("sleepyAckWaitExtraMs"), qint64(n.aps.sleepyAckWaitExtraMs)},
            {QStringLiteral("duplicateTableSize"), qint64(n.aps.duplicateTableSize)},
            {QStringLiteral("duplicateTimeoutMs"), qint64(n.aps.duplicateTimeoutMs)}}},
        {QStringLiteral("security"), QJsonObject{
            {QStringLiteral("mode"), QLatin1String(securityModes[int(n.security.mode)])},
            {QStringLiteral("networkKey"), aesKeyText(n.security.networkKey)},
            {QStringLiteral("keySequence"), int(n.security.keySequence)},
            {QStringLiteral("apsEncryption"), n.security.apsEncryption},
            {QStringLiteral("linkKey"), aesKeyText(n.security.linkKey)}}},
        {QStringLiteral("routing"), QJsonObject{
            {QStringLiteral("mode"), QLatin1String(routingModes[int(n.routing.mode)])},
            {QStringLiteral("manyToOne"), n.routing.manyToOne},
            {QStringLiteral("concentratorIntervalS"), qint64(n.routing.concentratorIntervalS)},
            {QStringLiteral("routeDiscoveryTimeoutMs"), qint64(n.routing.routeDiscoveryTimeoutMs)}}},
        {QStringLiteral("rejoin"), QJsonObject{
            {QStringLiteral("enabled"), n.rejoin.enabled},
            {QStringLiteral("pollFailures"), int(n.rejoin.pollFailuresBeforeRejoin)},
            {QStringLiteral("attemptsMax"), int(n.rejoin.attemptsMax)},
            {QStringLiteral("retryDelayMs"), qint64(n.rejoin.retryDelayMs)}}},
        {QStringLiteral("addressFiltering"), n.addressFiltering},
        {QStringLiteral("idlePolls"), QLatin1String(idlePolls[int(n.idlePolls)])},
    };
}

} // namespace

QJsonObject scenarioToJson(const RolloutConfig& c)
{
    QJsonArray cuts, overrides, images, policies, clientOverrides;
    for (const LinkCutConfig& cut : c.channel.cuts)
        cuts.append(QJsonObject{{QStringLiteral("a"), hex(cut.a, 4)}, {QStringLiteral("b"), hex(cut.b, 4)},
                                {QStringLiteral("from"), cut.fromS}, {QStringLiteral("to"), cut.toS}});
    for (const RouterLossOverride& o : c.channel.routerOverrides) {
        QJsonObject j{{QStringLiteral("router"), hex(o.router, 4)}, {QStringLiteral("from"), o.fromS}, {QStringLiteral("loss"), lossJson(o.loss)}};
        if (o.toS)
            j.insert(QStringLiteral("to"), *o.toS);
        overrides.append(j);
    }
    for (const ImageConfig& i : c.images) {
        QJsonObject j;
        if (!i.path.isEmpty())
            j.insert(QStringLiteral("path"), i.path);
        else
            j.insert(QStringLiteral("generate"), QJsonObject{
                {QStringLiteral("size"), qint64(i.sizeBytes)}, {QStringLiteral("manufacturer"), hex(i.manufacturer, 4)},
                {QStringLiteral("imageType"), hex(i.imageType, 4)}, {QStringLiteral("fileVersion"), hex(i.fileVersion, 8)},
                {QStringLiteral("integrityCode"), i.integrityCode}});
        if (!i.corruptOffsets.empty()) {
            QJsonArray offsets;
            for (std::uint32_t o : i.corruptOffsets)
                offsets.append(qint64(o));
            j.insert(QStringLiteral("corruptOffsets"), offsets);
        }
        images.append(j);
    }
    for (const DevicePolicyConfig& p : c.server.devicePolicies)
        policies.append(policyJson(p, true));
    for (const ClientOverride& o : c.clientOverrides) {
        QJsonObject j{{QStringLiteral("device"), hex(o.device, 4)}};
        if (o.currentFileVersion)
            j.insert(QStringLiteral("currentFileVersion"), hex(*o.currentFileVersion, 8));
        if (o.maxDataSize)
            j.insert(QStringLiteral("maxDataSize"), int(*o.maxDataSize));
        if (o.enabled)
            j.insert(QStringLiteral("enabled"), *o.enabled);
        clientOverrides.append(j);
    }

    QJsonObject device{
        {QStringLiteral("battery"), c.device.battery},
        {QStringLiteral("pollIntervalMs"), qint64(c.device.pollIntervalMs)},
        {QStringLiteral("fastPollIntervalMs"), qint64(c.device.fastPollIntervalMs)},
        {QStringLiteral("nwkSecurityOverheadBytes"), int(c.device.nwkSecurityOverheadBytes)},
        {QStringLiteral("apsSecurityOverheadBytes"), int(c.device.apsSecurityOverheadBytes)},
        {QStringLiteral("bootTimeMs"), qint64(c.device.bootTimeMs)},
        {QStringLiteral("flashPageBytes"), qint64(c.device.flashPageBytes)},
        {QStringLiteral("flashEraseMsPerPage"), c.device.flashEraseMsPerPage},
        {QStringLiteral("flashWriteUsPerByte"), c.device.flashWriteUsPerByte},
    };
    device.insert(QStringLiteral("preset"), c.device.customPreset ? QJsonValue(c.device.customPreset->toJson()) : QJsonValue(c.device.preset));
    if (c.device.batteryMilliampHours)
        device.insert(QStringLiteral("batteryMilliampHours"), *c.device.batteryMilliampHours);
    if (c.device.batteryVoltageV)
        device.insert(QStringLiteral("batteryVoltageV"), *c.device.batteryVoltageV);

    QJsonObject channel{
        {QStringLiteral("loss"), lossJson(c.channel.loss)}, {QStringLiteral("cuts"), cuts},
        {QStringLiteral("routerOverrides"), overrides}, {QStringLiteral("panId"), hex(c.channel.panId, 4)},
        {QStringLiteral("channel"), int(c.channel.channel)}, {QStringLiteral("treeLinksOnly"), c.channel.treeLinksOnly},
        {QStringLiteral("macQueueCapacity"), int(c.channel.macQueueCapacity)}};
    if (c.channel.hearingRangeM)
        channel.insert(QStringLiteral("hearingRangeM"), *c.channel.hearingRangeM);

    static const char* const notify[] = {"none", "broadcast", "unicast"};
    const ServerConfig& s = c.server;
    const ClientConfig& k = c.client;
    return QJsonObject{
        {QStringLiteral("name"), c.name},
        {QStringLiteral("seed"), bigInteger(c.seed)},
        {QStringLiteral("topology"), topologyJson(c.topology)},
        {QStringLiteral("channel"), channel},
        {QStringLiteral("device"), device},
        {QStringLiteral("network"), networkJson(c.network)},
        {QStringLiteral("images"), images},
        {QStringLiteral("server"), QJsonObject{
            {QStringLiteral("maxBlockDataSize"), int(s.maxBlockDataSize)}, {QStringLiteral("blockResponseDelayMs"), qint64(s.blockResponseDelayMs)},
            {QStringLiteral("controlResponseDelayMs"), qint64(s.controlResponseDelayMs)}, {QStringLiteral("minResponseSpacingMs"), qint64(s.minResponseSpacingMs)},
            {QStringLiteral("sessionTimeoutMs"), qint64(s.sessionTimeoutMs)}, {QStringLiteral("dataAvailableAtMs"), qint64(s.dataAvailableAtMs)},
            {QStringLiteral("maxConcurrentDownloads"), s.maxConcurrentDownloads}, {QStringLiteral("busyRetryDelayMs"), qint64(s.busyRetryDelayMs)},
            {QStringLiteral("minimumBlockPeriodMs"), qint64(s.minimumBlockPeriodMs)}, {QStringLiteral("clusterRevision"), s.clusterRevision},
            {QStringLiteral("defaultPolicy"), policyJson(s.defaultPolicy, false)}, {QStringLiteral("devicePolicies"), policies},
            {QStringLiteral("notify"), QLatin1String(notify[int(s.notify)])}, {QStringLiteral("notifyAtS"), s.notifyAtS},
            {QStringLiteral("notifyPayloadType"), int(s.notifyPayloadType)}, {QStringLiteral("notifyQueryJitter"), int(s.notifyQueryJitter)}}},
        {QStringLiteral("client"), QJsonObject{
            {QStringLiteral("manufacturer"), hex(k.manufacturer, 4)}, {QStringLiteral("imageType"), hex(k.imageType, 4)},
            {QStringLiteral("currentFileVersion"), hex(k.currentFileVersion, 8)}, {QStringLiteral("maxDataSize"), int(k.maxDataSize)},
            {QStringLiteral("usePageRequests"), k.usePageRequests}, {QStringLiteral("pageSize"), int(k.pageSize)},
            {QStringLiteral("responseSpacingMs"), int(k.responseSpacingMs)}, {QStringLiteral("queryPeriodMs"), qint64(k.queryPeriodMs)},
            {QStringLiteral("firstQueryJitterMs"), qint64(k.firstQueryJitterMs)}, {QStringLiteral("requestTimeoutMs"), qint64(k.requestTimeoutMs)},
            {QStringLiteral("maxRetries"), k.maxRetries}, {QStringLiteral("minWaitForDataMs"), qint64(k.minWaitForDataMs)},
            {QStringLiteral("upgradeRequeryPeriodMs"), qint64(k.upgradeRequeryPeriodMs)},
            {QStringLiteral("unansweredUpgradeEndLimit"), k.unansweredUpgradeEndLimit}, {QStringLiteral("includeRouters"), k.includeRouters},
            {QStringLiteral("ignoreSameVersionOffer"), k.ignoreSameVersionOffer}, {QStringLiteral("disableDowngrades"), k.disableDowngrades},
            {QStringLiteral("requireSignature"), k.requireSignature}}},
        {QStringLiteral("clientOverrides"), clientOverrides},
        {QStringLiteral("stop"), QJsonObject{{QStringLiteral("until"), c.stop.untilS}, {QStringLiteral("whenAllFinished"), c.stop.whenAllFinished}}},
        {QStringLiteral("sampleIntervalS"), c.sampleIntervalS},
    };
}

} // namespace otalab::sim
