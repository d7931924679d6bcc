// SPDX-License-Identifier: Apache-2.0
// The device's CoAP resources: /oc/swu (GET, GET+Observe, POST — IoTivity-Lite
// api/oc_swupdate.c swupdate_resource_get / swupdate_resource_post), /oic/sec/pstat (GET,
// POST tm — security/oc_pstat.c oc_pstat_handle_target_mode), /oic/res (discovery),
// /oic/d. Wrong path → 4.04, wrong method → 4.05, bad payload → 4.00 (not CBOR) or 4.06
// (IoTivity-Lite's answer to a swupdate POST that does not validate), with a diagnostic
// payload (RFC 7252 §5.5.2: UTF-8 text, no Content-Format); unauthorised POST → 4.01.
#include "core/ocf/swupdate_device.h"

#include "core/ocf/ocf_discovery.h"
#include "core/ocf/swupdate_device_impl.h"

#include <QCborMap>

namespace otalab::core::ocf {

namespace {

CoapMessage reply(const CoapMessage& request, std::uint8_t code, std::uint16_t nonMessageId)
{
    return makeResponse(request, code,
                        request.type == CoapType::Confirmable ? request.messageId : nonMessageId);
}

CoapMessage withDiagnostic(CoapMessage response, const QString& text)
{
    response.payload = text.toUtf8().left(512);
    return response;
}

CoapMessage withCbor(CoapMessage response, const QCborValue& value)
{
    response.setContentFormat(content_format::VndOcfCbor);
    response.payload = value.toCbor();
    return response;
}

// "if=" query: nullopt when absent.
std::optional<QString> interfaceQuery(const CoapMessage& request)
{
    for (const QString& q : request.uriQueries())
        if (q.startsWith(QLatin1String("if=")))
            return q.mid(3);
    return std::nullopt;
}

} // namespace

bool SwUpdateDevice::authorised(const CoapPeer& from) const
{
    return m_config.authorisedClients.isEmpty() || m_config.authorisedClients.contains(from.identity);
}

std::optional<CoapMessage> SwUpdateDevice::answerRequest(qint64 nowMsUtc, const CoapPeer& from,
                                                         const CoapMessage& request, DeviceActions& out)
{
    const QString path = request.uriPath();
    if (path == QLatin1String(kSwUpdatePath))
        return answerSwUpdate(nowMsUtc, from, request, out);
    if (path == QLatin1String(kPstatPath))
        return answerPstat(nowMsUtc, from, request, out);
    if (path == QLatin1String(kResPath))
        return answerDiscovery(request);
    if (path == QLatin1String(kDevicePath))
        return answerDevice(request);
    return withDiagnostic(reply(request, coap_code::NotFound, m_impl->takeMessageId()),
                          QStringLiteral("no resource at /%1").arg(path));
}

CoapMessage SwUpdateDevice::answerSwUpdate(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& request,
                                           DeviceActions& out)
{
    CoapMessage response = reply(request, coap_code::Content, m_impl->takeMessageId());
    const auto iface = interfaceQuery(request);
    if (iface && *iface != QLatin1String("oic.if.rw") && *iface != QLatin1String("oic.if.baseline")) {
        response.code = coap_code::BadRequest;   // swupdate_encode_for_device_with_interface
        return withDiagnostic(response, QStringLiteral("interface %1 not supported: oic.if.rw or oic.if.baseline").arg(*iface));
    }
    const bool baseline = iface && *iface == QLatin1String("oic.if.baseline");
    if (request.code == coap_code::Get) {
        const QString key = Impl::peerKey(from);
        if (m_impl->observers.onRequest(key, request) == ObserverList::Change::Registered
            || (request.observe() == kObserveRegister && m_impl->observers.find(key, request.token))) {
            m_impl->observerPeers[key] = from;   // RFC 7641 §3.1: registered (or refreshed)
            response.setObserve(m_impl->observers.nextSequence());
        }
        return withCbor(response, baseline ? toCbor(m_resource) : toCborRw(m_resource));
    }
    if (request.code != coap_code::Post) {
        response.code = coap_code::MethodNotAllowed;
        return withDiagnostic(response, QStringLiteral("/oc/swu allows GET and POST"));
    }
    if (!authorised(from)) {
        out.push_back(DeviceRefused{from, QStringLiteral("POST /oc/swu from an unauthorised client \"%1\"").arg(from.identity)});
        response.code = coap_code::Unauthorized;
        return withDiagnostic(response, QStringLiteral("client not authorised to update this device"));
    }
    auto refuse = [&](std::uint8_t code, const QString& why) {
        out.push_back(DeviceRefused{from, QStringLiteral("POST /oc/swu refused: %1").arg(why)});
        response.code = code;
        return withDiagnostic(response, why);
    };
    auto value = decodeCborPayload(request.payload);
    if (!value)
        return refuse(coap_code::BadRequest, value.error().toString());
    auto body = swUpdateRequestFromCbor(*value);
    if (!body)
        return refuse(coap_code::NotAcceptable, body.error().toString());
    // swupdate_validate_decoded_data: updatetime must be set and not in the past; purl must
    // be set (an empty one with a non-idle action keeps the stored purl).
    if (!body->updateTime)
        return refuse(coap_code::NotAcceptable, QStringLiteral("updatetime: not set (\"now\", \"none\" or RFC 3339)"));
    if (body->updateTime->kind == UpdateTime::Kind::At && body->updateTime->atMsUtc < nowMsUtc)
        return refuse(coap_code::NotAcceptable, QStringLiteral("updatetime: %1 is in the past (device clock %2)")
                                                    .arg(body->updateTime->toString(), rfc3339(nowMsUtc)));
    const bool keepPurl = body->purl && body->purl->isEmpty() && body->action
        && *body->action != SwUpdateAction::Idle && !m_resource.purl.isEmpty();
    if (!body->purl)
        return refuse(coap_code::NotAcceptable, QStringLiteral("purl: not set"));
    if (!keepPurl && *body->purl != m_resource.purl) {
        m_resource.purl = *body->purl;   // another package: what was stored is not it
        m_impl->bytesStored = 0;
        m_impl->imageBytes.reset();
        m_impl->etag.clear();
        m_impl->validated = false;
        m_resource.nv.clear();
    }
    if (body->action)
        m_resource.action = *body->action;
    // swupdate_decode_copy: "now" is stored as the device clock, "none" as no time.
    m_resource.updateTime = body->updateTime->kind == UpdateTime::Kind::Now
        ? UpdateTime{UpdateTime::Kind::At, nowMsUtc}
        : *body->updateTime;
    persist();
    response.code = coap_code::Changed;
    response = withCbor(response, baseline ? toCbor(m_resource) : toCborRw(m_resource));
    scheduleAction(nowMsUtc, out);
    return response;
}

CoapMessage SwUpdateDevice::answerPstat(qint64 nowMsUtc, const CoapPeer& from, const CoapMessage& request,
                                        DeviceActions& out)
{
    CoapMessage response = reply(request, coap_code::Content, m_impl->takeMessageId());
    if (request.code == coap_code::Get)
        return withCbor(response, toCbor(m_pstat));
    if (request.code != coap_code::Post) {
        response.code = coap_code::MethodNotAllowed;
        return withDiagnostic(response, QStringLiteral("/oic/sec/pstat allows GET and POST"));
    }
    if (!authorised(from)) {
        out.push_back(DeviceRefused{from, QStringLiteral("POST /oic/sec/pstat from an unauthorised client \"%1\"").arg(from.identity)});
        response.code = coap_code::Unauthorized;
        return withDiagnostic(response, QStringLiteral("client not authorised to update this device"));
    }
    auto value = decodeCborPayload(request.payload);
    auto tm = value ? pstatTmFromCbor(*value) : Result<std::uint32_t>(std::unexpected(value.error()));
    if (!tm || (*tm != 0 && *tm != pstat_bits::Nsa && *tm != pstat_bits::Svv && *tm != pstat_bits::Update)) {
        const QString why = tm ? QStringLiteral("tm: %1 is not 0, 256 (nsa), 64 (svv) or 128 (update)").arg(*tm)
                               : tm.error().toString();
        out.push_back(DeviceRefused{from, QStringLiteral("POST /oic/sec/pstat refused: %1").arg(why)});
        response.code = coap_code::BadRequest;
        return withDiagnostic(response, why);
    }
    response.code = coap_code::Changed;
    if (*tm == 0)
        return withCbor(response, toCbor(m_pstat));
    // oc_pstat_handle_target_mode: the step starts now and tm is cleared at once.
    m_pstat.tm = *tm;
    response = withCbor(response, toCbor(m_pstat));
    m_pstat.tm = 0;
    const SwUpdateAction action = *tm == pstat_bits::Nsa   ? SwUpdateAction::Isac
                                  : *tm == pstat_bits::Svv ? SwUpdateAction::Isvv
                                                           : SwUpdateAction::Upgrade;
    performAction(nowMsUtc, action, out);
    return response;
}

std::optional<CoapMessage> SwUpdateDevice::answerDiscovery(const CoapMessage& request)
{
    CoapMessage response = reply(request, coap_code::Content, m_impl->takeMessageId());
    if (request.code != coap_code::Get) {
        response.code = coap_code::MethodNotAllowed;
        return withDiagnostic(response, QStringLiteral("/oic/res allows GET"));
    }
    const QString anchor = QStringLiteral("ocf://") + m_config.deviceId;
    const QStringList baseline{QStringLiteral("oic.if.baseline")};
    const std::vector<OcfLink> all{
        {anchor, QStringLiteral("/oic/res"), {QStringLiteral("oic.wk.res")}, {QStringLiteral("oic.if.ll"), baseline[0]}, 1},
        {anchor, QStringLiteral("/oic/d"), {QStringLiteral("oic.wk.d")}, {QStringLiteral("oic.if.r"), baseline[0]}, 1},
        {anchor, QStringLiteral("/oic/sec/pstat"), {QStringLiteral("oic.r.pstat")}, {QStringLiteral("oic.if.rw"), baseline[0]}, 3},
        {anchor, QStringLiteral("/") + QLatin1String(kSwUpdatePath), {QString::fromLatin1(kSwUpdateResourceType)},
         {QStringLiteral("oic.if.rw"), baseline[0]}, 3},
    };
    const std::vector<OcfLink> links = filterLinks(all, request.uriQueries());
    // A multicast (NON) discovery that matches nothing gets no answer (IoTivity-Lite
    // oc_core_discovery_handler); a unicast one gets an empty array.
    if (links.empty() && request.type == CoapType::NonConfirmable)
        return std::nullopt;
    return withCbor(response, toCbor(links));
}

CoapMessage SwUpdateDevice::answerDevice(const CoapMessage& request)
{
    CoapMessage response = reply(request, coap_code::Content, m_impl->takeMessageId());
    if (request.code != coap_code::Get) {
        response.code = coap_code::MethodNotAllowed;
        return withDiagnostic(response, QStringLiteral("/oic/d allows GET"));
    }
    QCborMap d;
    d.insert(QStringLiteral("rt"), QCborArray{QStringLiteral("oic.wk.d")});
    d.insert(QStringLiteral("di"), m_config.deviceId);
    d.insert(QStringLiteral("n"), m_config.name);
    d.insert(QStringLiteral("icv"), QStringLiteral("ocf.2.2.4"));
    d.insert(QStringLiteral("sv"), m_platform.runningVersion());
    return withCbor(response, d);
}

} // namespace otalab::core::ocf
