// SPDX-License-Identifier: Apache-2.0
// The simulator's side of core/awsota's OtaAgent: a PAL that models a device's flash and
// boot slots without bytes (it only costs time and returns a cached signature verdict),
// and the per-device slot that holds an agent while the device works on a job.
#pragma once

#include "core/awsota/otaagent.h"
#include "core/awsota/otapal.h"
#include "sim/jobs/jobspreset.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/simtime.h"

#include <QJsonObject>

#include <optional>

namespace otalab::sim {

// The signature verdicts of the job's file, computed once per fleet with core's real
// signing (a signed image verifies; the bad-signature variant is signed over other bytes).
struct JobsSignatureVerdicts {
    bool goodVerifies = true;
    QString badDetail;        // verifyFileSignature's words for the bad variant
};

// OtaPal of one simulated device. Writes nothing: blocks are views of the fleet's one image
// and are dropped; closeFile returns the verdict of the device's image variant. Every call
// adds the time the platform spends to busy() (erase, program, hash + verify), which the
// host applies to the actions of the same input. Boot slots: activateNewImage arms the
// new image for the next restart(); an image left PendingCommit rolls back on restart.
class JobsSimPal final : public core::awsota::OtaPal {
public:
    // `energy` is the device's (flash and CPU time are added to it); it outlives the PAL.
    JobsSimPal(const JobsDevicePreset& preset, const JobsSignatureVerdicts& verdicts, bool badSignature, JobsEnergyTimes& energy)
        : m_preset(&preset), m_verdicts(&verdicts), m_energy(&energy), m_badSignature(badSignature)
    {
    }

    core::awsota::PalResult<void> createFileForRx(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> resumeFileForRx(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> writeBlock(const core::awsota::OtaFileInfo& file, std::uint32_t offset, QByteArrayView data) override;
    core::awsota::PalResult<void> closeFile(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> abort(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> activateNewImage(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> resetDevice() override;
    core::awsota::PalResult<void> setPlatformImageState(core::awsota::ImageState state) override;
    core::awsota::PalImageState getPlatformImageState() const override { return m_platform; }

    // From now on closeFile fails the signature check with these words (core's
    // verifyFileSignature on the file the device holds: a forged block, a tampered file, a
    // file signed with another key — scenario attacks).
    void failSignature(QString detail)
    {
        m_badSignature = true;
        m_failDetail = std::move(detail);
    }
    // The boot loader at a restart: boot the activated image pending commit, or roll an
    // uncommitted new image back. The receive file survives (flash).
    void restart();
    bool runningNew() const { return m_runningNew; }
    bool signatureFailed() const { return m_signatureFailed; }
    core::awsota::ImageState imageState() const { return m_imageState; }
    // Time the platform spent since the last takeBusy() (flash and crypto).
    SimTime takeBusy();

private:
    const JobsDevicePreset* m_preset;
    const JobsSignatureVerdicts* m_verdicts;
    JobsEnergyTimes* m_energy;
    bool m_badSignature = false;
    QString m_failDetail;
    bool m_fileOpen = false;
    bool m_activatePending = false;
    bool m_runningNew = false;
    bool m_signatureFailed = false;
    core::awsota::PalImageState m_platform = core::awsota::PalImageState::Valid;
    core::awsota::ImageState m_imageState = core::awsota::ImageState::Unknown;
    SimTime m_busy;
};

// What a device holds while it works on a job: its PAL, its agent and the host's timers.
// Allocated when notify-next reaches the device, freed when its execution ends (a
// waiting or finished device costs only its JobsDevice).
struct JobsAgentSlot {
    JobsAgentSlot(const JobsDevicePreset& preset, const JobsSignatureVerdicts& verdicts, bool badSignature, JobsEnergyTimes& energy)
        : pal(preset, verdicts, badSignature, energy)
    {
    }
    JobsSimPal pal;
    std::optional<core::awsota::OtaAgent> agent;
    // The agent re-arms its request timer on every block: the slot keeps one kernel event
    // and only moves the deadline (a fired event re-arms itself for a later deadline; a
    // cancel just clears the deadline), so the queue holds no cancelled timers.
    EventHandle requestEvent;            // the pending kernel event, if any
    SimTime requestEventAt;
    SimTime requestDeadline = SimTime::max();  // max: not armed
    EventHandle selfTestTimer;
    QJsonObject statusDetails;   // of the agent's last update: the service echoes it in the job
    bool initial = true;         // the agent's first start(): its $next/get was answered at boot
};

} // namespace otalab::sim
