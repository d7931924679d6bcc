// SPDX-License-Identifier: Apache-2.0
// ZigbeeFleet: assembly of network, server and devices from a RolloutConfig; the neutral view.
#include "sim/zigbee/zigbeefleet.h"

#include "sim/energy/battery.h"
#include "sim/fleet/deviceresults.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/otaimage.h"
#include "sim/zigbee/otaserverhost.h"
#include "sim/zigbee/otasigner.h"
#include "sim/zigbee/rolloutloss.h"
#include "sim/zigbee/zigbeefaults.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeeoutageloss.h"
#include "sim/zigbee/zigbeenode.h"

#include <cmath>
#include <unordered_map>

namespace otalab::sim {

using namespace core::zigbee;

namespace {

constexpr std::uint32_t kRngPurposeQueryJitter = 0x4F54414Au; // 'OTAJ'

QString hex4(std::uint16_t v) { return QStringLiteral("0x%1").arg(v, 4, 16, QLatin1Char('0')); }
QString hex8(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }

OtaDevicePolicy toPolicy(const DevicePolicyConfig& c)
{
    OtaDevicePolicy p;
    p.authorized = c.authorized;
    p.allowUpgrade = c.allowUpgrade;
    p.allowDowngrade = c.allowDowngrade;
    p.allowReinstall = c.allowReinstall;
    p.pinnedFileVersion = c.pinnedFileVersion;
    switch (c.upgradeTime) {
    case DevicePolicyConfig::UpgradeTime::Now:
        p.upgradeTime.mode = UpgradeTimePolicy::Mode::Now;
        break;
    case DevicePolicyConfig::UpgradeTime::Delay:
        p.upgradeTime.mode = UpgradeTimePolicy::Mode::Delay;
        p.upgradeTime.delaySeconds = c.upgradeDelayS;
        break;
    case DevicePolicyConfig::UpgradeTime::Wait:
        p.upgradeTime.mode = UpgradeTimePolicy::Mode::WaitForever;
        break;
    }
    return p;
}

OtaServerConfig toServerConfig(const ServerConfig& s)
{
    OtaServerConfig c;
    c.clusterRevision = s.clusterRevision;
    c.maxBlockDataSize = s.maxBlockDataSize;
    c.blockResponseDelayMs = s.blockResponseDelayMs;
    c.controlResponseDelayMs = s.controlResponseDelayMs;
    c.minResponseSpacingMs = s.minResponseSpacingMs;
    c.sessionTimeoutMs = s.sessionTimeoutMs;
    c.waitForData.dataAvailableAtMs = s.dataAvailableAtMs;
    c.waitForData.maxConcurrentDownloads = s.maxConcurrentDownloads;
    c.waitForData.busyRetryDelayMs = s.busyRetryDelayMs;
    c.waitForData.minimumBlockPeriodMs = s.minimumBlockPeriodMs;
    c.defaultPolicy = toPolicy(s.defaultPolicy);
    return c;
}

int depthOf(const TopologySpec& t, std::size_t i)
{
    int hops = 0;
    for (std::int32_t p = t.nodes[i].parent; p >= 0 && hops <= static_cast<int>(t.nodes.size()); p = t.nodes[p].parent) {
        ++hops;
    }
    return hops;
}

// Symmetric hearing for every pair of nodes at most rangeM apart (grid buckets of
// rangeM, so O(nodes × neighbours)); in node order, hence deterministic.
void connectWithinRange(RadioChannel& channel, const TopologySpec& t, double rangeM)
{
    std::unordered_map<std::uint64_t, std::vector<NodeId>> cells;
    const auto cellOf = [rangeM](double v) { return static_cast<std::int64_t>(std::floor(v / rangeM)); };
    const auto key = [](std::int64_t cx, std::int64_t cy) {
        return (static_cast<std::uint64_t>(cx) << 32) ^ static_cast<std::uint64_t>(cy & 0xFFFFFFFF);
    };
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        cells[key(cellOf(t.nodes[i].x), cellOf(t.nodes[i].y))].push_back(static_cast<NodeId>(i));
    }
    const double r2 = rangeM * rangeM;
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        const std::int64_t cx = cellOf(t.nodes[i].x);
        const std::int64_t cy = cellOf(t.nodes[i].y);
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                auto it = cells.find(key(cx + dx, cy + dy));
                if (it == cells.end()) {
                    continue;
                }
                for (NodeId j : it->second) {
                    if (j <= i) {
                        continue;
                    }
                    const double ddx = t.nodes[i].x - t.nodes[j].x;
                    const double ddy = t.nodes[i].y - t.nodes[j].y;
                    if (ddx * ddx + ddy * ddy <= r2) {
                        channel.connect(static_cast<NodeId>(i), j);
                    }
                }
            }
        }
    }
}

