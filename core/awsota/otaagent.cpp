// SPDX-License-Identifier: Apache-2.0
// OtaAgent control plane: start / boot, job documents, self-test, suspend / resume, job
// status updates (ota.c startHandler, requestJobHandler, processJobHandler,
// handleSelfTestJobDoc, setImageStateWithReason; ota_mqtt.c status messages).
#include "core/awsota/otaagent.h"
#include "core/awsota/topics.h"

#include <QJsonDocument>

namespace otalab::core::awsota {

namespace {

// OtaJobParseErr_t sub-reasons of OtaErrJobParserError (ota.h).
constexpr std::uint32_t kParseErrZeroFileSize = 3;
constexpr std::uint32_t kParseErrNonConformingJobDoc = 4;
constexpr std::uint32_t kParseErrBadModelInitParams = 5;

QString hex8(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }

// statusDetails.updatedBy as the library writes it ("0x%08x") or a plain decimal.
std::uint32_t parseUpdatedBy(const QJsonObject& details)
{
    const QString text = details.value(QStringLiteral("updatedBy")).toString();
    bool ok = false;
    const std::uint32_t v = text.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive) ? text.mid(2).toUInt(&ok, 16)
                                                                                       : text.toUInt(&ok, 10);
    return ok ? v : 0;
}

} // namespace

OtaAgent::OtaAgent(AgentConfig config, OtaPal& pal) : m_config(std::move(config)), m_pal(&pal) {}

Result<OtaAgent> OtaAgent::create(AgentConfig config, OtaPal& pal)
{
    if (auto ok = config.validate(); !ok)
        return fail(ok.error());
    return OtaAgent(std::move(config), pal);
}

void OtaAgent::setState(qint64 nowMs, OtaState to, OtaEvent event, AgentActions& out)
{
    if (to == m_state)
        return;
    out.push_back(AgentStateChanged{nowMs, m_state, to, event});
    m_state = to;
}

Result<void> OtaAgent::refuse(Error error)
{
    ++m_counters.refusedInputs;
    return fail(std::move(error));
}

void OtaAgent::armTimer(qint64 nowMs, AgentTimer timer, AgentActions& out)
{
    const qint64 at = nowMs + (timer == AgentTimer::Request ? m_config.requestTimeoutMs : m_config.selfTestTimeoutMs);
    (timer == AgentTimer::Request ? m_requestTimerArmed : m_selfTestTimerArmed) = true;
    out.push_back(AgentArmTimer{timer, at});
}

void OtaAgent::cancelTimer(AgentTimer timer, AgentActions& out)
{
    bool& armed = timer == AgentTimer::Request ? m_requestTimerArmed : m_selfTestTimerArmed;
    if (!armed)
        return;
    armed = false;
    out.push_back(AgentCancelTimer{timer});
}

void OtaAgent::start(qint64 nowMs, AgentActions& out)
{
    if (m_state != OtaState::Init && m_state != OtaState::Stopped)
        return;
    setState(nowMs, OtaState::Ready, OtaEvent::Start, out);
    // startHandler: a platform in self-test bounds the wait for the job's confirmation.
    if (m_pal->getPlatformImageState() == PalImageState::PendingCommit)
        armTimer(nowMs, AgentTimer::SelfTest, out);
    setState(nowMs, OtaState::RequestingJob, OtaEvent::Start, out);
    requestJob(nowMs, OtaEvent::RequestJobDocument, out);
}

void OtaAgent::boot(qint64 nowMs, AgentActions& out)
{
    if (m_state != OtaState::Init)
        setState(nowMs, OtaState::Init, OtaEvent::Shutdown, out);
    // RAM is gone; the flash record of an unfinished download survives.
    const bool unfinished = m_file && m_bitmap && !m_bitmap->complete() && !m_jobId.isEmpty();
    if (!unfinished)
        forgetJob();
    m_imageState = ImageState::Unknown;
    m_updaterVersion = 0;
    m_momentum = 0;
    m_blocksToReceive = 0;
    m_fileOpen = false;
    m_dataSubscribed = false;
    m_selfTestRunning = false;
    m_requestTimerArmed = false;
    m_selfTestTimerArmed = false;
    start(nowMs, out);
}

void OtaAgent::boot(qint64 nowMs, AppVersion32 runningVersion, AgentActions& out)
{
    m_config.appFirmwareVersion = runningVersion;
    boot(nowMs, out);
}

