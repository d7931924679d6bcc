// SPDX-License-Identifier: Apache-2.0
// OtaDevice: OtaClient on a simulated node — polling, flash energy, campaign progress.
#include "sim/zigbee/otadevice.h"

#include "sim/kernel/simulator.h"
#include "sim/zigbee/zigbeenode.h"

#include <cmath>

namespace otalab::sim {

using namespace core::zigbee;

namespace {
constexpr std::uint32_t kRngPurposeOtaClient = 0x4F544143u; // 'OTAC'
}

OtaDevice::OtaDevice(Simulator& sim, ZigbeeNode& node, const DevicePreset& preset, const SimOtaFlash::ImageList& images,
                     OtaClientConfig clientConfig, const OtaDeviceSettings& settings, OtaDeviceListener* listener)
    : OtaHostBase(sim, node)
    , m_settings(settings)
    , m_listener(listener)
    , m_energy(node.node(), preset, sim.now())
    , m_rng(sim.seed(), node.node(), kRngPurposeOtaClient)
    , m_flash(images, settings.flashCapacity, this)
    , m_clientConfig(std::move(clientConfig))
{
    m_client.emplace(m_clientConfig, m_flash, [this] { return static_cast<std::uint32_t>(m_rng.next() >> 32); });
    m_progress.initialVersion = m_client->config().currentFileVersion;
    m_progress.version = m_progress.initialVersion;
}

OtaDevice::~OtaDevice() = default;

void OtaDevice::start()
{
    m_sim.schedule(m_sim.now() + m_settings.firstQueryDelay, *this, EventData{m_node.node(), Started, 0, 0});
}

bool OtaDevice::finished() const
{
    using P = OtaDeviceProgress::Phase;
    return m_progress.phase == P::Upgraded || m_progress.phase == P::Failed || m_progress.phase == P::Refused;
}

void OtaDevice::noteNetworkError(const QString& message)
{
    m_progress.lastNetworkError = message;
}

void OtaDevice::onOtaFrame(std::uint16_t source, QByteArrayView frame)
{
    if (m_stopped || m_poweredOff) {
        return;
    }
    expectResponse(false);  // a server frame: whatever we were waiting for has come
    m_client->handle(nowMs(), source, frame, m_actions);
    if (m_cutRequested) {
        // The block is stored; the power fails before the client does anything more.
        const SimTime offFor = *m_cutRequested;
        m_cutRequested.reset();
        m_actions.clear();
        powerCut(offFor);
        return;
    }
    dispatch(m_actions);
}

void OtaDevice::onOtaTimer(OtaTimerId id)
{
    if (m_stopped || m_poweredOff) {
        return;
    }
    m_client->onTimer(nowMs(), id, m_actions);
    dispatch(m_actions);
}

void OtaDevice::onOwnEvent(const Event& event)
{
    switch (event.data.kind) {
    case PowerOn:
        if (m_poweredOff && event.data.arg0 == m_powerGeneration) {
            onPowerOn();
        }
        break;
    case Started:
        if (!m_stopped && !m_poweredOff) {
            m_client->start(nowMs(), m_actions);
            dispatch(m_actions);
        }
        break;
    case ResponseWaitOver:
        if (!m_responseWait.isFiring(event)) {
            break;
        }
        if (!m_expectingResponse) {
            m_responseWait.drop();  // the response came meanwhile
        } else if (m_responseWait.fire(m_sim, *this, event.data)) {
            expectResponse(false);
        }
        break;
    case CpuDone:
        if (m_cpuTimer.isFiring(event)) {
            m_cpuTimer = Timer{};
            m_energy.setCpuState(m_sim, CpuState::Sleep);
        }
        break;
    default:
        break;
    }
}

void OtaDevice::onSendAction(const SendFrame& send)
{
    if (send.commandId == otacmd::QueryNextImageRequest || send.commandId == otacmd::QueryDeviceSpecificFileRequest) {
        m_gatedAnswer = false;
    }
    switch (send.commandId) {
    case otacmd::QueryNextImageRequest:
    case otacmd::ImageBlockRequest:
    case otacmd::ImagePageRequest:
    case otacmd::UpgradeEndRequest:
    case otacmd::QueryDeviceSpecificFileRequest:
        expectResponse(true);
        break;
    default:
        break;
    }
    if (send.commandId == otacmd::ImageBlockRequest || send.commandId == otacmd::ImagePageRequest) {
        ++m_progress.blockRequests;
        if (m_progress.phase == OtaDeviceProgress::Phase::Downloading) {
            setFastPolling(true);
        }
        if (!m_progress.start) {
            m_progress.start = m_sim.now();
            m_energy.flush(m_sim);
            m_progress.energyAtStart = m_energy.energyJoules();
        }
    }
}

void OtaDevice::onSendDone(const ApsSendResult& result)
{
    if (result.delivered || result.reason != NwkDropReason::ApsNoAck) {
        return;
    }
    m_progress.lastNetworkError = QStringLiteral("no APS ACK from 0x%1 after %2 attempts (%3)")
                                      .arg(result.dstShort, 4, 16, QLatin1Char('0'))
                                      .arg(static_cast<int>(result.apsAttempts))
                                      .arg(QLatin1String(toString(result.reason)));
}

void OtaDevice::onSendRefused(std::uint16_t destination, std::uint8_t commandId, const Error& error)
{
    m_progress.lastNetworkError = QStringLiteral("could not send %1 to 0x%2: %3")
                                      .arg(otaCommandName(commandId))
                                      .arg(destination, 4, 16, QLatin1Char('0'))
                                      .arg(error.toString());
}

void OtaDevice::onOtherAction(const OtaAction& action)
{
    if (const auto* change = std::get_if<StateChanged>(&action)) {
        onStatus(*change);
    } else if (const auto* event = std::get_if<OtaEvent>(&action)) {
        onEvent(*event);
    } else if (const auto* reboot = std::get_if<Reboot>(&action)) {
        onReboot(*reboot);
    }
}

void OtaDevice::onReboot(const Reboot& reboot)
{
    m_progress.version = reboot.newFileVersion;
    m_progress.finish = m_sim.now();
    m_energy.flush(m_sim);
    m_progress.energyAtFinish = m_energy.energyJoules();
    cpuBusy(CpuState::Active, m_settings.bootTime);
    if (!m_badImage) {
        stopClient(OtaDeviceProgress::Phase::Upgraded);
        return;
    }
    const QString version = QStringLiteral("0x%1").arg(reboot.newFileVersion, 8, 16, QLatin1Char('0'));
    if (*m_badImage == faults::BadImageVariant::FailsSelfTest) {
        m_progress.failureReason =
            QStringLiteral("the Gecko bootloader installed %1 (verified before install) and it boots, but fails its "
                           "self-test: there is no rollback (the application was overwritten in place, no second "
                           "slot): the device runs the faulty %1 until a fixed image is offered")
                .arg(version);
    } else {
        m_progress.failureReason =
            QStringLiteral("the Gecko bootloader installed %1 (verified before install) but it does not boot: with no "
                           "previous application to revert to, the device reset-loops (bricked until re-flashed)")
                .arg(version);
    }
    stopClient(OtaDeviceProgress::Phase::Failed);
}

void OtaDevice::powerCut(SimTime offFor)
{
    if (m_poweredOff) {
        return;
    }
    m_poweredOff = true;
    ++m_powerGeneration;
    // What the storage keeps: the file being downloaded and the offset reached.
    m_stored.reset();
    const auto& attr = m_client->attributes();
    const ImageUpgradeStatus status = m_client->status();
    if (!m_stopped && status != ImageUpgradeStatus::Normal && m_flash.imageSize() != 0) {
        OtaClient::StoredDownload stored;
        stored.manufacturerCode = m_clientConfig.manufacturerCode;
        stored.imageType = m_clientConfig.imageType;
        stored.fileVersion = attr.downloadedFileVersion;
        stored.size = m_flash.imageSize();
        stored.offset = status == ImageUpgradeStatus::DownloadInProgress ? std::min(attr.fileOffset, stored.size) : stored.size;
        m_stored = stored;
    }
    if (status != ImageUpgradeStatus::Normal) {
        // The attribute lives in RAM: it reads Normal again when the device comes back.
        m_sim.observers().notifyStateChange(StateChange{m_sim.now(), m_node.node(), kOtaStatusMachine,
                                                        static_cast<std::uint16_t>(status),
                                                        static_cast<std::uint16_t>(ImageUpgradeStatus::Normal)});
    }
    cancelAllTimers();
    m_expectingResponse = false;
    m_responseWait.cancel(m_sim);
    m_downloadFastPoll = false;
    m_parked = false;
    m_node.stopPolling();
    if (m_energy.cpuState() != CpuState::Sleep) {
        m_energy.setCpuState(m_sim, CpuState::Sleep);
    }
    m_cpuTimer = Timer{};
    m_cpuBusyUntil = m_sim.now();
    m_sim.schedule(m_sim.now() + offFor, *this, EventData{m_node.node(), PowerOn, m_powerGeneration, 0});
}

void OtaDevice::onPowerOn()
{
    m_poweredOff = false;
    m_client.emplace(m_clientConfig, m_flash, [this] { return static_cast<std::uint32_t>(m_rng.next() >> 32); });
    cpuBusy(CpuState::Active, m_settings.bootTime);
    m_node.startPolling(m_settings.bootTime);
    updatePolling();
    QString what;
    if (m_stopped) {
        what = QStringLiteral("booted 0x%1; its update had ended (%2)")
                   .arg(m_progress.version, 8, 16, QLatin1Char('0'))
                   .arg(finished() ? QStringLiteral("final") : QStringLiteral("stopped"));
    } else if (m_stored) {
        what = m_stored->offset >= m_stored->size
                   ? QStringLiteral("booted; the complete download found in storage is verified again")
                   : QStringLiteral("booted; resumed the download from storage at offset %1 of %2 (%3 bytes kept)")
                         .arg(m_stored->offset)
                         .arg(m_stored->size)
                         .arg(m_stored->offset);
        m_client->resumeDownload(nowMs(), *m_stored, m_actions);
        dispatch(m_actions);
    } else {
        what = QStringLiteral("booted; nothing in storage: queries the server again");
        m_client->start(nowMs(), m_actions);
        dispatch(m_actions);
    }
    if (m_listener) {
        m_listener->onDevicePowerOn(*this, what);
    }
}

void OtaDevice::onStatus(const StateChanged& change)
{
    m_sim.observers().notifyStateChange(StateChange{m_sim.now(), m_node.node(), kOtaStatusMachine,
                                                    static_cast<std::uint16_t>(change.from), static_cast<std::uint16_t>(change.to)});
    if (m_parked && change.to != ImageUpgradeStatus::DownloadInProgress) {
        m_parked = false;
    }
    if (m_listener) {
        m_listener->onDeviceStatus(*this);
    }
    using P = OtaDeviceProgress::Phase;
    if (change.to == ImageUpgradeStatus::DownloadInProgress) {
        setFastPolling(true);
        setPhase(P::Downloading);
    } else if (change.from == ImageUpgradeStatus::DownloadInProgress && change.to != ImageUpgradeStatus::DownloadInProgress) {
        setFastPolling(false);
        if (change.to == ImageUpgradeStatus::Normal) {
            ++m_progress.failedAttempts;
            m_progress.failureReason = change.reason;
            if (!m_progress.lastNetworkError.isEmpty() && !change.reason.contains(QStringLiteral("INVALID_IMAGE"))) {
                m_progress.failureReason += QStringLiteral(" (network: %1)").arg(m_progress.lastNetworkError);
            }
            if (m_rolloutStopped) {
                m_progress.failureReason += QStringLiteral("; the rollout ended this device's job execution");
                stopClient(P::Failed);
            } else if (m_progress.failedAttempts >= m_settings.maxAttempts) {
                stopClient(P::Failed);
            } else {
                setPhase(P::Idle);
            }
        }
    }
}

void OtaDevice::onEvent(const OtaEvent& event)
{
    switch (event.kind) {
    case OtaEventKind::RequestTimedOut:
        ++m_progress.retries;
        break;
    case OtaEventKind::WaitForDataReceived:
        ++m_progress.retries;
        // Told to come back later: nothing is expected until the next request, so back
        // to the long poll (the next Image Block Request turns the short poll on again).
        setFastPolling(false);
        if (m_progress.phase == OtaDeviceProgress::Phase::Downloading) {
            setParked(true);  // held back by the server: the campaign shows it waiting
        }
        break;
    case OtaEventKind::BlockReceived:
        if (m_parked) {
            setParked(false);  // the server lets it download again
        }
        break;
    case OtaEventKind::QueryAnswered:
        if (event.status == ZclStatus::InvalidImage && m_listener) {
            m_listener->onDeviceOfferRefused(*this, static_cast<std::uint32_t>(event.value), event.detail);
        }
        if (event.status == ZclStatus::NoImageAvailable && m_gatedAnswer) {
            break;  // the rollout holds the device back: it keeps querying
        }
        if (event.status == ZclStatus::NotAuthorized || event.status == ZclStatus::NoImageAvailable) {
            m_progress.failureReason = event.status == ZclStatus::NotAuthorized
                                           ? QStringLiteral("NOT_AUTHORIZED: the server's policy refuses this device")
                                           : QStringLiteral("NO_IMAGE_AVAILABLE: no image for this device under its policy");
            stopClient(OtaDeviceProgress::Phase::Refused);
        }
        break;
    default:
        break;
    }
}

void OtaDevice::stopForRollout()
{
    m_rolloutStopped = true;
    if (!m_stopped && m_progress.phase == OtaDeviceProgress::Phase::Idle && m_progress.start) {
        // Between failed attempts: the server will not serve another one.
        m_progress.failureReason += QStringLiteral("; the rollout ended this device's job execution");
        stopClient(OtaDeviceProgress::Phase::Failed);
    }
}

bool OtaDevice::retryForRollout()
{
    if (m_progress.phase != OtaDeviceProgress::Phase::Failed) {
        m_rolloutStopped = false;  // notified again before its stop took effect: served on
        return false;
    }
    m_stopped = false;
    m_rolloutStopped = false;
    m_stoppedAt.reset();
    m_progress.failedAttempts = 0;
    setPhase(OtaDeviceProgress::Phase::Idle);
    m_client->start(nowMs(), m_actions);  // the query timer again, first query now
    dispatch(m_actions);
    return true;
}

void OtaDevice::stopClient(OtaDeviceProgress::Phase phase)
{
    m_stopped = true;
    cancelAllTimers();
    m_expectingResponse = false;
    m_responseWait.cancel(m_sim);
    setFastPolling(false);
    setPhase(phase);
}

void OtaDevice::setParked(bool parked)
{
    if (m_parked == parked) {
        return;
    }
    m_parked = parked;
    if (m_listener) {
        m_listener->onDeviceStatus(*this);
    }
}

void OtaDevice::setPhase(OtaDeviceProgress::Phase phase)
{
    if (m_progress.phase == phase) {
        return;
    }
    if (phase == OtaDeviceProgress::Phase::Failed || phase == OtaDeviceProgress::Phase::Refused) {
        m_stoppedAt = m_sim.now();
    }
    m_parked = false;
    const auto from = static_cast<std::uint16_t>(m_progress.phase);
    m_progress.phase = phase;
    m_sim.observers().notifyStateChange(
        StateChange{m_sim.now(), m_node.node(), kOtaPhaseMachine, from, static_cast<std::uint16_t>(phase)});
    if (m_listener) {
        m_listener->onDevicePhase(*this);
    }
}

void OtaDevice::setFastPolling(bool on)
{
    m_downloadFastPoll = on;
    updatePolling();
}

void OtaDevice::expectResponse(bool on)
{
    // A response arriving leaves the timer pending (dropped when it fires): no cancel
    // and re-arm per block.
    if (on) {
        m_responseWait.arm(m_sim, m_sim.now() + SimTime::fromMillis(m_client->config().requestTimeoutMs), *this,
                           EventData{m_node.node(), ResponseWaitOver, 0, 0});
    }
    if (m_expectingResponse == on) {
        return;
    }
    m_expectingResponse = on;
    updatePolling();
}

void OtaDevice::updatePolling()
{
    if (m_node.role() != NodeRole::EndDevice || m_settings.fastPollInterval <= SimTime::zero()) {
        return;
    }
    const bool fast = !m_stopped && (m_downloadFastPoll || m_expectingResponse);
    const SimTime wanted = fast ? m_settings.fastPollInterval : m_settings.pollInterval;
    if (m_node.pollInterval() != wanted) {
        m_node.setPollInterval(wanted);
    }
}

void OtaDevice::cpuBusy(CpuState state, SimTime duration)
{
    // Flash work is serialised: a new operation starts when the previous one ends; the CPU
    // state shows the latest operation (energy differences between the states are small).
    const SimTime begin = std::max(m_sim.now(), m_cpuBusyUntil);
    m_cpuBusyUntil = begin + duration;
    if (m_energy.cpuState() != state) {
        m_energy.setCpuState(m_sim, state);
    }
    m_cpuTimer.armAt(m_sim, m_cpuBusyUntil, *this, EventData{m_node.node(), CpuDone, 0, 0});
}

void OtaDevice::onFlashErase(std::uint32_t bytes)
{
    const std::uint32_t page = std::max<std::uint32_t>(1, m_settings.flashPageBytes);
    const std::uint32_t pages = (bytes + page - 1) / page;
    cpuBusy(CpuState::FlashErase, SimTime::fromSeconds(pages * m_settings.flashEraseMsPerPage * 1e-3));
}

void OtaDevice::onFlashWrite(std::uint32_t bytes)
{
    cpuBusy(CpuState::FlashWrite, SimTime::fromSeconds(bytes * m_settings.flashWriteUsPerByte * 1e-6));
    ++m_imageWrites;
    if (m_listener) {
        m_listener->onDeviceFlashWrite(*this, m_imageWrites);
    }
}

} // namespace otalab::sim