Error prefixed(Error e, const QString& prefix)
{
    e.field = e.field.isEmpty() ? prefix : prefix + "." + e.field;
    return e;
}

} // namespace

ZigbeeFleet::ZigbeeFleet(Simulator& sim, const RolloutConfig& config, FleetListener* listener)
    : m_sim(sim)
    , m_config(config)
    , m_listener(listener)
{
}

ZigbeeFleet::~ZigbeeFleet() = default;

Result<std::unique_ptr<Fleet>> buildZigbeeFleet(const RolloutConfig& config, const FleetBuildContext& ctx)
{
    if (ctx.firstNode != 0) {
        return fail(Error::at(-1, ctx.field, QStringLiteral("a zigbee fleet numbers its nodes from 0: put it first in \"fleets\"")));
    }
    std::unique_ptr<ZigbeeFleet> fleet(new ZigbeeFleet(ctx.sim, config, ctx.listener));
    if (auto ok = fleet->construct(ctx.baseDir); !ok) {
        Error e = ok.error();
        if (!ctx.field.isEmpty()) {
            e = prefixed(std::move(e), ctx.field);
        }
        return fail(std::move(e));
    }
    return std::unique_ptr<Fleet>(std::move(fleet));
}

Result<void> ZigbeeFleet::construct(const QString& baseDir)
{
    const RolloutConfig& c = m_config;
    // --- plain checks -------------------------------------------------------------------
    if (c.device.pollIntervalMs <= 0) {
        return fail(Error::at(-1, "device.pollIntervalMs", QStringLiteral("poll interval %1 ms: expected > 0").arg(c.device.pollIntervalMs)));
    }
    if (c.device.fastPollIntervalMs < 0) {
        return fail(Error::at(-1, "device.fastPollIntervalMs", QStringLiteral("expected >= 0 (0 = no fast polling)")));
    }
    if (c.client.maxAttempts < 1) {
        return fail(Error::at(-1, "client.maxAttempts", QStringLiteral("%1: expected >= 1").arg(c.client.maxAttempts)));
    }
    if (c.client.maxDataSize == 0) {
        return fail(Error::at(-1, "client.maxDataSize", QStringLiteral("0: expected 1..255 bytes")));
    }
    if (c.server.maxBlockDataSize == 0) {
        return fail(Error::at(-1, "server.maxBlockDataSize", QStringLiteral("0: expected 1..255 bytes")));
    }
    if (c.images.empty()) {
        return fail(Error::at(-1, "images", QStringLiteral("no image to roll out: expected at least one")));
    }

    // --- device preset and battery --------------------------------------------------------
    if (c.device.customPreset) {
        m_preset = *c.device.customPreset;
    } else if (auto preset = DevicePreset::builtin(c.device.preset)) {
        m_preset = *preset;
    } else {
        return fail(Error::at(-1, "device.preset",
                              QStringLiteral("unknown device preset \"%1\": expected EFR32MG24, CC2652R or nRF52840").arg(c.device.preset)));
    }
    Battery battery;
    if (auto b = Battery::byName(c.device.battery)) {
        battery = *b;
    } else if (!c.device.batteryMilliampHours) {
        return fail(Error::at(-1, "device.battery", QStringLiteral("unknown battery \"%1\": expected CR2032 or 2xAA").arg(c.device.battery)));
    } else {
        battery.name = c.device.battery;
    }
    if (c.device.batteryMilliampHours) {
        battery.capacityMilliampHours = *c.device.batteryMilliampHours;
    }
    if (c.device.batteryVoltageV) {
        battery.nominalVoltageV = *c.device.batteryVoltageV;
    }
    if (!(battery.energyJoules() > 0)) {
        return fail(Error::at(-1, "device.batteryMilliampHours", QStringLiteral("battery energy must be > 0")));
    }
    m_batteryJoules = battery.energyJoules();
    m_batteryName = QStringLiteral("%1 (%2 mAh)").arg(battery.name).arg(battery.capacityMilliampHours);
    m_batteryMah = battery.capacityMilliampHours;
    m_batteryVolts = battery.nominalVoltageV;

    // --- topology ---------------------------------------------------------------------------
    TopologySpec topology;
    if (const auto* gen = std::get_if<GeneratedTopology>(&c.topology)) {
        auto t = gen->generate();
        if (!t) {
            Error e = t.error();
            if (!e.field.startsWith(QStringLiteral("topology"))) {
                e = prefixed(std::move(e), QStringLiteral("topology.generate"));
            }
            return fail(std::move(e));
        }
        topology = std::move(*t);
    } else {
        topology = std::get<TopologySpec>(c.topology);
    }
    if (auto ok = topology.validate(); !ok) {
        return fail(prefixed(ok.error(), QStringLiteral("topology")));
    }
    std::unordered_map<std::uint16_t, NodeId> byShort;
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        byShort.emplace(topology.nodes[i].shortAddress, static_cast<NodeId>(i));
    }
    const auto checkDevice = [&](std::uint16_t shortAddress, const QString& field) -> Result<void> {
        auto it = byShort.find(shortAddress);
        if (it == byShort.end()) {
            return fail(Error::at(-1, field, QStringLiteral("no node has short address %1").arg(hex4(shortAddress))));
        }
        if (topology.nodes[it->second].role == NodeRole::Coordinator) {
            return fail(Error::at(-1, field, QStringLiteral("%1 is the coordinator (the OTA server), not a client").arg(hex4(shortAddress))));
        }
        return {};
    };

    // --- images -----------------------------------------------------------------------------
    m_baseDir = baseDir;
    if (c.client.requireSignature) {
        auto signer = SeededOtaSigner::create(c.seed, SeededOtaSigner::kPurposeTrusted, SeededOtaSigner::kTrustedSignerIeee,
                                              SeededOtaSigner::kFleetCaIeee);
        if (!signer) {
            return fail(prefixed(signer.error(), QStringLiteral("client.requireSignature")));
        }
        m_signer = std::make_unique<SeededOtaSigner>(std::move(*signer));
    }
    for (std::size_t i = 0; i < c.images.size(); ++i) {
        auto image = makeRolloutImage(c.images[i], QStringLiteral("images[%1]").arg(i), baseDir, m_signer.get());
        if (!image) {
            return fail(image.error());
        }
        m_images.push_back(std::move(*image));
    }

    // --- channel and network ---------------------------------------------------------------
    auto loss = buildLossModel(c.channel, topology);
    if (!loss) {
        return fail(loss.error());
    }
    // Always under the outage decorator (faults darken nodes); without an outage it decides
    // exactly as the model alone.
    auto outage = std::make_unique<ZigbeeOutageLoss>(std::move(*loss));
    m_outage = outage.get();
    m_channel = std::make_unique<RadioChannel>(RadioChannel::Config{.panId = c.channel.panId, .channel = c.channel.channel},
                                               std::move(outage));
    NwkConfig nwk;
    nwk.pollInterval = SimTime::fromMillis(c.device.pollIntervalMs);
    nwk.budget.nwkSecurityOverheadBytes = c.device.nwkSecurityOverheadBytes;
    nwk.budget.apsSecurityOverheadBytes = c.device.apsSecurityOverheadBytes;
    nwk.model = c.network;
    MacConfig mac;
    mac.panId = c.channel.panId;
    mac.queueCapacity = c.channel.macQueueCapacity;
    auto network = ZigbeeNetwork::create(m_sim, *m_channel, topology, nwk, mac);
    if (!network) {
        return fail(prefixed(network.error(), QStringLiteral("topology")));
    }
    m_network = std::move(*network);
    for (NodeId i = 0; i < m_network->size(); ++i) // closed-form idle polls respect dark intervals
        m_network->node(i).setOutages(m_outage);
    if (c.channel.treeLinksOnly) {
        m_network->connectTreeLinks();
        if (c.channel.hearingRangeM) {
            if (!(*c.channel.hearingRangeM > 0)) {
                return fail(Error::at(-1, "channel.hearingRangeM", QStringLiteral("%1 m: expected > 0").arg(*c.channel.hearingRangeM)));
            }
            connectWithinRange(*m_channel, topology, *c.channel.hearingRangeM);
        }
    }

    // --- server -------------------------------------------------------------------------------
    m_server = std::make_unique<OtaServerHost>(m_sim, m_network->node(0), toServerConfig(c.server));
    m_network->node(0).setUpper(m_server.get());
    std::vector<int> imageIds;
    for (std::size_t i = 0; i < m_images.size(); ++i) {
        auto id = m_server->server().addImage(m_images[i]);
        if (!id) {
            return fail(prefixed(id.error(), QStringLiteral("images[%1]").arg(i)));
        }
        imageIds.push_back(*id);
    }
    for (std::size_t i = 0; i < c.server.devicePolicies.size(); ++i) {
        const DevicePolicyConfig& p = c.server.devicePolicies[i];
        const QString field = QStringLiteral("server.devicePolicies[%1]").arg(i);
        if (auto ok = checkDevice(p.device, field + ".device"); !ok) {
            return fail(ok.error());
        }
        m_server->server().setDevicePolicy(p.device, toPolicy(p));
    }

    // --- clients -------------------------------------------------------------------------------
    std::unordered_map<std::uint16_t, const ClientOverride*> overrides;
    for (std::size_t i = 0; i < c.clientOverrides.size(); ++i) {
        if (auto ok = checkDevice(c.clientOverrides[i].device, QStringLiteral("clientOverrides[%1].device").arg(i)); !ok) {
            return fail(ok.error());
        }
        overrides[c.clientOverrides[i].device] = &c.clientOverrides[i];
    }
    OtaDeviceSettings settings;
    settings.pollInterval = nwk.pollInterval;
    settings.fastPollInterval = SimTime::fromMillis(c.device.fastPollIntervalMs);
    settings.bootTime = SimTime::fromMillis(c.device.bootTimeMs);
    settings.flashPageBytes = c.device.flashPageBytes;
    settings.flashEraseMsPerPage = c.device.flashEraseMsPerPage;
    settings.flashWriteUsPerByte = c.device.flashWriteUsPerByte;
    settings.maxAttempts = c.client.maxAttempts;
    for (std::size_t i = 1; i < topology.nodes.size(); ++i) {
        const NodeSpec& spec = topology.nodes[i];
        const ClientOverride* o = overrides.count(spec.shortAddress) ? overrides[spec.shortAddress] : nullptr;
        bool enabled = spec.role == NodeRole::EndDevice || c.client.includeRouters;
        if (o && o->enabled) {
            enabled = *o->enabled;
        }
        if (!enabled) {
            continue;
        }
        const auto node = static_cast<NodeId>(i);
        OtaClientConfig cc;
        cc.clusterRevision = c.server.clusterRevision;
        cc.manufacturerCode = c.client.manufacturer;
        cc.imageType = c.client.imageType;
        cc.currentFileVersion = o && o->currentFileVersion ? *o->currentFileVersion : c.client.currentFileVersion;
        cc.ieeeAddress = 0x00124B0000000000ull | node;
        cc.serverAddress = 0x0000;
        cc.queryPeriodMs = c.client.queryPeriodMs;
        cc.maxDataSize = o && o->maxDataSize ? *o->maxDataSize : c.client.maxDataSize;
        cc.usePageRequests = c.client.usePageRequests;
        cc.pageSize = c.client.pageSize;
        cc.responseSpacingMs = c.client.responseSpacingMs;
        cc.requestTimeoutMs = c.client.requestTimeoutMs;
        cc.maxRetries = c.client.maxRetries;
        cc.minWaitForDataMs = c.client.minWaitForDataMs;
        cc.upgradeRequeryPeriodMs = c.client.upgradeRequeryPeriodMs;
        cc.unansweredUpgradeEndLimit = c.client.unansweredUpgradeEndLimit;
        cc.ignoreSameVersionOffer = c.client.ignoreSameVersionOffer;
        cc.disableDowngrades = c.client.disableDowngrades;
        if (m_signer) {
            cc.verificationKeys = {m_signer->publicKey()};
        }
        cc.rngSeed = c.seed ^ (0x9E3779B97F4A7C15ull * (node + 1));
        RandomStream jitter(c.seed, node, kRngPurposeQueryJitter);
        settings.firstQueryDelay = c.client.firstQueryJitterMs > 0
                                       ? SimTime::fromMillis(static_cast<std::int64_t>(jitter.uniformInt(c.client.firstQueryJitterMs)))
                                       : SimTime::zero();
        auto device = std::make_unique<OtaDevice>(m_sim, m_network->node(node), m_preset, m_images, std::move(cc), settings,
                                                   static_cast<OtaDeviceListener*>(this));
        m_network->mac(node).setEnergy(&device->energy());
        m_network->node(node).setUpper(device.get());
        m_devices.push_back(std::move(device));
    }
    m_server->setRefusalCallback([this](std::uint16_t destination, const QString& message) {
        if (ZigbeeNode* n = m_network->findByShort(destination)) {
            for (auto& d : m_devices) {  // rare path (refusals), linear search is fine
                if (&d->node() == n) {
                    d->noteNetworkError(message);
                    break;
                }
            }
        }
    });

    m_faults = std::make_unique<ZigbeeFaults>(m_sim, *this, *m_outage);

    // --- notify and releases --------------------------------------------------------------------
    m_notifyImageId = imageIds.front();
    if (c.server.notify != ServerConfig::Notify::None) {
        const SimTime at = SimTime::fromSeconds(c.server.notifyAtS);
        if (c.server.notify == ServerConfig::Notify::Broadcast) {
            m_server->scheduleNotify(at, kBroadcastAll, imageIds.front(), c.server.notifyPayloadType, c.server.notifyQueryJitter);
        } else {
            for (const auto& d : m_devices) {
                m_server->scheduleNotify(at, d->node().shortAddress(), imageIds.front(), c.server.notifyPayloadType,
                                         c.server.notifyQueryJitter);
            }
        }
    }
    for (const DevicePolicyConfig& p : c.server.devicePolicies) {
        if (p.upgradeTime == DevicePolicyConfig::UpgradeTime::Wait && p.releaseAtS) {
            m_server->scheduleRelease(SimTime::fromSeconds(*p.releaseAtS), p.device);
        }
    }
    if (c.server.defaultPolicy.upgradeTime == DevicePolicyConfig::UpgradeTime::Wait && c.server.defaultPolicy.releaseAtS) {
        for (const auto& d : m_devices) {
            m_server->scheduleRelease(SimTime::fromSeconds(*c.server.defaultPolicy.releaseAtS), d->node().shortAddress());
        }
    }

    // --- neutral view ----------------------------------------------------------------------------
    m_deviceOfNode.assign(topology.nodes.size(), UINT32_MAX);
    m_phase.assign(m_devices.size(), FleetPhase::Waiting);
    m_phaseSince.assign(m_devices.size(), SimTime::zero());
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        m_deviceOfNode[m_devices[i]->node().node()] = static_cast<std::uint32_t>(i);
    }
    m_nodes.reserve(topology.nodes.size());
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        const NodeSpec& spec = topology.nodes[i];
        FleetNodeInfo info;
        info.node = static_cast<NodeId>(i);
        info.name = hex4(spec.shortAddress);
        info.role = QString::fromLatin1(toString(spec.role));
        info.parent = spec.parent >= 0 ? static_cast<NodeId>(spec.parent) : kNoNode;
        info.xM = spec.x;
        info.yM = spec.y;
        info.participates = m_deviceOfNode[i] != UINT32_MAX;
        m_nodes.push_back(std::move(info));
    }
    return {};
}

