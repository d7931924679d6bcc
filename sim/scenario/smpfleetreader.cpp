// SPDX-License-Identifier: Apache-2.0
// Scenario: one SMP fleet object, read strictly into SmpFleetConfig.
#include "sim/scenario/smpfleetreader.h"

#include "core/mcuboot/image_format.h"
#include "sim/energy/battery.h"
#include "sim/energy/devicepreset.h"
#include "sim/scenario/jsonfieldreader.h"
#include "sim/scenario/sectionreaders.h"

#include <QDir>
#include <QFileInfo>

namespace otalab::sim {

namespace {

void milliseconds(JsonFieldReader& r, const char* key, SimTime& out, double min, double max)
{
    double ms = out.toMillis();
    r.number(key, ms, min, max);
    out = SimTime::fromSeconds(ms / 1000.0);
}

void secondsField(JsonFieldReader& r, const char* key, SimTime& out, double min, double max)
{
    double s = out.toSeconds();
    r.number(key, s, min, max);
    out = SimTime::fromSeconds(s);
}

void version(JsonFieldReader& r, const char* key, QString& out)
{
    if (!r.contains(key))
        return;
    QString text;
    r.text(key, text);
    if (r.failed())
        return;
    if (auto parsed = core::mcuboot::ImageVersion::parse(text); !parsed)
        r.fail(r.pathOf(QLatin1String(key)), QStringLiteral("\"%1\" is not an image version (major.minor.revision+build): %2")
                                                 .arg(text.left(40), parsed.error().message));
    else
        out = text;
}

void readBle(JsonFieldReader& r, SmpFleetBleConfig& out)
{
    r.integer("connections", out.gatewayConnections, 1, 20);
    milliseconds(r, "connectMs", out.connectTime, 0, 600'000);
    milliseconds(r, "intervalMs", out.link.connectionInterval, 7.5, 4000);
    r.integer("mtu", out.link.attMtu, 23, 517);
    r.integer("dle", out.link.llPayload, 27, 251);
    r.integer("pdus", out.link.maxPdusPerEvent, 1, 64);
    r.choice("phy", out.link.phyBitRate, {{"1m", 1'000'000}, {"2m", 2'000'000}});
    r.boolean("encrypted", out.link.encrypted);
    r.number("byteErrorRate", out.link.byteErrorRate, 0.0, 0.5);
    r.finish();
}

void readUdp(JsonFieldReader& r, SmpFleetUdpConfig& out)
{
    r.integer("concurrency", out.concurrency, 1, 1000);
    milliseconds(r, "latencyMs", out.link.latency, 0, 10'000);
    double kbps = out.link.bitRate / 1000.0;
    r.number("rateKbps", kbps, 1.0, 10'000'000.0);
    out.link.bitRate = kbps * 1000.0;
    r.integer("mtu", out.link.maxDatagram, 64, 65507);
    r.integer("headerBytes", out.link.headerBytes, 0, 128);
    r.number("loss", out.datagramLoss, 0.0, 0.9);
    r.number("byteErrorRate", out.link.byteErrorRate, 0.0, 0.5);
    r.finish();
}

void readImage(JsonFieldReader& r, SmpFleetImageConfig& out, const QString& baseDir)
{
    if (r.contains("path")) {
        r.filePath("path", out.path, baseDir, QStringLiteral("image"));
        for (const char* generated : {"sizeBytes", "version"})
            if (r.contains(generated))
                r.fail(r.pathOf(QLatin1String(generated)),
                       QStringLiteral("a file image has its own size and version: give \"path\" or \"sizeBytes\"/\"version\""));
    }
    r.integer("sizeBytes", out.sizeBytes, 1024, 16 * 1024 * 1024);
    version(r, "version", out.version);
    r.finish();
}

void readBoards(JsonFieldReader& r, SmpFleetBoardsConfig& out)
{
    r.integer("count", out.count, 1, 100'000);
    version(r, "runningVersion", out.runningVersion);
    if (r.contains("preset")) {
        r.text("preset", out.preset);
        if (!r.failed() && !DevicePreset::builtin(out.preset))
            r.fail(r.pathOf(QStringLiteral("preset")),
                   QStringLiteral("unknown preset \"%1\"; expected \"EFR32MG24\", \"CC2652R\" or \"nRF52840\"").arg(out.preset.left(40)));
    }
    if (r.contains("battery")) {
        r.text("battery", out.battery);
        if (!r.failed() && !Battery::byName(out.battery))
            r.fail(r.pathOf(QStringLiteral("battery")),
                   QStringLiteral("unknown battery \"%1\"; expected \"CR2032\" or \"2xAA\"").arg(out.battery.left(40)));
    }
    r.integer("bufSize", out.bufSize, 64, 65535 + 8);
    r.integer("bufCount", out.device.server.bufCount, 1, 64);
    using core::mcuboot::BootStrategy;
    r.choice("strategy", out.device.boot.strategy,
             {{"swap-move", BootStrategy::SwapMove},
              {"overwrite-only", BootStrategy::OverwriteOnly},
              {"direct-xip", BootStrategy::DirectXip},
              {"direct-xip-revert", BootStrategy::DirectXipWithRevert}});
    r.boolean("downgradePrevention", out.device.boot.downgradePrevention);   // MCUBOOT_DOWNGRADE_PREVENTION
    if (r.contains("signatureKey")) {   // MCUBOOT_SIGN_ED25519 with a per-fleet key (smpfleetconfig.h)
        r.text("signatureKey", out.signatureKey);
        if (!r.failed() && out.signatureKey != QLatin1String("ed25519"))
            r.fail(r.pathOf(QStringLiteral("signatureKey")),
                   QStringLiteral("unknown signature key \"%1\"; expected \"ed25519\" (the only type whose signatures are "
                                  "deterministic, so the same seed gives the same images)").arg(out.signatureKey.left(40)));
    }
    r.integer("slotKb", out.slotKb, 16, 16 * 1024);
    milliseconds(r, "eraseMs", out.device.timing.flashPageErase, 0, 10'000);
    double writeUs = double(out.device.timing.flashWordWrite.nanos()) / 1000.0;
    r.number("writeUs", writeUs, 0.0, 100'000.0);
    out.device.timing.flashWordWrite = SimTime::fromNanos(std::int64_t(writeUs * 1000.0));
    double procUs = double(out.device.timing.requestProcessing.nanos()) / 1000.0;
    r.number("procUs", procUs, 0.0, 10'000'000.0);
    out.device.timing.requestProcessing = SimTime::fromNanos(std::int64_t(procUs * 1000.0));
    r.probability("unhealthyShare", out.unhealthyShare);
    milliseconds(r, "faultAfterMs", out.faultAfter, 0, 3'600'000);
    r.probability("powerCutShare", out.powerCutShare);
    secondsField(r, "powerOffS", out.powerOffTime, 0, 86'400);
    r.number("spacingM", out.spacingM, 0.0, 10'000.0, true);
    r.finish();
}

void readHost(JsonFieldReader& r, SmpFleetHostConfig& out)
{
    secondsField(r, "resetWaitS", out.resetWait, 1, 86'400);
    r.integer("uploadAttempts", out.uploadAttempts, 1, 20);
    secondsField(r, "retryDelayS", out.retryDelay, 0, 86'400);
    r.finish();
}

} // namespace

Result<SmpFleetConfig> readSmpFleet(const QJsonObject& json, const QString& field, const QString& baseDir)
{
    std::optional<Error> sink;
    SmpFleetConfig config;
    JsonFieldReader r(json, field, sink);
    QString ignored;
    r.text("name", ignored);
    r.text("family", ignored);
    r.choice("link", config.link, {{"ble", SmpFleetConfig::Link::Ble}, {"udp", SmpFleetConfig::Link::Udp}});
    const bool ble = config.link == SmpFleetConfig::Link::Ble;
    if (const auto o = r.object("ble")) {
        JsonFieldReader sub(*o, r.pathOf(QStringLiteral("ble")), sink);
        if (!ble)
            sub.fail(sub.path(), QStringLiteral("the fleet's link is \"udp\": its \"ble\" settings would be ignored"));
        readBle(sub, config.ble);
    }
    if (const auto o = r.object("udp")) {
        JsonFieldReader sub(*o, r.pathOf(QStringLiteral("udp")), sink);
        if (ble)
            sub.fail(sub.path(), QStringLiteral("the fleet's link is \"ble\" (the default): its \"udp\" settings would be "
                                                "ignored; set \"link\": \"udp\""));
        readUdp(sub, config.udp);
    }
    if (const auto o = r.object("image")) {
        JsonFieldReader sub(*o, r.pathOf(QStringLiteral("image")), sink);
        readImage(sub, config.image, baseDir);
    }
    if (const auto o = r.object("boards")) {
        JsonFieldReader sub(*o, r.pathOf(QStringLiteral("boards")), sink);
        readBoards(sub, config.boards);
    }
    if (const auto o = r.object("host")) {
        JsonFieldReader sub(*o, r.pathOf(QStringLiteral("host")), sink);
        readHost(sub, config.host);
    }
    r.finish();
    if (sink)
        return fail(*sink);
    return config;
}

} // namespace otalab::sim