void OtaAgent::requestJob(qint64 nowMs, OtaEvent event, AgentActions& out)
{
    // requestJob_Mqtt: subscribe notify-next, then $next/get with "<counter>:<thing>".
    out.push_back(AgentSubscribe{notifyNextTopic(), 1});
    out.push_back(AgentPublish{NextJobRequest{m_config.thingName, m_jobRequestCounter++}, 1});
    ++m_counters.jobRequests;
    cancelTimer(AgentTimer::Request, out);
    m_momentum = 0;
    setState(nowMs, OtaState::WaitingForJob, event, out);
}

void OtaAgent::publishUpdate(JobExecutionStatus status, QJsonObject details, int qos, AgentActions& out)
{
    if (m_jobId.isEmpty())
        return;
    out.push_back(AgentPublish{JobStatusUpdate{m_config.thingName, m_jobId, status, std::move(details)}, qos});
}

void OtaAgent::endJob(qint64 nowMs, JobExecutionStatus status, const QString& wireReason, const QString& words,
                      AgentActions& out)
{
    Q_UNUSED(nowMs);
    if (status != JobExecutionStatus::Succeeded)
        m_lastFailure = words;
    out.push_back(AgentJobEnded{m_jobId, status, wireReason, words});
    closeTransfer(out);
    forgetJob();
}

// JobStatusFailedWithVal: {"reason":"0x<main>: 0x<sub>"}.
void OtaAgent::failWithVal(qint64 nowMs, std::uint32_t main, std::uint32_t sub, const QString& words, AgentActions& out)
{
    const QString reason = hex8(main) + QStringLiteral(": ") + hex8(sub);
    publishUpdate(JobExecutionStatus::Failed, QJsonObject{{QStringLiteral("reason"), reason}}, 1, out);
    endJob(nowMs, JobExecutionStatus::Failed, reason, words, out);
}

// setImageStateWithReason(Rejected | Aborted, code): PAL image state, then FAILED
// {"reason":"rejected: 0x<code>"} / "aborted: ...". A PAL failure turns anything but
// Aborted into Rejected with the PAL's word as the reason (when none was given).
void OtaAgent::failWithReason(qint64 nowMs, ImageState state, std::uint32_t code, const QString& words,
                              AgentActions& out)
{
    auto pal = m_pal->setPlatformImageState(state);
    QString text = words;
    if (!pal && state != ImageState::Aborted) {
        state = ImageState::Rejected;
        if (code == 0)
            code = pal.error().word();
        text += QStringLiteral("; platform: ") + pal.error().toString();
    }
    m_imageState = state;
    const QString reason = (state == ImageState::Aborted ? QStringLiteral("aborted: ") : QStringLiteral("rejected: "))
                         + hex8(code);
    publishUpdate(JobExecutionStatus::Failed, QJsonObject{{QStringLiteral("reason"), reason}}, 1, out);
    endJob(nowMs, JobExecutionStatus::Failed, reason, text, out);
}

void OtaAgent::closeTransfer(AgentActions& out)
{
    cancelTimer(AgentTimer::Request, out);
    if (m_dataSubscribed) {
        out.push_back(AgentUnsubscribe{dataTopic()});
        m_dataSubscribed = false;
    }
    if (m_fileOpen) {
        (void)m_pal->abort(*m_file);
        m_fileOpen = false;
    }
}

void OtaAgent::forgetJob()
{
    m_jobId.clear();
    m_streamName.clear();
    m_file.reset();
    m_bitmap.reset();
    m_blocksToReceive = 0;
}

void OtaAgent::reboot(RebootReason reason, AgentActions& out)
{
    cancelTimer(AgentTimer::Request, out);
    cancelTimer(AgentTimer::SelfTest, out);
    out.push_back(AgentReboot{reason});
}