void ZigbeeFleet::start()
{
    m_network->start();
    for (auto& d : m_devices) {
        d->start();
    }
}

ZigbeeFleet::RolloutSupport ZigbeeFleet::rolloutSupport() const
{
    RolloutSupport s;
    s.gate = true;
    s.stop = true;
    s.retry = true;
    s.how = QStringLiteral("the OTA server answers NO_IMAGE_AVAILABLE until the device is notified, ABORT once its "
                           "execution ends; a retried device queries again");
    return s;
}

void ZigbeeFleet::holdForRollout()
{
    m_heldForRollout = true;
    for (const auto& d : m_devices) {
        m_server->setGate(d->node().shortAddress(), OtaServerHost::Gate::Held);
    }
    m_server->setGatedAnswerCallback([this](std::uint16_t destination) {
        if (ZigbeeNode* n = m_network->findByShort(destination)) {
            if (const std::uint32_t i = m_deviceOfNode[n->node()]; i != UINT32_MAX) {
                m_devices[i]->noteGatedAnswer();
            }
        }
    });
}

void ZigbeeFleet::releaseDevices(const std::vector<std::size_t>& devices)
{
    for (std::size_t i : devices) {
        if (i >= m_devices.size()) {
            continue;
        }
        OtaDevice& d = *m_devices[i];
        const std::uint16_t address = d.node().shortAddress();
        m_server->setGate(address, OtaServerHost::Gate::Open);
        d.retryForRollout();  // a retry of a Failed device; nothing otherwise
        if (m_config.server.notify == ServerConfig::Notify::Unicast) {
            m_server->notifyNow(address, m_notifyImageId, m_config.server.notifyPayloadType, m_config.server.notifyQueryJitter);
        }
    }
}

