// SPDX-License-Identifier: Apache-2.0
// OcfFleet: hosting core/ocf's SwUpdateDevice on each device — its inputs (messages, timers,
// boot) and its actions (datagrams, timers, state changes, reboot), and the platform's flash.
#include "sim/ocf/ocffleet.h"
#include "sim/ocf/ocffleetevents.h"
#include "sim/ocf/ocfplatform.h"

#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

using namespace core::ocf;

OcfDeviceSlot& OcfFleet::slotFor(std::size_t i)
{
    OcfDevice& d = m_devices[i];
    if (!d.slot)
        bootMachine(i);
    return *d.slot;
}

void OcfFleet::bootMachine(std::size_t i)
{
    OcfDevice& d = m_devices[i];
    SwUpdateDeviceConfig config;
    config.deviceId = QStringLiteral("ocf-%1").arg(i + 1, 5, 10, QLatin1Char('0'));
    config.name = config.deviceId;
    config.authorisedClients = QStringList{QStringLiteral("ocf-client")};
    config.blockSzx = m_szx;
    d.slot = std::make_unique<OcfDeviceSlot>(*this, i, std::move(config));
    DeviceActions out;
    d.slot->machine.boot(deviceClockMs(i), d.kept, out);
    carryOut(i, out);
}

const SwUpdateDevice* OcfFleet::machineOf(std::size_t i) const
{
    const OcfDevice& d = m_devices[i];
    return d.slot ? &d.slot->machine : nullptr;
}

void OcfFleet::deviceReceived(std::size_t i, std::uint32_t epoch, const CoapMessage& message, const CoapPeer& from)
{
    OcfDevice& d = m_devices[i];
    if (epoch != d.epoch || m_sim.now() < d.poweredOffUntil || d.rebooting) {
        ++m_counters.datagramsLost;   // it was off (or rebooting): the datagram is gone
        return;
    }
    OcfDeviceSlot& slot = slotFor(i);
    DeviceActions out;
    slot.machine.onMessage(deviceClockMs(i), from, message, out);
    carryOut(i, out);
    releaseIfDone(i);
}

void OcfFleet::releaseIfDone(std::size_t i)
{
    // A device that ended keeps only what its flash holds (the persisted record); the
    // machine is built again from it if anyone talks to the device later.
    OcfDevice& d = m_devices[i];
    if (d.slot && isFinalPhase(ocfStepPhase(d.step)) && !d.rebooting) {
        m_sim.cancel(d.timers[0]);
        m_sim.cancel(d.timers[1]);
        d.slot.reset();
    }
}

void OcfFleet::deviceTimer(std::size_t i, std::uint32_t epoch, std::uint32_t timer)
{
    OcfDevice& d = m_devices[i];
    if (epoch != d.epoch || !d.slot)
        return;
    d.timers[timer & 1] = EventHandle{};
    const OcfGroup& g = m_groups[d.group];
    if (SwUpdateTimer(timer) == SwUpdateTimer::Request && g.kind == OcfLinkKind::Thread && g.fastPollS > 0)
        d.energy.polls += std::uint32_t((m_sim.now() - d.lastSendAt).toSeconds() / g.fastPollS);   // it polled for an answer that never came
    DeviceActions out;
    d.slot->machine.onTimer(deviceClockMs(i), SwUpdateTimer(timer), out);
    carryOut(i, out);
    releaseIfDone(i);
}

