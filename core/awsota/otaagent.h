// SPDX-License-Identifier: Apache-2.0
// OtaAgent: the FreeRTOS OTA agent (aws/ota-for-aws-iot-embedded-sdk v3.4.0, ota.c) as a
// sans-IO machine — the library's states, events and defaults, MQTT control and data
// planes, no clock, no broker, no file system of its own (those are the host's and the
// PAL's, otapal.h).
//
// Driving it. Every input carries `nowMs` (ms of the host's clock, non-decreasing) and
// appends what the agent wants done to `out` (AgentActions, in order):
//   AgentPublish       a message to publish: typed (so a simulator can cost it without
//                      encoding: StreamRequest::encodedSize) and renderable (topic(),
//                      payload()) for a real broker
//   AgentSubscribe / AgentUnsubscribe   MQTT topic filters
//   AgentArmTimer / AgentCancelTimer    call onTimer(timer) at atMs (arming an armed timer moves it)
//   AgentStateChanged  OtaState from → to, with the event that caused it
//   AgentProgress      after every accepted block
//   AgentSelfTestStart the host runs the new image's self-test, then calls onSelfTestResult
//   AgentReboot        restart the device; later call boot()
//   AgentJobEnded      the agent reported a terminal status for its job (words in reason)
// Inputs: start(), boot(), the TYPED layer (onJobDocument, onDataBlock, onTimer,
// onConnectionLost/Restored, onSelfTestResult) and the BYTES layer (onMessage: topic +
// payload decoded with the codecs; what is not for this thing / job / file is refused).
// Inputs that are refused or ignored return an Error saying why (nothing changes then,
// except the counters); they never throw.
//
// Behaviour (the library's, facts in /work/shared/PROTOCOLS.md):
//   start: subscribe .../jobs/notify-next (QoS 1), publish .../jobs/$next/get
//     {"clientToken":"<n>:<thing>"} (QoS 1); if the platform is PendingCommit, arm the
//     self-test timer (selfTestTimeoutMs; on expiry: resetDevice + AgentReboot).
//   a job document (afr_ota, MQTT): PAL createFileForRx, subscribe .../streams/<s>/data/cbor,
//     GetStream (QoS 0) c "rdy", f, l blockSize, o, b bitmap window, n blocksPerRequest; the
//     request timer (requestTimeoutMs) re-requests with the current bitmap; every request
//     without an answer adds 1 to the momentum, a good block resets it; at momentum
//     maxRequestMomentum (32) the timer's next firing aborts: FAILED "aborted: 0x0000000e"
//     (OtaErrMomentumAbort; v3.4.0 itself writes 0x00000000 there) and the agent stops.
//   blocks: duplicates ignored; a block of another file id or of another stream is refused
//     (the library does not look at the file id; we do); a block id past the end or of the
//     wrong length (every block but the last exactly blockSize) or undecodable data fails
//     the job as the library does: FAILED "0x000000e0: 0x00000000" on the wire and the
//     precise words in AgentJobEnded.reason. Progress: IN_PROGRESS {"receive":"k/N"} (QoS 0)
//     when k == 1 and every statusUpdateFrequency (64) blocks.
//   all blocks in: PAL closeFile (signature). Failure: PAL image state Rejected, FAILED
//     "0x<main>: 0x<sub>" (0x000000e3 = signature check failed), never activated. Success:
//     IN_PROGRESS {"self_test":"ready","updatedBy":"0x<app version>"}, PAL activateNewImage,
//     AgentReboot{Activate}. (A file whose fileType is not firmwareFileType: SUCCEEDED, no
//     reboot.)
//   after the reboot (boot(), PAL PendingCommit): the job document comes back with the
//     echoed statusDetails.self_test → version check (updatedBy must be lower than the new
//     appFirmwareVersion), PAL Testing, IN_PROGRESS {"self_test":"active",...},
//     AgentSelfTestStart. onSelfTestResult(true): PAL Accepted, SUCCEEDED
//     {"reason":"accepted  v1.1.0","updatedBy":"  v1.0.0"}; false: PAL Rejected, FAILED
//     {"reason":"rejected: 0x00000000"}, resetDevice, AgentReboot{Rollback}.
//   A job document without self_test while the platform is PendingCommit: reset (rollback).
// Resume (not in v3.4.0, asked by issue 13): a lost connection (onConnectionLost →
// Suspended; onConnectionRestored → subscribe again, $next/get) or a reboot mid-download
// (boot()) keeps the job, the file and the block bitmap; when the same job comes back the
// agent reopens the file (PAL resumeFileForRx) and asks only for the missing blocks. The
// record a device keeps in flash for that is persist() / restore().
//
// Memory: the config, the active job (ids and file info share their strings with the job
// document), the bitmap (1 bit per block) and a few counters — well under 1 KB plus the
// bitmap. Image bytes are never copied: blocks go to the PAL as views.
//
// Not thread-safe: one thread drives an agent. The PAL must outlive the agent.
#pragma once

