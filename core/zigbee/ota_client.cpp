// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_client.h"

#include "core/common/bytes.h"
#include "core/zigbee/ota_client_verifier.h"
#include "core/zigbee/ota_file.h"

#include <algorithm>

namespace otalab::core::zigbee {

namespace {

// SplitMix64: the default deterministic stream when the host injects none.
OtaClient::RandomSource splitMix(std::uint64_t seed)
{
    return [state = seed]() mutable {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return std::uint32_t((z ^ (z >> 31)) >> 32);
    };
}

} // namespace

OtaClient::OtaClient(OtaClientConfig config, OtaFlash& flash, RandomSource random)
    : m_config(std::move(config)), m_flash(flash), m_random(random ? std::move(random) : splitMix(m_config.rngSeed))
{
    m_attr.currentFileVersion = m_config.currentFileVersion;
    m_attr.currentZigbeeStackVersion = m_config.stackVersion;
    m_attr.manufacturerId = m_config.manufacturerCode;
    m_attr.imageTypeId = m_config.imageType;
    m_attr.minimumBlockPeriod = minimumBlockPeriodWire(m_config.minimumBlockPeriodMs, m_config.clusterRevision);
    m_attr.imageStamp = m_config.imageStamp;
    m_attr.upgradeActivationPolicy = m_config.upgradeActivationPolicy;
    m_attr.upgradeTimeoutPolicy = m_config.upgradeTimeoutPolicy;
}

void OtaClient::start(std::int64_t now, OtaActions& out) { arm(out, Timer::Query, now + std::max<std::int64_t>(m_config.firstQueryDelayMs, 0)); }

// ---- input ----

void OtaClient::handle(std::int64_t now, NwkAddress source, QByteArrayView frame, OtaActions& out)
{
    if (source != m_config.serverAddress)
        return;  // one upgrade server at a time
    auto decoded = decodeZclFrame(frame);
    if (!decoded) {
        event(out, now, OtaEventKind::MalformedFrame, ZclStatus::MalformedCommand, 0, 0, decoded.error().toString());
        return;
    }
    const ZclHeader& h = decoded->header;
    if (h.frameType != ZclFrameType::ClusterSpecific || h.direction != ZclDirection::ServerToClient || h.manufacturerCode)
        return;  // Default Responses need no action: every request has its own timeout
    const QByteArrayView p = decoded->payload;
    const qint64 base = decoded->payloadOffset;
    auto malformed = [&](const Error& e) {
        // A lost frame in effect: the request timeout recovers.
        event(out, now, OtaEventKind::MalformedFrame, ZclStatus::MalformedCommand, 0, 0, e.toString());
    };
    switch (h.commandId) {
    case otacmd::ImageNotify:
        if (auto c = decodeImageNotify(p, base))
            onImageNotify(now, source, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::QueryNextImageResponse:
    case otacmd::QueryDeviceSpecificFileResponse: {
        const bool ds = h.commandId == otacmd::QueryDeviceSpecificFileResponse;
        if (auto c = decodeQueryImageResponse(p, base)) {
            if (m_phase == Phase::Querying && ds == m_queryDeviceSpecific)
                onQueryResponse(now, *c, ds, out);
        } else {
            malformed(c.error());
        }
        return;
    }
    case otacmd::ImageBlockResponse:
        if (auto c = decodeImageBlockResponse(p, base))
            onBlockResponse(now, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::UpgradeEndResponse:
        if (auto c = decodeUpgradeEndResponse(p, base))
            onUpgradeEndResponse(now, *c, out);
        else
            malformed(c.error());
        return;
    default:
        return;
    }
}

void OtaClient::onTimer(std::int64_t now, OtaTimerId id, OtaActions& out)
{
    switch (Timer(id)) {
    case Timer::Query:
        if (m_phase == Phase::Idle)
            sendQuery(now, out);
        if (m_config.queryPeriodMs > 0)
            arm(out, Timer::Query, now + m_config.queryPeriodMs);
        return;
    case Timer::NotifyQuery:
        if (m_phase == Phase::Idle)
            sendQuery(now, out);
        return;
    case Timer::Response:
        onResponseTimeout(now, out);
        return;
    case Timer::NextBlock:
        if (m_phase == Phase::Downloading)
            sendBlockRequest(now, out);
        return;
    case Timer::Upgrade:
        if (m_phase == Phase::CountDown)
            apply(now, QStringLiteral("upgrade time reached"), out);
        else if (m_phase == Phase::Waiting)
            sendUpgradeEnd(now, ZclStatus::Success, out);  // the hourly re-ask
        return;
    }
}

void OtaClient::queryNow(std::int64_t now, OtaActions& out)
{
    if (m_phase == Phase::Idle)
        sendQuery(now, out);
}

void OtaClient::queryDeviceSpecificFile(std::int64_t now, std::uint16_t imageType, std::uint32_t currentFileVersion, OtaActions& out)
{
    if (m_phase != Phase::Idle)
        return;
    m_phase = Phase::Querying;
    m_queryDeviceSpecific = true;
    m_retries = 0;
    const QueryDeviceSpecificFileRequest req{m_config.ieeeAddress, m_config.manufacturerCode, imageType, currentFileVersion,
                                             m_attr.currentZigbeeStackVersion};
    send(now, otacmd::QueryDeviceSpecificFileRequest, encodePayload(req), out);
    arm(out, Timer::Response, now + m_config.requestTimeoutMs);
}

void OtaClient::applyNow(std::int64_t now, OtaActions& out)
{
    if (m_phase == Phase::AwaitingUpgradeEnd || m_phase == Phase::Waiting || m_phase == Phase::CountDown || m_phase == Phase::External)
        apply(now, QStringLiteral("activated out of band"), out);
}

// ---- queries and notify ----

void OtaClient::sendQuery(std::int64_t now, OtaActions& out)
{
    m_phase = Phase::Querying;
    m_queryDeviceSpecific = false;
    m_retries = 0;
    const QueryNextImageRequest req{m_config.manufacturerCode, m_config.imageType, m_attr.currentFileVersion, m_config.hardwareVersion};
    send(now, otacmd::QueryNextImageRequest, encodePayload(req), out);
    arm(out, Timer::Response, now + m_config.requestTimeoutMs);
}

void OtaClient::onImageNotify(std::int64_t now, NwkAddress, const ImageNotify& n, OtaActions& out)
{
    if (m_phase != Phase::Idle)
        return;
    if (n.payloadType >= 1 && n.manufacturerCode != m_config.manufacturerCode && n.manufacturerCode != kWildcardManufacturer)
        return;
    if (n.payloadType >= 2 && n.imageType != m_config.imageType && n.imageType != kWildcardImageType)
        return;
    if (n.payloadType >= 3 && n.fileVersion == m_attr.currentFileVersion)
        return;  // already running the announced version
    // §11.13.3.4: draw 1..100; answer only when the draw is within the query jitter.
    const std::uint32_t draw = 1 + random() % 100;
    if (draw > n.queryJitter)
        return;
    const std::int64_t spread = m_config.notifyQuerySpreadMs;
    const std::int64_t delay = spread > 0 ? std::int64_t(random() % std::uint32_t(spread + 1)) : 0;
    if (delay == 0)
        sendQuery(now, out);
    else
        arm(out, Timer::NotifyQuery, now + delay);
}

void OtaClient::onQueryResponse(std::int64_t now, const QueryImageResponse& rsp, bool deviceSpecific, OtaActions& out)
{
    cancel(out, Timer::Response);
    m_attr.upgradeServerId = m_config.serverIeee;
    m_phase = Phase::Idle;
    if (rsp.status != ZclStatus::Success) {
        event(out, now, OtaEventKind::QueryAnswered, rsp.status);
        return;
    }
    const bool mine = rsp.manufacturerCode == m_config.manufacturerCode && (deviceSpecific || rsp.imageType == m_config.imageType);
    if (!mine || rsp.imageSize < kMandatoryHeaderSize) {
        event(out, now, OtaEventKind::QueryAnswered, ZclStatus::InvalidImage, 0, rsp.fileVersion,
              QStringLiteral("offer %1/%2 size %3 does not fit this device").arg(hex(rsp.manufacturerCode, 4), hex(rsp.imageType, 4)).arg(rsp.imageSize));
        return;
    }
    if (!deviceSpecific && m_config.ignoreSameVersionOffer && rsp.fileVersion == m_attr.currentFileVersion) {
        event(out, now, OtaEventKind::QueryAnswered, ZclStatus::InvalidImage, 0, rsp.fileVersion,
              QStringLiteral("offer of FileVersion %1 ignored: the same FileVersion as currently installed").arg(hex(rsp.fileVersion, 8)));
        return;
    }
    if (!deviceSpecific && m_config.disableDowngrades && rsp.fileVersion < m_attr.currentFileVersion) {
        const UpgradeEndRequest req{ZclStatus::InvalidImage, rsp.manufacturerCode, rsp.imageType, rsp.fileVersion};
        send(now, otacmd::UpgradeEndRequest, encodePayload(req), out);  // no response expected
        event(out, now, OtaEventKind::QueryAnswered, ZclStatus::InvalidImage, 0, rsp.fileVersion,
              QStringLiteral("offer of FileVersion %1 refused (Upgrade End INVALID_IMAGE): OTA downgrades disabled, it is behind the "
                             "installed %2")
                  .arg(hex(rsp.fileVersion, 8), hex(m_attr.currentFileVersion, 8)));
        return;
    }
    event(out, now, OtaEventKind::QueryAnswered, rsp.status, 0, rsp.fileVersion);
    if (auto erased = m_flash.erase(rsp.imageSize); !erased) {
        event(out, now, OtaEventKind::DownloadFailed, ZclStatus::Abort, 0, 0, erased.error().toString());
        return;
    }
    m_target = Target{rsp.manufacturerCode, rsp.imageType, rsp.fileVersion, rsp.imageSize, 0, deviceSpecific};
    m_attr.downloadedFileVersion = rsp.fileVersion;
    m_attr.fileOffset = 0;
    m_phase = Phase::Downloading;
    m_retries = 0;
    m_lastBlockRequestAt = -1;
    setStatus(now, ImageUpgradeStatus::DownloadInProgress, {}, out);
    event(out, now, OtaEventKind::DownloadStarted, ZclStatus::Success, 0, rsp.imageSize);
    sendBlockRequest(now, out);
}

// ---- download ----

void OtaClient::resumeDownload(std::int64_t now, const StoredDownload& stored, OtaActions& out)
{
    start(now, out);
    if (stored.size < kMandatoryHeaderSize || stored.offset > stored.size)
        return;  // nothing usable in storage: the periodic query starts over
    m_target = Target{stored.manufacturerCode, stored.imageType, stored.fileVersion, stored.size, 0, false};
    m_attr.downloadedFileVersion = stored.fileVersion;
    m_attr.fileOffset = stored.offset;
    m_phase = Phase::Downloading;
    m_retries = 0;
    m_lastBlockRequestAt = -1;
    setStatus(now, ImageUpgradeStatus::DownloadInProgress, {}, out);
    event(out, now, OtaEventKind::DownloadStarted, ZclStatus::Success, stored.offset, stored.size,
          QStringLiteral("resumed from storage at offset %1").arg(stored.offset));
    if (stored.offset >= stored.size)
        finishDownload(now, out);
    else
        sendBlockRequest(now, out);
}


void OtaClient::sendBlockRequest(std::int64_t now, OtaActions& out)
{
    const std::uint32_t offset = m_attr.fileOffset;
    std::optional<std::uint64_t> ieee;
    if (m_config.sendIeeeInRequests)
        ieee = m_config.ieeeAddress;
    if (m_config.usePageRequests) {
        const ImagePageRequest req{m_target.manufacturerCode, m_target.imageType, m_target.fileVersion, offset, m_config.maxDataSize,
                                   m_config.pageSize, m_config.responseSpacingMs, ieee};
        m_pageEnd = std::uint32_t(std::min<std::uint64_t>(std::uint64_t(offset) + m_config.pageSize, m_target.size));
        send(now, otacmd::ImagePageRequest, encodePayload(req), out);
    } else {
        ImageBlockRequest req{m_target.manufacturerCode, m_target.imageType, m_target.fileVersion, offset, m_config.maxDataSize, ieee, {}};
        if (m_config.sendMinimumBlockPeriod)
            req.minimumBlockPeriod = m_attr.minimumBlockPeriod;
        send(now, otacmd::ImageBlockRequest, encodePayload(req), out);
    }
    m_lastBlockRequestAt = now;
    arm(out, Timer::Response, now + m_config.requestTimeoutMs);
}

void OtaClient::scheduleNextBlock(std::int64_t now, OtaActions& out)
{
    // MinimumBlockPeriod: the least time between two block (or page) requests.
    const std::int64_t next = m_lastBlockRequestAt + minimumBlockPeriodMs_();
    if (m_lastBlockRequestAt < 0 || next <= now) {
        sendBlockRequest(now, out);
        return;
    }
    cancel(out, Timer::Response);
    arm(out, Timer::NextBlock, next);
}

void OtaClient::onBlockResponse(std::int64_t now, const ImageBlockResponse& rsp, OtaActions& out)
{
    if (m_phase != Phase::Downloading)
        return;
    if (rsp.status == ZclStatus::Success) {
        const bool sameImage = rsp.manufacturerCode == m_target.manufacturerCode && rsp.imageType == m_target.imageType
                               && rsp.fileVersion == m_target.fileVersion;
        const std::uint64_t end = std::uint64_t(rsp.fileOffset) + std::uint64_t(rsp.data.size());
        if (!sameImage || rsp.fileOffset != m_attr.fileOffset || rsp.data.isEmpty() || end > m_target.size)
            return;  // stale (answer to an earlier retry), duplicate, or not ours
        if (auto written = m_flash.write(rsp.fileOffset, rsp.data); !written) {
            failDownload(now, QStringLiteral("flash write failed: %1").arg(written.error().toString()), ZclStatus::Abort, true, out);
            return;
        }
        m_attr.fileOffset = std::uint32_t(end);
        m_retries = 0;
        event(out, now, OtaEventKind::BlockReceived, ZclStatus::Success, rsp.fileOffset, rsp.data.size());
        if (m_attr.fileOffset >= m_target.size) {
            cancel(out, Timer::Response);
            finishDownload(now, out);
        } else if (m_config.usePageRequests && m_attr.fileOffset < m_pageEnd) {
            arm(out, Timer::Response, now + m_config.requestTimeoutMs);  // more of this page to come
        } else {
            scheduleNextBlock(now, out);
        }
        return;
    }
    if (rsp.status == ZclStatus::WaitForData) {
        cancel(out, Timer::Response);
        if (rsp.minimumBlockPeriod)
            m_attr.minimumBlockPeriod = *rsp.minimumBlockPeriod;
        // currentTime 0: requestTime is an offset in seconds (§11.13.8.4).
        const std::uint32_t waitS = rsp.currentTime == 0 ? rsp.requestTime
                                                         : (rsp.requestTime > rsp.currentTime ? rsp.requestTime - rsp.currentTime : 0);
        const std::int64_t wait = std::max({std::int64_t(waitS) * 1000, minimumBlockPeriodMs_(), m_config.minWaitForDataMs});
        m_retries = 0;
        event(out, now, OtaEventKind::WaitForDataReceived, ZclStatus::WaitForData, m_attr.fileOffset, wait);
        arm(out, Timer::NextBlock, now + wait);
        return;
    }
    failDownload(now, QStringLiteral("server answered %1 at offset %2").arg(zclStatusName(rsp.status)).arg(m_attr.fileOffset), rsp.status,
                 false, out);
}

void OtaClient::finishDownload(std::int64_t now, OtaActions& out)
{
    event(out, now, OtaEventKind::DownloadComplete, ZclStatus::Success, m_attr.fileOffset, m_target.size);
    auto bytes = m_flash.read(0, m_target.size);
    const DownloadedImageCheck check = bytes ? verifyDownloadedImage(*bytes, m_target.manufacturerCode, m_target.imageType,
                                                                     m_target.fileVersion, m_config.verificationKeys)
                                             : DownloadedImageCheck{false, bytes.error().toString(), 0};
    event(out, now, OtaEventKind::ImageVerified, check.valid ? ZclStatus::Success : ZclStatus::InvalidImage, 0, m_target.fileVersion,
          check.reason);
    if (!check.valid) {
        failDownload(now, QStringLiteral("INVALID_IMAGE: %1").arg(check.reason), ZclStatus::InvalidImage, true, out);
        return;
    }
    m_target.stackVersion = check.stackVersion;
    m_attr.downloadedZigbeeStackVersion = check.stackVersion;
    setStatus(now, ImageUpgradeStatus::DownloadComplete, {}, out);
    m_phase = Phase::AwaitingUpgradeEnd;
    m_retries = 0;
    m_unansweredUpgradeEnds = 0;
    sendUpgradeEnd(now, ZclStatus::Success, out);
}

void OtaClient::failDownload(std::int64_t now, const QString& reason, ZclStatus endStatus, bool tellServer, OtaActions& out)
{
    cancel(out, Timer::Response);
    cancel(out, Timer::NextBlock);
    if (tellServer) {
        const UpgradeEndRequest req{endStatus, m_target.manufacturerCode, m_target.imageType, m_target.fileVersion};
        send(now, otacmd::UpgradeEndRequest, encodePayload(req), out);  // no response expected
    }
    event(out, now, OtaEventKind::DownloadFailed, endStatus, m_attr.fileOffset, 0, reason);
    m_attr.downloadedFileVersion = 0xFFFFFFFF;
    m_attr.downloadedZigbeeStackVersion = 0xFFFF;
    m_attr.fileOffset = 0;
    m_phase = Phase::Idle;
    setStatus(now, ImageUpgradeStatus::Normal, reason, out);
}

// ---- timeouts ----

void OtaClient::onResponseTimeout(std::int64_t now, OtaActions& out)
{
    ++m_retries;
    switch (m_phase) {
    case Phase::Querying:
        event(out, now, OtaEventKind::RequestTimedOut, ZclStatus::Success, 0, m_retries, otaCommandName(m_lastCommand));
        if (m_retries > m_config.maxRetries)
            m_phase = Phase::Idle;  // the next periodic query tries again
        else
            resend(now, out);
        return;
    case Phase::Downloading:
        event(out, now, OtaEventKind::RequestTimedOut, ZclStatus::Success, m_attr.fileOffset, m_retries, otaCommandName(m_lastCommand));
        if (m_retries > m_config.maxRetries)
            failDownload(now,
                         QStringLiteral("%1 at offset %2 unanswered after %3 retries")
                             .arg(otaCommandName(m_lastCommand))
                             .arg(m_attr.fileOffset)
                             .arg(m_config.maxRetries),
                         ZclStatus::Abort, true, out);
        else
            sendBlockRequest(now, out);
        return;
    case Phase::AwaitingUpgradeEnd:
        event(out, now, OtaEventKind::RequestTimedOut, ZclStatus::Success, 0, m_retries, otaCommandName(m_lastCommand));
        if (m_retries > m_config.maxRetries) {
            m_unansweredUpgradeEnds = 1;
            enterWaiting(now, QStringLiteral("no Upgrade End Response after %1 retries").arg(m_config.maxRetries), out);
        } else {
            sendUpgradeEnd(now, ZclStatus::Success, out);
        }
        return;
    case Phase::Waiting:
        ++m_unansweredUpgradeEnds;
        event(out, now, OtaEventKind::RequestTimedOut, ZclStatus::Success, 0, m_unansweredUpgradeEnds, otaCommandName(m_lastCommand));
        if (m_unansweredUpgradeEnds >= m_config.unansweredUpgradeEndLimit && m_attr.upgradeTimeoutPolicy == 0) {
            apply(now,
                  QStringLiteral("%1 Upgrade End Requests unanswered; UpgradeTimeoutPolicy 0 applies the image").arg(m_unansweredUpgradeEnds),
                  out);
        } else {
            arm(out, Timer::Upgrade, std::max(now, m_lastUpgradeEndAt + m_config.upgradeRequeryPeriodMs));
        }
        return;
    case Phase::Idle:
    case Phase::CountDown:
    case Phase::External:
        return;  // stale timer
    }
}

void OtaClient::resend(std::int64_t now, OtaActions& out)
{
    send(now, m_lastCommand, m_lastPayload, out);
    arm(out, Timer::Response, now + m_config.requestTimeoutMs);
}

// ---- upgrade end ----

void OtaClient::sendUpgradeEnd(std::int64_t now, ZclStatus status, OtaActions& out)
{
    const UpgradeEndRequest req{status, m_target.manufacturerCode, m_target.imageType, m_target.fileVersion};
    send(now, otacmd::UpgradeEndRequest, encodePayload(req), out);
    m_lastUpgradeEndAt = now;
    arm(out, Timer::Response, now + m_config.requestTimeoutMs);
}

void OtaClient::onUpgradeEndResponse(std::int64_t now, const UpgradeEndResponse& rsp, OtaActions& out)
{
    if (m_phase != Phase::AwaitingUpgradeEnd && m_phase != Phase::Waiting && m_phase != Phase::CountDown)
        return;
    // §11.13.9.6: the response may carry wildcards for all three identifiers.
    const bool matches = (rsp.manufacturerCode == m_target.manufacturerCode || rsp.manufacturerCode == kWildcardManufacturer)
                         && (rsp.imageType == m_target.imageType || rsp.imageType == kWildcardImageType)
                         && (rsp.fileVersion == m_target.fileVersion || rsp.fileVersion == kWildcardFileVersion);
    if (!matches)
        return;
    cancel(out, Timer::Response);
    m_retries = 0;
    m_unansweredUpgradeEnds = 0;
    if (m_attr.upgradeActivationPolicy == 1) {
        cancel(out, Timer::Upgrade);
        m_phase = Phase::External;
        setStatus(now, ImageUpgradeStatus::WaitingToUpgradeViaExternalEvent, {}, out);
        return;
    }
    if (rsp.upgradeTime == kUpgradeTimeWaitForever) {
        enterWaiting(now, {}, out);
        return;
    }
    // currentTime 0: upgradeTime is an offset in seconds.
    const std::uint32_t delayS = rsp.currentTime == 0 ? rsp.upgradeTime
                                                      : (rsp.upgradeTime > rsp.currentTime ? rsp.upgradeTime - rsp.currentTime : 0);
    event(out, now, OtaEventKind::UpgradeScheduled, ZclStatus::Success, 0, std::int64_t(delayS) * 1000);
    if (delayS == 0) {
        apply(now, QStringLiteral("upgrade time reached"), out);
        return;
    }
    m_phase = Phase::CountDown;
    setStatus(now, ImageUpgradeStatus::CountDown, {}, out);
    arm(out, Timer::Upgrade, now + std::int64_t(delayS) * 1000);
}

void OtaClient::enterWaiting(std::int64_t now, const QString& reason, OtaActions& out)
{
    m_phase = Phase::Waiting;
    setStatus(now, ImageUpgradeStatus::WaitingToUpgrade, reason, out);
    event(out, now, OtaEventKind::UpgradeScheduled, ZclStatus::Success, 0, -1, reason);
    // Re-ask one period after the last ask, never sooner (the spec's "at most hourly").
    arm(out, Timer::Upgrade, std::max(now, m_lastUpgradeEndAt + m_config.upgradeRequeryPeriodMs));
}

void OtaClient::apply(std::int64_t now, const QString& reason, OtaActions& out)
{
    cancel(out, Timer::Response);
    cancel(out, Timer::Upgrade);
    m_phase = Phase::Idle;
    m_attr.fileOffset = 0;
    m_attr.downloadedFileVersion = 0xFFFFFFFF;
    m_attr.downloadedZigbeeStackVersion = 0xFFFF;
    if (m_target.deviceSpecific) {
        event(out, now, OtaEventKind::FileInstalled, ZclStatus::Success, 0, m_target.fileVersion, reason);
        setStatus(now, ImageUpgradeStatus::Normal, reason, out);
        return;
    }
    const std::uint32_t old = m_attr.currentFileVersion;
    m_attr.currentFileVersion = m_target.fileVersion;
    m_attr.currentZigbeeStackVersion = m_target.stackVersion;
    ++m_reboots;
    setStatus(now, ImageUpgradeStatus::Normal, reason, out);
    out.push_back(Reboot{old, m_target.fileVersion});
    if (m_config.queryPeriodMs > 0)
        arm(out, Timer::Query, now + m_config.queryPeriodMs);
}

// ---- output helpers ----

void OtaClient::send(std::int64_t now, std::uint8_t commandId, const QByteArray& payload, OtaActions& out)
{
    ZclHeader h;
    h.frameType = ZclFrameType::ClusterSpecific;
    h.direction = ZclDirection::ClientToServer;
    h.disableDefaultResponse = false;
    h.transactionSequence = ++m_tsn;
    h.commandId = commandId;
    m_lastCommand = commandId;
    m_lastPayload = payload;
    out.push_back(SendFrame{m_config.serverAddress, now, commandId, encodeZclFrame(h, payload)});
}

void OtaClient::setStatus(std::int64_t now, ImageUpgradeStatus to, const QString& reason, OtaActions& out)
{
    const ImageUpgradeStatus from = m_attr.imageUpgradeStatus;
    if (from == to && reason.isEmpty())
        return;
    m_attr.imageUpgradeStatus = to;
    out.push_back(StateChanged{now, from, to, reason});
}

void OtaClient::event(OtaActions& out, std::int64_t now, OtaEventKind kind, ZclStatus status, std::uint32_t offset, std::int64_t value,
                      QString detail) const
{
    out.push_back(OtaEvent{now, kind, m_config.serverAddress, status, offset, value, std::move(detail)});
}

} // namespace otalab::core::zigbee
