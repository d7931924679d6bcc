// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenarioloader.h"

#include "sim/scenario/faultsreader.h"
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/scenariowriter.h"
#include "sim/scenario/sectionreaders.h"
#include "sim/scenario/jobsfleetreader.h"
#include "sim/scenario/ocffleetreader.h"
#include "sim/scenario/lorawanfleetreader.h"
#include "sim/scenario/rolloutreader.h"
#include "sim/scenario/smpfleetreader.h"
#include "sim/scenario/topologyreader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <map>
#include <QJsonParseError>

namespace otalab::sim {

namespace {

// Largest scenario accepted: far above any real one, keeps hostile input bounded.
constexpr qsizetype kMaxScenarioBytes = 64 * 1024 * 1024;

TopologyIndex indexOf(const ScenarioTopology& topology)
{
    if (const auto* g = std::get_if<GeneratedTopology>(&topology))
        return TopologyIndex::of(*g);
    return TopologyIndex::of(std::get<TopologySpec>(topology));
}

// Reads the Zigbee keys of `r`'s object (the top level of a one-fleet file, or one
// "zigbee" entry of "fleets") into `config`. Section readers name paths from "$".
void readZigbeeKeys(JsonFieldReader& r, RolloutConfig& config, const QString& baseDir, std::optional<Error>& sink)
{
    if (const auto topology = r.value("topology")) {
        if (auto t = readTopology(*topology, sink))
            config.topology = std::move(*t);
    }
    if (sink)
        return;
    const TopologyIndex index = indexOf(config.topology);

    if (const auto channel = r.object("channel"))
        readChannel(*channel, index, config.channel, sink);
    const auto device = r.object("device");
    if (device)
        readDevice(*device, config.device, sink);
    if (const auto network = r.object("network"))
        readNetwork(*network, config.network, sink);
    checkNetworkSecurity(config.network, device && device->contains(QLatin1String("nwkSecurityOverheadBytes")), r.path(),
                         config.device, sink);
    if (const auto images = r.array("images"))
        readImages(*images, QDir(baseDir.isEmpty() ? QStringLiteral(".") : baseDir), config.images, sink);
    if (const auto server = r.object("server"))
        readServer(*server, index, config.server, sink);
    if (const auto client = r.object("client"))
        readClient(*client, config.client, sink);
    if (const auto overrides = r.array("clientOverrides"))
        readClientOverrides(*overrides, index, config.clientOverrides, sink);
}

Result<QJsonObject> parseTopLevel(const QByteArray& json)
{
    if (json.size() > kMaxScenarioBytes)
        return fail(Error{QStringLiteral("scenario of %1 bytes; expected at most %2").arg(json.size()).arg(kMaxScenarioBytes),
                          QStringLiteral("$"), -1});
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(Error{QStringLiteral("not valid JSON: %1").arg(parseError.errorString()), QStringLiteral("$"), parseError.offset});
    if (!doc.isObject())
        return fail(Error{QStringLiteral("expected a JSON object at the top level"), QStringLiteral("$"), -1});
    return doc.object();
}

// Leaf paths and values of a JSON tree ("server.blockResponseDelayMs" = "250").
void flatten(const QJsonValue& value, const QString& path, std::map<QString, QString>& out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), out);
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flatten(a.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), out);
    } else {
        out[path] = value.isString() ? value.toString() : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
}

// Parameters of `config` that differ from a default Zigbee scenario, as "path" = "value".
void appendZigbeeChanges(const RolloutConfig& config, const QString& prefix, std::vector<ResultAttribute>& out)
{
    std::map<QString, QString> mine, defaults;
    RolloutConfig reference;
    reference.name = config.name;
    reference.seed = config.seed;
    flatten(scenarioToJson(config), QString(), mine);
    flatten(scenarioToJson(reference), QString(), defaults);
    for (const auto& [path, value] : mine) {
        const auto it = defaults.find(path);
        if (it == defaults.end() || it->second != value)
            out.push_back({prefix + path, value});
    }
    for (const auto& [path, value] : defaults)
        if (!mine.count(path))
            out.push_back({prefix + path, QStringLiteral("(none)")});
}

Error underFleet(Error e, qsizetype index)
{
    if (e.field.startsWith(QLatin1String("$.")))
        e.field = QStringLiteral("$.fleets[%1].").arg(index) + e.field.mid(2);
    return e;
}

} // namespace

