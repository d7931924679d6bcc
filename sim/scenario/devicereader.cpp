// SPDX-License-Identifier: Apache-2.0
// Scenario sections "device" and "images".
#include "sim/energy/battery.h"
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"

#include <QFileInfo>

namespace otalab::sim {

void readDevice(const QJsonObject& json, DeviceConfig& out, std::optional<Error>& sink)
{
    JsonFieldReader r(json, QStringLiteral("$.device"), sink);
    if (const auto preset = r.value("preset")) {
        const QString path = r.pathOf(QStringLiteral("preset"));
        if (preset->isString()) {
            if (!DevicePreset::builtin(preset->toString()))
                r.fail(path, QStringLiteral("unknown preset \"%1\"; expected \"EFR32MG24\", \"CC2652R\", \"nRF52840\" or a preset object")
                                 .arg(preset->toString().left(40)));
            else
                out.preset = DevicePreset::builtin(preset->toString())->name;
        } else if (preset->isObject()) {
            auto custom = DevicePreset::fromJson(preset->toObject(), path);
            if (!custom)
                r.fail(custom.error().field.isEmpty() ? path : custom.error().field, custom.error().message);
            else
                out.customPreset = *custom;
        } else {
            r.fail(path, QStringLiteral("expected a preset name or a preset object, got %1").arg(JsonFieldReader::describe(*preset)));
        }
    }
    if (r.contains("battery")) {
        QString battery;
        r.text("battery", battery);
        if (!r.failed() && !Battery::byName(battery))
            r.fail(r.pathOf(QStringLiteral("battery")), QStringLiteral("unknown battery \"%1\"; expected \"CR2032\" or \"2xAA\" "
                                                                      "(or set batteryMilliampHours and batteryVoltageV)").arg(battery.left(40)));
        else if (!r.failed())
            out.battery = Battery::byName(battery)->name;
    }
    r.number("batteryMilliampHours", out.batteryMilliampHours, 0.0, 1e7, true);
    r.number("batteryVoltageV", out.batteryVoltageV, 0.0, 100.0, true);
    r.integer("pollIntervalMs", out.pollIntervalMs, 1, kMaxDurationMs);
    r.integer("fastPollIntervalMs", out.fastPollIntervalMs, 0, kMaxDurationMs);
    if (r.contains("nwkSecurityOverheadBytes")) {
        r.integer("nwkSecurityOverheadBytes", out.nwkSecurityOverheadBytes, 0, 18);
        if (!r.failed() && out.nwkSecurityOverheadBytes != 0 && out.nwkSecurityOverheadBytes != 18)
            r.fail(r.pathOf(QStringLiteral("nwkSecurityOverheadBytes")), QStringLiteral("expected 0 (no NWK security) or 18 (network key)"));
    }
    r.integer("apsSecurityOverheadBytes", out.apsSecurityOverheadBytes, 0, 64);
    r.integer("bootTimeMs", out.bootTimeMs, 0, kMaxDurationMs);
    r.integer("flashPageBytes", out.flashPageBytes, 1, 1 << 24);
    r.number("flashEraseMsPerPage", out.flashEraseMsPerPage, 0.0, 1e5);
    r.number("flashWriteUsPerByte", out.flashWriteUsPerByte, 0.0, 1e5);
    r.finish();
}

namespace {

constexpr std::uint32_t kMaxGeneratedImageBytes = 16 * 1024 * 1024;

void readImage(const QJsonObject& json, const QString& path, const QDir& baseDir, ImageConfig& image, std::optional<Error>& sink)
{
    JsonFieldReader r(json, path, sink);
    const bool hasPath = r.contains("path");
    const auto generate = r.object("generate");
    if (hasPath && generate) {
        r.fail(path, QStringLiteral("both \"path\" and \"generate\"; expected one of them"));
        return;
    }
    if (hasPath) {
        QString file;
        r.text("path", file);
        if (!r.failed()) {
            const QFileInfo info(QDir::isAbsolutePath(file) ? file : baseDir.filePath(file));
            if (!info.exists())
                r.fail(r.pathOf(QStringLiteral("path")), QStringLiteral("image file %1 does not exist; expected an OTA file (relative paths start at the scenario's folder)")
                                                           .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
            else if (!info.isFile() || !info.isReadable())
                r.fail(r.pathOf(QStringLiteral("path")), QStringLiteral("%1 is not a readable file; expected an OTA file")
                                                           .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
            else
                image.path = info.absoluteFilePath();
        }
    }
    if (generate) {
        JsonFieldReader g(*generate, r.pathOf(QStringLiteral("generate")), sink);
        g.integer("size", image.sizeBytes, 1, kMaxGeneratedImageBytes);
        g.hexInteger("manufacturer", image.manufacturer, 0xFFFF);
        g.hexInteger("imageType", image.imageType, 0xFFFF);
        g.hexInteger("fileVersion", image.fileVersion, 0xFFFFFFFF);
        g.boolean("integrityCode", image.integrityCode);
        g.finish();
    }
    if (const auto offsets = r.array("corruptOffsets")) {
        for (qsizetype i = 0; i < offsets->size() && !r.failed(); ++i) {
            const auto v = JsonFieldReader::parseHex((*offsets)[i], 0xFFFFFFFF);
            if (!v)
                r.fail(QStringLiteral("%1.corruptOffsets[%2]").arg(path).arg(i),
                       QStringLiteral("expected a byte offset in [0, 0xFFFFFFFF], got %1").arg(JsonFieldReader::describe((*offsets)[i])));
            else
                image.corruptOffsets.push_back(std::uint32_t(*v));
        }
    }
    r.finish();
}

} // namespace

void readImages(const QJsonArray& json, const QDir& baseDir, std::vector<ImageConfig>& out, std::optional<Error>& sink)
{
    if (json.isEmpty()) {
        recordScenarioError(sink, QStringLiteral("$.images"), QStringLiteral("no images; expected at least one image to roll out"));
        return;
    }
    out.clear();
    for (qsizetype i = 0; i < json.size() && !sink; ++i) {
        const QString path = QStringLiteral("$.images[%1]").arg(i);
        if (!json[i].isObject()) {
            recordScenarioError(sink, path, QStringLiteral("expected an image object {\"path\"} or {\"generate\"}, got %1")
                                                .arg(JsonFieldReader::describe(json[i])));
            return;
        }
        ImageConfig image;
        readImage(json[i].toObject(), path, baseDir, image, sink);
        out.push_back(image);
    }
}

} // namespace otalab::sim