void ZigbeeFleet::stopDevices(const std::vector<std::size_t>& devices)
{
    for (std::size_t i : devices) {
        if (i >= m_devices.size()) {
            continue;
        }
        m_server->setGate(m_devices[i]->node().shortAddress(), OtaServerHost::Gate::Stopped);
        m_devices[i]->stopForRollout();
    }
}

void ZigbeeFleet::appendResults(std::vector<DeviceResult>& out) const
{
    const TopologySpec& topology = m_network->topology();
    out.reserve(out.size() + m_devices.size());
    for (const auto& d : m_devices) {
        const OtaDeviceProgress& p = d->progress();
        const NodeId node = d->node().node();
        DeviceResult dr;
        dr.node = node;
        dr.name = hex4(topology.nodes[node].shortAddress);
        dr.fleet = name();
        dr.family = family();
        dr.role = QString::fromLatin1(toString(topology.nodes[node].role));
        if (topology.nodes[node].parent >= 0) {
            dr.parent = hex4(topology.nodes[topology.nodes[node].parent].shortAddress);
        }
        dr.hops = depthOf(topology, node);
        switch (p.phase) {
        case OtaDeviceProgress::Phase::Upgraded: dr.outcome = DeviceOutcome::Upgraded; break;
        case OtaDeviceProgress::Phase::Failed: dr.outcome = DeviceOutcome::Failed; break;
        case OtaDeviceProgress::Phase::Refused: dr.outcome = DeviceOutcome::Refused; break;
        case OtaDeviceProgress::Phase::Downloading: dr.outcome = DeviceOutcome::Unfinished; break;
        case OtaDeviceProgress::Phase::Idle:
            dr.outcome = p.start ? DeviceOutcome::Unfinished : DeviceOutcome::NotStarted;
            break;
        }
        if (p.start) {
            dr.startS = p.start->toSeconds();
        }
        if (p.finish) {
            dr.finishS = p.finish->toSeconds();
        }
        dr.bytesReceived = d->flash().totalBytesWritten();
        dr.requests = p.blockRequests;
        dr.retries = p.retries;
        // Read, not flushed: a flush would add energy records to the trace, so calling
        // result() (a GUI does, mid-run) would change the run's fingerprint.
        dr.energyJ = d->energy().energyJoulesAt(m_sim.now());
        dr.updateEnergyJ = p.start ? p.energyAtFinish.value_or(dr.energyJ) - p.energyAtStart : 0.0;
        const bool mains = m_config.device.routersOnMains && topology.nodes[node].role == NodeRole::Router;
        dr.batteryShare = m_batteryJoules > 0 && !mains ? dr.updateEnergyJ / m_batteryJoules : 0.0;
        dr.versionBefore = hex8(p.initialVersion);
        dr.versionAfter = hex8(p.version);
        if (dr.outcome == DeviceOutcome::Failed || dr.outcome == DeviceOutcome::Refused) {
            dr.failureReason = p.failureReason;
            if (d->stoppedAt()) {
                dr.failedAtS = d->stoppedAt()->toSeconds();
            }
        }
        dr.attributes = {{QStringLiteral("Short address"), dr.name},
                         {QStringLiteral("Initial file version"), dr.versionBefore},
                         {QStringLiteral("File version"), dr.versionAfter}};
        out.push_back(std::move(dr));
    }
}