#include "core/awsota/blockbitmap.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/jobexecution.h"
#include "core/awsota/otapal.h"
#include "core/awsota/streammessages.h"
#include "core/common/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::awsota {

// AppVersion32_t: major.minor.build packed as (major << 24) | (minor << 16) | build.
struct AppVersion32 {
    std::uint8_t major = 0;
    std::uint8_t minor = 0;
    std::uint16_t build = 0;

    constexpr std::uint32_t word() const { return (std::uint32_t(major) << 24) | (std::uint32_t(minor) << 16) | build; }
    static constexpr AppVersion32 fromWord(std::uint32_t w)
    {
        return AppVersion32{std::uint8_t(w >> 24), std::uint8_t(w >> 16), std::uint16_t(w)};
    }
    QString toString() const;  // "1.2.3"
    friend constexpr bool operator==(AppVersion32 a, AppVersion32 b) { return a.word() == b.word(); }
};

// Defaults are the library's (ota_config_defaults.h).
struct AgentConfig {
    QString thingName;
    std::uint32_t blockSize = 4096;             // 1 << otaconfigLOG2_FILE_BLOCK_SIZE (bytes)
    std::uint32_t blocksPerRequest = 1;         // otaconfigMAX_NUM_BLOCKS_REQUEST (GetStream n)
    std::uint32_t requestTimeoutMs = 10000;     // otaconfigFILE_REQUEST_WAIT_MS
    std::uint32_t maxRequestMomentum = 32;      // otaconfigMAX_NUM_REQUEST_MOMENTUM
    std::uint32_t selfTestTimeoutMs = 16000;    // otaconfigSELF_TEST_RESPONSE_WAIT_MS
    std::uint32_t statusUpdateFrequency = 64;   // otaconfigOTA_UPDATE_STATUS_FREQUENCY (blocks)
    std::uint32_t maxBitmapBytes = 128;         // otaconfigMAX_BLOCK_BITMAP_SIZE: files ≤ 1024 blocks
    std::uint32_t firmwareFileType = 0;         // configOTA_FIRMWARE_UPDATE_FILE_TYPE_ID
    bool allowDowngrade = false;                // otaconfigAllowDowngrade: skip the version check
    AppVersion32 appFirmwareVersion;            // the running image's version

    // Errors name the field: blockSize 0 or not a power of two, zero timeouts, empty thing.
    Result<void> validate() const;
};

// OtaState_t (ota.h), same order.
enum class OtaState : std::uint8_t {
    Init, Ready, RequestingJob, WaitingForJob, CreatingFile, RequestingFileBlock, WaitingForFileBlock,
    ClosingFile, Suspended, ShuttingDown, Stopped,
};
inline constexpr int kOtaStateCount = 11;
QString otaStateName(OtaState state);  // "WaitingForFileBlock" (the library's strings)

