// SPDX-License-Identifier: Apache-2.0
// The form's keys of one LoRaWAN fleet (resources/scenario.schema.json $defs.lorawanFleet).
// Ranges and defaults are the loader's (sim/scenario/lorawanfleetreader.cpp,
// sim/lorawan/lorawanfleetconfig.h); tips follow the schema's descriptions.
#include "scenario/scenariofieldbuilders.h"
#include "scenario/scenariofieldspec.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace otalab::app::scenariofields {

namespace {

using build::boolean;
using build::choice;
using build::integer;
using build::spec;
using build::text;
using build::tr;

// Numbers show 2 decimals here unless a key asks for more.
ScenarioFieldSpec number(const char* key, const char* label, double min, double max, double def, const char* suffix, const char* tip,
                         int decimals = 2)
{
    return build::number(key, label, min, max, def, suffix, tip, decimals);
}
ScenarioFieldSpec only(ScenarioFieldSpec s, const QString& discriminator, const char* value)
{
    s.discriminator = discriminator;
    s.onlyFor = {QLatin1String(value)};
    return s;
}
// The form Choice of `key`: `keywords` first-class JSON strings ("none" = key absent),
// `valueChoice` = the key holds the dependents' value.
ScenarioFieldSpec form(const char* key, const char* label, QStringList keywords, const char* valueChoice, const char* def, const char* tip)
{
    keywords << QLatin1String(valueChoice);
    ScenarioFieldSpec s = choice(key, label, keywords, def, tip);
    s.key += QLatin1String(kFormSuffix);
    return s;
}
QString formKey(const char* key) { return QLatin1String(key) + QLatin1String(kFormSuffix); }

} // namespace

QList<ScenarioFieldSpec> lorawanFleet()
{
    return {
        text("name", "Fleet name", QJsonValue(), "fleet name, unique in the scenario", "fleet<i>"),
        choice("region", "Region", {QStringLiteral("EU868"), QStringLiteral("US915")}, "EU868",
               "regional parameters (RP002-1.0.3): data rates, channels, RX2, duty cycle (EU868 1 %, 10 % on 869.4\u2013869.65 MHz; US915 none)"),
    };
}

QList<ScenarioFieldSpec> lorawanGateways()
{
    ScenarioFieldSpec rx2 = spec("rx2DataRate", "RX2 data rate", FieldKind::Integer, 0, 15, QJsonValue(), "",
                                 "data rate of RX2 downlinks; TTN uses DR3 in EU868");
    rx2.emptyMeaning = tr("the region's (EU868 DR0, US915 DR8)");
    return {
        integer("count", "Gateways", 1, 1000, 1, "", "gateways (1..1000); with explicit placement, the positions count"),
        choice("placement", "Placement", {QStringLiteral("grid"), QStringLiteral("ring"), QStringLiteral("explicit")}, "grid",
               "grid: a square grid over the devices' disc; ring: a circle at half its radius (one gateway: the centre); "
               "explicit: \"positions\" (edit them in the JSON text)"),
        number("txPowerDbm", "TX power", 0, 30, 14, " dBm", "conducted downlink power", 1),
        number("antennaGainDbi", "Antenna gain", 0, 15, 2.15, " dBi", "antenna gain, on uplink and downlink"),
        rx2,
    };
}

QList<ScenarioFieldSpec> lorawanDevices()
{
    const QString dataRate = formKey("dataRate");
    return {
        integer("count", "Devices", 1, 200000, 1000, "", "class A sensors in the fleet (1..200000)"),
        number("areaRadiusM", "Area radius", 1, 100000, 2000, " m", "radius of the disc the devices sit in (placement from the seed)", 0),
        choice("deviceClass", "Device class", {QStringLiteral("A")}, "A",
               "class of normal operation; the session's class is campaign.sessionClass"),
        number("uplinkIntervalS", "Uplink interval", 10, 86400, 600, " s", "mean time between uplinks (s, 10..86400)", 1),
        number("jitterS", "Jitter", 0, 86400, 60, " s", "uniform \u00b1 jitter on each interval", 1),
        integer("appPayloadBytes", "App payload", 1, 222, 12, " bytes", "sensor payload of a normal uplink"),
        form("dataRate", "Uplink data rate", {QStringLiteral("auto")}, "fixed", "auto",
             "auto: the fastest DR whose SNR floor + 10 dB the best gateway's SNR reaches (like ADR); fixed: the DR below"),
        only(integer("dataRate", "Fixed uplink DR", 0, 15, 5, "", "uplink data rate of every device"), dataRate, "fixed"),
        number("txPowerDbm", "TX power", 0, 22, 14, " dBm", "device transmit power", 1),
        choice("preset", "Radio", {QStringLiteral("SX1276"), QStringLiteral("SX1262")}, "SX1276",
               "radio: currents from the Semtech datasheets (sim/lorawan/lorawanenergy.cpp)"),
        choice("mcu", "MCU", {QStringLiteral("STM32L072"), QStringLiteral("STM32WL55")}, "STM32L072",
               "MCU: run/stop currents and flash programming time (ST datasheets)"),
        choice("battery", "Battery", {QStringLiteral("2xAA"), QStringLiteral("CR2032"), QString()}, "2xAA",
               "battery for the share of charge; the empty choice = mains powered"),
        number("clockDriftPpm", "Clock drift", 0, 1000, 20, " ppm", "each device's clock drifts uniformly within \u00b1 this", 1),
        integer("flashBytes", "Update flash", 1024, 64 * 1024 * 1024, 256 * 1024, " bytes",
                "flash for update storage; must hold twice the image or the device refuses the session"),
        text("runningVersion", "Running version", QStringLiteral("1.0.0"), "version every device runs before the update"),
    };
}