NodeId ZigbeeFleet::deviceNode(std::size_t device) const
{
    return m_devices[device]->node().node();
}

std::size_t ZigbeeFleet::indexOf(const OtaDevice& device) const
{
    return m_deviceOfNode[device.node().node()];
}

FleetPhase ZigbeeFleet::neutralPhase(const OtaDevice& device) const
{
    using P = OtaDeviceProgress::Phase;
    switch (device.progress().phase) {
    case P::Upgraded: return FleetPhase::Upgraded;
    case P::Failed: return FleetPhase::Failed;
    case P::Refused: return FleetPhase::Refused;
    case P::Idle: return FleetPhase::Waiting;
    case P::Downloading: break;
    }
    switch (device.upgradeStatus()) {
    case ImageUpgradeStatus::Normal: return FleetPhase::Waiting;
    case ImageUpgradeStatus::DownloadInProgress: return device.parked() ? FleetPhase::Waiting : FleetPhase::Downloading;
    case ImageUpgradeStatus::DownloadComplete: return FleetPhase::Verifying;
    case ImageUpgradeStatus::WaitingToUpgrade:
    case ImageUpgradeStatus::CountDown:
    case ImageUpgradeStatus::WaitForMore:
    case ImageUpgradeStatus::WaitingToUpgradeViaExternalEvent: return FleetPhase::WaitingToApply;
    }
    return FleetPhase::Downloading;
}