// OtaEvent_t (ota_private.h), same order.
enum class OtaEvent : std::uint8_t {
    Start, StartSelfTest, RequestJobDocument, ReceivedJobDocument, CreateFile, RequestFileBlock,
    ReceivedFileBlock, RequestTimer, CloseFile, Suspend, Resume, UserAbort, Shutdown,
};
QString otaEventName(OtaEvent event);  // "ReceivedFileBlock"

// OtaErr_t values the agent reports in job status reasons (ota.h).
enum class OtaErr : std::uint32_t {
    None = 0, JobParserError = 12, InvalidDataProtocol = 13, MomentumAbort = 14, DowngradeNotAllowed = 15,
    SameFirmwareVersion = 16, ImageStateMismatch = 17, UserAbort = 19,
};

enum class AgentTimer : std::uint8_t {
    Request = 1,   // OtaRequestTimer: re-request blocks / the job
    SelfTest = 2,  // OtaSelfTestTimer: the job must confirm self-test before it fires
};

// ---- messages the agent publishes (typed, renderable) ----

// $aws/things/<thing>/jobs/$next/get  {"clientToken":"<counter>:<thing>"}  QoS 1
struct NextJobRequest {
    QString thingName;
    std::uint32_t counter = 0;
    QString topic() const;
    QByteArray payload() const;
};

// $aws/things/<thing>/streams/<stream>/get/cbor  GetStream CBOR  QoS 0
struct StreamRequest {
    QString thingName;
    QString streamName;
    GetStreamRequest request;
    QString topic() const;
    QByteArray payload() const;
    qsizetype encodedSize() const;  // == payload().size(), without encoding
};

// $aws/things/<thing>/jobs/<jobId>/update  {"status":...,"statusDetails":{...}}
struct JobStatusUpdate {
    QString thingName;
    QString jobId;
    JobExecutionStatus status = JobExecutionStatus::InProgress;
    QJsonObject statusDetails;
    QString topic() const;
    QByteArray payload() const;  // the library's exact text (no spaces)
};

using AgentMessage = std::variant<NextJobRequest, StreamRequest, JobStatusUpdate>;

// ---- actions ----
struct AgentPublish {
    AgentMessage message;
    int qos = 1;
    QString topic() const;
    QByteArray payload() const;
};
struct AgentSubscribe {
    QString topicFilter;
    int qos = 1;
};
struct AgentUnsubscribe {
    QString topicFilter;
};
struct AgentArmTimer {
    AgentTimer timer = AgentTimer::Request;
    qint64 atMs = 0;
};
struct AgentCancelTimer {
    AgentTimer timer = AgentTimer::Request;
};
struct AgentStateChanged {
    qint64 atMs = 0;
    OtaState from = OtaState::Init;
    OtaState to = OtaState::Init;
    OtaEvent event = OtaEvent::Start;
};
struct AgentProgress {
    std::uint32_t blockId = 0;         // the block just accepted
    std::uint32_t blocksReceived = 0;  // distinct blocks held (k of "k/N")
    std::uint32_t blocksTotal = 0;     // N
};
struct AgentSelfTestStart {
    QString jobId;
};
enum class RebootReason : std::uint8_t {
    Activate,           // boot the verified new image (pending commit)
    Rollback,           // self-test failed / image rejected: boot the old image
    SelfTestTimeout,    // the job did not confirm the self-test in time (old image boots)
    PlatformMismatch,   // platform in self-test but the job is not (or the reverse)
};
QString rebootReasonWords(RebootReason reason);
struct AgentReboot {
    RebootReason reason = RebootReason::Activate;
};
struct AgentJobEnded {
    QString jobId;
    JobExecutionStatus status = JobExecutionStatus::Failed;  // Succeeded or Failed
    QString wireReason;  // statusDetails.reason as published ("0x000000e3: 0x00000000")
    QString reason;      // words for people ("signature check failed: ...")
};

