// SPDX-License-Identifier: Apache-2.0
// LorawanFleet: building the network and the campaign plan, and the neutral view of devices.
#include "sim/lorawan/lorawanfleet.h"
#include "sim/lorawan/lorawanfleetfaults.h"
#include "sim/lorawan/lorawandatablock.h"

#include "sim/energy/battery.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"
#include "sim/lorawan/lorawancapture.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kPurposePlace = 0x504c4143u;    // 'PLAC': where the device sits
constexpr std::uint32_t kPurposeShadow = 0x53484144u;   // 'SHAD': shadowing toward each gateway
constexpr std::uint32_t kPurposeRun = 0x4c4f5241u;      // 'LORA': uplinks, channels, losses, clock
constexpr std::uint32_t kPurposeReceiver = 0x47575258u; // 'GWRX': a gateway's packet errors
constexpr double kAdrMarginDb = 10.0;                   // ChirpStack's default ADR installation margin

QString fieldOf(const QString& base, const char* key)
{
    return base.isEmpty() ? QString::fromLatin1(key) : base + QLatin1Char('.') + QLatin1String(key);
}

} // namespace

LorawanFleet::LorawanFleet(Simulator& sim, const LorawanFleetConfig& config, FleetListener* listener)
    : m_sim(sim), m_config(config), m_listener(listener), m_phy(LorawanFleetPhy::forRegion(config.region))
{
}

LorawanFleet::~LorawanFleet() = default;

Result<void> LorawanFleet::plan(const QString& field)
{
    const LorawanCampaignConfig& c = m_config.campaign;
    FuotaPlan& p = m_plan;
    // The data block: the image as sent (raw, or core/lorawan's container: signed, delta).
    // The generated image's bytes follow from its own version, not the run's seed, so a
    // sweep over seeds sends the same image.
    std::uint64_t imageSeed = 0xcbf29ce484222325ull;   // FNV-1a of the version text
    for (const QChar ch : m_config.image.version)
        imageSeed = (imageSeed ^ ch.unicode()) * 0x100000001b3ull;
    auto block = buildLorawanDataBlock(m_config.image, imageSeed, field);
    if (!block)
        return fail(block.error());
    m_dataBlock = std::move(*block);
    const std::uint64_t bytes = m_dataBlock.blockBytes();
    p.imageBytes = std::uint32_t(bytes);
    const auto dr = m_phy.dataRate(c.multicastDataRate);
    if (!dr)
        return fail(Error::at(-1, fieldOf(field, "campaign.multicastDataRate"),
                              QStringLiteral("DR%1 is not a data rate of %2").arg(c.multicastDataRate).arg(m_phy.regionName())));
    if (m_config.region == LorawanRegion::US915 && c.multicastDataRate < 8)
        return fail(Error::at(-1, fieldOf(field, "campaign.multicastDataRate"),
                              QStringLiteral("DR%1 is an uplink data rate in US915: multicast downlinks use DR8..DR13").arg(c.multicastDataRate)));
    p.multicastDataRate = dr->index;
    p.spreadingFactor = dr->spreadingFactor;
    p.bandwidthHz = dr->bandwidthHz;
    const int maxFragment = dr->maxAppPayload - kDataFragmentHeader;
    p.fragmentSize = c.fragmentSize.value_or(maxFragment);
    if (p.fragmentSize > maxFragment)
        return fail(Error::at(-1, fieldOf(field, "campaign.fragmentSize"),
                              QStringLiteral("%1-byte fragments do not fit DR%2 (at most %3 B: %4 B payload − 3 B DataFragment header)")
                                  .arg(p.fragmentSize).arg(dr->index).arg(maxFragment).arg(dr->maxAppPayload)));
    p.fragments = int((bytes + std::uint64_t(p.fragmentSize) - 1) / std::uint64_t(p.fragmentSize));
    p.paddingBytes = int(std::uint64_t(p.fragments) * std::uint64_t(p.fragmentSize) - bytes);
    if (p.fragments > 16383)
        return fail(Error::at(-1, fieldOf(field, "image.sizeBytes"),
                              QStringLiteral("%1 bytes in %2-byte fragments make %3 fragments; TS004 counts at most 16383")
                                  .arg(bytes).arg(p.fragmentSize).arg(p.fragments)));
    p.fecVersion = c.fecVersion;
    p.frequencyHz = c.multicastFrequencyHz.value_or(m_phy.rx2FrequencyHz());
    if (!m_phy.mayTransmit(p.frequencyHz))
        return fail(Error::at(-1, fieldOf(field, "campaign.multicastFrequencyHz"),
                              QStringLiteral("%1 MHz is in no band of %2 where a gateway may transmit").arg(double(p.frequencyHz) / 1e6, 0, 'f', 3).arg(m_phy.regionName())));
    p.dutyCycle = m_phy.dutyCycle(p.frequencyHz);
    p.framePhyBytes = kLorawanFrameOverhead + kDataFragmentHeader + p.fragmentSize;
    p.frameAirtime = LorawanFleetPhy::timeOnAir(p.spreadingFactor, p.bandwidthHz, p.framePhyBytes, false);
    p.classB = c.sessionClass == LorawanCampaignConfig::SessionClass::B;
    p.pingPeriod = SimTime::fromMillis(960) * (std::int64_t(1) << c.pingSlotPeriodicity);
    return {};
}

