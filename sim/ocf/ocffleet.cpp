// SPDX-License-Identifier: Apache-2.0
// OcfFleet: building the fleet (groups, links, clocks, gateways, nodes, images) and the
// event dispatch.
#include "sim/ocf/ocffleet.h"

#include "sim/ocf/ocffleetbuilder.h"
#include "sim/ocf/ocffleetevents.h"
#include "sim/ocf/ocfplatform.h"
#include "sim/scenario/ocffleetreader.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"

#include "sim/jobs/jobslink.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kPurposeLink = 0x4f4c4e4bu;   // 'OLNK': link draw, poll phase, clock offset
constexpr std::uint32_t kPurposeLoss = 0x4f43464cu;   // 'OCFL': losses

QString fieldOf(const QString& base, const QString& key) { return base.isEmpty() ? key : base + QLatin1Char('.') + key; }

} // namespace

OcfFleet::OcfFleet(Simulator& sim, const OcfFleetConfig& config, FleetListener* listener)
    : m_sim(sim), m_config(config), m_listener(listener)
{
}

OcfFleet::~OcfFleet() = default;

Result<void> OcfFleet::construct(const FleetBuildContext& ctx)
{
    const QString& field = ctx.field;
    m_firstNode = ctx.firstNode;
    const OcfFleetConfig& c = m_config;
    if (c.devices.empty())
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("devices")), QStringLiteral("a fleet needs at least one device group")));
    const auto szx = core::ocf::BlockOption::szxForSize(std::uint32_t(c.image.blockSize));
    if (!szx)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("image.blockSize")), szx.error().message));
    m_szx = *szx;
    auto images = OcfImages::create(c.image.sizeBytes, c.image.version, c.image.runningVersion);
    if (!images)
        return fail(Error::at(-1, fieldOf(field, images.error().field.isEmpty() ? QStringLiteral("image") : images.error().field), images.error().message));
    m_images = std::make_unique<OcfImages>(std::move(*images));
    m_slotBytes = std::uint64_t(m_images->image(OcfImageVariant::Release)->bytes.size()) + 64 * 1024;

    const auto startsAt = parseRfc3339Ms(c.schedule.startsAt);
    if (!startsAt)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("schedule.startsAt")), QStringLiteral("\"%1\": expected an RFC 3339 date-time").arg(c.schedule.startsAt)));
    m_startsAtMs = *startsAt;
    const auto updateTime = core::ocf::UpdateTime::parse(c.schedule.updateTime);
    if (!updateTime || updateTime->kind == core::ocf::UpdateTime::Kind::None)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("schedule.updateTime")),
                              QStringLiteral("\"%1\": expected \"now\" or an RFC 3339 date-time").arg(c.schedule.updateTime)));
    m_updateTimeText = updateTime->toString();
    if (updateTime->kind == core::ocf::UpdateTime::Kind::At) {
        if (updateTime->atMsUtc < m_startsAtMs)
            return fail(Error::at(-1, fieldOf(field, QStringLiteral("schedule.updateTime")),
                                  QStringLiteral("%1 is before the run starts (%2): the devices would refuse an updatetime in the past")
                                      .arg(c.schedule.updateTime, c.schedule.startsAt)));
        m_updateAt = SimTime::fromMillis(updateTime->atMsUtc - m_startsAtMs);
    }
    m_serverSlot = SimTime::fromSeconds(1.0 / c.server.blocksPerS);

    std::uint32_t total = 0;
    for (std::size_t g = 0; g < c.devices.size(); ++g) {
        const OcfDeviceGroupConfig& gc = c.devices[g];
        const QString at = fieldOf(field, QStringLiteral("devices[%1]").arg(g));
        if (gc.count < 1)
            return fail(Error::at(-1, at + QStringLiteral(".count"), QStringLiteral("a group needs at least one device")));
        OcfGroup group;
        group.kind = gc.link == QLatin1String("wifi") ? OcfLinkKind::Wifi : OcfLinkKind::Thread;
        group.name = gc.name.isEmpty() ? ocfLinkName(group.kind) : gc.name;
        group.preset = &ocfPreset(group.kind);
        group.idlePollS = group.kind == OcfLinkKind::Thread ? gc.pollPeriodMs / 1000.0 : jobsLinkDefaults(JobsLinkKind::Wifi).dtimMs / 1000.0;
        group.fastPollS = gc.fastPollMs / 1000.0;
        group.first = total;
        group.count = std::uint32_t(gc.count);
        total += group.count;
        m_groups.push_back(std::move(group));
    }
    if (total > 200'000)
        return fail(Error::at(-1, fieldOf(field, QStringLiteral("devices")), QStringLiteral("%1 devices: at most 200,000 per fleet").arg(total)));

    // Devices and their homes: each group's devices fill gateways of devicesPerGateway.
    m_devices.reserve(total);
    std::uint32_t gateways = 0;
    std::vector<std::uint16_t> gatewayGroup;
    const JobsLinkDefaults wifi = jobsLinkDefaults(JobsLinkKind::Wifi);
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const OcfDeviceGroupConfig& gc = c.devices[g];
        const OcfGroup& group = m_groups[g];
        const double spread = gc.spreadPercent / 100.0;
        const std::int64_t cycle = SimTime::fromSeconds(group.idlePollS).nanos();
        for (std::uint32_t k = 0; k < group.count; ++k) {
            const NodeId node = m_firstNode + NodeId(m_devices.size());
            OcfDevice d(RandomStream(ctx.seed, node, kPurposeLoss));
            RandomStream r(ctx.seed, node, kPurposeLink);
            const auto vary = [&](double mean) { return mean * r.uniform(1.0 - spread, 1.0 + spread); };
            if (group.kind == OcfLinkKind::Thread) {
                d.link.latencyNs = SimTime::fromSeconds(vary(gc.backhaulMs) / 1000.0).nanos();
                d.link.loss = float(gc.frameLossPercent.value_or(2.0) / 100.0);
                d.link.hops = std::uint8_t(gc.hops);
            } else {
                d.link.latencyNs = SimTime::fromSeconds(vary(gc.latencyMs.value_or(wifi.latencyMs) + gc.backhaulMs) / 1000.0).nanos();
                d.link.bytesPerS = float(vary(gc.throughputKbps.value_or(wifi.downlinkKbps)) * 1000.0 / 8.0);
                d.link.loss = float(gc.lossPercent.value_or(wifi.lossPercent) / 100.0);
            }
            d.link.pollPhaseNs = cycle > 0 ? std::int64_t(r.uniformInt(std::uint64_t(cycle))) : 0;
            if (c.schedule.clockSpreadS > 0)
                d.clockOffsetMs = std::llround(r.uniform(-c.schedule.clockSpreadS, c.schedule.clockSpreadS) * 1000.0);
            d.group = std::uint16_t(g);
            if (k % std::uint32_t(gc.devicesPerGateway) == 0) {
                ++gateways;
                gatewayGroup.push_back(std::uint16_t(g));
            }
            d.gateway = gateways - 1;
            m_devices.push_back(std::move(d));
        }
    }
    m_gatewayDownUntil.assign(gateways, SimTime::zero());

    // Nodes: devices on a grid of homes, their gateways, then the cloud.
    const std::size_t n = m_devices.size();
    m_gatewayNode = m_firstNode + NodeId(n);
    m_clientNode = m_gatewayNode + NodeId(gateways);
    m_serverNode = m_clientNode + 1;
    m_intruderNode = m_serverNode + 1;
    m_nodes.reserve(n + gateways + 3);
    const int columns = std::max(1, int(std::ceil(std::sqrt(double(gateways)))));
    for (std::size_t i = 0; i < n; ++i) {
        const OcfDevice& d = m_devices[i];
        const OcfGroup& group = m_groups[d.group];
        FleetNodeInfo info;
        info.node = m_firstNode + NodeId(i);
        info.name = QStringLiteral("ocf-%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        info.role = group.kind == OcfLinkKind::Thread ? QStringLiteral("end device") : QStringLiteral("station");
        info.parent = m_gatewayNode + NodeId(d.gateway);
        const double angle = double(i % 16) * 0.3927;
        info.xM = 30.0 * double(int(d.gateway) % columns) + 6.0 * std::cos(angle);
        info.yM = 30.0 * double(int(d.gateway) / columns) + 6.0 * std::sin(angle);
        info.participates = true;
        m_nodes.push_back(std::move(info));
    }
    for (std::uint32_t g = 0; g < gateways; ++g) {
        FleetNodeInfo info;
        info.node = m_gatewayNode + NodeId(g);
        const bool thread = m_groups[gatewayGroup[g]].kind == OcfLinkKind::Thread;
        info.name = QStringLiteral("%1-%2").arg(thread ? QStringLiteral("br") : QStringLiteral("ap")).arg(g + 1, 4, 10, QLatin1Char('0'));
        info.role = thread ? QStringLiteral("border router") : QStringLiteral("access point");
        info.parent = m_serverNode;
        info.xM = 30.0 * double(int(g) % columns);
        info.yM = 30.0 * double(int(g) / columns);
        m_nodes.push_back(std::move(info));
    }
    const double middle = 15.0 * double(columns);
    m_nodes.push_back(FleetNodeInfo{m_clientNode, QStringLiteral("ocf-client"), QStringLiteral("client"), kNoNode, middle - 40.0, -60.0, false, {}});
    m_nodes.push_back(FleetNodeInfo{m_serverNode, QStringLiteral("image-server"), QStringLiteral("server"), kNoNode, middle, -60.0, false, {}});
    m_nodes.push_back(FleetNodeInfo{m_intruderNode, QStringLiteral("intruder"), QStringLiteral("intruder"), kNoNode, middle + 40.0, -60.0, false, {}});
    return {};
}