Result<void> OtaAgent::onJobDocument(qint64 nowMs, const std::optional<OtaJobDocument>& document, AgentActions& out)
{
    if (m_state == OtaState::WaitingForFileBlock || m_state == OtaState::RequestingFileBlock) {
        if (document && document->jobId == m_jobId)
            return {};  // the job being downloaded, again: nothing to do
        // jobNotificationHandler: another job (or none) is next — abandon this one and ask.
        (void)m_pal->setPlatformImageState(ImageState::Aborted);
        m_imageState = ImageState::Aborted;
        m_lastFailure = document ? QStringLiteral("job %1 replaced by job %2").arg(m_jobId, document->jobId)
                                 : QStringLiteral("job %1 is no longer pending (canceled?)").arg(m_jobId);
        closeTransfer(out);
        forgetJob();
        setState(nowMs, OtaState::RequestingJob, OtaEvent::ReceivedJobDocument, out);
        requestJob(nowMs, OtaEvent::RequestJobDocument, out);
        return {};
    }
    if (m_state != OtaState::WaitingForJob)
        return refuse(Error::plain(QStringLiteral("job document ignored: the agent is %1").arg(otaStateName(m_state))));
    if (m_selfTestRunning)
        return refuse(Error::plain(QStringLiteral("job document ignored: the self-test of job %1 is running").arg(m_jobId)));
    if (!document) {
        // No pending job. A suspended download whose job vanished is dropped.
        if (m_file && !m_jobId.isEmpty()) {
            m_lastFailure = QStringLiteral("job %1 is no longer pending: download dropped").arg(m_jobId);
            closeTransfer(out);
            forgetJob();
        }
        return {};
    }
    setState(nowMs, OtaState::CreatingFile, OtaEvent::ReceivedJobDocument, out);
    auto result = startJob(nowMs, *document, out);
    if (m_state == OtaState::CreatingFile)
        setState(nowMs, OtaState::WaitingForJob, OtaEvent::ReceivedJobDocument, out);
    return result;
}

Result<void> OtaAgent::startJob(qint64 nowMs, const OtaJobDocument& doc, AgentActions& out)
{
    if (doc.files.empty()) {
        onJobParseError(nowMs, doc.jobId, Error::at(-1, QStringLiteral("execution.jobDocument.afr_ota.files"),
                                                    QStringLiteral("empty")), out);
        return refuse(Error::plain(QStringLiteral("job %1: no file").arg(doc.jobId)));
    }
    const OtaFileInfo& file = doc.files.front();
    const bool inSelfTest = doc.statusDetails.contains(QStringLiteral("self_test"));
    const bool platformPending = m_pal->getPlatformImageState() == PalImageState::PendingCommit;

    if (!inSelfTest && file.fileSize == 0) {
        adoptJob(doc, out);
        failWithVal(nowMs, std::uint32_t(OtaErr::JobParserError), kParseErrZeroFileSize,
                    QStringLiteral("job %1: file size 0").arg(doc.jobId), out);
        return refuse(Error::plain(m_lastFailure));
    }
    const std::uint32_t blocks = BlockBitmap::blocksForFile(file.fileSize, m_config.blockSize);
    if (!inSelfTest && blocks > m_config.maxBitmapBytes * 8u) {
        adoptJob(doc, out);
        failWithVal(nowMs, std::uint32_t(OtaErr::JobParserError), kParseErrBadModelInitParams,
                    QStringLiteral("job %1: %2 bytes need %3 blocks of %4, the agent tracks at most %5")
                        .arg(doc.jobId).arg(file.fileSize).arg(blocks).arg(m_config.blockSize)
                        .arg(m_config.maxBitmapBytes * 8u), out);
        return refuse(Error::plain(m_lastFailure));
    }
    if (inSelfTest)
        return handleSelfTestJob(nowMs, doc, out);

    if (platformPending) {
        // processValidFileContext: the platform is in self-test, the job is not → reset (rollback).
        m_lastFailure = QStringLiteral("job %1 is not in self-test but the platform is: reset").arg(doc.jobId);
        (void)m_pal->resetDevice();
        reboot(RebootReason::PlatformMismatch, out);
        return {};
    }
    if (!doc.protocols.contains(QStringLiteral("MQTT"))) {
        adoptJob(doc, out);
        failWithReason(nowMs, ImageState::Aborted, std::uint32_t(OtaErr::InvalidDataProtocol),
                       QStringLiteral("job %1: protocols %2 do not include MQTT").arg(doc.jobId, doc.protocols.join(u',')),
                       out);
        return refuse(Error::plain(m_lastFailure));
    }

    const bool sameTransfer = m_file && m_bitmap && m_jobId == doc.jobId && m_streamName == doc.streamName
                           && m_file->fileId == file.fileId && m_file->fileSize == file.fileSize
                           && m_file->signature == file.signature && m_bitmap->blockCount() == blocks;
    if (sameTransfer) {
        bool resumed = m_fileOpen;
        if (!resumed) {
            resumed = bool(m_pal->resumeFileForRx(*m_file));
            m_fileOpen = resumed;
        }
        if (resumed) {
            ++m_counters.resumes;
            openTransfer(nowMs, out);
            return {};
        }
        forgetJob();  // the platform lost the blocks: start over
    }

    adoptJob(doc, out);
    auto created = m_pal->createFileForRx(file);
    if (!created) {
        failWithReason(nowMs, ImageState::Aborted, created.error().word(),
                       QStringLiteral("job %1: cannot create the receive file: %2").arg(doc.jobId, created.error().toString()),
                       out);
        return refuse(Error::plain(m_lastFailure));
    }
    m_fileOpen = true;
    m_bitmap = BlockBitmap(blocks);
    m_imageState = ImageState::Unknown;
    openTransfer(nowMs, out);
    return {};
}