void ZigbeeFleet::updatePhase(OtaDevice& device)
{
    const std::size_t i = indexOf(device);
    const FleetPhase to = neutralPhase(device);
    const FleetPhase from = m_phase[i];
    if (to == from) {
        return;
    }
    m_phase[i] = to;
    m_phaseSince[i] = m_sim.now();
    if (m_listener) {
        m_listener->onDevicePhase(*this, i, from, to);
    }
}

void ZigbeeFleet::onDevicePhase(OtaDevice& device)
{
    updatePhase(device);
    m_faults->onDeviceChanged(indexOf(device), device);
}

void ZigbeeFleet::onDeviceStatus(OtaDevice& device)
{
    updatePhase(device);
    m_faults->onDeviceChanged(indexOf(device), device);
}

void ZigbeeFleet::onDeviceFlashWrite(OtaDevice& device, int writes) { m_faults->onFlashWrite(indexOf(device), device, writes); }
void ZigbeeFleet::onDevicePowerOn(OtaDevice& device, const QString& what) { m_faults->onPowerOn(indexOf(device), what); }
void ZigbeeFleet::onDeviceOfferRefused(OtaDevice& device, std::uint32_t fileVersion, const QString& why)
{
    m_faults->onOfferRefused(indexOf(device), fileVersion, why);
}