QList<ScenarioFieldSpec> lorawanRadio()
{
    return {
        number("pathLossExponent", "Path loss exponent", 1, 8, 3.76, "", "n of the log-distance model (ns-3 urban: 3.76)"),
        number("referenceLossDb", "Reference loss", 0, 200, 7.7, " dB", "loss at the reference distance", 1),
        number("referenceDistanceM", "Reference distance", 0.01, 10000, 1, " m", "d0 of the log-distance model"),
        number("shadowingSigmaDb", "Shadowing \u03c3", 0, 30, 4, " dB", "log-normal shadowing per device\u2013gateway pair, fixed for the run", 1),
        number("noiseFigureDb", "Noise figure", 0, 30, 6, " dB", "receiver noise figure", 1),
        number("extraLossPercent", "Extra loss", 0, 100, 0, " %", "extra loss of every multicast frame (interference)"),
        number("burstFrames", "Burst length", 1, 10000, 1, " frames",
               "mean length of extra-loss bursts (1 = independent; Gilbert\u2013Elliott with the same mean loss)", 1),
    };
}

QList<ScenarioFieldSpec> lorawanImage()
{
    ScenarioFieldSpec path = text("path", "Image file", QJsonValue(), "an image file, relative to the scenario's folder; setting it replaces the size",
                                  "generated (size below)");
    path.replaces = QStringLiteral("sizeBytes");
    ScenarioFieldSpec size = integer("sizeBytes", "Size", 1, 16 * 1024 * 1024, 64 * 1024, " bytes", "generated image size (no file given)");
    size.replaces = QStringLiteral("path");
    return {
        path,
        size,
        text("version", "Version", QStringLiteral("1.1.0"), "version the devices run after the update"),
        choice("format", "Format", {QStringLiteral("raw"), QStringLiteral("signed"), QStringLiteral("delta"), QStringLiteral("signed-delta")}, "raw",
               "raw: the image as is; signed: FUOTA container + ECDSA P-256 signature; delta: a zstd patch against the running image (its real size)"),
        text("basePath", "Running image file", QJsonValue(), "the image the devices run now (relative to the scenario's folder): what a delta is made against",
             "generated (the new image with the share below changed)"),
        number("changePercent", "Changed share", 0, 100, 5, " %",
               "generated images without a running image file: share of the image that differs between the running and the new version", 1),
    };
}

