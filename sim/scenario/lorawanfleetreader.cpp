// SPDX-License-Identifier: Apache-2.0
// Scenario: one LoRaWAN fleet object, read strictly into LorawanFleetConfig.
#include "sim/scenario/lorawanfleetreader.h"

#include "sim/scenario/jsonfieldreader.h"

#include <QDir>
#include <QFileInfo>

namespace otalab::sim {

namespace {

// A key that is either a keyword string or a number in [min, max].
template <typename T>
void keywordOrNumber(JsonFieldReader& r, const char* key, const char* keyword, std::optional<T>& out, double min, double max)
{
    const auto v = r.value(key);
    if (!v)
        return;
    if (v->isString() && v->toString() == QLatin1String(keyword)) {
        out.reset();
        return;
    }
    if (v->isDouble()) {
        const double x = v->toDouble();
        const bool integral = std::is_integral_v<T>;
        if (x >= min && x <= max && (!integral || x == double(qint64(x)))) {
            out = T(x);
            return;
        }
    }
    r.fail(r.pathOf(QLatin1String(key)), QStringLiteral("expected \"%1\" or %2 in [%3, %4], got %5")
                                             .arg(QLatin1String(keyword), std::is_integral_v<T> ? QStringLiteral("an integer") : QStringLiteral("a number"))
                                             .arg(min).arg(max).arg(JsonFieldReader::describe(*v)));
}

void readGateways(JsonFieldReader& r, LorawanGatewaysConfig& out)
{
    r.integer("count", out.count, 1, 1000);
    r.choice("placement", out.placement, {{"grid", LorawanGatewaysConfig::Placement::Grid},
                                          {"ring", LorawanGatewaysConfig::Placement::Ring},
                                          {"explicit", LorawanGatewaysConfig::Placement::Explicit}});
    if (const auto list = r.array("positions")) {
        const QString path = r.pathOf(QStringLiteral("positions"));
        if (out.placement != LorawanGatewaysConfig::Placement::Explicit)
            r.fail(path, QStringLiteral("positions are used only with \"placement\": \"explicit\""));
        r.eachObject(*list, path, QStringLiteral("{\"x\": metres, \"y\": metres}"), [&](JsonFieldReader& p) {
            LorawanPoint point;
            if (!p.contains("x") || !p.contains("y"))
                p.fail(p.path(), QStringLiteral("a position needs both \"x\" and \"y\" (metres)"));
            p.number("x", point.xM, -1e6, 1e6);
            p.number("y", point.yM, -1e6, 1e6);
            p.finish();
            out.positions.push_back(point);
        });
        if (!r.failed() && out.positions.size() > 1000)
            r.fail(path, QStringLiteral("at most 1000 gateways"));
    } else if (out.placement == LorawanGatewaysConfig::Placement::Explicit && !r.failed()) {
        r.fail(r.pathOf(QStringLiteral("positions")), QStringLiteral("\"explicit\" placement needs \"positions\": [{\"x\", \"y\"}, ...]"));
    }
    r.number("txPowerDbm", out.txPowerDbm, 0.0, 30.0);
    r.number("antennaGainDbi", out.antennaGainDbi, 0.0, 15.0);
    if (r.contains("rx2DataRate")) {
        int dr = 0;
        r.integer("rx2DataRate", dr, 0, 15);
        out.rx2DataRate = dr;
    }
    r.finish();
}

void readDevices(JsonFieldReader& r, LorawanDevicesConfig& out)
{
    r.integer("count", out.count, 1, 200'000);
    r.number("areaRadiusM", out.areaRadiusM, 1.0, 100'000.0);
    if (r.contains("deviceClass")) {
        r.text("deviceClass", out.deviceClass);
        if (!r.failed() && out.deviceClass != QLatin1String("A"))
            r.fail(r.pathOf(QStringLiteral("deviceClass")),
                   QStringLiteral("devices run class A between campaigns (\"A\"); the session's class is campaign.sessionClass"));
    }
    r.number("uplinkIntervalS", out.uplinkIntervalS, 10.0, 86'400.0);
    r.number("jitterS", out.jitterS, 0.0, 86'400.0);
    r.integer("appPayloadBytes", out.appPayloadBytes, 1, 222);
    std::optional<int> dr = out.dataRate;
    keywordOrNumber(r, "dataRate", "auto", dr, 0, 15);
    out.dataRate = dr;
    r.number("txPowerDbm", out.txPowerDbm, 0.0, 22.0);
    r.choice("preset", out.preset, {{"SX1276", QStringLiteral("SX1276")}, {"SX1262", QStringLiteral("SX1262")}});
    r.choice("mcu", out.mcu, {{"STM32L072", QStringLiteral("STM32L072")}, {"STM32WL55", QStringLiteral("STM32WL55")}});
    r.choice("battery", out.battery, {{"2xAA", QStringLiteral("2xAA")}, {"CR2032", QStringLiteral("CR2032")}, {"", QString()}});
    r.number("clockDriftPpm", out.clockDriftPpm, 0.0, 1000.0);
    r.integer("flashBytes", out.flashBytes, 1024, 64 * 1024 * 1024);
    r.text("runningVersion", out.runningVersion);
    r.finish();
}

void readRadio(JsonFieldReader& r, LorawanRadioConfig& out)
{
    r.number("pathLossExponent", out.pathLossExponent, 1.0, 8.0);
    r.number("referenceLossDb", out.referenceLossDb, 0.0, 200.0);
    r.number("referenceDistanceM", out.referenceDistanceM, 0.01, 10'000.0);
    r.number("shadowingSigmaDb", out.shadowingSigmaDb, 0.0, 30.0);
    r.number("noiseFigureDb", out.noiseFigureDb, 0.0, 30.0);
    r.number("extraLossPercent", out.extraLossPercent, 0.0, 100.0);
    r.number("burstFrames", out.burstFrames, 1.0, 10'000.0);
    r.finish();
}

void readImage(JsonFieldReader& r, LorawanImageConfig& out, const QString& baseDir)
{
    if (r.contains("path")) {
        r.filePath("path", out.path, baseDir, QStringLiteral("image"));
        if (r.contains("sizeBytes"))
            r.fail(r.pathOf(QStringLiteral("sizeBytes")), QStringLiteral("a file image has its own size: give \"path\" or \"sizeBytes\""));
    }
    r.integer("sizeBytes", out.sizeBytes, 1, 16 * 1024 * 1024);
    r.text("version", out.version);
    r.choice("format", out.format, {{"raw", LorawanImageConfig::Format::Raw},
                                    {"signed", LorawanImageConfig::Format::Signed},
                                    {"delta", LorawanImageConfig::Format::Delta},
                                    {"signed-delta", LorawanImageConfig::Format::SignedDelta}});
    r.filePath("basePath", out.basePath, baseDir, QStringLiteral("running image"));
    r.number("changePercent", out.changePercent, 0, 100);
    r.finish();
}

void readCampaign(JsonFieldReader& r, LorawanCampaignConfig& out, std::optional<Error>& sink)
{
    r.choice("sessionClass", out.sessionClass, {{"C", LorawanCampaignConfig::SessionClass::C}, {"B", LorawanCampaignConfig::SessionClass::B}});
    r.integer("multicastDataRate", out.multicastDataRate, 0, 15);
    if (r.contains("multicastFrequencyHz")) {
        std::int64_t hz = 0;
        r.integer("multicastFrequencyHz", hz, 137'000'000, 1'020'000'000);
        out.multicastFrequencyHz = std::uint32_t(hz);
    }
    r.integer("pingSlotPeriodicity", out.pingSlotPeriodicity, 0, 7);
    keywordOrNumber(r, "fragmentSize", "auto", out.fragmentSize, 1, 255);
    keywordOrNumber(r, "redundancyPercent", "adaptive", out.redundancyPercent, 0, 300);
    r.integer("fecVersion", out.fecVersion, 1, 2);
    r.integer("unicastRetries", out.unicastRetries, 0, 100);
    r.number("unicastRetryIntervalS", out.unicastRetryIntervalS, 0.0, 86'400.0);
    r.boolean("clockSync", out.clockSync);
    r.number("sessionStartDelayS", out.sessionStartDelayS, 0.0, 7 * 86'400.0);
    r.number("timeoutMarginS", out.timeoutMarginS, 0.01, 3600.0);
    if (const auto v = r.value("groupDeletion")) {
        const QString path = r.pathOf(QStringLiteral("groupDeletion"));
        if (v->isString() && v->toString() == QLatin1String("afterSession")) {
            out.groupDeleteAfterQueueS.reset();
        } else if (v->isObject()) {
            JsonFieldReader g(v->toObject(), path, sink);
            double s = 60;
            if (!g.contains("afterQueueS"))
                g.fail(path, QStringLiteral("expected {\"afterQueueS\": seconds}"));
            g.number("afterQueueS", s, 0.0, 7 * 86'400.0);
            g.finish();
            out.groupDeleteAfterQueueS = s;
        } else {
            r.fail(path, QStringLiteral("expected \"afterSession\" or {\"afterQueueS\": seconds}, got %1").arg(JsonFieldReader::describe(*v)));
        }
    }
    r.boolean("repairRound", out.repairRound);
    r.number("repairRedundancyPercent", out.repairRedundancyPercent, 0.0, 300.0);
    r.number("startAtS", out.startAtS, 0.0, 30 * 86'400.0);
    r.finish();
}

void readFaults(JsonFieldReader& r, LorawanFaultsConfig& out, std::optional<Error>& sink)
{
    if (const auto list = r.array("gatewayDown")) {
        const QString path = r.pathOf(QStringLiteral("gatewayDown"));
        r.eachObject(*list, path, QStringLiteral("{\"gateway\", \"atS\", \"forS\"}"), [&](JsonFieldReader& f) {
            LorawanGatewayDown down;
            f.integer("gateway", down.gateway, 0, 999);
            f.number("atS", down.atS, 0.0, 365 * 86'400.0);
            f.number("forS", down.forS, 0.0, 365 * 86'400.0);
            f.finish();
            out.gatewayDown.push_back(down);
        });
    }
    if (const auto o = r.object("forgedFragments")) {
        JsonFieldReader f(*o, r.pathOf(QStringLiteral("forgedFragments")), sink);
        LorawanForgedFragments forged;
        f.integer("count", forged.count, 1, 16383);
        f.integer("atFragment", forged.atFragment, 1, 16383);
        f.finish();
        out.forgedFragments = forged;
    }
    r.finish();
}

} // namespace

Result<LorawanFleetConfig> readLorawanFleet(const QJsonObject& json, const QString& field, const QString& baseDir)
{
    std::optional<Error> sink;
    LorawanFleetConfig config;
    JsonFieldReader r(json, field, sink);
    QString ignored;
    r.text("name", ignored);
    r.text("family", ignored);
    r.choice("region", config.region, {{"EU868", LorawanRegion::EU868}, {"US915", LorawanRegion::US915}});
    r.section("gateways", [&](JsonFieldReader& sub) { readGateways(sub, config.gateways); });
    r.section("devices", [&](JsonFieldReader& sub) { readDevices(sub, config.devices); });
    r.section("radio", [&](JsonFieldReader& sub) { readRadio(sub, config.radio); });
    r.section("image", [&](JsonFieldReader& sub) { readImage(sub, config.image, baseDir); });
    r.section("campaign", [&](JsonFieldReader& sub) { readCampaign(sub, config.campaign, sink); });
    r.section("faults", [&](JsonFieldReader& sub) { readFaults(sub, config.faults, sink); });
    r.finish();
    if (sink)
        return fail(*sink);
    return config;
}

} // namespace otalab::sim