Result<std::unique_ptr<Fleet>> buildOcfFleet(const OcfFleetConfig& config, const FleetBuildContext& ctx)
{
    std::unique_ptr<OcfFleet> fleet(new OcfFleet(ctx.sim, config, ctx.listener));
    if (auto built = fleet->construct(ctx); !built)
        return fail(built.error());
    return std::unique_ptr<Fleet>(std::move(fleet));
}

EventData OcfFleet::data(std::size_t i, std::uint32_t kind, std::uint64_t arg0, std::uint64_t arg1) const
{
    return EventData{m_firstNode + NodeId(i), kind, arg0, arg1};
}

std::uint32_t OcfFleet::park(core::ocf::CoapMessage message)
{
    if (!m_freeParked.empty()) {
        const std::uint32_t slot = m_freeParked.back();
        m_freeParked.pop_back();
        m_parked[slot] = std::move(message);
        return slot;
    }
    m_parked.push_back(std::move(message));
    return std::uint32_t(m_parked.size() - 1);
}

core::ocf::CoapMessage OcfFleet::unpark(std::uint32_t slot)
{
    core::ocf::CoapMessage message = std::move(m_parked[slot]);
    m_parked[slot] = core::ocf::CoapMessage{};
    m_freeParked.push_back(slot);
    return message;
}