using AgentAction = std::variant<AgentPublish, AgentSubscribe, AgentUnsubscribe, AgentArmTimer, AgentCancelTimer,
                                 AgentStateChanged, AgentProgress, AgentSelfTestStart, AgentReboot, AgentJobEnded>;
// Inputs append to the caller's vector, so a host can reuse one buffer.
using AgentActions = std::vector<AgentAction>;

struct AgentCounters {
    std::uint32_t jobRequests = 0;       // $next/get published
    std::uint32_t streamRequests = 0;    // GetStream published
    std::uint32_t requestTimeouts = 0;   // request timer firings while downloading
    std::uint32_t blocksAccepted = 0;
    std::uint32_t duplicateBlocks = 0;
    std::uint32_t refusedInputs = 0;     // inputs answered with an Error
    std::uint32_t resumes = 0;           // downloads continued from the bitmap
};

class OtaAgent {
public:
    // Fails with AgentConfig::validate()'s error.
    static Result<OtaAgent> create(AgentConfig config, OtaPal& pal);

    // Power-on: Init → Ready → (Start) RequestingJob → WaitingForJob.
    void start(qint64 nowMs, AgentActions& out);
    // The device restarted (after AgentReboot, a power loss, ...): volatile state and timers
    // are gone; the flash record (job, file, bitmap of an unfinished download) is kept; then
    // start(). Host timers of this agent must be dropped by the host.
    void boot(qint64 nowMs, AgentActions& out);
    // The same, for a device that now runs another image (the new one after AgentReboot
    // {Activate}, the old one after a rollback): appFirmwareVersion becomes runningVersion.
    void boot(qint64 nowMs, AppVersion32 runningVersion, AgentActions& out);

    // ---- typed layer ----
    // A job execution document (notify-next or $next/get/accepted). nullopt: no pending job
    // (an empty execution).
    Result<void> onJobDocument(qint64 nowMs, const std::optional<OtaJobDocument>& document, AgentActions& out);
    // A stream data block. The payload is only read during the call.
    Result<void> onDataBlock(qint64 nowMs, std::uint32_t fileId, std::uint32_t blockId, QByteArrayView payload,
                             AgentActions& out);
    Result<void> onDataBlock(qint64 nowMs, const StreamDataBlock& block, AgentActions& out);
    void onTimer(qint64 nowMs, AgentTimer timer, AgentActions& out);
    void onRequestTimer(qint64 nowMs, AgentActions& out) { onTimer(nowMs, AgentTimer::Request, out); }
    // The MQTT connection dropped (OTA_Suspend) / is back (OTA_Resume).
    void onConnectionLost(qint64 nowMs, AgentActions& out);
    void onConnectionRestored(qint64 nowMs, AgentActions& out);
    // The application's self-test verdict (after AgentSelfTestStart).
    Result<void> onSelfTestResult(qint64 nowMs, bool passed, AgentActions& out);
    // OTA_SetImageState(Aborted) / a user's abort: FAILED "aborted: 0x00000013".
    Result<void> abortJob(qint64 nowMs, AgentActions& out);

    // ---- bytes layer ----
    // One MQTT message: notify-next / $next/get/accepted of this thing (JSON job document),
    // or stream data of the active stream (CBOR). Anything else is refused with a reason.
    Result<void> onMessage(qint64 nowMs, const QString& topic, QByteArrayView payload, AgentActions& out);

    // ---- persistence (the device's flash record for resuming) ----
    // Empty when there is no unfinished download; otherwise a small CBOR record (job id,
    // stream, file info, bitmap).
    QByteArray persist() const;
    // Before start()/boot(): take over a record from persist(). Errors name the bad field.
    Result<void> restore(QByteArrayView record);