void OcfFleet::carryOut(std::size_t i, DeviceActions& actions)
{
    for (std::size_t k = 0; k < actions.size(); ++k) {
        OcfDevice& d = m_devices[i];
        DeviceAction& action = actions[k];
        if (auto* send = std::get_if<DeviceSend>(&action)) {
            const int bytes = int(encodedSize(send->message));
            SimTime left;
            static const QString serverHost = QStringLiteral("image-server"), clientHost = QStringLiteral("ocf-client");
            const bool toServer = send->to.host == serverHost;
            const bool toClient = !toServer && send->to.host == clientHost;
            if (toServer && send->message.isRequest()) {
                ++d.requests;
                if (d.requests > 1 && send->message.messageId == d.lastMessageId)
                    ++d.retransmissions;
                d.lastMessageId = send->message.messageId;
            }
            const auto at = uplink(i, m_sim.now(), bytes, left, toServer);
            if (!at || (!toServer && !toClient))
                continue;   // lost, or to the intruder (nobody listens for it in the model)
            m_sim.schedule(*at, *this, data(i, toServer ? ocfevents::kServerRx : ocfevents::kClientRx, park(std::move(send->message))));
        } else if (const auto* arm = std::get_if<DeviceArmTimer>(&action)) {
            EventHandle& h = d.timers[int(arm->timer) & 1];
            m_sim.cancel(h);
            h = m_sim.schedule(m_sim.now() + SimTime::fromMillis(std::int64_t(arm->delayMs)), *this,
                               data(i, ocfevents::kDeviceTimer, std::uint64_t(arm->timer), d.epoch));
        } else if (const auto* cancel = std::get_if<DeviceCancelTimer>(&action)) {
            m_sim.cancel(d.timers[int(cancel->timer) & 1]);
            d.timers[int(cancel->timer) & 1] = EventHandle{};
        } else if (const auto* change = std::get_if<DeviceStateChanged>(&action)) {
            onStateChanged(i, *change);
        } else if (const auto* progress = std::get_if<DeviceProgress>(&action)) {
            (void)progress;
            checkProgressFault(i);
        } else if (std::holds_alternative<DeviceReboot>(action)) {
            // The machine applied: the device resets into MCUboot, which swaps the images
            // (swap-move) and boots the new one; RAM (and the machine) are gone.
            const OcfGroup& g = m_groups[d.group];
            d.rebooting = true;
            ++d.epoch;
            m_sim.cancel(d.timers[0]);
            m_sim.cancel(d.timers[1]);
            const double swap = ocfSwapSeconds(*g.preset, m_images->image(d.storedVariant)->bytes.size());
            const SimTime done = m_sim.now() + SimTime::fromSeconds(g.preset->bootS + swap);
            d.energy.flashNs += SimTime::fromSeconds(swap).nanos();
            d.energy.cpuNs += SimTime::fromSeconds(g.preset->bootS + swap).nanos();
            d.rebootDoneAt = done;
            m_sim.schedule(done, *this, data(i, ocfevents::kRebooted, 0, d.epoch));
            // The rest of this batch belonged to the machine that is gone.
            DeviceActions rest;
            for (std::size_t r = k + 1; r < actions.size(); ++r)
                if (std::holds_alternative<DeviceStateChanged>(actions[r]))
                    rest.push_back(std::move(actions[r]));
            d.slot.reset();
            for (DeviceAction& a : rest)
                onStateChanged(i, std::get<DeviceStateChanged>(a));
            return;
        } else if (const auto* refused = std::get_if<DeviceRefused>(&action)) {
            m_reasons[std::uint32_t(i)] = refused->reason;
            if (refused->from.identity == QLatin1String("intruder")) {
                ++m_counters.unauthorised;
                if (d.attack >= 0 && faultLog())
                    faultLog()->attackTried(d.attack, m_sim.now().toSeconds(), false, refused->reason + QStringLiteral(" → 4.01 Unauthorized"));
            }
        }
    }
}

void OcfFleet::onStateChanged(std::size_t i, const DeviceStateChanged& change)
{
    OcfDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    if (change.from != change.to)
        m_sim.observers().notifyStateChange(StateChange{now, m_firstNode + NodeId(i), kOcfSwUpdateMachine, std::uint16_t(change.from), std::uint16_t(change.to)});
    d.swState = std::uint8_t(change.to);
    d.swResult = std::uint8_t(change.result);
    switch (change.to) {
    case SwUpdateState::Nsa:
        setStep(i, OcfStep::Scheduled);
        break;
    case SwUpdateState::Svv:
        if (d.startedAt == SimTime::max()) {
            d.startedAt = now;
            d.energyAtStart = d.energy;
        }
        setStep(i, OcfStep::Downloading);
        break;
    case SwUpdateState::Sva: {
        if (d.validatedAt == SimTime::max())
            d.validatedAt = now;
        setStep(i, OcfStep::WaitingToApply);
        // The client observes /oc/swu: the sva notification tells it to schedule the upgrade
        // (a notification the link loses comes again with the next CON one: 1 s later here).
        if (m_config.client.validateFirst) {
            SimTime left;
            const auto at = uplink(i, now, 64, left, false);
            m_sim.schedule(at ? *at : now + SimTime::fromSeconds(1), *this, data(i, ocfevents::kClientNotified));
        }
        break;
    }
    case SwUpdateState::Upgrading:
        d.upgradingAt = now;
        setStep(i, OcfStep::Applying);
        break;
    case SwUpdateState::Idle:
        switch (change.result) {
        case SwUpdateResult::Idle:
            if (d.step != OcfStep::Unconfigured && !isFinalPhase(ocfStepPhase(d.step)))
                setStep(i, OcfStep::Scheduled);
            break;
        case SwUpdateResult::Success: setStep(i, OcfStep::Upgraded); break;
        case SwUpdateResult::SvvFail:
            m_reasons[std::uint32_t(i)] = change.why;
            if (d.attack >= 0 && faultLog())
                faultLog()->attackTried(d.attack, now.toSeconds(), false, change.why);
            setStep(i, OcfStep::Refused);
            break;
        case SwUpdateResult::UpgradeFail:
            m_reasons[std::uint32_t(i)] = change.why;
            setStep(i, OcfStep::RolledBack);
            break;
        default:
            m_reasons[std::uint32_t(i)] = change.why;
            // A cloud that reads swupdateresult 4 (connection fail) schedules the update again:
            // the device waits for that (not final) until the client's retries are spent.
            if (change.result == SwUpdateResult::ConnectionFail && d.clientTries <= m_config.client.maxRetries && !d.held) {
                setStep(i, OcfStep::Scheduled);
                m_sim.schedule(now + SimTime::fromSeconds(m_config.client.retryAfterS), *this, data(i, ocfevents::kClientRetry));
            } else {
                setStep(i, OcfStep::Failed);
            }
            break;
        }
        break;
    }
}