Fleet::FaultSupport ZigbeeFleet::faultSupport() const { return ZigbeeFaults::support(); }
Result<void> ZigbeeFleet::armFault(const faults::FaultOrder& order) { return m_faults->arm(order); }
Result<void> ZigbeeFleet::armAttack(const faults::AttackOrder& order) { return m_faults->armAttack(order); }

Result<std::shared_ptr<const QByteArray>> ZigbeeFleet::wrongKeyImage()
{
    if (m_wrongKeyImage) {
        return m_wrongKeyImage;
    }
    if (m_images.empty() || m_config.images.empty()) {
        return fail(Error{QStringLiteral("the fleet serves no image")});
    }
    auto attacker = SeededOtaSigner::create(m_config.seed, SeededOtaSigner::kPurposeAttacker, SeededOtaSigner::kAttackerIeee,
                                            SeededOtaSigner::kAttackerIeee);
    if (!attacker) {
        return fail(attacker.error());
    }
    ImageConfig forged = m_config.images.front();
    forged.corruptOffsets.clear();
    if (!m_signer && forged.path.isEmpty()) {
        if (forged.sizeBytes <= SeededOtaSigner::signatureOverhead()) {
            return fail(Error{QStringLiteral("images[0] is too small for the attacker's signed image")});
        }
        forged.sizeBytes -= SeededOtaSigner::signatureOverhead();   // same total size as the unsigned served file
    }
    auto image = makeRolloutImage(forged, QStringLiteral("images[0]"), m_baseDir, &*attacker);
    if (!image) {
        return fail(image.error());
    }
    if ((*image)->size() != m_images.front()->size()) {
        return fail(Error{QStringLiteral("images[0] is an unsigned OTA file (%1 bytes): the attacker's signed copy has %2; sign "
                                         "it or set client.requireSignature")
                              .arg(m_images.front()->size())
                              .arg((*image)->size())});
    }
    m_wrongKeyImage = std::move(*image);
    return m_wrongKeyImage;
}
void ZigbeeFleet::injectFault(const faults::FaultOrder& order) { m_faults->inject(order); }
void ZigbeeFleet::injectAttack(const faults::AttackOrder& order) { m_faults->injectAttack(order); }

DeviceFigures ZigbeeFleet::figures(std::size_t index) const
{
    const OtaDevice& d = *m_devices[index];
    const OtaDeviceProgress& p = d.progress();
    const auto& attr = d.client().attributes();
    DeviceFigures f;
    const std::uint64_t imageBytes = m_images.empty() ? 0 : static_cast<std::uint64_t>(m_images.front()->size());
    f.bytesTotal = d.flash().imageSize() ? d.flash().imageSize() : imageBytes;
    const auto status = attr.imageUpgradeStatus;
    if (p.phase == OtaDeviceProgress::Phase::Upgraded ||
        (status >= ImageUpgradeStatus::DownloadComplete && status <= ImageUpgradeStatus::WaitingToUpgradeViaExternalEvent)) {
        f.bytesReceived = f.bytesTotal;
    } else if (status == ImageUpgradeStatus::DownloadInProgress && attr.fileOffset != 0xFFFFFFFFu) {
        f.bytesReceived = attr.fileOffset;
    } else {
        // Not downloading now (failed, refused, between attempts): what it stored so far.
        f.bytesReceived = d.flash().totalBytesWritten();
    }
    f.requests = p.blockRequests;
    f.retries = p.retries;
    // Read, not flushed: a flush would add energy records to the trace.
    f.energyJ = d.energy().energyJoulesAt(m_sim.now());
    f.updateEnergyJ = p.start ? p.energyAtFinish.value_or(f.energyJ) - p.energyAtStart : 0.0;
    return f;
}