void OtaAgent::adoptJob(const OtaJobDocument& doc, AgentActions& out)
{
    if (!m_jobId.isEmpty() || m_fileOpen || m_dataSubscribed) {
        // verifyActiveJobStatus: a new job replaces the active one (the same job with
        // another file or stream starts over).
        if (!m_jobId.isEmpty() && m_jobId != doc.jobId)
            (void)m_pal->setPlatformImageState(ImageState::Aborted);
        closeTransfer(out);
        forgetJob();
    }
    m_jobId = doc.jobId;
    m_streamName = doc.streamName;
    m_file = doc.files.empty() ? std::optional<OtaFileInfo>() : std::optional<OtaFileInfo>(doc.files.front());
    m_bitmap.reset();
}

// handleSelfTestJobDoc + processNullFileContext + inSelfTestHandler.
Result<void> OtaAgent::handleSelfTestJob(qint64 nowMs, const OtaJobDocument& doc, AgentActions& out)
{
    adoptJob(doc, out);
    m_updaterVersion = parseUpdatedBy(doc.statusDetails);
    const std::uint32_t app = m_config.appFirmwareVersion.word();
    if (!m_config.allowDowngrade && m_updaterVersion >= app) {
        const bool same = m_updaterVersion == app;
        const OtaErr err = same ? OtaErr::SameFirmwareVersion : OtaErr::DowngradeNotAllowed;
        failWithReason(nowMs, ImageState::Rejected, std::uint32_t(err),
                       QStringLiteral("self-test of job %1: running version %2 is %3 the version that downloaded it (%4)")
                           .arg(doc.jobId, m_config.appFirmwareVersion.toString(),
                                same ? QStringLiteral("the same as") : QStringLiteral("older than"),
                                AppVersion32::fromWord(m_updaterVersion).toString()),
                       out);
        (void)m_pal->resetDevice();
        reboot(RebootReason::Rollback, out);
        setState(nowMs, OtaState::WaitingForJob, OtaEvent::StartSelfTest, out);
        return refuse(Error::plain(m_lastFailure));
    }
    // setImageStateWithReason(Testing): IN_PROGRESS self_test "active".
    if (auto pal = m_pal->setPlatformImageState(ImageState::Testing); !pal) {
        failWithReason(nowMs, ImageState::Rejected, pal.error().word(),
                       QStringLiteral("self-test of job %1: platform refused the Testing state: %2")
                           .arg(doc.jobId, pal.error().toString()),
                       out);
        setState(nowMs, OtaState::WaitingForJob, OtaEvent::StartSelfTest, out);
        return refuse(Error::plain(m_lastFailure));
    }
    m_imageState = ImageState::Testing;
    publishUpdate(JobExecutionStatus::InProgress,
                  QJsonObject{{QStringLiteral("self_test"), QStringLiteral("active")},
                              {QStringLiteral("updatedBy"), hex8(app)}},
                  1, out);
    setState(nowMs, OtaState::WaitingForJob, OtaEvent::StartSelfTest, out);
    if (m_pal->getPlatformImageState() != PalImageState::PendingCommit) {
        // The job is in self-test but the platform is not: possible tampering.
        failWithReason(nowMs, ImageState::Rejected, std::uint32_t(OtaErr::ImageStateMismatch),
                       QStringLiteral("job %1 is in self-test but the platform is not").arg(doc.jobId), out);
        (void)m_pal->resetDevice();
        reboot(RebootReason::PlatformMismatch, out);
        return refuse(Error::plain(m_lastFailure));
    }
    cancelTimer(AgentTimer::SelfTest, out);
    m_selfTestRunning = true;
    out.push_back(AgentSelfTestStart{m_jobId});
    return {};
}

