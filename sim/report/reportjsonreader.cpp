// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportjsonreader.h"

#include "sim/report/fleetsummary.h"
#include "sim/report/rolloutjson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace otalab::sim {

namespace {

std::optional<double> optionalNumber(const QJsonValue& v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

// Integers are numbers, or decimal strings above 2^53 (reportjson.cpp integer()).
std::uint64_t integer(const QJsonValue& v)
{
    if (v.isString())
        return v.toString().toULongLong();
    const double d = v.toDouble();
    return d > 0 ? std::uint64_t(d) : 0;
}

std::vector<ResultAttribute> attributes(const QJsonValue& v)
{
    std::vector<ResultAttribute> out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.push_back({it.key(), it.value().isString() ? it.value().toString() : it.value().toVariant().toString()});
    return out;
}

Result<DeviceOutcome> outcomeOf(const QString& name, const QString& field)
{
    QStringList names;
    for (const DeviceOutcome o : kAllDeviceOutcomes) {
        if (deviceOutcomeName(o) == name)
            return o;
        names.append(deviceOutcomeName(o));
    }
    return fail(Error{QStringLiteral("expected one of %1, not \"%2\"").arg(names.join(QStringLiteral(", ")), name), field});
}

Result<DeviceResult> deviceOf(const QJsonValue& value, const QString& field)
{
    if (!value.isObject())
        return fail(Error{QStringLiteral("expected an object"), field});
    const QJsonObject o = value.toObject();
    DeviceResult d;
    auto outcome = outcomeOf(o.value(QStringLiteral("outcome")).toString(), field + QStringLiteral(".outcome"));
    if (!outcome)
        return fail(outcome.error());
    d.outcome = *outcome;
    d.node = std::uint32_t(integer(o.value(QStringLiteral("node"))));
    d.name = o.value(QStringLiteral("name")).toString();
    d.fleet = o.value(QStringLiteral("fleet")).toString();
    d.family = o.value(QStringLiteral("family")).toString();
    d.role = o.value(QStringLiteral("role")).toString();
    d.parent = o.value(QStringLiteral("parent")).toString();
    d.hops = o.value(QStringLiteral("hops")).toInt();
    d.startS = optionalNumber(o.value(QStringLiteral("startS")));
    d.finishS = optionalNumber(o.value(QStringLiteral("finishS")));
    d.failedAtS = optionalNumber(o.value(QStringLiteral("failedAtS")));
    d.bytesReceived = integer(o.value(QStringLiteral("bytes")));
    d.requests = integer(o.value(QStringLiteral("requests")));
    d.retries = integer(o.value(QStringLiteral("retries")));
    d.energyJ = o.value(QStringLiteral("energyJ")).toDouble();
    d.updateEnergyJ = o.value(QStringLiteral("updateEnergyJ")).toDouble();
    d.batteryShare = o.value(QStringLiteral("batteryShare")).toDouble();
    d.versionBefore = o.value(QStringLiteral("versionBefore")).toString();
    d.versionAfter = o.value(QStringLiteral("versionAfter")).toString();
    d.attributes = attributes(o.value(QStringLiteral("attributes")));
    d.failureReason = o.value(QStringLiteral("failureReason")).toString();
    d.execution = o.value(QStringLiteral("execution")).toString();
    d.executionNumber = o.value(QStringLiteral("executionNumber")).toInt();
    return d;
}

FleetFiguresResult fleetFiguresOf(const QJsonObject& o)
{
    FleetFiguresResult f;
    f.fleet = o.value(QStringLiteral("fleet")).toString();
    f.family = o.value(QStringLiteral("family")).toString();
    f.rows = attributes(o.value(QStringLiteral("rows")));
    for (const QJsonValue& s : o.value(QStringLiteral("timeline")).toArray()) {
        const QJsonObject span = s.toObject();
        f.timeline.push_back({span.value(QStringLiteral("lane")).toString(), span.value(QStringLiteral("label")).toString(),
                              span.value(QStringLiteral("startS")).toDouble(), span.value(QStringLiteral("endS")).toDouble()});
    }
    for (const QJsonValue& b : o.value(QStringLiteral("budgets")).toArray()) {
        BudgetBar bar;
        bar.name = b.toObject().value(QStringLiteral("name")).toString();
        for (const QJsonValue& p : b.toObject().value(QStringLiteral("parts")).toArray())
            bar.parts.emplace_back(p.toObject().value(QStringLiteral("name")).toString(),
                                   p.toObject().value(QStringLiteral("share")).toDouble());
        f.budgets.push_back(std::move(bar));
    }
    return f;
}

} // namespace

Result<RunResult> runResultFromReportJson(const QJsonObject& report)
{
    const QString format = report.value(QStringLiteral("format")).toString();
    if (!format.startsWith(QLatin1String("otalab-report/")))
        return fail(Error{QStringLiteral("not an OTA Lab report (expected \"otalab-report/2\", found \"%1\")").arg(format),
                          QStringLiteral("format")});
    if (!report.value(QStringLiteral("devices")).isArray())
        return fail(Error{QStringLiteral("expected an array of devices"), QStringLiteral("devices")});
    RunResult r;
    r.scenarioName = report.value(QStringLiteral("scenario")).toString();
    r.scenarioFile = report.value(QStringLiteral("scenarioFile")).toString();
    r.scenarioDescription = report.value(QStringLiteral("description")).toString();
    r.scenarioChanges = attributes(report.value(QStringLiteral("changedParameters")));
    for (const QJsonValue& f : report.value(QStringLiteral("families")).toArray())
        r.families.append(f.toString());
    r.seed = integer(report.value(QStringLiteral("seed")));
    bool ok = false;
    const QString fingerprint = report.value(QStringLiteral("fingerprint")).toString();
    r.traceFingerprint = fingerprint.toULongLong(&ok, 16);
    if (!ok && !fingerprint.isEmpty())
        return fail(Error{QStringLiteral("expected 16 hex digits, not \"%1\"").arg(fingerprint), QStringLiteral("fingerprint")});
    r.stopReason = report.value(QStringLiteral("stopReason")).toString();
    r.endTimeS = report.value(QStringLiteral("endTimeS")).toDouble();
    r.eventsExecuted = integer(report.value(QStringLiteral("eventsExecuted")));
    r.wallSeconds = report.value(QStringLiteral("wallSeconds")).toDouble();
    r.imageBytes = integer(report.value(QStringLiteral("imageBytes")));
    r.batteryName = report.value(QStringLiteral("battery")).toString();
    const QJsonObject energy = report.value(QStringLiteral("fleet")).toObject().value(QStringLiteral("energy")).toObject();
    r.batteryVoltageV = energy.value(QStringLiteral("batteryVoltageV")).toDouble();
    r.batteryCapacityMah = energy.value(QStringLiteral("batteryCapacityMah")).toDouble();

    const QJsonArray devices = report.value(QStringLiteral("devices")).toArray();
    r.devices.reserve(std::size_t(devices.size()));
    for (qsizetype i = 0; i < devices.size(); ++i) {
        auto device = deviceOf(devices.at(i), QStringLiteral("devices[%1]").arg(i));
        if (!device)
            return fail(device.error());
        r.devices.push_back(std::move(*device));
    }
    for (const QJsonValue& f : report.value(QStringLiteral("fleetFigures")).toArray())
        r.fleetFigures.push_back(fleetFiguresOf(f.toObject()));
    if (report.value(QStringLiteral("rollout")).isObject()) {
        auto rollout = rolloutFromJson(report.value(QStringLiteral("rollout")).toObject());
        if (!rollout)
            return fail(rollout.error());
        r.rollout = std::move(*rollout);
    }
    for (const QJsonValue& v : report.value(QStringLiteral("faults")).toArray()) {
        const QJsonObject o = v.toObject();
        FaultResult f;
        f.id = o.value(QStringLiteral("id")).toString();
        f.kind = o.value(QStringLiteral("kind")).toString();
        f.fleet = o.value(QStringLiteral("fleet")).toString();
        f.target = o.value(QStringLiteral("target")).toString();
        f.atS = optionalNumber(o.value(QStringLiteral("atS")));
        f.detail = o.value(QStringLiteral("detail")).toString();
        f.effect = o.value(QStringLiteral("effect")).toString();
        f.outcome = o.value(QStringLiteral("outcome")).toString();
        f.recovered = o.value(QStringLiteral("recovered")).toBool();
        f.notFiredReason = o.value(QStringLiteral("notFiredReason")).toString();
        r.faults.push_back(std::move(f));
    }
    for (const QJsonValue& v : report.value(QStringLiteral("attacks")).toArray()) {
        const QJsonObject o = v.toObject();
        AttackResult a;
        a.id = o.value(QStringLiteral("id")).toString();
        a.kind = o.value(QStringLiteral("attack")).toString();
        a.fleet = o.value(QStringLiteral("fleet")).toString();
        a.target = o.value(QStringLiteral("target")).toString();
        a.atS = optionalNumber(o.value(QStringLiteral("atS")));
        a.accepted = o.value(QStringLiteral("accepted")).toBool();
        a.reason = o.value(QStringLiteral("reason")).toString();
        r.attacks.push_back(std::move(a));
    }
    return r;
}

Result<RunResult> readReportJson(const QString& path)
{
    const QString file = QFileInfo(path).isDir() ? QDir(path).filePath(QStringLiteral("report.json")) : path;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return fail(Error{QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(file), in.errorString()), file});
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(Error::at(error.offset, file,
                              QStringLiteral("%1 is not a JSON object: %2").arg(QDir::toNativeSeparators(file), error.errorString())));
    auto result = runResultFromReportJson(doc.object());
    if (!result)
        return fail(Error{QStringLiteral("%1: %2: %3").arg(QDir::toNativeSeparators(file), result.error().field, result.error().message),
                          result.error().field});
    return result;
}

} // namespace otalab::sim
