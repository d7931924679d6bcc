// SPDX-License-Identifier: Apache-2.0
// The software update steps (IoTivity-Lite oc_swupdate_perform_action and the
// application's check_new_version / download_update / perform_upgrade callbacks, with the
// notify_* calls they make): availability check (isac), download + validation (isvv),
// upgrade. One step runs at a time; a new action replaces the running one.
#include "core/ocf/swupdate_device.h"

#include "core/ocf/swupdate_device_impl.h"

namespace otalab::core::ocf {

void SwUpdateDevice::performAction(qint64 nowMsUtc, SwUpdateAction action, DeviceActions& out)
{
    if (m_impl->download) {
        m_impl->download.reset();
        out.push_back(DeviceCancelTimer{SwUpdateTimer::Request});
    }
    m_impl->operation = SwUpdateOperation::None;
    m_resource.action = action;
    if (action == SwUpdateAction::Idle)
        return;
    auto url = parsePackageUrl(m_resource.purl);
    if (!url) {
        endStep(SwUpdateState::Idle, SwUpdateResult::InvalidUrl,
                QStringLiteral("purl \"%1\": %2").arg(m_resource.purl.left(100), url.error().toString()), out);
        return;
    }
    if (!isSupportedPackageScheme(*url)) {
        endStep(SwUpdateState::Idle, SwUpdateResult::UnsupportedProtocol,
                QStringLiteral("purl scheme \"%1\" is not supported: only coap://").arg(url->scheme), out);
        return;
    }
    if (m_impl->validated && m_impl->downloadPurl == m_resource.purl) {
        if (action == SwUpdateAction::Upgrade) {
            applyImage(nowMsUtc, out);
            return;
        }
        if (action == SwUpdateAction::Isvv) {
            m_resource.action = SwUpdateAction::Idle;
            setState(SwUpdateState::Sva, SwUpdateResult::Idle, QStringLiteral("the stored image is already valid"), out);
            return;
        }
    }
    m_impl->server = CoapPeer{url->host, url->port, {}};
    BlockwiseGet::Config config;
    config.uriPath = url->path;
    config.uriQueries = url->queries;
    config.szx = m_config.blockSzx;
    config.transmission = m_config.transmission;
    config.maxBodyBytes = std::uint64_t(1) << 40;   // the slot capacity is checked here (result 3)
    std::uint64_t from = 0;
    if (action == SwUpdateAction::Isac) {
        m_impl->operation = SwUpdateOperation::Check;
        setState(SwUpdateState::Nsa, SwUpdateResult::Idle, QStringLiteral("checking %1").arg(m_resource.purl), out);
    } else {
        m_impl->operation = SwUpdateOperation::Download;
        m_impl->upgradeAfterValidation = action == SwUpdateAction::Upgrade;
        const bool resume = m_impl->downloadPurl == m_resource.purl && !m_impl->etag.isEmpty()
            && m_impl->bytesStored > 0 && m_platform.storedBytes() >= m_impl->bytesStored;
        if (resume) {
            const std::uint64_t block = 16u << std::min<std::uint8_t>(m_config.blockSzx, 6);
            from = m_impl->bytesStored / block * block;
            config.knownEtag = m_impl->etag;
        } else {
            m_platform.eraseSlot();
            m_impl->bytesStored = 0;
            m_impl->imageBytes.reset();
            m_impl->etag.clear();
            m_impl->validated = false;
            m_impl->downloadPurl = m_resource.purl;
        }
        setState(SwUpdateState::Svv, SwUpdateResult::Idle,
                 from > 0 ? QStringLiteral("resuming %1 at byte %2").arg(m_resource.purl).arg(from)
                          : QStringLiteral("downloading %1").arg(m_resource.purl),
                 out);
    }
    m_impl->download.emplace(config);
    m_impl->downloadToken = m_impl->takeToken();
    BlockwiseGet::Send first = m_impl->download->start(from, m_impl->takeMessageId(), m_impl->downloadToken,
                                                      m_impl->jitter());
    onDownloadStep(nowMsUtc, std::move(first), out);
}

void SwUpdateDevice::onDownloadResponse(qint64 nowMsUtc, const CoapMessage& response, DeviceActions& out)
{
    if (response.type == CoapType::Confirmable && response.token == m_impl->downloadToken)
        send(m_impl->server, makeEmptyAck(response.messageId), out);   // a separate response (RFC 7252 §5.2.2)
    auto step = m_impl->download->onResponse(response);
    if (!step)
        return;
    if (std::holds_alternative<BlockwiseGet::Send>(*step) && m_impl->operation == SwUpdateOperation::Download) {
        // RFC 7959 §2.4: the ETag changed, the image is another one: start again at 0.
        m_platform.eraseSlot();
        m_impl->bytesStored = 0;
        m_impl->imageBytes.reset();
        m_impl->etag.clear();
    }
    onDownloadStep(nowMsUtc, std::move(*step), out);
}

void SwUpdateDevice::onDownloadStep(qint64 nowMsUtc, BlockwiseGet::Step step, DeviceActions& out)
{
    if (auto* s = std::get_if<BlockwiseGet::Send>(&step)) {
        m_impl->downloadMessageId = s->message.messageId;
        send(m_impl->server, std::move(s->message), out);
        out.push_back(DeviceArmTimer{SwUpdateTimer::Request, s->timeoutMs});
        return;
    }
    if (auto* f = std::get_if<BlockwiseGet::Failed>(&step)) {
        endStep(SwUpdateState::Idle, SwUpdateResult::ConnectionFail,
                QStringLiteral("%1: %2").arg(m_resource.purl.left(100), f->reason), out);
        return;
    }
    if (auto* d = std::get_if<BlockwiseGet::Done>(&step)) {
        if (m_impl->operation == SwUpdateOperation::Check) {
            endStep(SwUpdateState::Idle, SwUpdateResult::SvvFail, QStringLiteral("the package is empty"), out);
            return;
        }
        m_impl->imageBytes = d->totalBytes;
        onImageComplete(nowMsUtc, out);
        return;
    }
    auto& block = std::get<BlockwiseGet::Block>(step);
    if (m_impl->operation == SwUpdateOperation::Check) {
        // check_new_version: the header of the package (block 0) names its version.
        auto info = m_platform.readHeader(block.data);
        if (!info) {
            out.push_back(DeviceRefused{m_impl->server, QStringLiteral("package %1: %2")
                                                            .arg(m_resource.purl.left(100), info.error().toString())});
            endStep(SwUpdateState::Idle, SwUpdateResult::SvvFail, info.error().toString(), out);
            return;
        }
        const QString running = m_platform.runningVersion();
        if (compareSoftwareVersions(info->version, running) > 0) {
            m_resource.nv = info->version;   // oc_swupdate_notify_new_version_available
            m_pstat.cm = pstat_bits::Nsa;
            endStep(SwUpdateState::Nsa, SwUpdateResult::Idle,
                    QStringLiteral("version %1 available (running %2)").arg(info->version, running), out);
        } else {
            m_resource.nv.clear();
            endStep(SwUpdateState::Idle, SwUpdateResult::Idle,
                    QStringLiteral("no newer version: %1 offered, %2 running").arg(info->version, running), out);
        }
        return;
    }
    const std::uint64_t end = block.offset + std::uint64_t(block.data.size());
    const std::uint64_t capacity = m_platform.slotCapacity();
    if ((block.totalBytes && *block.totalBytes > capacity) || end > capacity) {
        const QString why = QStringLiteral("image of %1 bytes does not fit the %2-byte slot")
                                .arg(block.totalBytes ? *block.totalBytes : end)
                                .arg(capacity);
        out.push_back(DeviceRefused{m_impl->server, why});
        endStep(SwUpdateState::Idle, SwUpdateResult::LessFlash, why, out);
        return;
    }
    if (!m_platform.writeSlot(block.offset, block.data)) {
        m_impl->halted = true;   // the power failed during the write: nothing more until boot()
        return;
    }
    m_impl->bytesStored = end;
    // The stored image's identity: its ETag ("-" when the server sends none, so that a
    // download without ETags still resumes). Persisted when it is first known.
    QByteArray etag = m_impl->download->etag();
    if (etag.isEmpty())
        etag = QByteArrayLiteral("-");
    if (block.offset == 0 || m_impl->etag != etag) {
        if (block.totalBytes)
            m_impl->imageBytes = block.totalBytes;
        m_impl->etag = etag;
        persist();
    }
    out.push_back(DeviceProgress{end, block.totalBytes ? block.totalBytes : m_impl->imageBytes});
    if (block.last) {
        m_impl->imageBytes = end;
        onImageComplete(nowMsUtc, out);
        return;
    }
    onDownloadStep(nowMsUtc, m_impl->download->next(m_impl->takeMessageId(), m_impl->jitter()), out);
}

void SwUpdateDevice::onImageComplete(qint64 nowMsUtc, DeviceActions& out)
{
    m_impl->download.reset();
    out.push_back(DeviceCancelTimer{SwUpdateTimer::Request});
    auto info = m_platform.validate(*m_impl->imageBytes);
    if (!info) {
        // The device refuses the image: the slot is erased, nothing of it is kept.
        m_platform.eraseSlot();
        m_impl->bytesStored = 0;
        m_impl->imageBytes.reset();
        m_impl->etag.clear();
        m_impl->validated = false;
        m_resource.nv.clear();
        m_pstat.cm = 0;
        out.push_back(DeviceRefused{m_impl->server, QStringLiteral("image from %1 refused: %2")
                                                        .arg(m_resource.purl.left(100), info.error().toString())});
        endStep(SwUpdateState::Idle, SwUpdateResult::SvvFail, info.error().toString(), out);
        return;
    }
    // oc_swupdate_notify_downloaded: cm nsa|svv, state svv then sva.
    m_impl->validated = true;
    m_resource.nv = info->version;
    m_pstat.cm = pstat_bits::Nsa | pstat_bits::Svv;
    if (m_impl->upgradeAfterValidation) {
        setState(SwUpdateState::Sva, SwUpdateResult::Idle, QStringLiteral("image %1 valid").arg(info->version), out);
        applyImage(nowMsUtc, out);
        return;
    }
    endStep(SwUpdateState::Sva, SwUpdateResult::Idle, QStringLiteral("image %1 valid").arg(info->version), out);
}

void SwUpdateDevice::applyImage(qint64 nowMsUtc, DeviceActions& out)
{
    (void)nowMsUtc;
    // oc_swupdate_notify_upgrading: cm nsa|svv|update, state upgrading; then the bootloader.
    m_impl->operation = SwUpdateOperation::None;
    m_resource.action = SwUpdateAction::Upgrade;
    m_pstat.cm = pstat_bits::Nsa | pstat_bits::Svv | pstat_bits::Update;
    setState(SwUpdateState::Upgrading, SwUpdateResult::Idle,
             QStringLiteral("applying %1 (running %2)").arg(m_resource.nv, m_platform.runningVersion()), out);
    m_platform.apply();
    m_impl->halted = true;   // the host restarts the device and calls boot()
    out.push_back(DeviceReboot{});
}

void SwUpdateDevice::endStep(SwUpdateState state, SwUpdateResult result, const QString& why, DeviceActions& out)
{
    if (m_impl->download) {
        m_impl->download.reset();
        out.push_back(DeviceCancelTimer{SwUpdateTimer::Request});
    }
    m_impl->operation = SwUpdateOperation::None;
    m_impl->upgradeAfterValidation = false;
    m_resource.action = SwUpdateAction::Idle;   // the step is over (notify_done / a non-success result)
    if (result != SwUpdateResult::Idle && result != SwUpdateResult::Success)
        m_pstat.cm = m_impl->validated ? (pstat_bits::Nsa | pstat_bits::Svv) : 0;
    setState(state, result, why, out);
}

} // namespace otalab::core::ocf
