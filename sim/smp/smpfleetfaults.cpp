// SPDX-License-Identifier: Apache-2.0
// SmpFleetFaults: arming, firing and logging the SMP family's faults and attacks.
#include "sim/smp/smpfleetfaults.h"

#include "core/mcuboot/image_signer.h"
#include "sim/fleet/faults/faultlog.h"
#include "sim/kernel/simulator.h"
#include "sim/smp/smpfleet.h"

namespace otalab::sim {

using faults::AttackKind;
using faults::FaultKind;

namespace {

constexpr std::uint32_t kDeferred = 1;
constexpr std::uint32_t kSaltReplay = 0x52504c59u;     // 'RPLY'
constexpr std::uint32_t kSaltDowngrade = 0x444f574eu;  // 'DOWN'
constexpr std::uint32_t kPurposeWrongKey = 0x574b4559u;  // 'WKEY': the attacker's signing key

QString secondsText(double s) { return QString::number(s, 'f', s < 10 ? 1 : 0); }

Error faultError(int spec, const QString& why) { return Error::at(-1, QStringLiteral("faults[%1]").arg(spec), why); }
Error attackError(int spec, const QString& why) { return Error::at(-1, QStringLiteral("attacks[%1]").arg(spec), why); }

} // namespace

SmpFleetFaults::SmpFleetFaults(Simulator& sim, SmpFleet& fleet, std::vector<SmpFleetBoard>& boards, SmpFleetHost& host,
                               const SmpFleetImages& images, const SmpFleetConfig& config, std::uint64_t keySeed)
    : m_sim(sim), m_fleet(fleet), m_boards(boards), m_host(host), m_images(images), m_config(config), m_writes(boards.size(), 0),
      m_pending(boards.size()), m_watches(boards.size()), m_attacks(boards.size()), m_keySeed(keySeed)
{
}

SmpFleetFaults::~SmpFleetFaults() = default;

Fleet::FaultSupport SmpFleetFaults::support(bool signedImages)
{
    Fleet::FaultSupport s;
    s.kinds = {FaultKind::PowerLoss, FaultKind::ServerCrash, FaultKind::LinkOutage, FaultKind::BadImage};
    s.atFlashWrite = true;
    s.atProgress = true;
    s.attacks = {AttackKind::TamperedImage, AttackKind::Downgrade, AttackKind::Replay};
    if (signedImages)
        s.attacks.push_back(AttackKind::WrongKey);
    s.whyNot = {{FaultKind::GatewayOutage, QStringLiteral("no gateway sits between the host and its boards")},
                {FaultKind::ClockJump, QStringLiteral("neither img_mgmt nor MCUboot reads a wall clock")}};
    if (!signedImages)
        s.whyNotAttack.emplace_back(AttackKind::WrongKey,
                                    QStringLiteral("these boards verify the SHA-256 TLV only (no signature keys): set \"boards\": "
                                                   "{\"signatureKey\": \"ed25519\"} to sign the fleet's images and trust that key only"));
    s.whyNotAttack.insert(s.whyNotAttack.end(), {
                      {AttackKind::ForgedFragment, QStringLiteral("LoRaWAN only")},
                      {AttackKind::ForgedStreamBlock, QStringLiteral("MQTT streams only")},
                      {AttackKind::UnauthorisedClient, QStringLiteral("SMP has no client authorisation: whoever holds the link may upload")}});
    s.survives = QStringLiteral("slot 1 as written so far (img_mgmt keeps no upload offset across a reset: the host "
                                "uploads again from 0) and MCUboot's swap status (an interrupted swap resumes at the "
                                "next boot); no gateway between host and board, no wall clock");
    return s;
}

double SmpFleetFaults::nowS() const { return m_sim.now().toSeconds(); }

Result<void> SmpFleetFaults::arm(const faults::FaultOrder& order)
{
    if (order.device && *order.device >= m_boards.size())
        return fail(faultError(order.spec, QStringLiteral("board %1: the fleet has %2").arg(*order.device).arg(m_boards.size())));
    const bool boardFault = order.kind == FaultKind::PowerLoss || order.kind == FaultKind::BadImage;
    if (boardFault && !order.device)
        return fail(faultError(order.spec, QStringLiteral("%1 needs a board").arg(faults::faultKindName(order.kind))));
    if ((order.atFlashWrite || order.atProgress) && order.kind != FaultKind::PowerLoss)
        return fail(faultError(order.spec, QStringLiteral("only powerLoss fires at a flash write or a share of the image in the smp family")));
    switch (order.kind) {
    case FaultKind::ClockJump:
        return fail(faultError(order.spec, QStringLiteral("the smp family has no wall clock to jump: neither img_mgmt nor MCUboot reads one")));
    case FaultKind::GatewayOutage:
        return fail(faultError(order.spec, QStringLiteral("the smp family has no gateway between the host and a board (one BLE "
                                                          "link or IPv6 path each): use serverCrash for the host, linkOutage for boards")));
    case FaultKind::ServerCrash:
        if (!order.target.isEmpty() && order.target != QLatin1String("host") && order.target != QLatin1String("gateway"))
            return fail(faultError(order.spec, QStringLiteral("serverCrash target \"%1\": the smp fleet's server is its host (\"host\" / \"gateway\")").arg(order.target)));
        break;
    case FaultKind::BadImage: {
        SmpFleetBoard& board = m_boards[*order.device];
        board.plan.unhealthy = true;
        if (order.variant == faults::BadImageVariant::DoesNotBoot)
            board.plan.faultAfter = SimTime::fromMillis(1);
        m_watches[*order.device].push_back(Watch{order.id, *order.device, false, true, false, order.variant});
        return {};
    }
    case FaultKind::PowerLoss:
        if (order.atFlashWrite || order.atProgress) {
            m_pending[*order.device].push_back(Pending{order, false, false});
            return {};
        }
        break;
    case FaultKind::LinkOutage:
        break;
    }
    if (!order.atS) {
        m_deferred.push_back(order);
        m_sim.schedule(m_sim.now(), *this, EventData{kNoNode, kDeferred, m_deferred.size() - 1, 0});
    }
    return {};
}

void SmpFleetFaults::handleEvent(Simulator&, const Event& event)
{
    if (event.data.kind != kDeferred || event.data.arg0 >= m_deferred.size())
        return;
    const faults::FaultOrder order = m_deferred[event.data.arg0];
    if (order.atFlashWrite || order.atProgress) {
        cutPower(*order.device, order.id, order.forS,
                 QStringLiteral("right after flash write %1 (upload chunk %1 acknowledged: %2 of %3 bytes)")
                     .arg(m_writes[*order.device])
                     .arg(m_boards[*order.device].acknowledged)
                     .arg(m_host.imageFor(m_boards[*order.device]).size()));
        return;
    }
    inject(order);
}

void SmpFleetFaults::inject(const faults::FaultOrder& order)
{
    faults::FaultLog* log = m_fleet.faultLog();
    switch (order.kind) {
    case FaultKind::PowerLoss:
        if (order.device)
            cutPower(*order.device, order.id, order.forS, QStringLiteral("at %1 s").arg(secondsText(nowS())));
        return;
    case FaultKind::ServerCrash: {
        if (m_host.isDown()) {
            if (log)
                log->notFired(order.id, QStringLiteral("the host was already down"));
            return;
        }
        const int active = m_host.activeBoards();
        const int id = order.id;
        m_host.crash(SimTime::fromSeconds(order.forS), [this, id](int restarted) {
            if (faults::FaultLog* l = m_fleet.faultLog())
                l->effect(id, QStringLiteral("the host was back at %1 s: %2 interrupted pushes started again, each by reading "
                                             "the board's image state")
                                  .arg(secondsText(nowS()))
                                  .arg(restarted));
        });
        if (log)
            log->fired(order.id, nowS(), QStringLiteral("the host (mcumgr) crashed with %1 boards being pushed; down %2 s")
                                              .arg(active)
                                              .arg(secondsText(order.forS)));
        return;
    }
    case FaultKind::LinkOutage: {
        const SimTime from = m_sim.now();
        const SimTime to = from + SimTime::fromSeconds(order.forS);
        int boards = 0;
        for (SmpFleetBoard& board : m_boards) {
            if (order.device && *order.device != board.index)
                continue;
            board.plan.linkOutages.emplace_back(from, to);
            if (board.isMaterialized() && !board.isRetired())
                board.link()->addOutage(from, to);
            ++boards;
        }
        if (log)
            log->fired(order.id, nowS(), order.device ? QStringLiteral("the link of %1 carries nothing for %2 s")
                                                            .arg(m_boards[*order.device].name, secondsText(order.forS))
                                                      : QStringLiteral("the links of all %1 boards carry nothing for %2 s")
                                                            .arg(boards)
                                                            .arg(secondsText(order.forS)));
        if (order.device)
            m_watches[*order.device].push_back(Watch{order.id, *order.device, false, false, false, std::nullopt});
        return;
    }
    case FaultKind::BadImage:
    case FaultKind::GatewayOutage:
    case FaultKind::ClockJump:
        return;   // armed, or refused at arm
    }
}

void SmpFleetFaults::cutPower(std::size_t index, int id, double forS, const QString& detail)
{
    faults::FaultLog* log = m_fleet.faultLog();
    SmpFleetBoard& board = m_boards[index];
    if (!board.isMaterialized() || board.isRetired()) {
        if (log) {
            log->fired(id, nowS(), QStringLiteral("power off %1 s %2").arg(secondsText(forS), detail));
            log->effect(id, QStringLiteral("the board was not being pushed: it rebooted the image it runs (%1)")
                                .arg(board.runningVersion(m_images)));
        }
        return;
    }
    if (board.device()->isPoweredOff()) {
        if (log)
            log->notFired(id, QStringLiteral("the board was already off"));
        return;
    }
    const QString state = smpPushStateName(board.state);
    board.device()->powerCut(SimTime::fromSeconds(forS));
    if (log)
        log->fired(id, nowS(), QStringLiteral("power off %1 s %2, while %3").arg(secondsText(forS), detail, state));
    m_watches[index].push_back(Watch{id, index, false, false, false, std::nullopt});
}

void SmpFleetFaults::onProgress(std::size_t index, qint64 bytes)
{
    const int writes = ++m_writes[index];
    SmpFleetBoard& board = m_boards[index];
    const qint64 size = m_host.imageFor(board).size();
    for (Pending& p : m_pending[index]) {
        if (p.done)
            continue;
        if (p.order.atFlashWrite && writes == *p.order.atFlashWrite) {
            p.done = true;
        } else if (p.order.atProgress && size > 0 && double(bytes) >= *p.order.atProgress * double(size)) {
            p.done = true;
        } else if (p.order.atFlashWrite && bytes >= size && *p.order.atFlashWrite > writes && !p.swapArmed && board.device()) {
            // The upload is complete before write k: k − writes sector operations into the swap.
            p.swapArmed = true;
            board.device()->armBootPowerCut(*p.order.atFlashWrite - writes, SimTime::fromSeconds(p.order.forS));
            continue;
        } else {
            continue;
        }
        m_deferred.push_back(p.order);   // not from inside the operation's call
        m_sim.schedule(m_sim.now(), *this, EventData{board.node, kDeferred, m_deferred.size() - 1, 0});
        return;
    }
}

void SmpFleetFaults::onMaterialized(std::size_t index)
{
    if (SmpSimDevice* device = m_boards[index].device())
        device->setBootObserver([this, index](const core::mcuboot::BootResult& boot) { onBoot(index, boot); });
}

void SmpFleetFaults::onBoot(std::size_t index, const core::mcuboot::BootResult& boot)
{
    faults::FaultLog* log = m_fleet.faultLog();
    if (boot.powerLost) {
        for (Pending& p : m_pending[index]) {
            if (p.done || !p.swapArmed)
                continue;
            p.done = true;
            if (log)
                log->fired(p.order.id, nowS(),
                           QStringLiteral("power off %1 s during MCUboot's %2 swap at the test reset, after %3 sector "
                                          "operations (flash write %4: the upload's %5 chunks, then the swap's)")
                               .arg(secondsText(p.order.forS), core::mcuboot::swapTypeText(boot.swapType))
                               .arg(boot.sectorSteps)
                               .arg(*p.order.atFlashWrite)
                               .arg(m_writes[index]));
            m_watches[index].push_back(Watch{p.order.id, index, false, false, true, std::nullopt});
        }
        return;
    }
    for (Watch& w : m_watches[index]) {
        if (w.closed || !w.swapCut)
            continue;
        w.swapCut = false;
        if (log)
            log->effect(w.id, QStringLiteral("%1 s: MCUboot ran again, %2the swap (%3), boots %4")
                                  .arg(secondsText(nowS()), boot.resumed ? QStringLiteral("resumed and finished ") : QString(),
                                       core::mcuboot::swapTypeText(boot.swapType),
                                       boot.booted ? boot.version.toString() : QStringLiteral("nothing")));
    }
    for (AttackWatch& a : m_attacks[index]) {
        if (a.tried)
            continue;
        for (const QString& line : boot.log) {
            if (line.contains(QLatin1String("erased")) || line.contains(QLatin1String("not valid"))
                || line.contains(QLatin1String("insufficient")) || line.contains(QLatin1String("downgrade")))
                a.bootSaid = QStringLiteral("MCUboot: %1").arg(line);
        }
    }
}

QString SmpFleetFaults::outcome(const SmpFleetBoard& board) const
{
    const QString runs = board.runningVersion(m_images);
    switch (board.state) {
    case SmpPushState::Upgraded: return QStringLiteral("upgraded: runs %1").arg(runs);
    default: return QStringLiteral("%1: %2 (runs %3)").arg(smpPushStateName(board.state), board.failureReason, runs);
    }
}

void SmpFleetFaults::onState(std::size_t index, SmpPushState to)
{
    if (!isFinalPhase(smpPushPhase(to)))
        return;
    faults::FaultLog* log = m_fleet.faultLog();
    if (!log)
        return;
    const SmpFleetBoard& board = m_boards[index];
    for (Watch& w : m_watches[index]) {
        if (w.closed)
            continue;
        w.closed = true;
        if (w.badImage) {
            const bool faulted = board.device() && board.device()->faults() > 0;
            if (faulted)
                log->fired(w.id, board.resetAt ? board.resetAt->toSeconds() : nowS(),
                           w.variant == faults::BadImageVariant::DoesNotBoot
                               ? QStringLiteral("the test boot of %1 crashed at once (doesNotBoot)").arg(m_images.pushedVersionText)
                               : QStringLiteral("%1 booted for its test run, failed its self-test %2 ms after start and "
                                                "reset without confirming (failsSelfTest)")
                                     .arg(m_images.pushedVersionText)
                                     .arg(m_config.boards.faultAfter.toMillis()));
            else
                log->notFired(w.id, QStringLiteral("the bad image never booted on this board (%1)").arg(smpPushStateName(to)));
        }
        log->effect(w.id, outcome(board));
        if (to == SmpPushState::Upgraded || to == SmpPushState::RolledBack)
            log->recovered(w.id, true);   // runs a valid image: the new one, or the old one MCUboot reverted to
    }
    for (AttackWatch& a : m_attacks[index]) {
        if (a.tried)
            continue;
        a.tried = true;
        if (to == SmpPushState::Upgraded) {
            log->attackTried(a.id, nowS(), true, QStringLiteral("the board took the %1 image and runs %2")
                                                     .arg(faults::attackKindName(a.kind), board.runningVersion(m_images)));
            continue;
        }
        QString reason = a.bootSaid.isEmpty() ? board.failureReason : a.bootSaid + QStringLiteral("; ") + board.failureReason;
        log->attackTried(a.id, (board.resetAt ? *board.resetAt : m_sim.now()).toSeconds(), false,
                         QStringLiteral("%1; the board keeps running %2").arg(reason, board.runningVersion(m_images)));
    }
}

Result<const QByteArray*> SmpFleetFaults::attackImage(AttackKind kind)
{
    const QByteArray& pushed = m_images.pushed;
    const core::mcuboot::ImageVersion running = m_images.runningVersion;
    switch (kind) {
    case AttackKind::TamperedImage:
        if (!m_tampered) {
            m_tampered = std::make_unique<QByteArray>(pushed);
            const qsizetype middle = m_tampered->size() / 2;
            (*m_tampered)[middle] = char(~(*m_tampered)[middle]);
        }
        return m_tampered.get();
    case AttackKind::Downgrade:
    case AttackKind::Replay: {
        std::unique_ptr<QByteArray>& slot = kind == AttackKind::Replay ? m_replay : m_downgrade;
        if (slot)
            return slot.get();
        // Replay: the release before the running one; downgrade: an older one still.
        core::mcuboot::ImageVersion v;
        if (running.major > 0) {
            v.major = std::uint8_t(running.major - 1);
            v.minor = kind == AttackKind::Replay ? 9 : 5;
        } else if (running.minor > 0) {
            v.minor = std::uint8_t(running.minor - 1);
            v.revision = kind == AttackKind::Replay ? 9 : 5;
        } else {
            return fail(QStringLiteral("the boards run %1: there is no older version to offer").arg(m_images.runningVersionText));
        }
        // Signed by the fleet's own key when the boards check signatures: only the version is wrong.
        auto image = makeSmpFleetImage(pushed.size(), v, kind == AttackKind::Replay ? kSaltReplay : kSaltDowngrade,
                                       m_images.signingKey ? &*m_images.signingKey : nullptr);
        if (!image)
            return fail(image.error());
        slot = std::make_unique<QByteArray>(std::move(*image));
        return slot.get();
    }
    case AttackKind::WrongKey: {
        if (!m_images.signingKey)
            return fail(QStringLiteral("the smp fleet's boards run MCUboot without signature keys (its images carry a SHA256 "
                                       "TLV only): a foreign signature would not be checked; set boards.signatureKey"));
        if (m_wrongKey)
            return m_wrongKey.get();
        // The fleet's image, its KEYHASH and signature replaced by those of a key the boards do not trust.
        auto key = smpFleetKey(m_keySeed, kPurposeWrongKey);
        if (!key)
            return fail(key.error());
        auto image = core::mcuboot::signImage(pushed, *key);
        if (!image)
            return fail(image.error());
        m_wrongKey = std::make_unique<QByteArray>(std::move(*image));
        return m_wrongKey.get();
    }
    default:
        return fail(QStringLiteral("%1 is not an attack on an MCUboot board").arg(faults::attackKindName(kind)));
    }
}

Result<void> SmpFleetFaults::armAttack(const faults::AttackOrder& order)
{
    if (order.device >= m_boards.size())
        return fail(attackError(order.spec, QStringLiteral("board %1: the fleet has %2").arg(order.device).arg(m_boards.size())));
    auto image = attackImage(order.kind);
    if (!image)
        return fail(attackError(order.spec, image.error().message));
    // One push per board, so one forged file: a second attack on the same board is not
    // staged (its row says so) rather than reported with the first one's outcome.
    if (!m_attacks[order.device].empty()) {
        if (faults::FaultLog* log = m_fleet.faultLog())
            log->attackNotTried(order.id, QStringLiteral("not staged: the board already receives the forged file of %1 "
                                                         "(one push, one file per board)")
                                              .arg(faults::attackKindName(m_attacks[order.device].front().kind)));
        return {};
    }
    m_boards[order.device].plan.image = *image;
    m_attacks[order.device].push_back(AttackWatch{order.id, order.device, order.kind, false, {}});
    return {};
}

void SmpFleetFaults::injectAttack(const faults::AttackOrder& order)
{
    (void)order;   // the forged file is the board's from arm on: its next push sends it
}

} // namespace otalab::sim
