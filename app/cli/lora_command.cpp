// SPDX-License-Identifier: Apache-2.0
// `lora airtime`: LoRa time on air per data rate of a region, with duty-cycle consequences.
#include "app/cli/commands.h"

#include "sim/lorawan/airtime.h"
#include "sim/lorawan/region.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <expected>
#include <optional>

namespace otalab::cli {
namespace {

namespace lw = sim::lorawan;

// LoRaWAN 1.0.x overhead around an application payload: MHDR 1 + FHDR 7 (no FOpts) + FPort 1 + MIC 4.
constexpr int kLorawanOverhead = 13;
constexpr int kMaxPhyPayload = 255;
// The duty cycle the table's wait and frames-per-hour columns assume (EU868 g1 sub-band).
constexpr int kOnePercentDivisor = 100;

// One row of the table: a data rate, or a bare SF/BW that is no data rate of the region.
struct Row {
    std::optional<int> dr;
    int sf = 7;
    int bwHz = 125'000;
    std::optional<int> maxAppPayload; // N of the data rate
};

struct Request {
    const lw::Region* region = nullptr;
    bool downlink = false;
    int codingRate = 1;
    std::optional<int> phyPayload;  // bytes on the air (PHYPayload)
    std::optional<int> appPayload;  // when given as --app-payload
    std::vector<Row> rows;
    bool json = false;
};

std::unexpected<QString> usage(QString message) { return std::unexpected(std::move(message)); }

std::expected<int, QString> intOption(const QCommandLineParser& p, const QString& name, int lo, int hi)
{
    bool ok = false;
    const int v = p.value(name).trimmed().toInt(&ok);
    if (!ok)
        return usage(QStringLiteral("--%1: '%2' is not a whole number").arg(name, p.value(name)));
    if (v < lo || v > hi)
        return usage(QStringLiteral("--%1: %2 is out of range (%3..%4)").arg(name).arg(v).arg(lo).arg(hi));
    return v;
}

// "4/5".."4/8" (or "5".."8") → 1..4.
std::expected<int, QString> codingRate(const QString& text)
{
    QString t = text.trimmed();
    if (t.startsWith(QStringLiteral("4/")))
        t = t.mid(2);
    bool ok = false;
    const int denominator = t.toInt(&ok);
    if (!ok || denominator < 5 || denominator > 8)
        return usage(QStringLiteral("--cr: '%1' is not a LoRa coding rate (4/5, 4/6, 4/7 or 4/8)").arg(text));
    return denominator - 4;
}

std::expected<Request, QString> requestFrom(const QCommandLineParser& p)
{
    Request r;
    r.json = p.isSet(QStringLiteral("json"));
    r.region = lw::Region::byName(p.value(QStringLiteral("region")));
    if (!r.region)
        return usage(QStringLiteral("--region: '%1' is not a known region (EU868 or US915)").arg(p.value(QStringLiteral("region"))));
    if (p.isSet(QStringLiteral("uplink")) && p.isSet(QStringLiteral("downlink")))
        return usage(QStringLiteral("give --uplink or --downlink, not both"));
    r.downlink = p.isSet(QStringLiteral("downlink"));
    auto cr = codingRate(p.value(QStringLiteral("cr")));
    if (!cr)
        return std::unexpected(cr.error());
    r.codingRate = *cr;

    const bool hasDr = p.isSet(QStringLiteral("dr"));
    const bool hasSf = p.isSet(QStringLiteral("sf"));
    const bool hasBw = p.isSet(QStringLiteral("bw"));
    if (hasDr && (hasSf || hasBw))
        return usage(QStringLiteral("give either --dr or --sf/--bw, not both"));
    if (hasBw && !hasSf)
        return usage(QStringLiteral("--bw needs --sf"));
    const QString direction = r.downlink ? QStringLiteral("downlink") : QStringLiteral("uplink");
    if (hasDr) {
        auto dr = intOption(p, QStringLiteral("dr"), 0, 15);
        if (!dr)
            return std::unexpected(dr.error());
        const lw::DataRate& d = r.region->dataRate(*dr);
        if (!d.isValid())
            return usage(QStringLiteral("--dr: %1 has no LoRa data rate DR%2").arg(r.region->name()).arg(*dr));
        if (r.downlink ? !d.downlink : !d.uplink)
            return usage(QStringLiteral("--dr: DR%1 is not an %2 data rate in %3").arg(*dr).arg(direction, r.region->name()));
        r.rows.push_back({d.index, d.spreadingFactor, d.bandwidthHz, d.maxAppPayload});
    } else if (hasSf) {
        auto sf = intOption(p, QStringLiteral("sf"), 7, 12);
        if (!sf)
            return std::unexpected(sf.error());
        int bwHz = 125'000;
        if (hasBw) {
            auto bw = intOption(p, QStringLiteral("bw"), 0, 1000);
            if (!bw || (*bw != 125 && *bw != 250 && *bw != 500))
                return usage(QStringLiteral("--bw: '%1' is not a LoRaWAN bandwidth (125, 250 or 500 kHz)").arg(p.value(QStringLiteral("bw"))));
            bwHz = *bw * 1000;
        }
        Row row{std::nullopt, *sf, bwHz, std::nullopt};
        for (const lw::DataRate& d : r.region->dataRates())
            if (d.spreadingFactor == *sf && d.bandwidthHz == bwHz && (r.downlink ? d.downlink : d.uplink)) {
                row.dr = d.index;
                row.maxAppPayload = d.maxAppPayload;
                break;
            }
        r.rows.push_back(row);
    } else {
        for (const lw::DataRate& d : r.region->dataRates())
            if (r.downlink ? d.downlink : d.uplink)
                r.rows.push_back({d.index, d.spreadingFactor, d.bandwidthHz, d.maxAppPayload});
    }

    const bool hasPayload = p.isSet(QStringLiteral("payload"));
    const bool hasApp = p.isSet(QStringLiteral("app-payload"));
    if (hasPayload && hasApp)
        return usage(QStringLiteral("give --payload (PHYPayload bytes) or --app-payload (application bytes), not both"));
    if (hasPayload) {
        auto b = intOption(p, QStringLiteral("payload"), 0, kMaxPhyPayload);
        if (!b)
            return std::unexpected(b.error());
        r.phyPayload = *b;
    } else if (hasApp) {
        auto b = intOption(p, QStringLiteral("app-payload"), 0, kMaxPhyPayload - kLorawanOverhead);
        if (!b)
            return std::unexpected(b.error());
        r.appPayload = *b;
        r.phyPayload = *b + kLorawanOverhead;
    }
    // One data rate asked for: the payload must fit it.
    if (r.phyPayload && r.rows.size() == 1 && r.rows.front().maxAppPayload) {
        const Row& row = r.rows.front();
        const int maxPhy = *row.maxAppPayload + kLorawanOverhead;
        if (*r.phyPayload > maxPhy)
            return usage(QStringLiteral("%1 B is over the maximum of %2 DR%3 (SF%4/%5 kHz): %6 B application payload, %7 B PHYPayload")
                             .arg(hasApp ? QStringLiteral("--app-payload %1").arg(*r.appPayload)
                                         : QStringLiteral("--payload %1").arg(*r.phyPayload))
                             .arg(r.region->name()).arg(*row.dr).arg(row.sf).arg(row.bwHz / 1000)
                             .arg(*row.maxAppPayload).arg(maxPhy));
    }
    return r;
}

lw::LoraModulation modulation(const Request& r, const Row& row)
{
    lw::LoraModulation m = r.downlink ? lw::LoraModulation::downlink(row.sf, row.bwHz)
                                      : lw::LoraModulation::uplink(row.sf, row.bwHz);
    m.codingRate = r.codingRate;
    return m;
}

// The largest frame of the row: its data rate's N + 13, or 255 B for a bare SF/BW.
int maxFrameBytes(const Row& row)
{
    return row.maxAppPayload ? *row.maxAppPayload + kLorawanOverhead : kMaxPhyPayload;
}

bool payloadFits(const Request& r, const Row& row)
{
    return !r.phyPayload || *r.phyPayload <= maxFrameBytes(row);
}

// Exact decimal values: the integer nanoseconds divided once (a correctly rounded double).
double millis(lw::SimDuration d) { return double(d.nanos()) / 1e6; }
double seconds(lw::SimDuration d) { return double(d.nanos()) / 1e9; }
QString ms(lw::SimDuration d) { return QString::number(millis(d), 'f', 3); }

QJsonObject rowJson(const Request& r, const Row& row)
{
    const bool dutyCycled = r.region->id() == lw::Region::Id::Eu868;
    const lw::SimDuration maxFrame = lw::timeOnAir(modulation(r, row), maxFrameBytes(row));
    QJsonObject o;
    o[QStringLiteral("dr")] = row.dr ? QJsonValue(*row.dr) : QJsonValue();
    o[QStringLiteral("sf")] = row.sf;
    o[QStringLiteral("bandwidthKHz")] = row.bwHz / 1000;
    o[QStringLiteral("maxAppPayload")] = row.maxAppPayload ? QJsonValue(*row.maxAppPayload) : QJsonValue();
    o[QStringLiteral("maxPhyPayload")] = maxFrameBytes(row);
    if (r.phyPayload)
        o[QStringLiteral("airtimeMs")] = payloadFits(r, row)
            ? QJsonValue(millis(lw::timeOnAir(modulation(r, row), *r.phyPayload))) : QJsonValue();
    o[QStringLiteral("maxFrameAirtimeMs")] = millis(maxFrame);
    if (dutyCycled) {
        o[QStringLiteral("dutyCycleWaitS")] = seconds(maxFrame * (kOnePercentDivisor - 1));
        o[QStringLiteral("framesPerHour")] = qint64(lw::SimDuration::fromSecondsInt(3600).nanos()
                                                    / (maxFrame * kOnePercentDivisor).nanos());
    }
    return o;
}

void printJson(const Request& r, QTextStream& out)
{
    QJsonObject o;
    o[QStringLiteral("region")] = r.region->name();
    o[QStringLiteral("direction")] = r.downlink ? QStringLiteral("downlink") : QStringLiteral("uplink");
    o[QStringLiteral("codingRate")] = QStringLiteral("4/%1").arg(r.codingRate + 4);
    o[QStringLiteral("crc")] = !r.downlink;
    if (r.phyPayload)
        o[QStringLiteral("phyPayloadBytes")] = *r.phyPayload;
    if (r.appPayload)
        o[QStringLiteral("appPayloadBytes")] = *r.appPayload;
    o[QStringLiteral("dutyCycle")] = r.region->id() == lw::Region::Id::Eu868 ? QJsonValue(0.01) : QJsonValue();
    QJsonArray rows;
    for (const Row& row : r.rows)
        rows.append(rowJson(r, row));
    o[QStringLiteral("rows")] = rows;
    out << QJsonDocument(o).toJson(QJsonDocument::Indented);
}

void printTable(const Request& r, QTextStream& out)
{
    const bool dutyCycled = r.region->id() == lw::Region::Id::Eu868;
    out << "LoRa time on air, " << r.region->name() << (r.downlink ? " downlink" : " uplink") << ": CR 4/"
        << (r.codingRate + 4) << ", 8 preamble symbols, explicit header, CRC " << (r.downlink ? "off" : "on")
        << " (Semtech AN1200.13)\n";
    if (r.appPayload)
        out << "Payload: " << *r.appPayload << " B application payload + " << kLorawanOverhead
            << " B LoRaWAN overhead = " << *r.phyPayload << " B PHYPayload\n";
    else if (r.phyPayload)
        out << "Payload: " << *r.phyPayload << " B PHYPayload\n";
    out << "Max frame = max application payload N + " << kLorawanOverhead << " B (MHDR, FHDR, FPort, MIC)\n";
    if (dutyCycled)
        out << "Wait and frames/h: after one max frame in a 1 % sub-band (time off = 99 x airtime)\n";
    else
        out << "No duty cycle in " << r.region->name() << "; uplinks must stay under the " << r.region->maxDwellTimeMs()
            << " ms dwell time\n";
    out << "\n";

    QStringList header{QStringLiteral("DR"), QStringLiteral("SF"), QStringLiteral("BW kHz"), QStringLiteral("max app B"),
                       QStringLiteral("max frame B")};
    if (r.phyPayload)
        header << QStringLiteral("airtime %1 B").arg(*r.phyPayload);
    header << QStringLiteral("max frame airtime");
    if (dutyCycled)
        header << QStringLiteral("wait at 1 %") << QStringLiteral("frames/h at 1 %");

    std::vector<QStringList> lines{header};
    for (const Row& row : r.rows) {
        const lw::SimDuration maxFrame = lw::timeOnAir(modulation(r, row), maxFrameBytes(row));
        QStringList cells{row.dr ? QString::number(*row.dr) : QStringLiteral("-"), QString::number(row.sf),
                          QString::number(row.bwHz / 1000),
                          row.maxAppPayload ? QString::number(*row.maxAppPayload) : QStringLiteral("-"),
                          QString::number(maxFrameBytes(row))};
        if (r.phyPayload)
            cells << (payloadFits(r, row) ? ms(lw::timeOnAir(modulation(r, row), *r.phyPayload)) + QStringLiteral(" ms")
                                          : QStringLiteral("too large"));
        QString maxCell = ms(maxFrame) + QStringLiteral(" ms");
        if (!dutyCycled && !r.downlink && maxFrame > lw::SimDuration::fromMillis(r.region->maxDwellTimeMs()))
            maxCell += QStringLiteral(" (over dwell)");
        cells << maxCell;
        if (dutyCycled) {
            cells << QString::number(seconds(maxFrame * (kOnePercentDivisor - 1)), 'f', 1) + QStringLiteral(" s");
            cells << QString::number(lw::SimDuration::fromSecondsInt(3600).nanos() / (maxFrame * kOnePercentDivisor).nanos());
        }
        lines.push_back(cells);
    }
    std::vector<qsizetype> widths(header.size(), 0);
    for (const QStringList& l : lines)
        for (qsizetype i = 0; i < l.size(); ++i)
            widths[std::size_t(i)] = std::max(widths[std::size_t(i)], l[i].size());
    for (const QStringList& l : lines) {
        QString text;
        for (qsizetype i = 0; i < l.size(); ++i)
            text += (i + 1 < l.size() ? l[i].leftJustified(widths[std::size_t(i)] + 2) : l[i]);
        out << text << "\n";
    }
}

} // namespace

int loraAirtimeCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("region"), QStringLiteral("EU868 (default) or US915."), QStringLiteral("name"),
                 QStringLiteral("EU868")});
    p.addOption({QStringLiteral("dr"), QStringLiteral("One data rate of the region (EU868 DR0-6, US915 DR0-4 up, DR8-13 down)."),
                 QStringLiteral("n")});
    p.addOption({QStringLiteral("sf"), QStringLiteral("Spreading factor 7..12 (instead of --dr)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("bw"), QStringLiteral("Bandwidth in kHz with --sf: 125 (default), 250 or 500."),
                 QStringLiteral("kHz")});
    p.addOption({QStringLiteral("cr"), QStringLiteral("Coding rate 4/5 (default, LoRaWAN) .. 4/8."), QStringLiteral("rate"),
                 QStringLiteral("4/5")});
    p.addOption({QStringLiteral("payload"), QStringLiteral("PHYPayload size in bytes (MHDR .. MIC), 0..255."),
                 QStringLiteral("bytes")});
    p.addOption({QStringLiteral("app-payload"),
                 QStringLiteral("Application payload (FRMPayload) in bytes; adds the 13-byte LoRaWAN overhead."),
                 QStringLiteral("bytes")});
    p.addOption({QStringLiteral("uplink"), QStringLiteral("An uplink: CRC on (default).")});
    p.addOption({QStringLiteral("downlink"), QStringLiteral("A downlink: CRC off, the region's downlink data rates.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON instead of a table.")});
    if (auto stop = parseCommand(p, args, io,
                                 QStringLiteral("LoRa time on air (Semtech AN1200.13, exact to the ns) for the data rates of a "
                                                "region: with no --dr/--sf, every data rate; the airtime of the given payload, "
                                                "of a max-size frame, the 1 % duty-cycle wait after it and frames per hour.")))
        return *stop;
    if (!p.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().first()), ExitUsage);
    auto request = requestFrom(p);
    if (!request)
        return reportError(io, request.error(), ExitUsage);
    if (request->json)
        printJson(*request, io.out);
    else
        printTable(*request, io.out);
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
