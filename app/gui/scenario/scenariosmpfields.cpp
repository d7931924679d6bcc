// SPDX-License-Identifier: Apache-2.0
// The form's keys of a scenario with "fleets": its top level and one SMP fleet
// (resources/scenario.schema.json $defs.smpFleet). Ranges and defaults are the
// loader's (sim/scenario/smpfleetreader.cpp, sim/smp/smpfleetconfig.h).
#include "scenario/scenariofieldbuilders.h"
#include "scenario/scenariofieldspec.h"

#include <QCoreApplication>

namespace otalab::app::scenariofields {

namespace {

using namespace build;

QList<ScenarioFieldSpec> only(QList<ScenarioFieldSpec> specs, const char* link)
{
    for (ScenarioFieldSpec& s : specs) {
        s.discriminator = QStringLiteral("link");
        s.onlyFor = {QLatin1String(link)};
    }
    return specs;
}

} // namespace

QList<ScenarioFieldSpec> fleetsRun()
{
    ScenarioFieldSpec seed = spec("seed", "Seed", FieldKind::Hex, 0, 1.8446744073709552e19, QJsonValue(qint64(1)), "",
                                  "master seed of the run; the same seed gives the same run");
    seed.hexDigits = 1;
    QList<ScenarioFieldSpec> specs{
        text("name", "Name", QJsonValue(), "the scenario's name in reports", "file name"),
        seed,
        number("stop.until", "Stop at", 0.001, 1e12, 86400.0, " s", "hard stop in virtual seconds (86400 = one day)", 1),
        boolean("stop.whenAllFinished", "Stop when all finished", true, "end the run once every device upgraded, failed or refused"),
    };
    specs += run();  // description, sampleIntervalS, fingerprint
    return specs;
}

QList<ScenarioFieldSpec> smpLink()
{
    QList<ScenarioFieldSpec> specs{
        text("name", "Fleet name", QJsonValue(), "fleet name, unique in the scenario", "fleet<i>"),
        choice("link", "Link", {QStringLiteral("ble"), QStringLiteral("udp")}, "ble",
               "how the host reaches the boards: BLE through one gateway, or UDP over an IPv6 network"),
    };
    specs += only({
        integer("ble.connections", "Connections", 1, 20, 6, "", "simultaneous BLE connections of the gateway (typical 4..8)"),
        number("ble.connectMs", "Connect time", 0, 600000, 1500, " ms", "scan + connect + MTU/DLE exchange + discovery", 1),
        number("ble.intervalMs", "Connection interval", 7.5, 4000, 30, " ms", "BLE connection interval", 2),
        integer("ble.mtu", "ATT MTU", 23, 517, 247, " bytes", "negotiated ATT MTU"),
        integer("ble.dle", "LL payload", 27, 251, 251, " bytes", "251 with Data Length Extension, 27 without"),
        integer("ble.pdus", "PDUs per event", 1, 64, 4, "", "LL data PDUs per direction per connection event"),
        choice("ble.phy", "PHY", {QStringLiteral("1m"), QStringLiteral("2m")}, "1m", "LE 1M or LE 2M"),
        boolean("ble.encrypted", "Encrypted", false, "a paired link adds a 4-byte MIC to every data PDU"),
        number("ble.byteErrorRate", "Byte error rate", 0, 0.5, 0, "", "probability a byte on air is hit", 6),
    }, "ble");
    specs += only({
        integer("udp.concurrency", "Concurrency", 1, 1000, 16, "", "boards pushed at once"),
        number("udp.latencyMs", "Latency", 0, 10000, 20, " ms", "one-way latency", 1),
        number("udp.rateKbps", "Bit rate", 1, 1e7, 1000, " kbit/s", "bit rate each way", 1),
        integer("udp.mtu", "Largest datagram", 64, 65507, 1232, " bytes", "largest UDP payload"),
        integer("udp.headerBytes", "Header bytes", 0, 128, 48, " bytes", "IP + UDP header bytes per datagram"),
        number("udp.loss", "Datagram loss", 0, 0.9, 0, "", "probability a full-size datagram is lost", 4),
        number("udp.byteErrorRate", "Byte error rate", 0, 0.5, 0, "", "probability a byte is hit", 6),
    }, "udp");
    return specs;
}

QList<ScenarioFieldSpec> smpImage()
{
    ScenarioFieldSpec path = text("image.path", "Image file", QJsonValue(),
                                  "a signed MCUboot image, relative to the scenario's folder; setting it replaces size/version",
                                  "generated (below)");
    path.replaces = QStringLiteral("image.sizeBytes,image.version");
    ScenarioFieldSpec size = integer("image.sizeBytes", "Size", 1024, 16 * 1024 * 1024, 256 * 1024, " bytes", "generated image file size");
    ScenarioFieldSpec version = text("image.version", "Version", QStringLiteral("1.1.0"), "generated image version (major.minor.revision+build)");
    size.replaces = version.replaces = QStringLiteral("image.path");
    return {path, size, version};
}

QList<ScenarioFieldSpec> smpBoards()
{
    ScenarioFieldSpec bufSize = spec("boards.bufSize", "net_buf size", FieldKind::Integer, 64, 65543, QJsonValue(), " bytes", "SMP net_buf size");
    bufSize.emptyMeaning = tr("per link (BLE 2475, UDP 1500)");
    ScenarioFieldSpec slotKb = spec("boards.slotKb", "Slot size", FieldKind::Integer, 16, 16384, QJsonValue(), " KiB", "image slot size");
    slotKb.emptyMeaning = tr("fit the image");
    return {
        integer("boards.count", "Boards", 1, 100000, 200, "", "boards in the fleet"),
        text("boards.runningVersion", "Running version", QStringLiteral("1.0.0"), "what every board runs before the push"),
        choice("boards.preset", "Energy preset", {QStringLiteral("EFR32MG24"), QStringLiteral("CC2652R"), QStringLiteral("nRF52840")},
               "nRF52840", "energy figures of the boards' chip"),
        text("boards.battery", "Battery", QJsonValue(), "\"CR2032\" or \"2xAA\"", "mains / USB powered"),
        bufSize,
        integer("boards.bufCount", "net_buf count", 1, 64, 4, "", "SMP net_buf count (pipelining window = count - 1)"),
        choice("boards.strategy", "Boot strategy",
               {QStringLiteral("swap-move"), QStringLiteral("overwrite-only"), QStringLiteral("direct-xip"), QStringLiteral("direct-xip-revert")},
               "swap-move", "MCUboot upgrade strategy"),
        boolean("boards.downgradePrevention", "Downgrade prevention", false, "MCUBOOT_DOWNGRADE_PREVENTION: a test image older than the running one is erased"),
        text("boards.signatureKey", "Signature key", QJsonValue(),
             "\"ed25519\": the fleet's images are signed by a key from the seed and MCUboot trusts only that key",
             "unsigned: MCUboot checks the SHA-256 TLV only"),
        slotKb,
        number("boards.writeUs", "Word write", 0, 100000, 41, " \u00b5s", "flash word write time", 1),
        number("boards.eraseMs", "Page erase", 0, 10000, 85, " ms", "flash page erase time", 1),
        number("boards.procUs", "Request processing", 0, 1e7, 300, " \u00b5s", "SMP processing time per request", 1),
        number("boards.unhealthyShare", "Unhealthy share", 0, 1, 0, "", "share of boards whose new image faults at start (MCUboot reverts)", 4),
        number("boards.powerCutShare", "Power-cut share", 0, 1, 0, "", "share of boards that lose power once mid-upload", 4),
        number("boards.faultAfterMs", "Fault after", 0, 3600000, 500, " ms", "an unhealthy image faults this long after its start", 1),
        number("boards.powerOffS", "Power off for", 0, 86400, 10, " s", "how long a cut board stays off", 1),
        number("boards.spacingM", "Spacing", 0, 10000, 2, " m", "board spacing in the drawing", 1),
    };
}

QList<ScenarioFieldSpec> smpHost()
{
    return {
        number("host.resetWaitS", "Reset wait", 1, 86400, 120, " s", "how long the host waits for a reset board to come back", 1),
        integer("host.uploadAttempts", "Upload attempts", 1, 20, 3, "", "upload attempts per board before it counts as failed"),
        number("host.retryDelayS", "Retry delay", 0, 86400, 15, " s", "pause before re-trying a failed upload", 1),
    };
}

} // namespace otalab::app::scenariofields
