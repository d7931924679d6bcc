// SPDX-License-Identifier: Apache-2.0
// The jobs family's machines as data: the device's job step, the OTA agent's OtaState and
// the platform image state, with the phase each state stands for.
#include "sim/jobs/jobsfleet.h"

#include "core/awsota/otaagent.h"

namespace otalab::sim {

FleetPhase jobsStepPhase(JobsStep step)
{
    using S = JobsStep;
    switch (step) {
    case S::WaitingForJob:
    case S::Notified: return FleetPhase::Waiting;
    case S::CreatingFile:
    case S::Receiving:
    case S::Suspended: return FleetPhase::Downloading;
    case S::ClosingFile: return FleetPhase::Verifying;
    case S::Rebooting:
    case S::SelfTest:
    case S::RollingBack: return FleetPhase::Applying;
    case S::Upgraded: return FleetPhase::Upgraded;
    case S::RolledBack: return FleetPhase::RolledBack;
    case S::SignatureFailed: return FleetPhase::Refused;
    case S::Aborted: return FleetPhase::Failed;
    }
    return FleetPhase::Waiting;
}

QString jobsStepName(JobsStep step)
{
    static const char* const names[kJobsStepCount] = {
        "waiting for a job", "notified", "creating file", "receiving blocks", "suspended (reconnecting)", "closing file",
        "rebooting", "self-test", "upgraded", "rolling back", "rolled back", "signature check failed", "aborted"};
    return QString::fromLatin1(names[int(step)]);
}

static_assert(kJobsAgentStateCount == core::awsota::kOtaStateCount, "JobsAgentState mirrors core's OtaState");
static_assert(int(JobsAgentState::WaitingForFileBlock) == int(core::awsota::OtaState::WaitingForFileBlock));
static_assert(int(JobsAgentState::Stopped) == int(core::awsota::OtaState::Stopped));

QString jobsAgentStateName(JobsAgentState state)
{
    return core::awsota::otaStateName(core::awsota::OtaState(state));   // the library's strings
}

JobsAgentState jobsAgentStateOf(JobsStep step)
{
    using S = JobsStep;
    using A = JobsAgentState;
    switch (step) {
    case S::WaitingForJob:
    case S::Notified: return A::WaitingForJob;
    case S::CreatingFile: return A::CreatingFile;
    case S::Receiving: return A::WaitingForFileBlock;
    case S::Suspended: return A::Suspended;
    case S::ClosingFile: return A::ClosingFile;
    case S::Rebooting:
    case S::RollingBack: return A::Init;
    case S::SelfTest: return A::WaitingForJob;
    case S::Upgraded:
    case S::RolledBack:
    case S::SignatureFailed:
    case S::Aborted: return A::Ready;
    }
    return A::Ready;
}

QString jobsImageStateName(JobsImageState state)
{
    static const char* const names[kJobsImageStateCount] = {"Unknown", "Testing", "Accepted", "Rejected", "Aborted"};
    return QString::fromLatin1(names[int(state)]);
}

std::vector<MachineDescription> JobsFleet::machines() const
{
    std::vector<MachineDescription> out;
    {
        using S = JobsStep;
        MachineDescription m;
        m.id = kJobsStepMachine;
        m.name = QStringLiteral("Job execution on the device");
        m.note = QStringLiteral("notify-next → create file → GetStream / data blocks → close file (signature) → reboot → self-test");
        for (int k = 0; k < kJobsStepCount; ++k) {
            m.states << jobsStepName(S(k));
            m.phaseOfState.push_back(jobsStepPhase(S(k)));
        }
        const auto edge = [&m](int from, S to) { m.transitions.push_back({from, int(to)}); };
        edge(MachineTransition::kMachineStart, S::WaitingForJob);
        edge(int(S::WaitingForJob), S::Notified);
        edge(int(S::Notified), S::CreatingFile);
        edge(int(S::Notified), S::WaitingForJob);
        edge(int(S::CreatingFile), S::Receiving);
        edge(int(S::CreatingFile), S::Aborted);
        edge(int(S::Receiving), S::Suspended);
        edge(int(S::Suspended), S::Receiving);
        edge(int(S::Receiving), S::ClosingFile);
        edge(int(S::Receiving), S::Aborted);
        edge(int(S::Suspended), S::Aborted);
        edge(int(S::ClosingFile), S::Rebooting);
        edge(int(S::ClosingFile), S::SignatureFailed);
        edge(int(S::Rebooting), S::SelfTest);
        edge(int(S::SelfTest), S::Upgraded);
        edge(int(S::SelfTest), S::RollingBack);
        edge(int(S::RollingBack), S::RolledBack);
        for (S retryFrom : {S::Aborted, S::RolledBack, S::SignatureFailed})
            edge(int(retryFrom), S::Notified);
        out.push_back(std::move(m));
    }
    {
        using A = JobsAgentState;
        MachineDescription m;
        m.id = kJobsAgentMachine;
        m.name = QStringLiteral("FreeRTOS OTA agent (OtaState)");
        m.note = QStringLiteral("ota-for-aws-iot-embedded-sdk v3.4.0 states as the simulated agent visits them");
        const FleetPhase phases[kJobsAgentStateCount] = {FleetPhase::Applying, FleetPhase::Waiting, FleetPhase::Waiting, FleetPhase::Waiting,
                                                         FleetPhase::Downloading, FleetPhase::Downloading, FleetPhase::Downloading,
                                                         FleetPhase::Verifying, FleetPhase::Downloading, FleetPhase::Idle, FleetPhase::Idle};
        for (int k = 0; k < kJobsAgentStateCount; ++k) {
            m.states << jobsAgentStateName(A(k));
            m.phaseOfState.push_back(phases[k]);
        }
        const auto edge = [&m](int from, A to) { m.transitions.push_back({from, int(to)}); };
        edge(MachineTransition::kMachineStart, A::Init);
        edge(int(A::Init), A::Ready);
        edge(int(A::Ready), A::RequestingJob);
        edge(int(A::RequestingJob), A::WaitingForJob);
        edge(int(A::WaitingForJob), A::CreatingFile);
        edge(int(A::CreatingFile), A::RequestingFileBlock);
        edge(int(A::RequestingFileBlock), A::WaitingForFileBlock);
        edge(int(A::WaitingForFileBlock), A::RequestingFileBlock);
        edge(int(A::WaitingForFileBlock), A::ClosingFile);
        edge(int(A::WaitingForFileBlock), A::Suspended);
        edge(int(A::Suspended), A::RequestingFileBlock);
        edge(int(A::WaitingForFileBlock), A::Ready);
        edge(int(A::ClosingFile), A::Init);
        edge(int(A::ClosingFile), A::Ready);
        edge(int(A::WaitingForJob), A::Ready);
        edge(int(A::Ready), A::ShuttingDown);
        edge(int(A::ShuttingDown), A::Stopped);
        out.push_back(std::move(m));
    }
    {
        using I = JobsImageState;
        MachineDescription m;
        m.id = kJobsImageMachine;
        m.name = QStringLiteral("Platform image state (OtaImageState)");
        m.note = QStringLiteral("Testing after the reboot into the new image; Accepted by a passing self-test, Rejected rolls back");
        const FleetPhase phases[kJobsImageStateCount] = {FleetPhase::Waiting, FleetPhase::Applying, FleetPhase::Upgraded,
                                                         FleetPhase::RolledBack, FleetPhase::Failed};
        for (int k = 0; k < kJobsImageStateCount; ++k) {
            m.states << jobsImageStateName(I(k));
            m.phaseOfState.push_back(phases[k]);
        }
        const auto edge = [&m](int from, I to) { m.transitions.push_back({from, int(to)}); };
        edge(MachineTransition::kMachineStart, I::Unknown);
        edge(int(I::Unknown), I::Testing);
        edge(int(I::Unknown), I::Rejected);
        edge(int(I::Unknown), I::Aborted);
        edge(int(I::Testing), I::Accepted);
        edge(int(I::Testing), I::Rejected);
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace otalab::sim
