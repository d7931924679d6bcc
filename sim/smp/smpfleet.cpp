// SPDX-License-Identifier: Apache-2.0
// SmpFleet: building the fleet, and the neutral view of its boards.
#include "sim/smp/smpfleet.h"

#include "sim/energy/battery.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simulator.h"
#include "sim/smp/smpfleetenergy.h"
#include "sim/smp/smpfleetfaults.h"

#include <cmath>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kPurposeHealth = 0x534d5048u;    // 'SMPH': is the new image healthy here?
constexpr std::uint32_t kPurposePowerCut = 0x534d5043u;  // 'SMPC': does the power fail, and where?
constexpr std::uint32_t kPurposeKeySeed = 0x534d504bu;   // 'SMPK': the fleet's signing keys (boards.signatureKey)

QString secondsText(SimTime t) { return QString::number(t.toSeconds(), 'f', 1); }

} // namespace

SmpFleet::SmpFleet(Simulator& sim, const SmpFleetConfig& config, FleetListener* listener)
    : m_sim(sim), m_config(config), m_listener(listener)
{
}

SmpFleet::~SmpFleet() = default;

Result<void> SmpFleet::construct(const FleetBuildContext& ctx)
{
    const QString& field = ctx.field;
    if (m_config.boards.count < 1)
        return fail(Error::at(-1, field + QStringLiteral(".boards.count"), QStringLiteral("a fleet needs at least one board")));
    const std::uint64_t keySeed = RandomStream(ctx.seed, ctx.firstNode, kPurposeKeySeed).next();
    auto images = SmpFleetImages::build(m_config, ctx.baseDir, field, keySeed);
    if (!images)
        return fail(images.error());
    m_images = std::move(*images);
    m_geometry = smpFleetGeometry(m_config, m_images.pushed.size());
    if (auto ok = m_geometry.check(); !ok)
        return fail(Error::at(-1, field + QStringLiteral(".boards.slotKb"), ok.error().message));
    if (m_images.running.size() > m_geometry.primarySize - 2 * m_geometry.sectorSize)
        return fail(Error::at(-1, field + QStringLiteral(".boards.slotKb"),
                              QStringLiteral("%1 KiB slots cannot hold the %2-byte image the boards run first")
                                  .arg(m_geometry.primarySize / 1024)
                                  .arg(m_images.running.size())));
    const auto preset = DevicePreset::builtin(m_config.boards.preset);
    if (!preset)
        return fail(Error::at(-1, field + QStringLiteral(".boards.preset"),
                              QStringLiteral("unknown preset \"%1\": EFR32MG24, CC2652R or nRF52840").arg(m_config.boards.preset)));
    m_preset = *preset;
    if (!m_config.boards.battery.isEmpty()) {
        const auto battery = Battery::byName(m_config.boards.battery);
        if (!battery)
            return fail(Error::at(-1, field + QStringLiteral(".boards.battery"),
                                  QStringLiteral("unknown battery \"%1\": CR2032 or 2xAA").arg(m_config.boards.battery)));
        m_batteryName = QStringLiteral("%1 (%2 mAh)").arg(battery->name).arg(battery->capacityMilliampHours);
        m_batteryJoules = battery->energyJoules();
        m_batteryMah = battery->capacityMilliampHours;
        m_batteryVolts = battery->nominalVoltageV;
    }

    const std::size_t count = std::size_t(m_config.boards.count);
    const bool ble = m_config.link == SmpFleetConfig::Link::Ble;
    m_hostNode = ctx.firstNode + NodeId(count);
    m_hostName = ble ? QStringLiteral("gateway") : QStringLiteral("host");
    const int columns = int(std::ceil(std::sqrt(double(count))));
    const double pitch = m_config.boards.spacingM;
    const qint64 imageBytes = m_images.pushed.size();
    m_boards.reserve(count);
    m_nodes.reserve(count + 1);
    for (std::size_t i = 0; i < count; ++i) {
        const NodeId node = ctx.firstNode + NodeId(i);
        SmpFleetBoardPlan plan;
        RandomStream health(ctx.seed, node, kPurposeHealth);
        plan.unhealthy = health.bernoulli(m_config.boards.unhealthyShare);
        RandomStream cut(ctx.seed, node, kPurposePowerCut);
        if (cut.bernoulli(m_config.boards.powerCutShare))
            plan.powerCutAtBytes = qint64(cut.uniform(0.1, 0.9) * double(imageBytes));
        const QString name = QStringLiteral("board-%1").arg(i + 1, 4, 10, QLatin1Char('0'));
        m_boards.emplace_back(i, node, name, plan);
        FleetNodeInfo info;
        info.node = node;
        info.name = name;
        info.role = QStringLiteral("board");
        info.parent = m_hostNode;
        info.xM = (double(int(i) % columns) - double(columns - 1) / 2.0) * pitch;
        info.yM = double(int(i) / columns + 1) * pitch;
        info.participates = true;
        m_nodes.push_back(std::move(info));
    }
    FleetNodeInfo host;
    host.node = m_hostNode;
    host.name = m_hostName;
    host.role = ble ? QStringLiteral("gateway") : QStringLiteral("host");
    host.participates = false;
    m_nodes.push_back(std::move(host));
    m_phase.assign(count, FleetPhase::Waiting);
    SmpFleetHostListener& listener = *this;
    m_host = std::make_unique<SmpFleetHost>(m_sim, m_config, m_images, m_geometry, m_boards, m_hostNode, listener);
    m_faults = std::make_unique<SmpFleetFaults>(m_sim, *this, m_boards, *m_host, m_images, m_config, keySeed);
    return {};
}

