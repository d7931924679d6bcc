// SPDX-License-Identifier: Apache-2.0
// OtaAgent's names, config checks and the messages it publishes (typed → topic + bytes).
#include "core/awsota/otaagent.h"
#include "core/awsota/topics.h"

#include <array>

namespace otalab::core::awsota {

namespace {
constexpr std::array<const char*, kOtaStateCount> kStateNames = {
    "Init", "Ready", "RequestingJob", "WaitingForJob", "CreatingFile", "RequestingFileBlock",
    "WaitingForFileBlock", "ClosingFile", "Suspended", "ShuttingDown", "Stopped",
};
constexpr std::array<const char*, 13> kEventNames = {
    "Start", "StartSelfTest", "RequestJobDocument", "ReceivedJobDocument", "CreateFile", "RequestFileBlock",
    "ReceivedFileBlock", "RequestTimer", "CloseFile", "Suspend", "Resume", "UserAbort", "Shutdown",
};
} // namespace

QString AppVersion32::toString() const
{
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(build);
}

Result<void> AgentConfig::validate() const
{
    if (thingName.isEmpty())
        return fail(Error::at(-1, QStringLiteral("thingName"), QStringLiteral("empty (the agent's topics name its thing)")));
    if (auto ok = validateThingName(thingName); !ok)
        return fail(Error::at(-1, QStringLiteral("thingName"), ok.error().message));
    if (blockSize < kMinBlockSize || blockSize > kMaxBlockSize || (blockSize & (blockSize - 1)) != 0)
        return fail(Error::at(-1, QStringLiteral("blockSize"),
                              QStringLiteral("%1 bytes: expected a power of two in %2..%3")
                                  .arg(blockSize).arg(kMinBlockSize).arg(kMaxBlockSize)));
    if (blocksPerRequest == 0)
        return fail(Error::at(-1, QStringLiteral("blocksPerRequest"), QStringLiteral("0: expected at least 1")));
    if (requestTimeoutMs == 0)
        return fail(Error::at(-1, QStringLiteral("requestTimeoutMs"), QStringLiteral("0: expected a timeout in ms")));
    if (maxRequestMomentum == 0)
        return fail(Error::at(-1, QStringLiteral("maxRequestMomentum"), QStringLiteral("0: expected at least 1")));
    if (selfTestTimeoutMs == 0)
        return fail(Error::at(-1, QStringLiteral("selfTestTimeoutMs"), QStringLiteral("0: expected a timeout in ms")));
    if (statusUpdateFrequency == 0)
        return fail(Error::at(-1, QStringLiteral("statusUpdateFrequency"), QStringLiteral("0: expected at least 1 block")));
    if (maxBitmapBytes == 0)
        return fail(Error::at(-1, QStringLiteral("maxBitmapBytes"), QStringLiteral("0: expected at least 1 byte")));
    return {};
}

QString otaStateName(OtaState state)
{
    const auto i = std::size_t(state);
    return i < kStateNames.size() ? QString::fromLatin1(kStateNames[i]) : QStringLiteral("Unknown");
}

QString otaEventName(OtaEvent event)
{
    const auto i = std::size_t(event);
    return i < kEventNames.size() ? QString::fromLatin1(kEventNames[i]) : QStringLiteral("Unknown");
}

QString rebootReasonWords(RebootReason reason)
{
    switch (reason) {
    case RebootReason::Activate: return QStringLiteral("boot the new image");
    case RebootReason::Rollback: return QStringLiteral("new image rejected: boot the old image");
    case RebootReason::SelfTestTimeout: return QStringLiteral("self-test not confirmed in time: boot the old image");
    case RebootReason::PlatformMismatch: return QStringLiteral("platform and job disagree about the self-test: reset");
    }
    return QStringLiteral("reset");
}

QString NextJobRequest::topic() const { return Topics::jobsGetNext(thingName); }
QByteArray NextJobRequest::payload() const { return encodeGetNextJobRequest(counter, thingName); }

QString StreamRequest::topic() const { return Topics::streamGet(thingName, streamName); }
QByteArray StreamRequest::payload() const { return encodeGetStream(request); }
qsizetype StreamRequest::encodedSize() const { return qsizetype(encodedGetStreamSize(request)); }

QString JobStatusUpdate::topic() const { return Topics::jobUpdate(thingName, jobId); }
QByteArray JobStatusUpdate::payload() const { return encodeJobUpdate(jobExecutionStatusName(status), statusDetails); }

QString AgentPublish::topic() const
{
    return std::visit([](const auto& m) { return m.topic(); }, message);
}

QByteArray AgentPublish::payload() const
{
    return std::visit([](const auto& m) { return m.payload(); }, message);
}

QString OtaAgent::notifyNextTopic() const { return Topics::jobsNotifyNext(m_config.thingName); }

QString OtaAgent::dataTopic() const
{
    return m_streamName.isEmpty() ? QString() : Topics::streamData(m_config.thingName, m_streamName);
}

} // namespace otalab::core::awsota