void OcfFleet::start()
{
    m_started = true;
    if (!m_hold)
        m_sim.schedule(SimTime::fromSeconds(m_config.client.startAtS), *this, EventData{m_clientNode, ocfevents::kClientStart, 0, 0});
    if (m_updateAt)
        m_sim.schedule(*m_updateAt, *this, EventData{m_clientNode, ocfevents::kUpdateTime, 0, 0});
}

void OcfFleet::handleEvent(Simulator&, const Event& event)
{
    const EventData& e = event.data;
    const std::size_t i = std::size_t(e.node - m_firstNode);
    using namespace ocfevents;
    switch (e.kind) {
    case kClientStart:
        for (std::size_t k = 0; k < m_devices.size(); ++k)
            enqueue(k);
        break;
    case kClientPump:
        m_clientPumpArmed = false;
        clientPump();
        break;
    case kClientTimeout: clientTimeout(i, std::uint32_t(e.arg0)); break;
    case kClientRx: clientReceived(i, unpark(std::uint32_t(e.arg0))); break;
    case kServerRx: serverReceived(i, unpark(std::uint32_t(e.arg0))); break;
    case kDeviceRx: {
        if (e.arg1 & kLastBlock) {
            OcfDevice& d = m_devices[i];
            if (std::uint32_t(e.arg1 & 0xffffffffu) == d.epoch && d.step == OcfStep::Downloading) {
                setStep(i, OcfStep::Verifying);
                const OcfPreset& p = *m_groups[d.group].preset;
                const OcfImage* image = m_images->image(d.storedVariant);
                const SimTime check = SimTime::fromSeconds(double(image->bytes.size()) / p.hashBytesPerS + p.verifyS);
                d.energy.cpuNs += check.nanos();
                d.busyUntil = std::max(d.busyUntil, m_sim.now() + check);
                m_sim.schedule(m_sim.now() + check, *this, data(i, kDeviceRx, e.arg0, e.arg1 & ~kLastBlock));
                break;
            }
        }
        const core::ocf::CoapMessage message = unpark(std::uint32_t(e.arg0));
        const std::uint64_t sender = (e.arg1 >> 32) & 0xffff;
        core::ocf::CoapPeer from;
        from.host = sender == kFromServer ? QStringLiteral("image-server") : sender == kFromClient ? QStringLiteral("ocf-client") : QStringLiteral("intruder");
        from.identity = from.host;
        deviceReceived(i, std::uint32_t(e.arg1 & 0xffffffffu), message, from);
        break;
    }
    case kDeviceTimer: deviceTimer(i, std::uint32_t(e.arg1), std::uint32_t(e.arg0)); break;
    case kRebooted:
        rebooted(i, std::uint32_t(e.arg1));
        releaseIfDone(i);
        break;
    case kPowerOn: powerOn(i, std::uint32_t(e.arg1)); break;
    case kPowerCut: armedCut(i, std::uint32_t(e.arg1)); break;
    case kUpdateTime: takeSnapshot(); break;
    case kOutageEnd: endOutage(std::uint32_t(e.arg0), e.arg1); break;
    case kClientNotified:
        if (m_devices[i].swState == std::uint8_t(core::ocf::SwUpdateState::Sva) && !m_devices[i].held)
            enqueue(i, 1);
        break;
    case kClientRetry:
        ++m_counters.reasked;
        enqueue(i);
        break;
    default: break;
    }
}

void OcfFleet::takeSnapshot()
{
    m_statesAtUpdate.fill(0);
    for (const OcfDevice& d : m_devices)
        ++m_statesAtUpdate[std::min<std::size_t>(d.swState, 4)];
}

qint64 OcfFleet::deviceClockMs(std::size_t i) const
{
    return m_startsAtMs + m_sim.now().nanos() / 1'000'000 + m_devices[i].clockOffsetMs;
}

QString OcfFleet::runningVersion(std::size_t i) const
{
    return m_devices[i].runsNew ? m_images->image(OcfImageVariant::Release)->version : m_images->runningVersion();
}

} // namespace otalab::sim