Result<void> OtaAgent::onSelfTestResult(qint64 nowMs, bool passed, AgentActions& out)
{
    if (!m_selfTestRunning)
        return refuse(Error::plain(QStringLiteral("self-test result ignored: no self-test is running")));
    m_selfTestRunning = false;
    if (!passed) {
        failWithReason(nowMs, ImageState::Rejected, 0,
                       QStringLiteral("self-test of job %1 failed: rolled back").arg(m_jobId), out);
        (void)m_pal->resetDevice();
        reboot(RebootReason::Rollback, out);
        return {};
    }
    auto pal = m_pal->setPlatformImageState(ImageState::Accepted);
    if (!pal) {
        m_imageState = ImageState::Rejected;
        const QString reason = QStringLiteral("rejected: ") + hex8(pal.error().word());
        publishUpdate(JobExecutionStatus::Failed, QJsonObject{{QStringLiteral("reason"), reason}}, 1, out);
        endJob(nowMs, JobExecutionStatus::Failed, reason,
               QStringLiteral("commit of job %1 failed: %2").arg(m_jobId, pal.error().toString()), out);
        (void)m_pal->resetDevice();
        reboot(RebootReason::Rollback, out);
        return {};
    }
    m_imageState = ImageState::Accepted;
    const AppVersion32 now = m_config.appFirmwareVersion;
    const AppVersion32 prev = AppVersion32::fromWord(m_updaterVersion);
    const QString reason = QStringLiteral("accepted  v") + now.toString();
    publishUpdate(JobExecutionStatus::Succeeded,
                  QJsonObject{{QStringLiteral("reason"), reason},
                              {QStringLiteral("updatedBy"), QStringLiteral("  v") + prev.toString()}},
                  1, out);
    endJob(nowMs, JobExecutionStatus::Succeeded, reason,
           QStringLiteral("job %1: image %2 accepted (was %3)").arg(m_jobId, now.toString(), prev.toString()), out);
    return {};
}

Result<void> OtaAgent::abortJob(qint64 nowMs, AgentActions& out)
{
    if (m_jobId.isEmpty())
        return refuse(Error::plain(QStringLiteral("abort ignored: no active job")));
    m_selfTestRunning = false;
    failWithReason(nowMs, ImageState::Aborted, std::uint32_t(OtaErr::UserAbort),
                   QStringLiteral("job aborted by the user"), out);
    setState(nowMs, OtaState::WaitingForJob, OtaEvent::UserAbort, out);
    return {};
}

void OtaAgent::onJobParseError(qint64 nowMs, const QString& jobId, const Error& error, AgentActions& out)
{
    // handleJobParsingError: a job we can name gets FAILED with OtaErrJobParserError /
    // NonConformingJobDoc (the library only does this for an active job; the lab always
    // does, so a console shows why). Another active job is left alone.
    if (jobId.isEmpty() || validateJobId(jobId).has_value() == false)
        return;
    if (!m_jobId.isEmpty() && m_jobId != jobId)
        return;
    if (m_jobId.isEmpty()) {
        m_jobId = jobId;
    }
    failWithVal(nowMs, std::uint32_t(OtaErr::JobParserError), kParseErrNonConformingJobDoc,
                QStringLiteral("job %1: bad job document: %2").arg(jobId, error.toString()), out);
}

void OtaAgent::onConnectionLost(qint64 nowMs, AgentActions& out)
{
    if (m_state == OtaState::Stopped || m_state == OtaState::Init || m_state == OtaState::Suspended)
        return;
    // OTA_Suspend: timers stop; MQTT subscriptions are gone with the connection.
    cancelTimer(AgentTimer::Request, out);
    cancelTimer(AgentTimer::SelfTest, out);
    m_dataSubscribed = false;
    setState(nowMs, OtaState::Suspended, OtaEvent::Suspend, out);
}