DeviceStatus ZigbeeFleet::status(std::size_t index) const
{
    const OtaDevice& d = *m_devices[index];
    const OtaDeviceProgress& p = d.progress();
    const auto status = d.client().attributes().imageUpgradeStatus;
    const NodeSpec& spec = m_network->topology().nodes[d.node().node()];
    const DeviceFigures f = figures(index);
    DeviceStatus st;
    st.phase = m_phase[index];
    st.phaseSinceS = m_phaseSince[index].toSeconds();
    copyFigures(f, st);
    st.version = hex8(p.version);
    st.machineStates = {{kOtaStatusMachine, static_cast<std::uint16_t>(status)},
                        {kOtaPhaseMachine, static_cast<std::uint16_t>(p.phase)}};
    st.attributes = {
        {QStringLiteral("Short address"), hex4(spec.shortAddress)},
        {QStringLiteral("Role"), QString::fromLatin1(toString(spec.role))},
        {QStringLiteral("ImageUpgradeStatus"), imageUpgradeStatusName(status)},
        {QStringLiteral("File version"), hex8(p.version)},
        {QStringLiteral("Block requests"), QString::number(p.blockRequests)},
        {QStringLiteral("Retries"), QString::number(p.retries)},
        {QStringLiteral("Failed attempts"), QString::number(p.failedAttempts)},
    };
    if (m_heldForRollout) {
        QString gate;
        switch (m_server->gate(spec.shortAddress)) {
        case OtaServerHost::Gate::Held: gate = QStringLiteral("queued: the server answers NO_IMAGE_AVAILABLE until the job notifies it"); break;
        case OtaServerHost::Gate::Open: gate = QStringLiteral("notified: the server offers the image"); break;
        case OtaServerHost::Gate::Stopped: gate = QStringLiteral("execution ended: NO_IMAGE_AVAILABLE / ABORT"); break;
        }
        st.attributes.push_back({QStringLiteral("Rollout"), gate});
    }
    if (d.parked()) {
        st.attributes.push_back({QStringLiteral("Held back"), QStringLiteral("WAIT_FOR_DATA: the server lets others download first")});
    }
    if (!p.lastNetworkError.isEmpty()) {
        st.attributes.push_back({QStringLiteral("Last network error"), p.lastNetworkError});
    }
    if (isFinalPhase(st.phase) && st.phase != FleetPhase::Upgraded) {
        st.failureReason = p.failureReason;
        if (d.stoppedAt()) {
            st.failedAtS = d.stoppedAt()->toSeconds();
        }
    } else if (!p.failureReason.isEmpty()) {
        st.attributes.push_back({QStringLiteral("Last failed attempt"), p.failureReason});
    }
    return st;
}

std::vector<MachineDescription> ZigbeeFleet::machines() const
{
    using F = FleetPhase;
    MachineDescription status;
    status.id = kOtaStatusMachine;
    status.name = QStringLiteral("ImageUpgradeStatus");
    status.note = QStringLiteral("ZCL OTA attribute 0x0006, driven by the client");
    status.states = {QStringLiteral("Normal"), QStringLiteral("Download in progress"), QStringLiteral("Download complete"),
                     QStringLiteral("Waiting to upgrade"), QStringLiteral("Count down"), QStringLiteral("Wait for more"),
                     QStringLiteral("Waiting for external event")};
    status.phaseOfState = {F::Waiting, F::Downloading, F::Verifying, F::WaitingToApply, F::WaitingToApply, F::WaitingToApply,
                           F::WaitingToApply};
    status.transitions = {{MachineTransition::kMachineStart, 0}, {0, 1}, {1, 0}, {1, 2}, {2, 0}, {2, 3}, {2, 4}, {2, 5},
                          {2, 6}, {3, 4}, {3, 0}, {4, 0}, {5, 0}, {6, 0}};
    MachineDescription phase;
    phase.id = kOtaPhaseMachine;
    phase.name = QStringLiteral("Rollout progress");
    phase.note = QStringLiteral("the campaign's view of the device (OtaDeviceProgress)");
    phase.states = {QStringLiteral("Idle"), QStringLiteral("Downloading"), QStringLiteral("Upgraded"), QStringLiteral("Failed"),
                    QStringLiteral("Refused")};
    phase.phaseOfState = {F::Waiting, F::Downloading, F::Upgraded, F::Failed, F::Refused};
    phase.transitions = {{MachineTransition::kMachineStart, 0}, {0, 1}, {1, 0}, {1, 2}, {1, 3}, {0, 4}, {0, 3}};
    return {status, phase};
}

FleetFacts ZigbeeFleet::facts() const
{
    FleetFacts f;
    f.imageBytes = m_images.empty() ? 0 : static_cast<std::uint64_t>(m_images.front()->size());
    f.batteryName = m_batteryName;
    f.batteryCapacityMah = m_batteryMah;
    f.batteryVoltageV = m_batteryVolts;
    f.linkDescription = QStringLiteral("IEEE 802.15.4 channel %1, PAN 0x%2")
                            .arg(m_config.channel.channel)
                            .arg(m_config.channel.panId, 4, 16, QLatin1Char('0'));
    return f;
}

} // namespace otalab::sim
