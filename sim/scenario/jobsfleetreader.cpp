// SPDX-License-Identifier: Apache-2.0
// Scenario: one jobs fleet object, read strictly into JobsFleetConfig.
#include "sim/scenario/jobsfleetreader.h"

#include "sim/scenario/jsonfieldreader.h"

#include <QJsonArray>

namespace otalab::sim {

namespace {

bool isWifiPreset(const QString& preset) { return preset == QLatin1String("esp32-wifi"); }

void readGroup(JsonFieldReader& r, JobsDeviceGroupConfig& out, std::optional<Error>& sink)
{
    r.text("name", out.name);
    r.integer("count", out.count, 1, 200'000);
    r.choice("preset", out.preset, {{"esp32-wifi", QStringLiteral("esp32-wifi")},
                                    {"nrf9160-ltem", QStringLiteral("nrf9160-ltem")},
                                    {"nrf9160-nbiot", QStringLiteral("nrf9160-nbiot")}});
    r.number("latencyMs", out.latencyMs, 0.0, 60'000.0);
    r.number("downlinkKbps", out.downlinkKbps, 0.0, 1'000'000.0, true);
    r.number("uplinkKbps", out.uplinkKbps, 0.0, 1'000'000.0, true);
    r.number("lossPercent", out.lossPercent, 0.0, 90.0);
    r.number("spreadPercent", out.spreadPercent, 0.0, 90.0);
    const bool wifi = isWifiPreset(out.preset);
    if (const auto o = r.object("psm")) {
        const QString path = r.pathOf(QStringLiteral("psm"));
        if (wifi)
            r.fail(path, QStringLiteral("power saving mode is a cellular feature: preset \"%1\" is on Wi-Fi (use \"dtimMs\")").arg(out.preset));
        JsonFieldReader p(*o, path, sink);
        JobsPsmConfig psm;
        p.number("periodicTauS", psm.periodicTauS, 2.0, 35'712'000.0);
        p.number("activeTimeS", psm.activeTimeS, 0.0, 11'160.0);
        p.finish();
        out.psm = psm;
    }
    if (const auto o = r.object("edrx")) {
        const QString path = r.pathOf(QStringLiteral("edrx"));
        if (wifi)
            r.fail(path, QStringLiteral("eDRX is a cellular feature: preset \"%1\" is on Wi-Fi (use \"dtimMs\")").arg(out.preset));
        JsonFieldReader e(*o, path, sink);
        JobsEdrxConfig edrx;
        e.number("cycleS", edrx.cycleS, 5.12, 10'485.76);
        e.number("pagingWindowS", edrx.pagingWindowS, 1.28, 40.96);
        e.finish();
        if (!e.failed() && edrx.pagingWindowS > edrx.cycleS)
            e.fail(path + QStringLiteral(".pagingWindowS"),
                   QStringLiteral("the paging time window (%1 s) must fit in the eDRX cycle (%2 s)").arg(edrx.pagingWindowS).arg(edrx.cycleS));
        out.edrx = edrx;
    }
    if (r.contains("dtimMs")) {
        if (!wifi)
            r.fail(r.pathOf(QStringLiteral("dtimMs")),
                   QStringLiteral("a DTIM listen interval is a Wi-Fi setting: preset \"%1\" is cellular (use \"psm\" / \"edrx\")").arg(out.preset));
        r.number("dtimMs", out.dtimMs, 0.0, 60'000.0);
    }
    if (r.contains("rrcInactivityS")) {
        if (wifi)
            r.fail(r.pathOf(QStringLiteral("rrcInactivityS")),
                   QStringLiteral("the RRC inactivity timer is cellular: preset \"%1\" is on Wi-Fi").arg(out.preset));
        r.number("rrcInactivityS", out.rrcInactivityS, 0.0, 3600.0);
    }
    r.finish();
}

void readImage(JsonFieldReader& r, JobsImageConfig& out)
{
    r.integer("sizeBytes", out.sizeBytes, 1, 16 * 1024 * 1024);
    r.text("version", out.version);
    r.text("runningVersion", out.runningVersion);
    r.integer("blockSize", out.blockSize, 256, 131'072);
    r.finish();
    if (!r.failed() && (std::uint64_t(out.sizeBytes) + std::uint64_t(out.blockSize) - 1) / std::uint64_t(out.blockSize) > 1024 * 1024)
        r.fail(r.pathOf(QStringLiteral("blockSize")), QStringLiteral("more than 1,048,576 blocks: choose larger blocks"));
}

void readAgent(JsonFieldReader& r, JobsAgentConfig& out)
{
    r.integer("blocksPerRequest", out.blocksPerRequest, 1, 128);
    r.number("requestTimeoutS", out.requestTimeoutS, 0.0, 3600.0, true);
    r.integer("maxRequestMomentum", out.maxRequestMomentum, 1, 1000);
    r.number("selfTestS", out.selfTestS, 0.0, 3600.0);
    r.finish();
}

void readBroker(JsonFieldReader& r, JobsBrokerConfig& out)
{
    r.number("perConnectionKBps", out.perConnectionKBps, 0.0, 1e6, true);
    r.number("fanoutPerS", out.fanoutPerS, 0.0, 1e7, true);
    r.number("streamBlocksPerS", out.streamBlocksPerS, 0.0, 1e7, true);
    r.number("startAtS", out.startAtS, 0.0, 30 * 86'400.0);
    r.finish();
}

void readShare(JsonFieldReader& r, const char* key, double& out, std::optional<Error>& sink)
{
    if (const auto o = r.object(key)) {
        JsonFieldReader s(*o, r.pathOf(QLatin1String(key)), sink);
        if (!s.contains("share"))
            s.fail(s.path(), QStringLiteral("expected {\"share\": 0..1}"));
        s.probability("share", out);
        s.finish();
    }
}

void readFaults(JsonFieldReader& r, JobsFaultsConfig& out, std::optional<Error>& sink)
{
    readShare(r, "badImage", out.badImageShare, sink);
    readShare(r, "badSignature", out.badSignatureShare, sink);
    if (const auto o = r.object("disconnects")) {
        JsonFieldReader d(*o, r.pathOf(QStringLiteral("disconnects")), sink);
        d.number("ratePerHour", out.disconnectsPerHour, 0.0, 3600.0);
        d.number("reconnectS", out.reconnectS, 0.0, 86'400.0);
        d.finish();
    }
    r.finish();
    if (!r.failed() && out.badImageShare + out.badSignatureShare > 1.0)
        r.fail(r.pathOf(QStringLiteral("badSignature")),
               QStringLiteral("badImage + badSignature shares are %1: at most 1").arg(out.badImageShare + out.badSignatureShare));
}

} // namespace

Result<JobsFleetConfig> readJobsFleet(const QJsonObject& json, const QString& field)
{
    std::optional<Error> sink;
    JobsFleetConfig config;
    JsonFieldReader r(json, field, sink);
    QString ignored;
    r.text("name", ignored);
    r.text("family", ignored);
    if (const auto list = r.array("devices")) {
        const QString path = r.pathOf(QStringLiteral("devices"));
        config.devices.clear();
        if (list->isEmpty())
            r.fail(path, QStringLiteral("expected at least one device group {\"count\", \"preset\", ...}"));
        std::int64_t total = 0;
        r.eachObject(*list, path, QStringLiteral("a device group {\"count\", \"preset\", ...}"), [&](JsonFieldReader& g) {
            JobsDeviceGroupConfig group;
            readGroup(g, group, sink);
            total += group.count;
            config.devices.push_back(std::move(group));
        });
        if (!r.failed() && total > 200'000)
            r.fail(path, QStringLiteral("%1 devices in all: at most 200,000 per fleet").arg(total));
    }
    r.section("image", [&](JsonFieldReader& sub) { readImage(sub, config.image); });
    r.section("agent", [&](JsonFieldReader& sub) { readAgent(sub, config.agent); });
    r.section("broker", [&](JsonFieldReader& sub) { readBroker(sub, config.broker); });
    r.section("faults", [&](JsonFieldReader& sub) { readFaults(sub, config.faults, sink); });
    r.finish();
    if (sink)
        return fail(*sink);
    return config;
}

QJsonObject jobsFleetToJson(const JobsFleetConfig& c)
{
    QJsonArray devices;
    for (const JobsDeviceGroupConfig& g : c.devices) {
        QJsonObject o{{QStringLiteral("count"), g.count}, {QStringLiteral("preset"), g.preset}, {QStringLiteral("spreadPercent"), g.spreadPercent}};
        if (!g.name.isEmpty())
            o.insert(QStringLiteral("name"), g.name);
        const auto put = [&o](const char* key, const std::optional<double>& v) {
            if (v)
                o.insert(QLatin1String(key), *v);
        };
        put("latencyMs", g.latencyMs);
        put("downlinkKbps", g.downlinkKbps);
        put("uplinkKbps", g.uplinkKbps);
        put("lossPercent", g.lossPercent);
        put("dtimMs", g.dtimMs);
        put("rrcInactivityS", g.rrcInactivityS);
        if (g.psm)
            o.insert(QStringLiteral("psm"), QJsonObject{{QStringLiteral("periodicTauS"), g.psm->periodicTauS}, {QStringLiteral("activeTimeS"), g.psm->activeTimeS}});
        if (g.edrx)
            o.insert(QStringLiteral("edrx"), QJsonObject{{QStringLiteral("cycleS"), g.edrx->cycleS}, {QStringLiteral("pagingWindowS"), g.edrx->pagingWindowS}});
        devices.append(o);
    }
    QJsonObject agent{{QStringLiteral("blocksPerRequest"), c.agent.blocksPerRequest}, {QStringLiteral("requestTimeoutS"), c.agent.requestTimeoutS},
                      {QStringLiteral("maxRequestMomentum"), c.agent.maxRequestMomentum}};
    if (c.agent.selfTestS)
        agent.insert(QStringLiteral("selfTestS"), *c.agent.selfTestS);
    return QJsonObject{
        {QStringLiteral("devices"), devices},
        {QStringLiteral("image"), QJsonObject{{QStringLiteral("sizeBytes"), qint64(c.image.sizeBytes)}, {QStringLiteral("version"), c.image.version},
                                              {QStringLiteral("runningVersion"), c.image.runningVersion}, {QStringLiteral("blockSize"), c.image.blockSize}}},
        {QStringLiteral("agent"), agent},
        {QStringLiteral("broker"), QJsonObject{{QStringLiteral("perConnectionKBps"), c.broker.perConnectionKBps}, {QStringLiteral("fanoutPerS"), c.broker.fanoutPerS},
                                               {QStringLiteral("streamBlocksPerS"), c.broker.streamBlocksPerS}, {QStringLiteral("startAtS"), c.broker.startAtS}}},
        {QStringLiteral("faults"), QJsonObject{{QStringLiteral("badImage"), QJsonObject{{QStringLiteral("share"), c.faults.badImageShare}}},
                                               {QStringLiteral("badSignature"), QJsonObject{{QStringLiteral("share"), c.faults.badSignatureShare}}},
                                               {QStringLiteral("disconnects"), QJsonObject{{QStringLiteral("ratePerHour"), c.faults.disconnectsPerHour},
                                                                                          {QStringLiteral("reconnectS"), c.faults.reconnectS}}}}},
    };
}

} // namespace otalab::sim
