// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariofieldspec.h"

#include <QCoreApplication>

#include <climits>

namespace otalab::app::scenariofields {

namespace {

constexpr double kMaxMs = INT_MAX;  // what a QSpinBox holds; the loaders take up to 1e12 ms (type larger ones in the JSON)
constexpr double kMaxS = 1e9;

QString tr(const char* text) { return QCoreApplication::translate("ScenarioFields", text); }

ScenarioFieldSpec integer(const char* key, const char* label, double min, double max, qint64 def, const char* suffix, const char* tip)
{
    return {QLatin1String(key), tr(label), FieldKind::Integer, min, max, tr(suffix), tr(tip), QJsonValue(def)};
}
ScenarioFieldSpec optionalInteger(const char* key, const char* label, double min, double max, const char* suffix, const char* tip)
{
    return {QLatin1String(key), tr(label), FieldKind::Integer, min, max, tr(suffix), tr(tip), QJsonValue()};
}
ScenarioFieldSpec number(const char* key, const char* label, double min, double max, double def, const char* suffix, const char* tip,
                         int decimals = 3)
{
    ScenarioFieldSpec s{QLatin1String(key), tr(label), FieldKind::Number, min, max, tr(suffix), tr(tip), QJsonValue(def)};
    s.decimals = decimals;
    return s;
}
ScenarioFieldSpec optionalNumber(const char* key, const char* label, double min, double max, const char* suffix, const char* tip)
{
    return {QLatin1String(key), tr(label), FieldKind::Number, min, max, tr(suffix), tr(tip), QJsonValue()};
}
ScenarioFieldSpec boolean(const char* key, const char* label, bool def, const char* tip)
{
    return {QLatin1String(key), tr(label), FieldKind::Boolean, 0, 0, {}, tr(tip), QJsonValue(def)};
}
ScenarioFieldSpec hex(const char* key, const char* label, int digits, double max, QJsonValue def, const char* tip)
{
    ScenarioFieldSpec s{QLatin1String(key), tr(label), FieldKind::Hex, 0, max, {}, tr(tip), def};
    s.hexDigits = digits;
    return s;
}
ScenarioFieldSpec choice(const char* key, const char* label, QStringList choices, QJsonValue def, const char* tip)
{
    ScenarioFieldSpec s{QLatin1String(key), tr(label), FieldKind::Choice, 0, 0, {}, tr(tip), def};
    s.choices = std::move(choices);
    return s;
}
ScenarioFieldSpec empty(ScenarioFieldSpec s, const char* meaning)
{
    s.emptyMeaning = tr(meaning);
    return s;
}
ScenarioFieldSpec only(ScenarioFieldSpec s, const QString& discriminator, QStringList values)
{
    s.discriminator = discriminator;
    s.onlyFor = std::move(values);
    return s;
}

} // namespace

QList<ScenarioFieldSpec> run()
{
    return {
        {QStringLiteral("description"), tr("Description"), FieldKind::Text, 0, 0, {},
         tr("free text for people: what the scenario shows and the figures measured with it"), QJsonValue()},
        number("sampleIntervalS", "Sample every", 0.001, kMaxS, 10.0, " s", "period of the fleet samples behind the charts (virtual s)", 3),
        boolean("fingerprint", "Fingerprint", true, "hash the event trace (RunResult::traceFingerprint); costs up to half the wall time of a large run"),
    };
}

QList<ScenarioFieldSpec> generateMore()
{
    return {
        integer("zedsOnCoordinator", "ZEDs on coordinator", 0, 0xFFF7, 0, "", "end devices joined directly to the coordinator"),
        number("zedRadiusM", "ZED radius", 0, 1e6, 3.0, " m", "end devices sit within this distance of their parent", 1),
        number("areaWidthM", "Area width", 0.1, 1e7, 100.0, " m", "\"random\" placement: width of the area", 1),
        number("areaHeightM", "Area height", 0.1, 1e7, 100.0, " m", "\"random\" placement: height of the area", 1),
        hex("seed", "Placement seed", 1, 1.8446744073709552e19, QJsonValue(qint64(1)), "seed of the generated positions (independent of the run's seed)"),
    };
}

QList<ScenarioFieldSpec> node()
{
    return {
        hex("short", "Short address", 4, 0xFFF7, QJsonValue(), "the node's NWK short address (the coordinator is 0x0000, first)"),
        choice("role", "Role", {QStringLiteral("coordinator"), QStringLiteral("router"), QStringLiteral("end-device")},
               QStringLiteral("end-device"), "coordinator (exactly one, first), router or sleepy end device"),
        hex("parent", "Parent", 4, 0xFFF7, QJsonValue(), "short address of the parent coordinator or router (none for the coordinator)"),
        number("x", "x", -1e7, 1e7, 0.0, " m", "position (metres) for distance loss and hearing range", 1),
        number("y", "y", -1e7, 1e7, 0.0, " m", "position (metres) for distance loss and hearing range", 1),
    };
}

QList<ScenarioFieldSpec> channelMore()
{
    return {
        hex("panId", "PAN ID", 4, 0xFFFE, QStringLiteral("0x1A62"), "PAN identifier (MAC header and pcap only)"),
        integer("channel", "Channel", 11, 26, 15, "", "802.15.4 channel 11..26 (labels only)"),
        boolean("treeLinksOnly", "Tree links only", true, "nodes hear only their parent and children; off = everyone hears everyone"),
        empty(optionalNumber("hearingRangeM", "Hearing range", 0.001, 10000, " m",
                             "with tree links only: nodes also hear every node within this distance (empty = tree links only)"),
              "tree links only"),
        integer("macQueueCapacity", "MAC queue", 1, 255, 32, " frames", "frames queued per MAC"),
    };
}

QList<ScenarioFieldSpec> loss(const QString& prefix)
{
    const QString kind = prefix + QStringLiteral("kind");
    const QString bernoulli = QStringLiteral("bernoulli"), ge = QStringLiteral("gilbert-elliott"), distance = QStringLiteral("distance");
    QList<ScenarioFieldSpec> specs{
        choice("kind", "Loss model", {QStringLiteral("none"), bernoulli, ge, distance}, QStringLiteral("none"),
               "none (collisions only), bernoulli, gilbert-elliott (bursty) or distance (path loss)"),
        only(number("p", "Loss probability", 0, 1, 0.0, "", "loss probability per frame per receiver", 4), kind, {bernoulli}),
        only(number("pGoodToBad", "P(good\u2192bad)", 0, 1, 0.01, "", "per frame on that directed link", 4), kind, {ge}),
        only(number("pBadToGood", "P(bad\u2192good)", 0, 1, 0.3, "", "per frame; the mean burst is 1/p frames", 4), kind, {ge}),
        only(number("lossGood", "Loss when good", 0, 1, 0.0, "", "P(lost | good)", 4), kind, {ge}),
        only(number("lossBad", "Loss when bad", 0, 1, 1.0, "", "P(lost | bad)", 4), kind, {ge}),
        only(number("txPowerDbm", "TX power", -40, 30, 0.0, " dBm", "transmit power", 1), kind, {distance}),
        only(number("referenceLossDb", "Reference loss", 0, 200, 40.2, " dB", "path loss at the reference distance", 1), kind, {distance}),
        only(number("referenceDistanceM", "Reference distance", 0.001, 1e4, 1.0, " m", "d0 of the log-distance model", 2), kind, {distance}),
        only(number("exponent", "Exponent", 0.01, 10, 3.0, "", "path-loss exponent (2 free space, ~3 indoor)", 2), kind, {distance}),
        only(number("shadowingSigmaDb", "Shadowing \u03c3", 0, 50, 0.0, " dB", "log-normal shadowing, 0 = static", 1), kind, {distance}),
        only(number("noiseFloorDbm", "Noise floor", -200, 0, -100.0, " dBm", "receiver noise floor", 1), kind, {distance}),
    };
    for (ScenarioFieldSpec& s : specs)
        s.key = prefix + s.key;
    return specs;
}

QList<ScenarioFieldSpec> cut()
{
    return {
        hex("a", "Node a", 4, 0xFFF7, QJsonValue(), "short address of one end of the link"),
        hex("b", "Node b", 4, 0xFFF7, QJsonValue(), "short address of the other end"),
        number("from", "Cut from", 0, kMaxS, 0.0, " s", "the link goes down (virtual s)", 1),
        number("to", "Restored at", 0, kMaxS, 60.0, " s", "the link comes back (virtual s, after \"from\")", 1),
    };
}

QList<ScenarioFieldSpec> routerOverride()
{
    QList<ScenarioFieldSpec> specs{
        hex("router", "Router", 4, 0xFFF7, QJsonValue(), "short address of a router (or 0x0000, the coordinator): every link touching it"),
        number("from", "Active from", 0, kMaxS, 0.0, " s", "the override starts (virtual s)", 1),
        empty(optionalNumber("to", "Until", 0, kMaxS, " s", "the override ends (virtual s); empty = to the end of the run"), "end of the run"),
    };
    specs += loss(QStringLiteral("loss."));
    return specs;
}

QList<ScenarioFieldSpec> deviceMore()
{
    return {
        empty(optionalNumber("batteryMilliampHours", "Battery capacity", 0.001, 1e7, " mAh", "custom capacity; overrides the named battery's"),
              "the named battery's"),
        empty(optionalNumber("batteryVoltageV", "Battery voltage", 0.001, 100, " V", "custom nominal voltage"), "the named battery's"),
        integer("nwkSecurityOverheadBytes", "NWK security", 0, 18, 18, " bytes", "0 (no network security) or 18 (network key)"),
        integer("apsSecurityOverheadBytes", "APS security", 0, 64, 0, " bytes", "link-key APS security octets per frame (0 = none)"),
        integer("bootTimeMs", "Boot time", 0, kMaxMs, 2000, " ms", "reboot into the new image (CPU active, radio off)"),
        integer("flashPageBytes", "Flash page", 1, 1 << 24, 8192, " bytes", "erase unit"),
        number("flashEraseMsPerPage", "Erase per page", 0, 1e5, 30.0, " ms", "erase time per page", 2),
        number("flashWriteUsPerByte", "Write per byte", 0, 1e5, 10.0, " \u00b5s", "program time per byte", 2),
    };
}

QList<ScenarioFieldSpec> customPreset()
{
    auto amps = [](const char* key, const char* label, const char* tip) { return number(key, label, 0, 10, 0.0, " A", tip, 9); };
    return {
        {QStringLiteral("preset.name"), tr("Preset name"), FieldKind::Text, 0, 0, {}, tr("shown in reports"), QStringLiteral("custom")},
        number("preset.supplyVoltageV", "Supply voltage", 0.001, 100, 3.0, " V", "voltage the currents are drawn at", 2),
        number("preset.txPowerDbm", "Preset TX power", -40, 30, 0.0, " dBm", "transmit power the TX current belongs to", 1),
        amps("preset.radio.sleepA", "Radio sleep", "radio current while off"),
        amps("preset.radio.idleA", "Radio idle", "radio current while idle"),
        amps("preset.radio.rxA", "Radio RX", "radio current while receiving"),
        amps("preset.radio.txA", "Radio TX", "radio current while transmitting"),
        amps("preset.cpu.sleepA", "CPU sleep", "CPU current while asleep"),
        amps("preset.cpu.activeA", "CPU active", "CPU current while active"),
        amps("preset.cpu.flashEraseA", "Flash erase", "current while erasing flash"),
        amps("preset.cpu.flashWriteA", "Flash write", "current while writing flash"),
    };
}

QList<ScenarioFieldSpec> imageMore()
{
    return {
        hex("generate.manufacturer", "Manufacturer", 4, 0xFFFF, QStringLiteral("0x1037"), "manufacturer code in the generated image's header"),
        hex("generate.imageType", "Image type", 4, 0xFFFF, QStringLiteral("0x0001"), "image type in the generated image's header"),
        boolean("generate.integrityCode", "Integrity code", true, "append the AES-MMO hash TLV, so clients detect corruption"),
        {QStringLiteral("corruptOffsets"), tr("Corrupt bytes"), FieldKind::IntegerList, 0, 0xFFFFFFFF, {},
         tr("fault injection: offsets in the served OTA file XOR-ed with 0xFF, e.g. \"0x100, 4096\" (empty = none)"), QJsonValue()},
    };
}

QList<ScenarioFieldSpec> image()
{
    ScenarioFieldSpec path{QStringLiteral("path"), tr("OTA file"), FieldKind::Text, 0, 0, {},
                           tr("OTA upgrade file, relative to the scenario's folder; setting it replaces \"generate\""), QJsonValue()};
    path.emptyMeaning = tr("generated (below)");
    path.replaces = QStringLiteral("generate");
    QList<ScenarioFieldSpec> specs{
        path,
        integer("generate.size", "Size", 1, 16 * 1024 * 1024, 65536, " bytes", "payload bytes of the generated upgrade image"),
        hex("generate.fileVersion", "File version", 8, 0xFFFFFFFF, QStringLiteral("0x00000002"), "Zigbee file version of the generated image"),
    };
    for (ScenarioFieldSpec s : imageMore()) {
        if (s.key.startsWith(QLatin1String("generate.")))
            s.replaces = QStringLiteral("path");
        specs << s;
    }
    for (qsizetype i = 1; i < 3; ++i)
        specs[i].replaces = QStringLiteral("path");
    return specs;
}

QList<ScenarioFieldSpec> serverMore()
{
    return {
        integer("controlResponseDelayMs", "Control delay", 0, kMaxMs, 0, " ms", "delay before Query Next Image / Upgrade End responses"),
        integer("minResponseSpacingMs", "Response spacing", 0, kMaxMs, 0, " ms", "server-wide spacing of block responses, 0 = off"),
        integer("sessionTimeoutMs", "Session timeout", 1, kMaxMs, 150000, " ms", "a silent downloading client is dropped after this"),
        integer("dataAvailableAtMs", "Data available at", 0, kMaxMs, 0, " ms", "WAIT_FOR_DATA for every block request before this time, 0 = off"),
        integer("maxConcurrentDownloads", "Concurrent downloads", 0, 0xFFFF, 0, "", "0 = unlimited; the others are told WAIT_FOR_DATA"),
        integer("busyRetryDelayMs", "Busy retry delay", 0, kMaxMs, 60000, " ms", "request-time offset sent with a busy WAIT_FOR_DATA"),
        integer("minimumBlockPeriodMs", "Minimum block period", 0, 0xFFFF, 0, " ms", "MinimumBlockPeriod pushed to clients, 0 = off"),
        integer("clusterRevision", "Cluster revision", 1, 255, 3, "", "OTA cluster revision; fixes the MinimumBlockPeriod wire unit"),
        choice("notify", "Image Notify", {QStringLiteral("none"), QStringLiteral("broadcast"), QStringLiteral("unicast")},
               QStringLiteral("none"), "Image Notify at start: none, broadcast (sleepy ZEDs miss it unless awake) or unicast to each client"),
        number("notifyAtS", "Notify at", 0, kMaxS, 1.0, " s", "when the Image Notify is sent (virtual s)", 1),
        integer("notifyPayloadType", "Notify payload type", 0, 3, 0, "", "0..3 (jitter / +manufacturer / +image type / +file version)"),
        integer("notifyQueryJitter", "Notify query jitter", 1, 100, 100, "", "1..100: share of clients that answer the notify"),
    };
}

QList<ScenarioFieldSpec> policy(bool perDevice)
{
    const QString upgradeTime = QStringLiteral("upgradeTime");
    QList<ScenarioFieldSpec> specs;
    if (perDevice)
        specs << hex("device", "Device", 4, 0xFFF7, QJsonValue(), "short address this policy is for; unset keys inherit the default policy");
    specs << boolean("authorized", "Authorized", true, "off = NOT_AUTHORIZED (the device is refused)")
          << boolean("allowUpgrade", "Allow upgrade", true, "offer newer versions")
          << boolean("allowDowngrade", "Allow downgrade", false, "offer older versions")
          << boolean("allowReinstall", "Allow reinstall", false, "offer the running version again")
          << empty(hex("pinnedFileVersion", "Pinned version", 8, 0xFFFFFFFF, QJsonValue(), "offer only this file version (empty = any)"), "any version")
          << choice("upgradeTime", "Upgrade time", {QStringLiteral("now"), QStringLiteral("delay"), QStringLiteral("wait")},
                    QStringLiteral("now"), "Upgrade End Response: apply now, after a delay, or wait for the server's go")
          << only(integer("upgradeDelayS", "Upgrade delay", 0, INT_MAX, 0, " s", "seconds for \"delay\""), upgradeTime, {QStringLiteral("delay")})
          << only(optionalNumber("releaseAtS", "Release at", 0, kMaxS, " s", "for \"wait\": the server sends the go at this virtual time"),
                  upgradeTime, {QStringLiteral("wait")});
    return specs;
}

QList<ScenarioFieldSpec> client()
{
    return {
        hex("manufacturer", "Manufacturer", 4, 0xFFFF, QStringLiteral("0x1037"), "manufacturer code the clients report"),
        hex("imageType", "Image type", 4, 0xFFFF, QStringLiteral("0x0001"), "image type the clients report"),
        hex("currentFileVersion", "Running version", 8, 0xFFFFFFFF, QStringLiteral("0x00000001"), "file version before the rollout"),
        integer("maxDataSize", "Max data size", 1, 255, 64, " bytes", "Maximum Data Size asked in block requests"),
        boolean("usePageRequests", "Page requests", false, "Image Page Request instead of Image Block Request"),
        integer("pageSize", "Page size", 1, 0xFFFF, 1024, " bytes", "bytes per page request"),
        integer("responseSpacingMs", "Page response spacing", 0, 0xFFFF, 100, " ms", "spacing asked between page responses"),
        integer("queryPeriodMs", "Query period", 0, kMaxMs, 300000, " ms", "periodic Query Next Image, 0 = only on notify"),
        integer("firstQueryJitterMs", "First query jitter", 0, kMaxMs, 60000, " ms", "first query at a uniform time in [0, jitter)"),
        integer("requestTimeoutMs", "Request timeout", 1, kMaxMs, 10000, " ms", "per block request"),
        integer("maxRetries", "Max retries", 0, 1000, 9, "", "retries after the first try before giving up"),
        integer("minWaitForDataMs", "Min WAIT_FOR_DATA", 0, kMaxMs, 1000, " ms", "floor on WAIT_FOR_DATA waits"),
        integer("upgradeRequeryPeriodMs", "Upgrade re-ask period", 1, kMaxMs, 3600000, " ms", "re-ask period while told to wait"),
        integer("unansweredUpgradeEndLimit", "Unanswered Upgrade End", 0, 1000, 3, "", "apply after this many silent re-asks"),
        boolean("includeRouters", "Routers are clients", true, "routers run an OTA client too (off: only end devices)"),
        boolean("ignoreSameVersionOffer", "Ignore same-version offer", false, "an offer of the running FileVersion is not downloaded (Silicon Labs ota-client)"),
        boolean("disableDowngrades", "Disable downgrades", false, "an older FileVersion is refused with Upgrade End INVALID_IMAGE (Silicon Labs ota-client)"),
        boolean("requireSignature", "Require signature", false,
                "images signed by a trusted signer derived from the seed; an image without a signature it verifies is refused (INVALID_IMAGE)"),
    };
}

QList<ScenarioFieldSpec> clientOverride()
{
    ScenarioFieldSpec enabled = boolean("enabled", "OTA client", true, "off = this node runs no OTA client (empty = as the others)");
    enabled.defaultValue = QJsonValue();
    return {
        hex("device", "Device", 4, 0xFFF7, QJsonValue(), "short address of a router or end device"),
        empty(hex("currentFileVersion", "Running version", 8, 0xFFFFFFFF, QJsonValue(), "this device's file version before the rollout (empty = the client's)"),
              "as in Client settings"),
        empty(optionalInteger("maxDataSize", "Max data size", 1, 255, " bytes", "this device's Maximum Data Size (empty = the client's)"),
              "as in Client settings"),
        enabled,
    };
}

} // namespace otalab::app::scenariofields

namespace otalab::app {

QJsonValue valueAtKey(const QJsonObject& json, const QString& key)
{
    const QStringList parts = key.split(u'.');
    QJsonValue v = json;
    for (const QString& part : parts) {
        if (!v.isObject())
            return QJsonValue(QJsonValue::Undefined);
        v = v.toObject().value(part);
    }
    return v;
}

} // namespace otalab::app