Result<RolloutConfig> loadScenario(const QByteArray& json, const QString& baseDir)
{
    auto top = parseTopLevel(json);
    if (!top)
        return fail(top.error());
    std::optional<Error> sink;
    RolloutConfig config;
    JsonFieldReader r(*top, QStringLiteral("$"), sink);
    QString ignored;
    r.text("$schema", ignored, true);
    r.text("description", ignored, true);
    r.text("name", config.name);
    r.hexInteger("seed", config.seed, ~std::uint64_t(0));
    if (r.contains("fleets") && !sink)
        return fail(Error{QStringLiteral("a scenario with \"fleets\" has no single Zigbee network to edit here"), QStringLiteral("$.fleets"), -1});
    readZigbeeKeys(r, config, baseDir, sink);
    if (sink)
        return fail(*sink);
    if (const auto stop = r.object("stop"))
        readStop(*stop, config.stop, sink);
    r.number("sampleIntervalS", config.sampleIntervalS, 0.0, kMaxDurationS, true);
    r.finish();
    if (sink)
        return fail(*sink);
    return config;
}

Result<ScenarioConfig> loadScenarioConfig(const QByteArray& json, const QString& baseDir)
{
    auto top = parseTopLevel(json);
    if (!top)
        return fail(top.error());
    if (!top->contains(QLatin1String("fleets"))) {
        QJsonObject zigbeeKeys = *top;  // "rollout", "faults", "attacks" are the scenario's, not the Zigbee fleet's
        const QJsonValue policy = zigbeeKeys.take(QLatin1String("rollout"));
        const QJsonValue faultsJson = zigbeeKeys.take(QLatin1String("faults")), attacksJson = zigbeeKeys.take(QLatin1String("attacks"));
        const bool scenarioKeys = !policy.isUndefined() || !faultsJson.isUndefined() || !attacksJson.isUndefined();
        auto rollout = loadScenario(scenarioKeys ? QJsonDocument(zigbeeKeys).toJson() : json, baseDir);
        if (!rollout)
            return fail(rollout.error());
        ScenarioConfig scenario = ScenarioConfig::fromRollout(*rollout);
        // Without "name" the fleet is named after the file later: targets are not checked.
        auto policyConfig = readScenarioRollout(policy, top->contains(QLatin1String("name")) ? QStringList{scenario.fleets.front().name} : QStringList{});
        if (!policyConfig)
            return fail(policyConfig.error());
        scenario.rollout = std::move(*policyConfig);
        auto faultsConfig = readScenarioFaults(faultsJson, attacksJson);
        if (!faultsConfig)
            return fail(faultsConfig.error());
        scenario.faults = std::move(*faultsConfig);
        scenario.description = top->value(QLatin1String("description")).toString();
        appendZigbeeChanges(*rollout, QString(), scenario.changes);
        return scenario;
    }
    std::optional<Error> sink;
    ScenarioConfig config;
    JsonFieldReader r(*top, QStringLiteral("$"), sink);
    QString ignored;
    r.text("$schema", ignored, true);
    r.text("description", config.description, true);
    r.text("name", config.name);
    r.hexInteger("seed", config.seed, ~std::uint64_t(0));
    if (const auto stop = r.object("stop"))
        readStop(*stop, config.stop, sink);
    r.number("sampleIntervalS", config.sampleIntervalS, 0.0, kMaxDurationS, true);
    r.boolean("fingerprint", config.fingerprint);
    const auto fleets = r.array("fleets");
    const QJsonValue policy = r.value("rollout").value_or(QJsonValue(QJsonValue::Undefined));
    const QJsonValue faultsJson = r.value("faults").value_or(QJsonValue(QJsonValue::Undefined));
    const QJsonValue attacksJson = r.value("attacks").value_or(QJsonValue(QJsonValue::Undefined));
    r.finish();
    if (sink)
        return fail(*sink);
    if (!fleets || fleets->isEmpty())
        return fail(Error{QStringLiteral("no fleet: expected an array of at least one {\"family\": \"zigbee\" | \"smp\" | \"lorawan\" | \"jobs\" | \"ocf\", ...}"),
                          QStringLiteral("$.fleets"), -1});
    QSet<QString> names;
    for (qsizetype i = 0; i < fleets->size(); ++i) {
        const QString path = QStringLiteral("$.fleets[%1]").arg(i);
        if (!fleets->at(i).isObject())
            return fail(Error{QStringLiteral("expected a fleet object"), path, -1});
        const QJsonObject object = fleets->at(i).toObject();
        FleetConfig fleet;
        fleet.name = QStringLiteral("fleet %1").arg(i + 1);
        JsonFieldReader f(object, path, sink);
        f.text("name", fleet.name);
        QString family;
        f.text("family", family);
        if (sink)
            return fail(*sink);
        if (names.contains(fleet.name))
            return fail(Error{QStringLiteral("fleet name \"%1\" used twice: fleet names must be unique").arg(fleet.name), path + ".name", -1});
        names.insert(fleet.name);
        if (family == QLatin1String("zigbee")) {
            RolloutConfig zigbee;
            zigbee.name = fleet.name;
            readZigbeeKeys(f, zigbee, baseDir, sink);
            f.finish();
            if (sink)
                return fail(underFleet(*sink, i));
            appendZigbeeChanges(zigbee, QStringLiteral("fleets[%1].").arg(i), config.changes);
            fleet.family = std::move(zigbee);
        } else if (family == QLatin1String("smp")) {
            QJsonObject body = object;
            body.remove(QLatin1String("name"));
            body.remove(QLatin1String("family"));
            auto smp = readSmpFleet(body, path, baseDir);
            if (!smp)
                return fail(smp.error());
            std::map<QString, QString> set;
            flatten(body, QString(), set);
            for (const auto& [key, value] : set)
                config.changes.push_back({QStringLiteral("fleets[%1].%2").arg(i).arg(key), value});
            fleet.family = std::move(*smp);
        } else if (family == QLatin1String("lorawan")) {
            QJsonObject body = object;
            body.remove(QLatin1String("name"));
            body.remove(QLatin1String("family"));
            auto lorawan = readLorawanFleet(body, path, baseDir);
            if (!lorawan)
                return fail(lorawan.error());
            std::map<QString, QString> set;
            flatten(body, QString(), set);
            for (const auto& [key, value] : set)
                config.changes.push_back({QStringLiteral("fleets[%1].%2").arg(i).arg(key), value});
            fleet.family = std::move(*lorawan);
        } else if (family == QLatin1String("jobs")) {
            QJsonObject body = object;
            body.remove(QLatin1String("name"));
            body.remove(QLatin1String("family"));
            auto jobs = readJobsFleet(body, path);
            if (!jobs)
                return fail(jobs.error());
            std::map<QString, QString> set;
            flatten(body, QString(), set);
            for (const auto& [key, value] : set)
                config.changes.push_back({QStringLiteral("fleets[%1].%2").arg(i).arg(key), value});
            fleet.family = std::move(*jobs);
        } else if (family == QLatin1String("ocf")) {
            QJsonObject body = object;
            body.remove(QLatin1String("name"));
            body.remove(QLatin1String("family"));
            auto ocf = readOcfFleet(body, path);
            if (!ocf)
                return fail(ocf.error());
            std::map<QString, QString> set;
            flatten(body, QString(), set);
            for (const auto& [key, value] : set)
                config.changes.push_back({QStringLiteral("fleets[%1].%2").arg(i).arg(key), value});
            fleet.family = std::move(*ocf);
        } else {
            return fail(Error{QStringLiteral("unknown family \"%1\": expected \"zigbee\", \"smp\", \"lorawan\", \"jobs\" or \"ocf\"").arg(family), path + ".family", -1});
        }
        config.fleets.push_back(std::move(fleet));
    }
    auto policyConfig = readScenarioRollout(policy, QStringList(names.begin(), names.end()));
    if (!policyConfig)
        return fail(policyConfig.error());
    config.rollout = std::move(*policyConfig);
    auto faultsConfig = readScenarioFaults(faultsJson, attacksJson);
    if (!faultsConfig)
        return fail(faultsConfig.error());
    config.faults = std::move(*faultsConfig);
    return config;
}

Result<ScenarioConfig> loadScenarioConfigFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error{QStringLiteral("cannot read scenario %1: %2").arg(path, file.errorString()), QStringLiteral("$"), -1});
    const QByteArray bytes = file.read(kMaxScenarioBytes + 1);
    const QFileInfo info(path);
    auto config = loadScenarioConfig(bytes, info.absolutePath());
    if (!config)
        return config;
    config->file = info.absoluteFilePath();
    if (!QJsonDocument::fromJson(bytes).object().contains(QLatin1String("name"))) {
        config->name = info.completeBaseName();
        if (RolloutConfig* zigbee = config->singleZigbee())
            zigbee->name = config->name;
        config->fleets.front().name = config->name;
    }
    return config;
}

Result<RolloutConfig> loadScenarioFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error{QStringLiteral("cannot read scenario %1: %2").arg(path, file.errorString()), QStringLiteral("$"), -1});
    const QByteArray bytes = file.read(kMaxScenarioBytes + 1);
    const QFileInfo info(path);
    auto config = loadScenario(bytes, info.absolutePath());
    if (config && !QJsonDocument::fromJson(bytes).object().contains(QLatin1String("name")))
        config->name = info.completeBaseName();
    return config;
}

} // namespace otalab::sim