void LorawanFleet::placeGateways()
{
    const LorawanGatewaysConfig& g = m_config.gateways;
    const double radius = m_config.devices.areaRadiusM;
    const int count = g.placement == LorawanGatewaysConfig::Placement::Explicit ? int(g.positions.size()) : g.count;
    m_gateways.resize(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        LorawanGateway& gw = m_gateways[std::size_t(i)];
        gw.name = QStringLiteral("gw-%1").arg(i + 1);
        gw.dutyCycle = m_phy.dutyCycleTracker();
        if (g.placement == LorawanGatewaysConfig::Placement::Explicit) {
            gw.xM = g.positions[std::size_t(i)].xM;
            gw.yM = g.positions[std::size_t(i)].yM;
        } else if (count == 1) {
            gw.xM = gw.yM = 0;
        } else if (g.placement == LorawanGatewaysConfig::Placement::Ring) {
            const double a = 2.0 * std::numbers::pi * double(i) / double(count);
            gw.xM = radius / 2.0 * std::cos(a);
            gw.yM = radius / 2.0 * std::sin(a);
        } else {
            const int columns = int(std::ceil(std::sqrt(double(count))));
            const int rows = (count + columns - 1) / columns;
            const double pitchX = 2.0 * radius / double(columns);
            const double pitchY = 2.0 * radius / double(rows);
            gw.xM = -radius + pitchX * (double(i % columns) + 0.5);
            gw.yM = -radius + pitchY * (double(i / columns) + 0.5);
        }
    }
}