Fleet::FaultSupport SmpFleet::faultSupport() const { return SmpFleetFaults::support(m_images.signingKey.has_value()); }
Result<void> SmpFleet::armFault(const faults::FaultOrder& order) { return m_faults->arm(order); }
Result<void> SmpFleet::armAttack(const faults::AttackOrder& order) { return m_faults->armAttack(order); }
void SmpFleet::injectFault(const faults::FaultOrder& order) { m_faults->inject(order); }
void SmpFleet::injectAttack(const faults::AttackOrder& order) { m_faults->injectAttack(order); }
void SmpFleet::onBoardProgress(std::size_t board, qint64 bytes) { m_faults->onProgress(board, bytes); }
void SmpFleet::onBoardMaterialized(std::size_t board) { m_faults->onMaterialized(board); }

void SmpFleet::start()
{
    m_host->start();
}

Fleet::RolloutSupport SmpFleet::rolloutSupport() const
{
    RolloutSupport s;
    s.gate = true;
    s.stop = true;
    s.retry = false;
    s.how = QStringLiteral("the host's push queue takes only notified boards, in notification order; a stopped board "
                           "is never pushed, or abandoned mid-push");
    return s;
}

void SmpFleet::releaseDevices(const std::vector<std::size_t>& devices)
{
    for (std::size_t d : devices)
        m_host->release(d);
}

void SmpFleet::stopDevices(const std::vector<std::size_t>& devices)
{
    for (std::size_t d : devices)
        m_host->stop(d);
}

void SmpFleet::onBoardState(std::size_t board, SmpPushState, SmpPushState to)
{
    m_faults->onState(board, to);
    const FleetPhase next = smpPushPhase(to);
    const FleetPhase previous = m_phase[board];
    if (next == previous)
        return;
    m_phase[board] = next;
    if (m_listener)
        m_listener->onDevicePhase(*this, board, previous, next);
}

std::pair<double, double> SmpFleet::energy(std::size_t device) const
{
    const SmpFleetBoard& b = m_boards[device];
    const SimTime now = m_sim.now();
    const SmpBoardActivity activity = smpBoardActivity(b, m_config, now);
    const double total = smpBoardJoules(m_preset, activity, now);
    double update = 0;
    if (b.admittedAt) {
        const SimTime end = b.finishedAt.value_or(now);
        update = smpBoardJoules(m_preset, activity, end - *b.admittedAt);
    }
    return {total, update};
}

QString SmpFleet::linkText() const
{
    if (m_config.link == SmpFleetConfig::Link::Ble) {
        const SmpBleLinkConfig& l = m_config.ble.link;
        return QStringLiteral("BLE gateway, %1 connections (%2 ms interval, ATT MTU %3, DLE %4, LE %5M)")
            .arg(m_config.ble.gatewayConnections)
            .arg(l.connectionInterval.toMillis())
            .arg(l.attMtu)
            .arg(l.llPayload)
            .arg(l.phyBitRate / 1'000'000);
    }
    const SmpUdpLinkConfig& l = m_config.udp.link;
    return QStringLiteral("UDP/IPv6, %1 boards at a time (%2 kbit/s, %3 ms one way, %4-byte datagrams, %5 % loss)")
        .arg(m_config.udp.concurrency)
        .arg(l.bitRate / 1000.0)
        .arg(l.latency.toMillis())
        .arg(l.maxDatagram)
        .arg(m_config.udp.datagramLoss * 100.0);
}

