// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenarioloader.h"

#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"
#include "sim/scenario/topologyreader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
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

} // namespace

Result<RolloutConfig> loadScenario(const QByteArray& json, const QString& baseDir)
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

    std::optional<Error> sink;
    RolloutConfig config;
    JsonFieldReader r(doc.object(), QStringLiteral("$"), sink);
    QString ignored;
    r.text("$schema", ignored, true);
    r.text("description", ignored, true);
    r.text("name", config.name);
    r.hexInteger("seed", config.seed, ~std::uint64_t(0));

    if (const auto topology = r.value("topology")) {
        if (auto t = readTopology(*topology, sink))
            config.topology = std::move(*t);
    }
    if (sink)
        return fail(*sink);
    const TopologyIndex index = indexOf(config.topology);

    if (const auto channel = r.object("channel"))
        readChannel(*channel, index, config.channel, sink);
    if (const auto device = r.object("device"))
        readDevice(*device, config.device, sink);
    if (const auto images = r.array("images"))
        readImages(*images, QDir(baseDir.isEmpty() ? QStringLiteral(".") : baseDir), config.images, sink);
    if (const auto server = r.object("server"))
        readServer(*server, index, config.server, sink);
    if (const auto client = r.object("client"))
        readClient(*client, config.client, sink);
    if (const auto overrides = r.array("clientOverrides"))
        readClientOverrides(*overrides, index, config.clientOverrides, sink);
    if (const auto stop = r.object("stop"))
        readStop(*stop, config.stop, sink);
    r.number("sampleIntervalS", config.sampleIntervalS, 0.0, kMaxDurationS, true);
    r.finish();
    if (sink)
        return fail(*sink);
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