void LorawanFleet::placeDevices(std::uint64_t seed)
{
    const LorawanDevicesConfig& dc = m_config.devices;
    const LorawanRadioConfig& radio = m_config.radio;
    const double noise = LorawanFleetPhy::noiseFloorDbm(125'000, radio.noiseFigureDb);
    const double floor12 = LorawanFleetPhy::snrFloorDb(12);
    const double gain = m_config.gateways.antennaGainDbi;
    const double downlinkBoost = m_config.gateways.txPowerDbm - dc.txPowerDbm +
                                 (m_plan.bandwidthHz > 125'000 ? -10.0 * std::log10(double(m_plan.bandwidthHz) / 125'000.0) : 0.0);
    const std::size_t count = std::size_t(dc.count);
    m_devices.reserve(count);
    std::vector<std::pair<float, std::uint16_t>> links(m_gateways.size());
    for (std::size_t i = 0; i < count; ++i) {
        const NodeId node = m_firstNode + NodeId(i);
        LorawanDevice d(RandomStream(seed, node, kPurposeRun));
        RandomStream place(seed, node, kPurposePlace);
        const double r = dc.areaRadiusM * std::sqrt(place.uniform01());
        const double a = 2.0 * std::numbers::pi * place.uniform01();
        d.xM = float(r * std::cos(a));
        d.yM = float(r * std::sin(a));
        RandomStream shadow(seed, node, kPurposeShadow);
        for (std::size_t g = 0; g < m_gateways.size(); ++g) {
            const double dist = std::hypot(double(d.xM) - m_gateways[g].xM, double(d.yM) - m_gateways[g].yM);
            const double loss = LorawanFleetPhy::pathLossDb(radio, dist) + shadow.normal(0.0, radio.shadowingSigmaDb);
            links[g] = {float(dc.txPowerDbm + gain - loss - noise), std::uint16_t(g)};
        }
        std::sort(links.begin(), links.end(), [](const auto& x, const auto& y) {
            return x.first != y.first ? x.first > y.first : x.second < y.second;
        });
        for (const auto& [snr, g] : links) {
            if (d.gatewayCount == kLorawanMaxGateways || snr < floor12 - 3.0)
                break;
            d.gateway[d.gatewayCount] = g;
            d.uplinkSnrDb[d.gatewayCount] = snr;
            ++d.gatewayCount;
        }
        const float bestSnr = d.gatewayCount ? d.uplinkSnrDb[0] : links.front().first;
        d.rssiDbm = float(bestSnr + noise);
        if (dc.dataRate) {
            d.dataRate = std::uint8_t(*dc.dataRate);
        } else {
            d.dataRate = std::uint8_t(m_phy.uplinkDataRates().back());
            for (int dr : m_phy.uplinkDataRates())
                if (bestSnr >= LorawanFleetPhy::snrFloorDb(m_phy.dataRate(dr)->spreadingFactor) + kAdrMarginDb) {
                    d.dataRate = std::uint8_t(dr);
                    break;
                }
        }
        d.multicastLoss = d.gatewayCount
                              ? float(LorawanFleetPhy::packetErrorRate(m_plan.spreadingFactor, bestSnr + downlinkBoost, m_plan.framePhyBytes))
                              : 1.0f;
        d.clockErrorS = float(d.rng.uniform(-5.0, 5.0));
        d.driftPpm = float(d.rng.uniform(-dc.clockDriftPpm, dc.clockDriftPpm));
        if (d.gatewayCount)
            m_gateways[d.gateway[0]].served.push_back(std::uint32_t(i));
        m_devices.push_back(std::move(d));
    }
}

