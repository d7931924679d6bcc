// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_server.h"

#include "core/common/bytes.h"
#include "core/zigbee/zcl_frame.h"

#include <algorithm>

namespace otalab::core::zigbee {

OtaServer::OtaServer(OtaServerConfig config) : m_config(std::move(config)) {}

// ---- images and policy ----

Result<int> OtaServer::addImage(std::shared_ptr<const QByteArray> file)
{
    auto image = OtaServerImage::create(std::move(file));
    if (!image)
        return fail(image.error());
    m_images.push_back(*image);
    return int(m_images.size() - 1);
}

void OtaServer::removeImage(int id)
{
    if (id >= 0 && id < int(m_images.size()))
        m_images[id].reset();
}

OtaServerImagePtr OtaServer::image(int id) const
{
    return id >= 0 && id < int(m_images.size()) ? m_images[id] : nullptr;
}

void OtaServer::setDevicePolicy(NwkAddress device, OtaDevicePolicy policy) { m_policies[device] = std::move(policy); }
void OtaServer::clearDevicePolicy(NwkAddress device) { m_policies.erase(device); }

const OtaDevicePolicy& OtaServer::policyFor(NwkAddress device) const
{
    const auto it = m_policies.find(device);
    return it == m_policies.end() ? m_config.defaultPolicy : it->second;
}

std::uint32_t OtaServer::utcSeconds(std::int64_t now) const
{
    return m_config.utcAtZero + std::uint32_t(std::max<std::int64_t>(now, 0) / 1000);
}

// ---- input ----

void OtaServer::handle(std::int64_t now, NwkAddress source, QByteArrayView frame, OtaActions& out)
{
    auto decoded = decodeZclFrame(frame);
    if (!decoded) {
        event(out, now, OtaEventKind::MalformedFrame, source, ZclStatus::MalformedCommand, 0, 0, decoded.error().toString());
        return;
    }
    const ZclHeader& h = decoded->header;
    if (h.frameType != ZclFrameType::ClusterSpecific || h.direction != ZclDirection::ClientToServer)
        return;  // Default Responses and server-bound globals are not ours to answer
    const std::uint8_t tsn = h.transactionSequence;
    if (h.manufacturerCode) {
        defaultResponse(now, source, tsn, h.commandId, ZclStatus::UnsupClusterCommand, out);
        return;
    }
    const QByteArrayView p = decoded->payload;
    const qint64 base = decoded->payloadOffset;
    auto malformed = [&](const Error& e) {
        event(out, now, OtaEventKind::MalformedFrame, source, ZclStatus::MalformedCommand, 0, 0, e.toString());
        defaultResponse(now, source, tsn, h.commandId, ZclStatus::MalformedCommand, out);
    };
    switch (h.commandId) {
    case otacmd::QueryNextImageRequest:
        if (auto c = decodeQueryNextImageRequest(p, base))
            handleQueryNextImage(now, source, tsn, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::ImageBlockRequest:
        if (auto c = decodeImageBlockRequest(p, base))
            handleBlockRequest(now, source, tsn, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::ImagePageRequest:
        if (auto c = decodeImagePageRequest(p, base))
            handlePageRequest(now, source, tsn, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::UpgradeEndRequest:
        if (auto c = decodeUpgradeEndRequest(p, base))
            handleUpgradeEnd(now, source, h, *c, out);
        else
            malformed(c.error());
        return;
    case otacmd::QueryDeviceSpecificFileRequest:
        if (auto c = decodeQueryDeviceSpecificFileRequest(p, base))
            handleQueryDeviceSpecificFile(now, source, tsn, *c, out);
        else
            malformed(c.error());
        return;
    default:
        defaultResponse(now, source, tsn, h.commandId, ZclStatus::UnsupClusterCommand, out);
        return;
    }
}

void OtaServer::onTimer(std::int64_t now, OtaTimerId id, OtaActions& out)
{
    const auto device = NwkAddress(id & 0xFFFF);
    const auto it = m_sessions.find(device);
    if (it == m_sessions.end())
        return;
    Session& s = it->second;
    if (id == pageTimerId(device)) {
        Page& pg = s.page;
        if (!pg.active || !pg.image)
            return;
        const std::uint32_t chunk = std::min<std::uint32_t>({pg.maxDataSize, m_config.maxBlockDataSize, pg.endOffset - pg.nextOffset});
        sendBlock(throttled(now), device, pg.tsn, *pg.image, pg.nextOffset, std::uint8_t(chunk), out);
        pg.nextOffset += chunk;
        if (chunk == 0 || pg.nextOffset >= pg.endOffset)
            pg = Page{};
        else
            out.push_back(ArmTimer{pageTimerId(device), now + pg.spacingMs});
    } else if (id == sessionTimerId(device)) {
        s.sessionTimerArmed = false;
        if (!s.downloading)
            return;
        if (now - s.lastSeen >= m_config.sessionTimeoutMs) {
            event(out, now, OtaEventKind::SessionExpired, device, ZclStatus::Abort, 0, now - s.lastSeen,
                  QStringLiteral("no request for %1 ms").arg(now - s.lastSeen));
            stopDownloading(s);
            if (s.page.active) {
                s.page = Page{};
                out.push_back(CancelTimer{pageTimerId(device)});
            }
        } else {
            s.sessionTimerArmed = true;
            out.push_back(ArmTimer{sessionTimerId(device), s.lastSeen + m_config.sessionTimeoutMs});
        }
    }
}

// ---- commands ----

void OtaServer::handleQueryNextImage(std::int64_t now, NwkAddress src, std::uint8_t tsn, const QueryNextImageRequest& req,
                                     OtaActions& out)
{
    Session& s = touch(now, src, out);
    const OtaDevicePolicy& policy = policyFor(src);
    QueryImageResponse rsp;
    OtaServerImagePtr chosen;
    if (!policy.authorized) {
        rsp.status = ZclStatus::NotAuthorized;
    } else if ((chosen = selectNextImage(policy, req))) {
        rsp.status = ZclStatus::Success;
        rsp.manufacturerCode = chosen->header().manufacturerCode;
        rsp.imageType = chosen->header().imageType;
        rsp.fileVersion = chosen->header().fileVersion;
        rsp.imageSize = chosen->size();
        s.image = chosen;
    } else {
        rsp.status = ZclStatus::NoImageAvailable;
    }
    event(out, now, OtaEventKind::QueryAnswered, src, rsp.status, 0, rsp.fileVersion);
    sendFrame(now + m_config.controlResponseDelayMs, src, tsn, otacmd::QueryNextImageResponse, encodePayload(rsp), false, out);
}

OtaServerImagePtr OtaServer::selectNextImage(const OtaDevicePolicy& policy, const QueryNextImageRequest& req) const
{
    OtaServerImagePtr best;
    for (const auto& img : m_images) {
        if (!img || img->isDeviceSpecific())
            continue;
        const OtaHeader& h = img->header();
        if ((h.manufacturerCode != req.manufacturerCode && h.manufacturerCode != kWildcardManufacturer) || h.imageType != req.imageType)
            continue;
        if (!img->matchesHardware(req.hardwareVersion))
            continue;
        const std::uint32_t v = h.fileVersion;
        const bool ok = (v > req.currentFileVersion && policy.allowUpgrade) || (v < req.currentFileVersion && policy.allowDowngrade)
                        || (v == req.currentFileVersion && policy.allowReinstall);
        if (!ok || (policy.pinnedFileVersion && v != *policy.pinnedFileVersion))
            continue;
        if (!best || v > best->header().fileVersion)
            best = img;
    }
    return best;
}

void OtaServer::handleQueryDeviceSpecificFile(std::int64_t now, NwkAddress src, std::uint8_t tsn,
                                              const QueryDeviceSpecificFileRequest& req, OtaActions& out)
{
    Session& s = touch(now, src, out);
    QueryImageResponse rsp;
    if (!policyFor(src).authorized) {
        rsp.status = ZclStatus::NotAuthorized;
    } else {
        OtaServerImagePtr best;
        for (const auto& img : m_images) {
            if (!img || !img->isDeviceSpecific() || *img->header().upgradeFileDestination != req.requestNodeAddress)
                continue;
            const OtaHeader& h = img->header();
            if ((h.manufacturerCode != req.manufacturerCode && req.manufacturerCode != kWildcardManufacturer)
                || (h.imageType != req.imageType && req.imageType != kWildcardImageType))
                continue;
            if (!best || h.fileVersion > best->header().fileVersion)
                best = img;
        }
        if (best) {
            rsp = {ZclStatus::Success, best->header().manufacturerCode, best->header().imageType, best->header().fileVersion, best->size()};
            s.image = best;
        } else {
            rsp.status = ZclStatus::NoImageAvailable;
        }
    }
    event(out, now, OtaEventKind::QueryAnswered, src, rsp.status, 0, rsp.fileVersion, QStringLiteral("device-specific"));
    sendFrame(now + m_config.controlResponseDelayMs, src, tsn, otacmd::QueryDeviceSpecificFileResponse, encodePayload(rsp), false, out);
}

OtaServerImagePtr OtaServer::findImage(const Session* s, std::uint16_t manufacturer, std::uint16_t type, std::uint32_t version,
                                       std::optional<std::uint64_t> ieee) const
{
    auto matches = [&](const OtaServerImage& img) {
        const OtaHeader& h = img.header();
        return h.manufacturerCode == manufacturer && h.imageType == type && h.fileVersion == version;
    };
    if (s && s->image && matches(*s->image))
        return s->image;
    for (const auto& img : m_images) {
        if (!img || !matches(*img))
            continue;
        if (img->isDeviceSpecific() && (!ieee || *img->header().upgradeFileDestination != *ieee))
            continue;  // a device-specific file goes only to the device it names
        return img;
    }
    return nullptr;
}

OtaServerImagePtr OtaServer::admitBlock(std::int64_t now, NwkAddress src, std::uint8_t tsn, std::uint16_t manufacturer,
                                        std::uint16_t type, std::uint32_t version, std::uint32_t offset,
                                        std::optional<std::uint64_t> ieee, std::optional<std::uint16_t> clientPeriod,
                                        OtaActions& out)
{
    Session& s = touch(now, src, out);
    auto statusOnly = [&](ZclStatus status, const QString& why) {
        ImageBlockResponse rsp;
        rsp.status = status;
        event(out, now, OtaEventKind::DownloadFailed, src, status, offset, 0, why);
        sendFrame(now + m_config.controlResponseDelayMs, src, tsn, otacmd::ImageBlockResponse, encodePayload(rsp), false, out);
        return nullptr;
    };
    if (!policyFor(src).authorized)
        return statusOnly(ZclStatus::Abort, QStringLiteral("device not authorized"));
    OtaServerImagePtr img = findImage(&s, manufacturer, type, version, ieee);
    if (!img)
        return statusOnly(ZclStatus::NoImageAvailable, QStringLiteral("no image %1/%2/%3")
                                                           .arg(hex(manufacturer, 4), hex(type, 4), hex(version, 8)));
    if (offset >= img->size())
        return statusOnly(ZclStatus::MalformedCommand,
                          QStringLiteral("offset %1 is past the image size %2").arg(offset).arg(img->size()));
    const WaitForDataPolicy& w = m_config.waitForData;
    if (w.dataAvailableAtMs > now) {
        sendWaitForData(now, src, tsn, w.dataAvailableAtMs, out);
        return nullptr;
    }
    if (!s.downloading && w.maxConcurrentDownloads > 0 && m_activeDownloads >= w.maxConcurrentDownloads) {
        sendWaitForData(now, src, tsn, now + w.busyRetryDelayMs, out);
        return nullptr;
    }
    if (w.minimumBlockPeriodMs > 0 && !s.rateAdvised
        && (!clientPeriod || minimumBlockPeriodMs(*clientPeriod, m_config.clusterRevision) < w.minimumBlockPeriodMs)) {
        s.rateAdvised = true;
        sendWaitForData(now, src, tsn, now, out);
        return nullptr;
    }
    s.image = img;
    if (!s.downloading)
        startDownloading(now, src, s, out);
    return img;
}

void OtaServer::handleBlockRequest(std::int64_t now, NwkAddress src, std::uint8_t tsn, const ImageBlockRequest& req, OtaActions& out)
{
    if (req.maximumDataSize == 0) {
        defaultResponse(now, src, tsn, otacmd::ImageBlockRequest, ZclStatus::MalformedCommand, out);
        return;
    }
    OtaServerImagePtr img = admitBlock(now, src, tsn, req.manufacturerCode, req.imageType, req.fileVersion, req.fileOffset,
                                       req.requestNodeAddress, req.minimumBlockPeriod, out);
    if (!img)
        return;
    const auto size = std::min(req.maximumDataSize, m_config.maxBlockDataSize);
    sendBlock(throttled(now + m_config.blockResponseDelayMs), src, tsn, *img, req.fileOffset, size, out);
}

void OtaServer::handlePageRequest(std::int64_t now, NwkAddress src, std::uint8_t tsn, const ImagePageRequest& req, OtaActions& out)
{
    if (req.maximumDataSize == 0 || req.pageSize == 0) {
        defaultResponse(now, src, tsn, otacmd::ImagePageRequest, ZclStatus::MalformedCommand, out);
        return;
    }
    OtaServerImagePtr img = admitBlock(now, src, tsn, req.manufacturerCode, req.imageType, req.fileVersion, req.fileOffset,
                                       req.requestNodeAddress, std::nullopt, out);
    if (!img)
        return;
    Page& pg = m_sessions[src].page;
    pg.active = true;
    pg.tsn = tsn;
    pg.nextOffset = req.fileOffset;
    pg.endOffset = std::uint32_t(std::min<std::uint64_t>(std::uint64_t(req.fileOffset) + req.pageSize, img->size()));
    pg.maxDataSize = req.maximumDataSize;
    pg.spacingMs = std::max<std::int64_t>(req.responseSpacing, m_config.minPageResponseSpacingMs);
    pg.image = img;
    out.push_back(ArmTimer{pageTimerId(src), now + m_config.blockResponseDelayMs});
}

void OtaServer::handleUpgradeEnd(std::int64_t now, NwkAddress src, const ZclHeader& h, const UpgradeEndRequest& req, OtaActions& out)
{
    Session& s = touch(now, src, out);
    event(out, now, OtaEventKind::UpgradeEndReceived, src, req.status, 0, req.fileVersion);
    stopDownloading(s);
    if (s.page.active) {
        s.page = Page{};
        out.push_back(CancelTimer{pageTimerId(src)});
    }
    if (req.status != ZclStatus::Success) {
        // §11.13.9.4: no further processing; the request does not disable the default response.
        if (!h.disableDefaultResponse)
            defaultResponse(now, src, h.transactionSequence, otacmd::UpgradeEndRequest, ZclStatus::Success, out);
        return;
    }
    s.finished = req;
    const UpgradeTimePolicy& t = policyFor(src).upgradeTime;
    const std::uint32_t current = utcSeconds(now);
    std::uint32_t upgradeTime = current;
    if (t.mode == UpgradeTimePolicy::Mode::Delay)
        upgradeTime = current + t.delaySeconds;
    else if (t.mode == UpgradeTimePolicy::Mode::WaitForever)
        upgradeTime = kUpgradeTimeWaitForever;
    sendUpgradeEndResponse(now, src, h.transactionSequence, req, upgradeTime, out);
}

Result<void> OtaServer::releaseUpgrade(std::int64_t now, NwkAddress device, std::uint32_t delaySeconds, OtaActions& out)
{
    const auto it = m_sessions.find(device);
    if (it == m_sessions.end() || !it->second.finished)
        return fail(QStringLiteral("device %1 has not reported a finished download").arg(hex(device, 4)));
    sendUpgradeEndResponse(now, device, ++m_tsn, *it->second.finished, utcSeconds(now) + delaySeconds, out);
    return {};
}

void OtaServer::notify(std::int64_t now, NwkAddress destination, const ImageNotify& payload, OtaActions& out)
{
    ZclHeader h;
    h.direction = ZclDirection::ServerToClient;
    h.disableDefaultResponse = true;
    h.transactionSequence = ++m_tsn;
    h.commandId = otacmd::ImageNotify;
    out.push_back(SendFrame{destination, now, otacmd::ImageNotify, encodeZclFrame(h, encodePayload(payload))});
}

Result<ImageNotify> OtaServer::notifyPayloadFor(int id, std::uint8_t payloadType, std::uint8_t queryJitter) const
{
    const auto img = image(id);
    if (!img)
        return fail(QStringLiteral("no image with id %1").arg(id));
    if (payloadType > 3 || queryJitter < 1 || queryJitter > 100)
        return fail(QStringLiteral("payload type must be 0..3 and query jitter 1..100 (got %1, %2)").arg(payloadType).arg(queryJitter));
    ImageNotify n;
    n.payloadType = payloadType;
    n.queryJitter = queryJitter;
    if (payloadType >= 1)
        n.manufacturerCode = img->header().manufacturerCode;
    if (payloadType >= 2)
        n.imageType = img->header().imageType;
    if (payloadType >= 3)
        n.fileVersion = img->header().fileVersion;
    return n;
}

// ---- output helpers ----

void OtaServer::sendBlock(std::int64_t at, NwkAddress dst, std::uint8_t tsn, const OtaServerImage& image, std::uint32_t offset,
                          std::uint8_t maxDataSize, OtaActions& out)
{
    ImageBlockResponse rsp;
    rsp.status = ZclStatus::Success;
    rsp.manufacturerCode = image.header().manufacturerCode;
    rsp.imageType = image.header().imageType;
    rsp.fileVersion = image.header().fileVersion;
    rsp.fileOffset = offset;
    rsp.data = image.bytes(offset, std::min(maxDataSize, m_config.maxBlockDataSize)).toByteArray();
    event(out, at, OtaEventKind::BlockServed, dst, ZclStatus::Success, offset, rsp.data.size());
    sendFrame(at, dst, tsn, otacmd::ImageBlockResponse, encodePayload(rsp), false, out);
}

void OtaServer::sendWaitForData(std::int64_t now, NwkAddress dst, std::uint8_t tsn, std::int64_t retryAtMs, OtaActions& out)
{
    ImageBlockResponse rsp;
    rsp.status = ZclStatus::WaitForData;
    rsp.currentTime = utcSeconds(now);
    // Round the request time up to a whole second so the client never comes back early.
    const std::int64_t waitMs = std::max<std::int64_t>(retryAtMs - now, 0);
    rsp.requestTime = rsp.currentTime + std::uint32_t((waitMs + 999) / 1000);
    const std::int64_t period = m_config.waitForData.minimumBlockPeriodMs;
    if (period > 0 || m_config.clusterRevision >= 3)
        rsp.minimumBlockPeriod = minimumBlockPeriodWire(period, m_config.clusterRevision);
    event(out, now, OtaEventKind::WaitForDataSent, dst, ZclStatus::WaitForData, 0, waitMs);
    sendFrame(now + m_config.controlResponseDelayMs, dst, tsn, otacmd::ImageBlockResponse, encodePayload(rsp), false, out);
}

void OtaServer::sendUpgradeEndResponse(std::int64_t now, NwkAddress dst, std::uint8_t tsn, const UpgradeEndRequest& req,
                                       std::uint32_t upgradeTime, OtaActions& out)
{
    const UpgradeEndResponse rsp{req.manufacturerCode, req.imageType, req.fileVersion, utcSeconds(now), upgradeTime};
    sendFrame(now + m_config.controlResponseDelayMs, dst, tsn, otacmd::UpgradeEndResponse, encodePayload(rsp), false, out);
}

void OtaServer::sendFrame(std::int64_t at, NwkAddress dst, std::uint8_t tsn, std::uint8_t commandId, const QByteArray& payload,
                          bool global, OtaActions& out)
{
    ZclHeader h;
    h.frameType = global ? ZclFrameType::Global : ZclFrameType::ClusterSpecific;
    h.direction = ZclDirection::ServerToClient;
    h.disableDefaultResponse = true;
    h.transactionSequence = tsn;
    h.commandId = commandId;
    out.push_back(SendFrame{dst, at, commandId, encodeZclFrame(h, payload)});
}

void OtaServer::defaultResponse(std::int64_t now, NwkAddress dst, std::uint8_t tsn, std::uint8_t commandId, ZclStatus status,
                                OtaActions& out)
{
    if (isBroadcast(dst))
        return;
    sendFrame(now + m_config.controlResponseDelayMs, dst, tsn, kDefaultResponseCommand, encodePayload(DefaultResponse{commandId, status}),
              true, out);
}

OtaServer::Session& OtaServer::touch(std::int64_t now, NwkAddress src, OtaActions& out)
{
    Session& s = m_sessions[src];
    s.lastSeen = now;
    if (s.downloading && !s.sessionTimerArmed) {
        s.sessionTimerArmed = true;
        out.push_back(ArmTimer{sessionTimerId(src), now + m_config.sessionTimeoutMs});
    }
    return s;
}

void OtaServer::startDownloading(std::int64_t now, NwkAddress src, Session& s, OtaActions& out)
{
    s.downloading = true;
    ++m_activeDownloads;
    event(out, now, OtaEventKind::DownloadStarted, src, ZclStatus::Success, 0, s.image ? s.image->size() : 0);
    if (!s.sessionTimerArmed) {
        s.sessionTimerArmed = true;
        out.push_back(ArmTimer{sessionTimerId(src), now + m_config.sessionTimeoutMs});
    }
}

void OtaServer::stopDownloading(Session& s)
{
    if (s.downloading) {
        s.downloading = false;
        --m_activeDownloads;
    }
}

std::int64_t OtaServer::throttled(std::int64_t desired)
{
    if (m_config.minResponseSpacingMs <= 0)
        return desired;
    const std::int64_t at = std::max(desired, m_nextFreeSlot);
    m_nextFreeSlot = at + m_config.minResponseSpacingMs;
    return at;
}

void OtaServer::event(OtaActions& out, std::int64_t now, OtaEventKind kind, NwkAddress peer, ZclStatus status, std::uint32_t offset,
                      std::int64_t value, QString detail) const
{
    out.push_back(OtaEvent{now, kind, peer, status, offset, value, std::move(detail)});
}

} // namespace otalab::core::zigbee