void OtaAgent::onConnectionRestored(qint64 nowMs, AgentActions& out)
{
    if (m_state != OtaState::Suspended)
        return;
    // OTA_Resume: the self-test timer again if the platform is in self-test, then the job.
    if (m_pal->getPlatformImageState() == PalImageState::PendingCommit)
        armTimer(nowMs, AgentTimer::SelfTest, out);
    setState(nowMs, OtaState::RequestingJob, OtaEvent::Resume, out);
    requestJob(nowMs, OtaEvent::RequestJobDocument, out);
}

void OtaAgent::onTimer(qint64 nowMs, AgentTimer timer, AgentActions& out)
{
    if (timer == AgentTimer::SelfTest) {
        if (!m_selfTestTimerArmed)
            return;
        m_selfTestTimerArmed = false;
        // otaTimerCallback: the job did not confirm the self-test in time → reset.
        m_lastFailure = QStringLiteral("self-test not started within %1 ms: reset").arg(m_config.selfTestTimeoutMs);
        (void)m_pal->resetDevice();
        reboot(RebootReason::SelfTestTimeout, out);
        return;
    }
    if (!m_requestTimerArmed)
        return;
    m_requestTimerArmed = false;
    if (m_state == OtaState::WaitingForFileBlock || m_state == OtaState::RequestingFileBlock) {
        ++m_counters.requestTimeouts;
        requestBlocks(nowMs, OtaEvent::RequestTimer, out);
    } else if (m_state == OtaState::RequestingJob) {
        requestJob(nowMs, OtaEvent::RequestTimer, out);
    }
}

Result<void> OtaAgent::onMessage(qint64 nowMs, const QString& topic, QByteArrayView payload, AgentActions& out)
{
    const auto parsed = parseTopic(topic);
    if (!parsed)
        return refuse(Error::at(-1, QStringLiteral("topic"), QStringLiteral("'%1' is not an AWS IoT jobs or streams topic").arg(topic)));
    if (parsed->thing != m_config.thingName)
        return refuse(Error::at(-1, QStringLiteral("topic"),
                                QStringLiteral("for thing '%1', this agent is '%2'").arg(parsed->thing, m_config.thingName)));
    switch (parsed->kind) {
    case TopicKind::JobsNotifyNext:
    case TopicKind::JobsGetNextAccepted: {
        const QByteArray json = payload.toByteArray();
        auto doc = parseJobNotification(json);
        if (!doc) {
            // Name the job if the body does, so its execution learns why.
            const auto root = QJsonDocument::fromJson(json).object();
            const QString jobId = root.value(QStringLiteral("execution")).toObject().value(QStringLiteral("jobId")).toString();
            if (m_state == OtaState::WaitingForJob && !m_selfTestRunning)
                onJobParseError(nowMs, jobId, doc.error(), out);
            return refuse(Error::at(doc.error().offset, doc.error().field,
                                    QStringLiteral("job document refused: ") + doc.error().message));
        }
        return onJobDocument(nowMs, *doc, out);
    }
    case TopicKind::StreamData: {
        if (m_streamName.isEmpty() || parsed->stream != m_streamName || !m_bitmap)
            return refuse(Error::at(-1, QStringLiteral("topic"),
                                    QStringLiteral("data of stream '%1', but the agent is not receiving it").arg(parsed->stream)));
        auto block = decodeDataBlock(payload.toByteArray());
        if (!block) {
            // IngestResultBadData: the library fails the job.
            if (m_state == OtaState::WaitingForFileBlock)
                return failBlock(nowMs, std::uint32_t(PalStatus::Uninitialized), 0,
                                 QStringLiteral("undecodable data block: ") + block.error().toString(), out);
            return refuse(Error::at(block.error().offset, block.error().field,
                                    QStringLiteral("data block refused: ") + block.error().message));
        }
        return onDataBlock(nowMs, block->fileId, block->blockId, QByteArrayView(block->payload), out);
    }
    case TopicKind::JobsGetNextRejected:
        return refuse(Error::plain(QStringLiteral("$next/get rejected by the service: %1")
                                       .arg(QString::fromUtf8(payload.first(std::min<qsizetype>(payload.size(), 200)).toByteArray()))));
    default:
        return refuse(Error::at(-1, QStringLiteral("topic"), QStringLiteral("'%1' is not a topic the agent listens to").arg(topic)));
    }
}

} // namespace otalab::core::awsota