QList<ScenarioFieldSpec> lorawanCampaign()
{
    const QString fragmentSize = formKey("fragmentSize"), redundancy = formKey("redundancyPercent"),
                  groupDeletion = formKey("groupDeletion");
    ScenarioFieldSpec frequency = spec("multicastFrequencyHz", "Multicast frequency", FieldKind::Integer, 137e6, 1.02e9, QJsonValue(), " Hz",
                                       "multicast frequency; 868100000 uses the 1 % band");
    frequency.emptyMeaning = tr("the region's RX2 (EU868 869.525 MHz, 10 % band)");
    return {
        choice("sessionClass", "Session class", {QStringLiteral("C"), QStringLiteral("B")}, "C",
               "class of the multicast session: C (continuous receive) or B (beacons, ping slots)"),
        only(integer("pingSlotPeriodicity", "Ping-slot periodicity", 0, 7, 0, "", "class B: a ping slot every 2^k \u00d7 0.96 s (k 0..7)"),
             QStringLiteral("sessionClass"), "B"),
        integer("multicastDataRate", "Multicast data rate", 0, 15, 5, "", "data rate of the multicast frames (US915: DR8..DR13)"),
        frequency,
        form("fragmentSize", "Fragment size", {QStringLiteral("auto")}, "bytes", "auto",
             "auto: the DR's maximum payload \u2212 3 B (as ChirpStack); bytes: the size below"),
        only(integer("fragmentSize", "Fixed fragment size", 1, 255, 239, " bytes", "bytes per fragment (EU868 DR5 auto: 239)"), fragmentSize,
             "bytes"),
        form("redundancyPercent", "Redundancy", {QStringLiteral("adaptive")}, "percent", "percent",
             "percent: parity frames = ceil(M \u00d7 % / 100) (ChirpStack); adaptive: cover the 95th-percentile device's expected "
             "loss + 7 frames (TS004 annex: M + 7 \u2192 99 %)"),
        only(number("redundancyPercent", "Parity frames", 0, 300, 10, " %", "parity frames as a share of the fragments, ceil(M \u00d7 % / 100)", 1),
             redundancy, "percent"),
        integer("fecVersion", "FEC version", 1, 2, 2, "", "TS004 version of the parity lines (v1 counts a repeated position, v2 does not)"),
        integer("unicastRetries", "Unicast retries", 0, 100, 3, "",
                "re-sends of each unicast step (ChirpStack unicast_max_retry_count); then silent devices are dropped"),
        number("unicastRetryIntervalS", "Retry interval", 0, 86400, 0, " s", "time between runs of a unicast step; 0 = the devices' uplink interval", 1),
        boolean("clockSync", "Clock sync", true, "TS003: devices send AppTimeReq and the server answers, so the session opens at the same time everywhere"),
        number("sessionStartDelayS", "Session start delay", 0, 604800, 0, " s",
               "session start after the first McSession request; 0 = (retries + 1) \u00d7 retry interval, as ChirpStack", 1),
        number("timeoutMarginS", "Timeout margin", 0.01, 3600, 5, " s",
               "class C session timeout = smallest 2^i s \u2265 margin \u00d7 (frames + 1), i \u2264 15 (class B: 128 \u00d7 2^i s)"),
        form("groupDeletion", "Group deletion", {QStringLiteral("afterSession")}, "afterQueueS", "afterSession",
             "when the server deletes the multicast group: after the session, or N s after queueing the fragments "
             "(frames after it are never sent: the real server's bug)"),
        only(number("groupDeletion.afterQueueS", "Delete after queueing", 0, 604800, 60, " s",
                    "delete the multicast group this long after queueing the fragments", 1),
             groupDeletion, "afterQueueS"),
        boolean("repairRound", "Repair round", true,
                "after FragSessionStatus, a second session with more parity frames for the devices still missing fragments"),
        number("repairRedundancyPercent", "Repair redundancy", 0, 300, 20, " %",
               "repair frames = the 90th percentile of missing fragments \u00d7 (1 + this / 100)", 1),
        number("startAtS", "Start at", 0, 2592000, 60, " s", "when the campaign begins (virtual time)", 1),
    };
}

QList<ScenarioFieldSpec> lorawanFaults()
{
    const QString forged = formKey("forgedFragments");
    return {
        form("forgedFragments", "Forged fragments", {QStringLiteral("none")}, "inject", "none",
             "an attacker holding the multicast key injects fragments before the real ones: the image MIC check must reject the result"),
        only(integer("forgedFragments.count", "Forged frames", 1, 16383, 1, "", "forged frames injected"), forged, "inject"),
        only(integer("forgedFragments.atFragment", "First forged counter", 1, 16383, 1, "", "frame counter of the first (1-based)"), forged,
             "inject"),
    };
}

QStringList lorawanJsonOnly() { return {QStringLiteral("gateways.positions"), QStringLiteral("faults.gatewayDown")}; }

QJsonObject showForms(QJsonObject object, const QList<ScenarioFieldSpec>& specs)
{
    for (const ScenarioFieldSpec& s : specs) {
        if (!s.key.endsWith(QLatin1String(kFormSuffix)))
            continue;
        const QString key = s.key.chopped(qsizetype(sizeof kFormSuffix) - 1);
        const QJsonValue v = object.value(key);
        if (v.isUndefined())
            continue;  // the Choice's default
        QString valueChoice;
        for (const ScenarioFieldSpec& d : specs)
            if (d.discriminator == s.key && !d.onlyFor.isEmpty())
                valueChoice = d.onlyFor.first();
        if (v.isString() && s.choices.contains(v.toString())) {
            object.insert(s.key, v);
            object.remove(key);  // the value's inputs show their defaults
        } else {
            object.insert(s.key, valueChoice);
        }
    }
    return object;
}

QList<JsonEdit> writeForms(QList<JsonEdit> edits)
{
    for (qsizetype i = 0; i < edits.size(); ++i) {
        if (!edits[i].path.endsWith(QLatin1String(kFormSuffix)))
            continue;
        const JsonEdit choiceEdit = edits[i];
        const QString key = choiceEdit.path.chopped(qsizetype(sizeof kFormSuffix) - 1);
        std::optional<QJsonValue> whole;
        QJsonObject members;
        bool shown = false;
        for (qsizetype j = edits.size() - 1; j >= 0; --j) {
            const JsonEdit& e = edits[j];
            const bool member = e.path.startsWith(key + QLatin1Char('.'));
            if (j == i || (e.path != key && !member))
                continue;
            if (e.value) {
                shown = true;
                if (member)
                    members.insert(e.path.mid(key.size() + 1), *e.value);
                else
                    whole = e.value;
            }
            edits.removeAt(j);
            if (j < i)
                --i;
        }
        JsonEdit replacement{key, std::nullopt};
        if (shown)
            replacement.value = whole ? *whole : QJsonValue(members);
        else if (choiceEdit.value && choiceEdit.value->toString() != QLatin1String("none"))
            replacement.value = choiceEdit.value;
        edits[i] = replacement;
    }
    return edits;
}

} // namespace otalab::app::scenariofields
