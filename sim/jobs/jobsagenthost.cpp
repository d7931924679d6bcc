// SPDX-License-Identifier: Apache-2.0
#include "sim/jobs/jobsagenthost.h"

#include <cmath>

namespace otalab::sim {

using namespace core::awsota;

PalResult<void> JobsSimPal::createFileForRx(const OtaFileInfo& file)
{
    // Erase the receive partition, 4 KiB sector after sector (ESP-IDF esp_ota_begin; Zephyr's
    // dfu_target erases the MCUboot secondary slot likewise).
    const SimTime erase = SimTime::fromSeconds(std::ceil(double(file.fileSize) / 4096.0) * m_preset->flashEraseSPer4K);
    m_busy += erase;
    m_energy->flashNs += erase.nanos();
    m_energy->cpuNs += erase.nanos();
    m_fileOpen = true;
    return {};
}

PalResult<void> JobsSimPal::resumeFileForRx(const OtaFileInfo&)
{
    m_fileOpen = true;
    return {};
}

PalResult<void> JobsSimPal::writeBlock(const OtaFileInfo&, std::uint32_t, QByteArrayView data)
{
    if (!m_fileOpen)
        return palFail(PalStatus::NullFileContext, QStringLiteral("no receive file open"));
    const SimTime write = SimTime::fromSeconds(m_preset->flashWriteSPer4K * double(data.size()) / 4096.0);
    m_busy += write;
    m_energy->flashNs += write.nanos();
    return {};
}

PalResult<void> JobsSimPal::closeFile(const OtaFileInfo& file)
{
    m_fileOpen = false;
    const SimTime verify = SimTime::fromSeconds(double(file.fileSize) / m_preset->hashBytesPerS + m_preset->verifyS);
    m_busy += verify;
    m_energy->cpuNs += verify.nanos();
    if (m_badSignature || !m_verdicts->goodVerifies) {
        m_signatureFailed = true;
        return palFail(PalStatus::SignatureCheckFailed, !m_failDetail.isEmpty() ? m_failDetail : m_badSignature ? m_verdicts->badDetail : QStringLiteral("the signed image does not verify"));
    }
    return {};
}

PalResult<void> JobsSimPal::abort(const OtaFileInfo&)
{
    m_fileOpen = false;
    return {};
}

PalResult<void> JobsSimPal::activateNewImage(const OtaFileInfo&)
{
    m_activatePending = true;
    return {};
}

PalResult<void> JobsSimPal::resetDevice()
{
    return {};
}

PalResult<void> JobsSimPal::setPlatformImageState(ImageState state)
{
    m_imageState = state;
    if (state == ImageState::Accepted && m_platform == PalImageState::PendingCommit)
        m_platform = PalImageState::Valid;
    if (state == ImageState::Rejected && m_platform == PalImageState::PendingCommit)
        m_platform = PalImageState::Invalid;
    return {};
}

void JobsSimPal::restart()
{
    if (m_activatePending) {
        m_activatePending = false;
        m_runningNew = true;
        m_platform = PalImageState::PendingCommit;
    } else if (m_runningNew && m_platform != PalImageState::Valid) {
        m_runningNew = false;
        m_platform = PalImageState::Valid;
    }
    m_fileOpen = false;
}

SimTime JobsSimPal::takeBusy()
{
    const SimTime b = m_busy;
    m_busy = SimTime();
    return b;
}

} // namespace otalab::sim
