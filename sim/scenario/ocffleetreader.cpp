// SPDX-License-Identifier: Apache-2.0
// Scenario: one OCF fleet object, read strictly into OcfFleetConfig.
#include "sim/scenario/ocffleetreader.h"

#include "sim/scenario/jsonfieldreader.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

namespace otalab::sim {

std::optional<qint64> parseRfc3339Ms(const QString& text)
{
    // RFC 3339 §5.6 date-time: full-date "T" full-time, time-offset "Z" or ±hh:mm.
    static const QRegularExpression shape(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$"));
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    QString t = text.toUpper();
    // Qt reads at most milliseconds: drop further fraction digits.
    static const QRegularExpression longFraction(QStringLiteral("(\\.\\d{3})\\d+"));
    t.replace(longFraction, QStringLiteral("\\1"));
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

namespace {

bool isThread(const QString& link) { return link == QLatin1String("thread"); }

void readGroup(JsonFieldReader& r, OcfDeviceGroupConfig& out)
{
    r.text("name", out.name);
    r.integer("count", out.count, 1, 200'000);
    r.choice("link", out.link, {{"thread", QStringLiteral("thread")}, {"wifi", QStringLiteral("wifi")}});
    r.integer("devicesPerGateway", out.devicesPerGateway, 1, 1000);
    const bool thread = isThread(out.link);
    const auto only = [&](const char* key, bool threadKey) {
        if (!r.contains(key) || thread == threadKey)
            return true;
        r.fail(r.pathOf(QLatin1String(key)), threadKey ? QStringLiteral("a Thread setting: this group's link is \"wifi\"")
                                                       : QStringLiteral("a Wi-Fi setting: this group's link is \"thread\""));
        return false;
    };
    if (only("hops", true))
        r.integer("hops", out.hops, 1, 16);
    if (only("pollPeriodMs", true))
        r.number("pollPeriodMs", out.pollPeriodMs, 10.0, 3'600'000.0);
    if (only("fastPollMs", true))
        r.number("fastPollMs", out.fastPollMs, 5.0, 60'000.0);
    if (only("frameLossPercent", true))
        r.number("frameLossPercent", out.frameLossPercent, 0.0, 90.0);
    if (only("latencyMs", false))
        r.number("latencyMs", out.latencyMs, 0.0, 60'000.0);
    if (only("throughputKbps", false))
        r.number("throughputKbps", out.throughputKbps, 0.0, 1'000'000.0, true);
    if (only("lossPercent", false))
        r.number("lossPercent", out.lossPercent, 0.0, 90.0);
    r.number("backhaulMs", out.backhaulMs, 0.0, 60'000.0);
    r.number("spreadPercent", out.spreadPercent, 0.0, 90.0);
    r.finish();
    if (!r.failed() && thread && out.fastPollMs > out.pollPeriodMs)
        r.fail(r.pathOf(QStringLiteral("fastPollMs")),
               QStringLiteral("%1 ms: the fast poll period cannot exceed the idle poll period (%2 ms)").arg(out.fastPollMs).arg(out.pollPeriodMs));
}

void readImage(JsonFieldReader& r, OcfImageConfig& out)
{
    r.integer("sizeBytes", out.sizeBytes, 1024, 8 * 1024 * 1024);
    r.text("version", out.version);
    r.text("runningVersion", out.runningVersion);
    r.integer("blockSize", out.blockSize, 16, 1024);
    r.finish();
    if (!r.failed() && (out.blockSize & (out.blockSize - 1)) != 0)
        r.fail(r.pathOf(QStringLiteral("blockSize")),
               QStringLiteral("%1: a CoAP block is a power of two, 16 .. 1024 bytes (RFC 7959 SZX 0..6)").arg(out.blockSize));
}

void readSchedule(JsonFieldReader& r, OcfScheduleConfig& out)
{
    r.text("updateTime", out.updateTime);
    r.text("startsAt", out.startsAt);
    r.number("clockSpreadS", out.clockSpreadS, 0.0, 86'400.0);
    r.finish();
    if (r.failed())
        return;
    if (out.updateTime != QLatin1String("now") && !parseRfc3339Ms(out.updateTime))
        r.fail(r.pathOf(QStringLiteral("updateTime")),
               QStringLiteral("\"%1\": expected \"now\" or an RFC 3339 date-time (\"2026-12-08T02:00:00Z\")").arg(out.updateTime));
    else if (!parseRfc3339Ms(out.startsAt))
        r.fail(r.pathOf(QStringLiteral("startsAt")),
               QStringLiteral("\"%1\": expected an RFC 3339 date-time (\"2026-12-08T00:00:00Z\")").arg(out.startsAt));
}

void readClient(JsonFieldReader& r, OcfClientConfig& out)
{
    r.boolean("validateFirst", out.validateFirst);
    r.number("startAtS", out.startAtS, 0.0, 30 * 86'400.0);
    r.integer("concurrent", out.concurrent, 1, 100'000);
    r.number("spacingMs", out.spacingMs, 0.0, 60'000.0);
    r.number("retryAfterS", out.retryAfterS, 0.0, 30 * 86'400.0);
    r.integer("maxRetries", out.maxRetries, 0, 100);
    r.finish();
}

void readServer(JsonFieldReader& r, OcfServerConfig& out)
{
    r.number("blocksPerS", out.blocksPerS, 0.0, 1e7, true);
    r.finish();
}

} // namespace

Result<OcfFleetConfig> readOcfFleet(const QJsonObject& json, const QString& field)
{
    std::optional<Error> sink;
    OcfFleetConfig config;
    JsonFieldReader r(json, field, sink);
    QString ignored;
    r.text("name", ignored);
    r.text("family", ignored);
    if (const auto list = r.array("devices")) {
        const QString path = r.pathOf(QStringLiteral("devices"));
        config.devices.clear();
        if (list->isEmpty())
            r.fail(path, QStringLiteral("expected at least one device group {\"count\", \"link\", ...}"));
        std::int64_t total = 0;
        r.eachObject(*list, path, QStringLiteral("a device group {\"count\", \"link\", ...}"), [&](JsonFieldReader& g) {
            OcfDeviceGroupConfig group;
            readGroup(g, group);
            total += group.count;
            config.devices.push_back(std::move(group));
        });
        if (!r.failed() && total > 200'000)
            r.fail(path, QStringLiteral("%1 devices in all: at most 200,000 per fleet").arg(total));
    }
    r.section("image", [&](JsonFieldReader& sub) { readImage(sub, config.image); });
    r.section("schedule", [&](JsonFieldReader& sub) { readSchedule(sub, config.schedule); });
    r.section("client", [&](JsonFieldReader& sub) { readClient(sub, config.client); });
    r.section("server", [&](JsonFieldReader& sub) { readServer(sub, config.server); });
    r.integer("userDataBytes", config.userDataBytes, 0, 1024 * 1024);
    r.finish();
    if (sink)
        return fail(*sink);
    return config;
}

QJsonObject ocfFleetToJson(const OcfFleetConfig& c)
{
    QJsonArray devices;
    for (const OcfDeviceGroupConfig& g : c.devices) {
        QJsonObject o{{QStringLiteral("count"), g.count}, {QStringLiteral("link"), g.link},
                      {QStringLiteral("devicesPerGateway"), g.devicesPerGateway}, {QStringLiteral("backhaulMs"), g.backhaulMs},
                      {QStringLiteral("spreadPercent"), g.spreadPercent}};
        if (!g.name.isEmpty())
            o.insert(QStringLiteral("name"), g.name);
        const auto put = [&o](const char* key, const std::optional<double>& v) {
            if (v)
                o.insert(QLatin1String(key), *v);
        };
        if (isThread(g.link)) {
            o.insert(QStringLiteral("hops"), g.hops);
            o.insert(QStringLiteral("pollPeriodMs"), g.pollPeriodMs);
            o.insert(QStringLiteral("fastPollMs"), g.fastPollMs);
            put("frameLossPercent", g.frameLossPercent);
        } else {
            put("latencyMs", g.latencyMs);
            put("throughputKbps", g.throughputKbps);
            put("lossPercent", g.lossPercent);
        }
        devices.append(o);
    }
    return QJsonObject{
        {QStringLiteral("devices"), devices},
        {QStringLiteral("image"), QJsonObject{{QStringLiteral("sizeBytes"), qint64(c.image.sizeBytes)}, {QStringLiteral("version"), c.image.version},
                                              {QStringLiteral("runningVersion"), c.image.runningVersion}, {QStringLiteral("blockSize"), c.image.blockSize}}},
        {QStringLiteral("schedule"), QJsonObject{{QStringLiteral("updateTime"), c.schedule.updateTime}, {QStringLiteral("startsAt"), c.schedule.startsAt},
                                                 {QStringLiteral("clockSpreadS"), c.schedule.clockSpreadS}}},
        {QStringLiteral("client"), QJsonObject{{QStringLiteral("validateFirst"), c.client.validateFirst}, {QStringLiteral("startAtS"), c.client.startAtS}, {QStringLiteral("concurrent"), c.client.concurrent},
                                               {QStringLiteral("spacingMs"), c.client.spacingMs}, {QStringLiteral("retryAfterS"), c.client.retryAfterS},
                                               {QStringLiteral("maxRetries"), c.client.maxRetries}}},
        {QStringLiteral("server"), QJsonObject{{QStringLiteral("blocksPerS"), c.server.blocksPerS}}},
        {QStringLiteral("userDataBytes"), qint64(c.userDataBytes)},
    };
}

} // namespace otalab::sim
