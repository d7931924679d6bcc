// SPDX-License-Identifier: Apache-2.0
// The form's keys of one jobs fleet. Ranges and defaults are the reader's
// (sim/scenario/jobsfleetreader.cpp, sim/jobs/jobsfleetconfig.h).
#include "scenario/scenariojobsfields.h"

#include "scenario/scenariofieldbuilders.h"

namespace otalab::app::scenariofields {

namespace {

using build::choice;
using build::integer;
using build::number;
using build::spec;
using build::text;
using build::tr;

const QStringList kCellular{QStringLiteral("nrf9160-ltem"), QStringLiteral("nrf9160-nbiot")};

ScenarioFieldSpec optional(const char* key, const char* label, double min, double max, const char* suffix, const char* tip,
                           const char* emptyMeaning, int decimals = 1)
{
    ScenarioFieldSpec s = spec(key, label, FieldKind::Number, min, max, QJsonValue(), suffix, tip, decimals);
    s.emptyMeaning = tr(emptyMeaning);
    return s;
}
ScenarioFieldSpec only(ScenarioFieldSpec s, const QStringList& presets)
{
    s.discriminator = QStringLiteral("preset");
    s.onlyFor = presets;
    return s;
}

} // namespace

QList<ScenarioFieldSpec> jobsFleet()
{
    return {text("name", "Fleet name", QJsonValue(), "fleet name, unique in the scenario (rollout targets name it)", "fleet<i>")};
}

QList<ScenarioFieldSpec> jobsDeviceGroup()
{
    ScenarioFieldSpec name = text("name", "Group name", QJsonValue(), "label in status rows", "the preset");
    return {
        name,
        integer("count", "Devices", 1, 200000, 100, "", "things in this group (1..200,000; at most 200,000 per fleet)"),
        choice("preset", "Preset (link)", {QStringLiteral("esp32-wifi"), QStringLiteral("nrf9160-ltem"), QStringLiteral("nrf9160-nbiot")},
               "esp32-wifi",
               "esp32-wifi: ESP32-WROOM-32 on Wi-Fi; nrf9160-ltem / nrf9160-nbiot: nRF9160 on LTE-M / NB-IoT (datasheet currents, "
               "sim/jobs/jobspreset.cpp)"),
        optional("latencyMs", "Latency", 0, 60000, " ms", "one-way broker \u2194 device latency, mean", "the preset link's"),
        optional("downlinkKbps", "Downlink", 0.001, 1e6, " kbit/s", "application throughput towards the device", "the preset link's"),
        optional("uplinkKbps", "Uplink", 0.001, 1e6, " kbit/s", "application throughput from the device", "the preset link's"),
        optional("lossPercent", "Loss", 0, 90, " %", "share of MQTT messages lost, each way", "the preset link's"),
        number("spreadPercent", "Spread", 0, 90, 20, " %", "each device draws latency and rates uniformly within \u00b1 this", 1),
        only(optional("dtimMs", "DTIM listen interval", 0, 60000, " ms", "Wi-Fi power save: the device hears the AP every this often (0 = always awake)",
                      "the preset's", 0),
             {QStringLiteral("esp32-wifi")}),
        only(optional("psm.periodicTauS", "PSM periodic TAU", 2, 35712000, " s",
                      "power saving mode T3412: the device wakes (and hears its job) this often", "no PSM (or its default 3600 s)", 0),
             kCellular),
        only(optional("psm.activeTimeS", "PSM active time", 0, 11160, " s", "T3324: reachable by paging this long after each wake", "10 s", 0),
             kCellular),
        only(optional("edrx.cycleS", "eDRX cycle", 5.12, 10485.76, " s", "idle-mode eDRX: paging heard once per cycle", "no eDRX", 2), kCellular),
        only(optional("edrx.pagingWindowS", "eDRX paging window", 1.28, 40.96, " s", "PTW: must fit in the cycle", "2.56 s", 2), kCellular),
        only(optional("rrcInactivityS", "RRC inactivity", 0, 3600, " s", "idle time before the network releases the RRC connection",
                      "the preset's"),
             kCellular),
    };
}

QList<ScenarioFieldSpec> jobsImage()
{
    return {
        integer("sizeBytes", "Size", 1, 16 * 1024 * 1024, 512 * 1024, " bytes", "generated firmware file (shared by every device)"),
        text("version", "Version", QStringLiteral("2.0.0"), "what an upgraded device runs"),
        text("runningVersion", "Running version", QStringLiteral("1.0.0"), "what every device runs first"),
        integer("blockSize", "Block size", 256, 131072, 4096, " bytes", "GetStream \"l\": bytes per data block (AWS: 256..131072)"),
    };
}

QList<ScenarioFieldSpec> jobsAgent()
{
    return {
        integer("blocksPerRequest", "Blocks per request", 1, 128, 1, "", "otaconfigMAX_NUM_BLOCKS_REQUEST: GetStream \"n\""),
        number("requestTimeoutS", "Request timer", 0.001, 3600, 10, " s", "otaconfigFILE_REQUEST_WAIT_MS: a request unanswered this long is sent again", 1),
        integer("maxRequestMomentum", "Max unanswered", 1, 1000, 32, "", "otaconfigMAX_NUM_REQUEST_MOMENTUM: then the agent aborts the job"),
        optional("selfTestS", "Self-test", 0, 3600, " s", "the application's self-test after the reboot", "the preset's"),
    };
}

QList<ScenarioFieldSpec> jobsBroker()
{
    return {
        number("perConnectionKBps", "Per connection", 0.001, 1e6, 512, " KiB/s", "throughput cap per MQTT connection", 1),
        number("fanoutPerS", "Fan-out", 0.001, 1e7, 20000, " msg/s", "messages per second the broker and service emit", 0),
        number("streamBlocksPerS", "Stream service", 0.001, 1e7, 2000, " blocks/s", "data blocks per second the stream service serves", 0),
        number("startAtS", "Start at", 0, 30 * 86400, 60, " s", "without a rollout section the service notifies every device then", 1),
    };
}

QList<ScenarioFieldSpec> jobsFaults()
{
    return {
        number("badImage.share", "Bad image", 0, 1, 0, "", "share of the devices (seeded) whose new image fails its self-test and rolls back", 3),
        number("badSignature.share", "Bad signature", 0, 1, 0, "", "share of the devices that receive an image whose signature fails", 3),
        number("disconnects.ratePerHour", "Disconnects", 0, 3600, 0, " /h", "connection drops while downloading (Poisson)", 2),
        number("disconnects.reconnectS", "Reconnect after", 0, 86400, 5, " s", "time until the agent is back on the broker", 1),
    };
}

QJsonObject newJobsDeviceGroup(int index)
{
    return {{QStringLiteral("name"), QStringLiteral("group %1").arg(index + 1)}, {QStringLiteral("count"), 100},
            {QStringLiteral("preset"), QStringLiteral("esp32-wifi")}};
}

QList<JsonEdit> jobsPresetEdits(QList<JsonEdit> edits)
{
    const QList<JsonEdit> given = edits;
    for (const JsonEdit& e : given) {
        if (!e.path.endsWith(QLatin1String(".preset")) || !e.value || !e.path.contains(QLatin1String(".devices[")))
            continue;
        const QString group = e.path.chopped(7);
        const bool wifi = e.value->toString() == QLatin1String("esp32-wifi");
        const QStringList refused = wifi ? QStringList{QStringLiteral("psm"), QStringLiteral("edrx"), QStringLiteral("rrcInactivityS")}
                                         : QStringList{QStringLiteral("dtimMs")};
        for (const QString& key : refused)
            edits << JsonEdit{group + QLatin1Char('.') + key, std::nullopt};
    }
    return edits;
}

} // namespace otalab::app::scenariofields