    // ---- queries ----
    OtaState state() const { return m_state; }
    ImageState imageState() const { return m_imageState; }
    const AgentConfig& config() const { return m_config; }
    const QString& activeJobId() const { return m_jobId; }
    const QString& streamName() const { return m_streamName; }
    const std::optional<OtaFileInfo>& file() const { return m_file; }
    const std::optional<BlockBitmap>& bitmap() const { return m_bitmap; }
    std::uint32_t blocksTotal() const;
    std::uint32_t blocksReceived() const;
    std::uint32_t requestMomentum() const { return m_momentum; }
    bool selfTestRunning() const { return m_selfTestRunning; }
    const AgentCounters& counters() const { return m_counters; }
    // The last failure in words ("" while none).
    const QString& lastFailure() const { return m_lastFailure; }

    // Topics this agent listens to / publishes on.
    QString notifyNextTopic() const;
    QString dataTopic() const;  // of the active stream ("" without one)

    OtaAgent(OtaAgent&&) noexcept = default;
    OtaAgent& operator=(OtaAgent&&) noexcept = default;

private:
    OtaAgent(AgentConfig config, OtaPal& pal);

    // otaagent.cpp: control plane
    void setState(qint64 nowMs, OtaState to, OtaEvent event, AgentActions& out);
    void armTimer(qint64 nowMs, AgentTimer timer, AgentActions& out);
    void cancelTimer(AgentTimer timer, AgentActions& out);
    void requestJob(qint64 nowMs, OtaEvent event, AgentActions& out);
    Result<void> startJob(qint64 nowMs, const OtaJobDocument& document, AgentActions& out);
    Result<void> handleSelfTestJob(qint64 nowMs, const OtaJobDocument& document, AgentActions& out);
    void onJobParseError(qint64 nowMs, const QString& jobId, const Error& error, AgentActions& out);
    void adoptJob(const OtaJobDocument& document, AgentActions& out);
    void publishUpdate(JobExecutionStatus status, QJsonObject details, int qos, AgentActions& out);
    void endJob(qint64 nowMs, JobExecutionStatus status, const QString& wireReason, const QString& words,
                AgentActions& out);
    void failWithVal(qint64 nowMs, std::uint32_t main, std::uint32_t sub, const QString& words, AgentActions& out);
    void failWithReason(qint64 nowMs, ImageState state, std::uint32_t code, const QString& words, AgentActions& out);
    void closeTransfer(AgentActions& out);
    void forgetJob();
    Result<void> refuse(Error error);
    void reboot(RebootReason reason, AgentActions& out);

    // otaagentdata.cpp: data plane and the flash record
    void openTransfer(qint64 nowMs, AgentActions& out);
    void requestBlocks(qint64 nowMs, OtaEvent event, AgentActions& out);
    Result<void> failBlock(qint64 nowMs, std::uint32_t main, std::uint32_t sub, const QString& words, AgentActions& out);
    void finishFile(qint64 nowMs, AgentActions& out);

    AgentConfig m_config;
    OtaPal* m_pal = nullptr;
    OtaState m_state = OtaState::Init;
    ImageState m_imageState = ImageState::Unknown;
    QString m_jobId;                     // active job ("" none)
    QString m_streamName;
    std::optional<OtaFileInfo> m_file;   // the file being received
    std::optional<BlockBitmap> m_bitmap; // 1 = block still wanted
    std::uint32_t m_updaterVersion = 0;  // statusDetails.updatedBy of the job (self-test)
    std::uint32_t m_momentum = 0;
    std::uint32_t m_blocksToReceive = 0; // of the outstanding request
    std::uint32_t m_jobRequestCounter = 0;
    bool m_fileOpen = false;             // PAL file open for this run (not after a reboot)
    bool m_dataSubscribed = false;       // the stream data topic is subscribed
    bool m_selfTestRunning = false;      // AgentSelfTestStart given, verdict pending
    bool m_requestTimerArmed = false;
    bool m_selfTestTimerArmed = false;
    AgentCounters m_counters;
    QString m_lastFailure;
};

} // namespace otalab::core::awsota