std::vector<NamedValue> SmpFleet::attributes(const SmpFleetBoard& b) const
{
    std::vector<NamedValue> rows;
    rows.push_back({QStringLiteral("Push step"), smpPushStateName(b.state)});
    rows.push_back({QStringLiteral("Running"), b.runningVersion(m_images)});
    for (NamedValue& slot : b.slotRows(m_images))
        rows.push_back(std::move(slot));
    rows.push_back({QStringLiteral("Link"), m_config.link == SmpFleetConfig::Link::Ble ? QStringLiteral("BLE via %1").arg(m_hostName)
                                                                                       : QStringLiteral("UDP/IPv6 via %1").arg(m_hostName)});
    rows.push_back({QStringLiteral("Attempts"), QStringLiteral("%1 of %2").arg(b.attempts).arg(m_config.host.uploadAttempts)});
    if (b.admittedAt)
        rows.push_back({QStringLiteral("Waited for a slot"), QStringLiteral("%1 s").arg(secondsText(*b.admittedAt))});
    if (m_config.link == SmpFleetConfig::Link::Ble && b.admittedAt)
        rows.push_back({QStringLiteral("Connection wait"), QStringLiteral("%1 s").arg(secondsText(b.connectWait))});
    if (b.uploadStartAt && b.uploadEndAt) {
        const SimTime t = *b.uploadEndAt - *b.uploadStartAt;
        rows.push_back({QStringLiteral("Upload"),
                        QStringLiteral("%1 s, %2 kB/s").arg(secondsText(t))
                            .arg(t.nanos() > 0 ? double(m_images.pushed.size()) / t.toSeconds() / 1000.0 : 0.0, 0, 'f', 2)});
    } else if (b.uploadStartAt) {
        rows.push_back({QStringLiteral("Upload"), QStringLiteral("%1 of %2 bytes acknowledged").arg(b.acknowledged).arg(m_images.pushed.size())});
    }
    rows.push_back({QStringLiteral("Chunks"), QStringLiteral("%1 sent, %2 again").arg(b.chunks).arg(b.resentChunks)});
    if (const SmpLink* link = b.link()) {
        rows.push_back({QStringLiteral("Wire bytes"), QStringLiteral("%1 to the board, %2 from it")
                                                          .arg(link->stats().hostWireBytes)
                                                          .arg(link->stats().deviceWireBytes)});
        rows.push_back({QStringLiteral("Board resets"), QString::number(b.device()->stats().resets)});
    }
    if (b.powerCutAt)
        rows.push_back({QStringLiteral("Power cut"), QStringLiteral("at %1 s, upload near byte %2, off %3 s")
                                                         .arg(secondsText(*b.powerCutAt))
                                                         .arg(*b.plan.powerCutAtBytes)
                                                         .arg(secondsText(m_config.boards.powerOffTime))});
    if (b.plan.unhealthy)
        rows.push_back({QStringLiteral("New image on this board"),
                        QStringLiteral("faults %1 ms after start (unhealthyShare)").arg(m_config.boards.faultAfter.toMillis())});
    if (!b.lastAttemptFailure.isEmpty() && (!isFinalPhase(smpPushPhase(b.state)) || b.state == SmpPushState::Upgraded))
        rows.push_back({QStringLiteral("Last failed attempt"), b.lastAttemptFailure});
    return rows;
}

DeviceStatus SmpFleet::status(std::size_t device) const
{
    const SmpFleetBoard& b = m_boards[device];
    DeviceStatus st;
    st.phase = m_phase[device];
    st.phaseSinceS = b.stateSince.toSeconds();
    st.bytesTotal = std::uint64_t(m_images.pushed.size());
    st.bytesReceived = b.state == SmpPushState::Upgraded ? st.bytesTotal : std::uint64_t(std::max<qint64>(0, b.acknowledged));
    st.requests = b.chunks;
    st.retries = b.resentChunks;
    std::tie(st.energyJ, st.updateEnergyJ) = energy(device);
    st.version = b.runningVersion(m_images);
    st.machineStates = {{kSmpPushMachine, std::uint16_t(b.state)}};
    st.attributes = attributes(b);
    if (m_host->heldForRollout())
        st.attributes.push_back({QStringLiteral("Rollout"), m_host->rolloutText(device)});
    if (isFinalPhase(st.phase) && st.phase != FleetPhase::Upgraded) {
        st.failureReason = b.failureReason;
        if (b.finishedAt)
            st.failedAtS = b.finishedAt->toSeconds();
    }
    return st;
}