void OcfFleet::rebooted(std::size_t i, std::uint32_t epoch)
{
    OcfDevice& d = m_devices[i];
    if (epoch != d.epoch || !d.rebooting)
        return;
    d.rebooting = false;
    d.rebootDoneAt = SimTime::max();
    // MCUboot booted the swapped image (test swap). A good image confirms itself; one that
    // fails its self-test resets without confirming and one that does not boot crashes: either
    // way the bootloader reverts to the old image at the next reset (swap type revert).
    if (d.applyPending) {
        d.applyPending = false;
        const bool good = d.storedVariant != OcfImageVariant::FailsSelfTest && d.storedVariant != OcfImageVariant::DoesNotBoot;
        d.runsNew = good && d.storedVariant == OcfImageVariant::Release;
        if (!good) {
            const OcfGroup& g = m_groups[d.group];
            const double revert = ocfSwapSeconds(*g.preset, m_images->image(d.storedVariant)->bytes.size()) + g.preset->bootS +
                                  (d.storedVariant == OcfImageVariant::FailsSelfTest ? g.preset->selfTestS : 0.0);
            d.energy.cpuNs += SimTime::fromSeconds(revert).nanos();
            d.rebooting = true;
            d.rebootDoneAt = m_sim.now() + SimTime::fromSeconds(revert);
            if (d.badImageFault >= 0 && faultLog())
                faultLog()->effect(d.badImageFault, d.storedVariant == OcfImageVariant::FailsSelfTest
                                                        ? QStringLiteral("booted %1, failed its self-test, MCUboot reverted to %2").arg(m_images->image(d.storedVariant)->version, m_images->runningVersion())
                                                        : QStringLiteral("%1 crashed at boot, MCUboot reverted to %2").arg(m_images->image(d.storedVariant)->version, m_images->runningVersion()));
            m_sim.schedule(d.rebootDoneAt, *this, data(i, ocfevents::kRebooted, 0, d.epoch));
            return;
        }
    }
    d.userDataKept = true;   // the update never writes the application's user data area
    bootMachine(i);
}

void OcfFleet::setStep(std::size_t i, OcfStep next)
{
    OcfDevice& d = m_devices[i];
    const OcfStep previous = d.step;
    if (previous == next)
        return;
    const SimTime now = m_sim.now();
    const FleetPhase from = ocfStepPhase(previous);
    const FleetPhase to = ocfStepPhase(next);
    d.step = next;
    d.stepSince = now;
    if (isFinalPhase(to)) {
        d.finishedAt = now;
        resolveFaults(i);
    }
    m_sim.observers().notifyStateChange(StateChange{now, m_firstNode + NodeId(i), kOcfPhaseMachine, std::uint16_t(previous), std::uint16_t(next)});
    if (from != to && m_listener)
        m_listener->onDevicePhase(*this, i, from, to);
}

// --- the platform's flash --------------------------------------------------------------------

void OcfFleet::platformErase(std::size_t i)
{
    OcfDevice& d = m_devices[i];
    const OcfPreset& p = *m_groups[d.group].preset;
    const double erase = p.flashEraseSPer4K * double((m_slotBytes + 4095) / 4096);
    d.energy.flashNs += SimTime::fromSeconds(erase).nanos();
    d.busyUntil = std::max(d.busyUntil, m_sim.now()) + SimTime::fromSeconds(erase);
    d.stored = 0;
    d.flashWrites = 0;
}

bool OcfFleet::platformWrite(std::size_t i, std::uint64_t offset, std::uint64_t bytes)
{
    OcfDevice& d = m_devices[i];
    const auto armed = m_armedPowerLoss.find(std::uint32_t(i));
    if (armed != m_armedPowerLoss.end() && armed->second.atFlashWrite && d.flashWritesTotal + 1 >= std::uint32_t(*armed->second.atFlashWrite)) {
        // The write does not happen; the cut itself comes in an event of its own, after the
        // machine (which halts on a failed write) has returned.
        armed->second.how = QStringLiteral("at flash write %1 (offset %2 of %3)").arg(d.flashWritesTotal + 1).arg(offset)
                                .arg(m_images->image(d.storedVariant)->bytes.size());
        armed->second.atFlashWrite.reset();
        m_sim.schedule(m_sim.now(), *this, data(i, ocfevents::kPowerCut, 0, d.epoch));
        return false;
    }
    ++d.flashWrites;
    ++d.flashWritesTotal;
    d.stored = std::max(d.stored, offset + bytes);
    if (d.kept)
        d.kept->bytesStored = d.stored;   // the platform's own record of the slot (its flash holds the bytes)
    return true;
}

Result<SwUpdateImageInfo> OcfFleet::platformValidate(std::size_t i, std::uint64_t imageBytes)
{
    const OcfDevice& d = m_devices[i];
    const OcfImage* image = m_images->image(d.storedVariant);
    if (d.stored < imageBytes || imageBytes != std::uint64_t(image->bytes.size()))
        return fail(Error{QStringLiteral("%1 of %2 bytes stored").arg(d.stored).arg(imageBytes)});
    return image->verdict;
}

} // namespace otalab::sim