Result<void> LorawanFleet::construct(const FleetBuildContext& ctx)
{
    const QString& field = ctx.field;
    m_firstNode = ctx.firstNode;
    const LorawanDevicesConfig& dc = m_config.devices;
    if (dc.count < 1)
        return fail(Error::at(-1, fieldOf(field, "devices.count"), QStringLiteral("a fleet needs at least one device")));
    if (m_config.gateways.placement == LorawanGatewaysConfig::Placement::Explicit && m_config.gateways.positions.empty())
        return fail(Error::at(-1, fieldOf(field, "gateways.positions"), QStringLiteral("\"explicit\" placement needs at least one position")));
    if (auto ok = plan(field); !ok)
        return ok;
    const auto preset = LorawanEnergyPreset::byName(dc.preset, dc.mcu);
    if (!preset)
        return fail(Error::at(-1, fieldOf(field, "devices.preset"),
                              QStringLiteral("unknown radio \"%1\" or MCU \"%2\": SX1276 | SX1262 and STM32L072 | STM32WL55").arg(dc.preset, dc.mcu)));
    m_preset = *preset;
    m_volts = m_preset.volts;
    if (!dc.battery.isEmpty()) {
        const auto battery = Battery::byName(dc.battery);
        if (!battery)
            return fail(Error::at(-1, fieldOf(field, "devices.battery"), QStringLiteral("unknown battery \"%1\": CR2032 or 2xAA").arg(dc.battery)));
        m_batteryName = QStringLiteral("%1 (%2 mAh)").arg(battery->name).arg(battery->capacityMilliampHours);
        m_batteryMah = battery->capacityMilliampHours;
        m_batteryVolts = battery->nominalVoltageV;
        m_volts = battery->nominalVoltageV;
    }
    if (m_config.devices.dataRate && !m_phy.dataRate(*m_config.devices.dataRate))
        return fail(Error::at(-1, fieldOf(field, "devices.dataRate"),
                              QStringLiteral("DR%1 is not a data rate of %2").arg(*m_config.devices.dataRate).arg(m_phy.regionName())));
    m_rx2DataRate = m_config.gateways.rx2DataRate.value_or(m_phy.defaultRx2DataRate());
    if (!m_phy.dataRate(m_rx2DataRate))
        return fail(Error::at(-1, fieldOf(field, "gateways.rx2DataRate"),
                              QStringLiteral("DR%1 is not a data rate of %2").arg(m_rx2DataRate).arg(m_phy.regionName())));
    for (std::size_t k = 0; k < m_config.faults.gatewayDown.size(); ++k) {
        const int g = m_config.faults.gatewayDown[k].gateway;
        const int count = m_config.gateways.placement == LorawanGatewaysConfig::Placement::Explicit
                              ? int(m_config.gateways.positions.size()) : m_config.gateways.count;
        if (g < 0 || g >= count)
            return fail(Error::at(-1, fieldOf(field, "faults.gatewayDown") + QStringLiteral("[%1].gateway").arg(k),
                                  QStringLiteral("gateway %1 does not exist (the fleet has %2, numbered from 0)").arg(g).arg(count)));
    }
    m_flashFits = std::uint64_t(dc.flashBytes) >= m_dataBlock.flashNeeded();
    m_retryInterval = SimTime::fromSeconds(m_config.campaign.unicastRetryIntervalS > 0 ? m_config.campaign.unicastRetryIntervalS
                                                                                       : dc.uplinkIntervalS);

    placeGateways();
    placeDevices(ctx.seed);

    // Redundancy: a percentage (ChirpStack: ceil(M × pct / 100)) or adaptive: enough
    // parity for the 95th-percentile device's expected loss plus 7 frames (TS004 annex:
    // M + 7 frames decode with 99 % probability).
    const LorawanCampaignConfig& c = m_config.campaign;
    const double extra = m_config.radio.extraLossPercent / 100.0;
    if (c.redundancyPercent) {
        m_plan.redundancy = int(std::ceil(double(m_plan.fragments) * *c.redundancyPercent / 100.0 - 1e-9));
    } else {
        std::vector<float> loss;
        loss.reserve(m_devices.size());
        for (const LorawanDevice& d : m_devices)
            if (d.gatewayCount)
                loss.push_back(float(1.0 - (1.0 - d.multicastLoss) * (1.0 - extra)));
        std::sort(loss.begin(), loss.end());
        const double q = loss.empty() ? 0.0 : double(loss[std::min(loss.size() - 1, loss.size() * 95 / 100)]);
        m_adaptiveLoss = std::min(q, 0.5);
        m_plan.redundancy = int(std::ceil(double(m_plan.fragments) * m_adaptiveLoss / (1.0 - m_adaptiveLoss))) + 7;
    }
    m_plan.redundancy = std::min(m_plan.redundancy, 16383 - m_plan.fragments);
    // Session timeout: smallest i with 2^i s (class B: 128·2^i s) ≥ margin × (frames + 1), i ≤ 15.
    const double needS = c.timeoutMarginS * double(m_plan.frames() + 1);
    const double unit = m_plan.classB ? 128.0 : 1.0;
    int i = 0;
    while (i < 15 && unit * double(std::int64_t(1) << i) < needS)
        ++i;
    m_plan.timeoutExponent = i;
    m_plan.sessionTimeout = SimTime::fromSeconds(unit * double(std::int64_t(1) << i));

    // Nodes: devices, gateways, server.
    const std::size_t n = m_devices.size();
    m_serverNode = m_firstNode + NodeId(n + m_gateways.size());
    m_nodes.reserve(n + m_gateways.size() + 1);
    for (std::size_t k = 0; k < n; ++k) {
        const LorawanDevice& d = m_devices[k];
        FleetNodeInfo info;
        info.node = m_firstNode + NodeId(k);
        info.name = QStringLiteral("dev-%1").arg(k + 1, 5, 10, QLatin1Char('0'));
        info.role = QStringLiteral("device");
        info.parent = d.gatewayCount ? m_firstNode + NodeId(n + d.gateway[0]) : kNoNode;
        info.xM = d.xM;
        info.yM = d.yM;
        info.participates = true;
        m_nodes.push_back(std::move(info));
    }
    lorawan::GatewayReceiverOptions receiverOptions;
    receiverOptions.noiseFigureDb = m_config.radio.noiseFigureDb;
    for (std::size_t g = 0; g < m_gateways.size(); ++g) {
        m_gateways[g].node = m_firstNode + NodeId(n + g);
        m_gateways[g].receiver.emplace(RandomStream(ctx.seed, m_gateways[g].node, kPurposeReceiver), receiverOptions);
        FleetNodeInfo info;
        info.node = m_gateways[g].node;
        info.name = m_gateways[g].name;
        info.role = QStringLiteral("gateway");
        info.parent = m_serverNode;
        // Mean uplink reach per SF (no shadowing): SNR at the SF's floor.
        const double noise = LorawanFleetPhy::noiseFloorDbm(125'000, m_config.radio.noiseFigureDb);
        for (int sf = 7; sf <= 12; ++sf) {
            const double maxLoss = m_config.devices.txPowerDbm + m_config.gateways.antennaGainDbi - noise - LorawanFleetPhy::snrFloorDb(sf);
            const LorawanRadioConfig& radio = m_config.radio;
            const double reach = radio.referenceDistanceM * std::pow(10.0, (maxLoss - radio.referenceLossDb) / (10.0 * radio.pathLossExponent));
            if (reach > 0)
                info.ranges.push_back({reach, QStringLiteral("SF%1").arg(sf)});
        }
        info.xM = m_gateways[g].xM;
        info.yM = m_gateways[g].yM;
        m_nodes.push_back(std::move(info));
    }
    FleetNodeInfo server;
    server.node = m_serverNode;
    server.name = QStringLiteral("network server");
    server.role = QStringLiteral("server");
    server.yM = -m_config.devices.areaRadiusM * 1.1;
    m_nodes.push_back(std::move(server));

    FuotaServerHost& host = *this;
    m_server = std::make_unique<FuotaServer>(m_config.campaign, m_plan, m_devices, host, m_retryInterval);
    return {};
}

Result<QStringList> LorawanFleet::startCapture(const QString& dir)
{
    auto capture = LorawanCapture::open(*this, dir);
    if (!capture)
        return fail(capture.error());
    m_capture = std::move(*capture);
    return m_capture->files();
}

void LorawanFleet::finishCapture()
{
    if (m_capture)
        m_capture->finish();
}

Result<std::unique_ptr<Fleet>> buildLorawanFleet(const LorawanFleetConfig& config, const FleetBuildContext& ctx)
{
    std::unique_ptr<LorawanFleet> fleet(new LorawanFleet(ctx.sim, config, ctx.listener));
    if (auto built = fleet->construct(ctx); !built)
        return fail(built.error());
    return std::unique_ptr<Fleet>(std::move(fleet));
}

} // namespace otalab::sim