std::vector<MachineDescription> SmpFleet::machines() const
{
    return {smpPushMachine()};
}

FleetFacts SmpFleet::facts() const
{
    FleetFacts f;
    f.imageBytes = std::uint64_t(m_images.pushed.size());
    f.batteryName = m_batteryName;
    f.batteryCapacityMah = m_batteryMah;
    f.batteryVoltageV = m_batteryVolts;
    f.linkDescription = linkText();
    return f;
}

void SmpFleet::appendResults(std::vector<DeviceResult>& out) const
{
    out.reserve(out.size() + m_boards.size());
    for (const SmpFleetBoard& b : m_boards) {
        DeviceResult r;
        r.node = b.node;
        r.name = b.name;
        r.fleet = name();
        r.family = family();
        r.role = QStringLiteral("board");
        r.parent = m_hostName;
        r.hops = 1;
        switch (b.state) {
        case SmpPushState::Upgraded: r.outcome = DeviceOutcome::Upgraded; break;
        case SmpPushState::Failed: r.outcome = DeviceOutcome::Failed; break;
        case SmpPushState::Refused: r.outcome = DeviceOutcome::Refused; break;
        case SmpPushState::RolledBack: r.outcome = DeviceOutcome::RolledBack; break;
        case SmpPushState::Queued: r.outcome = b.admittedAt ? DeviceOutcome::Unfinished : DeviceOutcome::NotStarted; break;
        default: r.outcome = DeviceOutcome::Unfinished; break;
        }
        if (b.admittedAt)
            r.startS = b.admittedAt->toSeconds();
        if (b.state == SmpPushState::Upgraded && b.finishedAt)
            r.finishS = b.finishedAt->toSeconds();
        if (r.outcome == DeviceOutcome::Failed || r.outcome == DeviceOutcome::Refused || r.outcome == DeviceOutcome::RolledBack) {
            r.failureReason = b.failureReason;
            if (b.finishedAt)
                r.failedAtS = b.finishedAt->toSeconds();
        }
        r.bytesReceived = b.state == SmpPushState::Upgraded ? std::uint64_t(m_images.pushed.size())
                                                            : std::uint64_t(std::max<qint64>(0, b.acknowledged));
        r.requests = b.chunks;
        r.retries = b.resentChunks;
        std::tie(r.energyJ, r.updateEnergyJ) = energy(b.index);
        r.batteryShare = m_batteryJoules > 0 ? r.updateEnergyJ / m_batteryJoules : 0.0;
        r.versionBefore = m_images.runningVersionText;
        r.versionAfter = b.runningVersion(m_images);
        r.attributes.push_back({QStringLiteral("Attempts"), QString::number(b.attempts)});
        if (b.uploadStartAt && b.uploadEndAt) {
            const double s = (*b.uploadEndAt - *b.uploadStartAt).toSeconds();
            r.attributes.push_back({QStringLiteral("Upload time s"), QString::number(s, 'f', 2)});
            r.attributes.push_back({QStringLiteral("Upload throughput kB/s"),
                                    QString::number(s > 0 ? double(m_images.pushed.size()) / s / 1000.0 : 0.0, 'f', 2)});
        }
        if (m_config.link == SmpFleetConfig::Link::Ble)
            r.attributes.push_back({QStringLiteral("Connection wait s"), QString::number(b.connectWait.toSeconds(), 'f', 2)});
        for (const NamedValue& slot : b.slotRows(m_images))
            r.attributes.push_back({slot.name, slot.value});
        if (b.powerCutAt)
            r.attributes.push_back({QStringLiteral("Power cut at s"), QString::number(b.powerCutAt->toSeconds(), 'f', 2)});
        if (b.plan.unhealthy)
            r.attributes.push_back({QStringLiteral("Unhealthy image"), QStringLiteral("yes")});
        out.push_back(std::move(r));
    }
}

Result<std::unique_ptr<Fleet>> buildSmpFleet(const SmpFleetConfig& config, const FleetBuildContext& ctx)
{
    std::unique_ptr<SmpFleet> fleet(new SmpFleet(ctx.sim, config, ctx.listener));
    if (auto built = fleet->construct(ctx); !built)
        return fail(built.error());
    return std::unique_ptr<Fleet>(std::move(fleet));
}

} // namespace otalab::sim
