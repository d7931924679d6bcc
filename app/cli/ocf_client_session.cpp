// SPDX-License-Identifier: Apache-2.0
#include "app/cli/ocf_client_session.h"

namespace otalab::cli {

using core::ocf::CoapMessage;
using core::ocf::CoapPeer;
using core::ocf::CoapType;
using core::ocf::SwUpdateAction;
using core::ocf::SwUpdateResource;
using core::ocf::SwUpdateResult;
using core::ocf::SwUpdateState;
namespace coap_code = core::ocf::coap_code;

namespace {

bool failureResult(SwUpdateResult result)
{
    return result != SwUpdateResult::Idle && result != SwUpdateResult::Success;
}

} // namespace

OcfClientSession::OcfClientSession(hw::ocf::OcfCoapClient* client, CoapPeer device, OcfStepOptions options,
                                   std::function<void(const QString&)> print, QObject* parent)
    : QObject(parent), m_client(client), m_device(std::move(device)), m_options(std::move(options)),
      m_print(std::move(print))
{
    m_reobserve.setSingleShot(true);
    connect(&m_reobserve, &QTimer::timeout, this, [this] {
        if (!m_exit)
            observe();
    });
}

OcfClientSession::~OcfClientSession()
{
    if (!m_observeToken.isEmpty())
        m_client->cancel(m_observeToken);
}

QString OcfClientSession::describe(const SwUpdateResource& r)
{
    QString line = QStringLiteral("swupdatestate %1, result %2, action %3")
                       .arg(core::ocf::swUpdateStateName(r.state), core::ocf::swUpdateResultText(r.result),
                            core::ocf::swUpdateActionName(r.action));
    if (!r.nv.isEmpty())
        line += QStringLiteral(", nv ") + r.nv;
    if (!r.purl.isEmpty())
        line += QStringLiteral(", purl ") + r.purl;
    line += QStringLiteral(", updatetime ") + r.updateTime.toString();
    if (!r.lastUpdate.isEmpty())
        line += QStringLiteral(", lastupdate ") + r.lastUpdate;
    return line;
}

void OcfClientSession::start()
{
    if (m_options.step == OcfStep::Status || m_options.watch)
        observe();
    else
        post();
}

void OcfClientSession::abandon(const QString& why)
{
    if (!m_exit)
        finish(3, why);
}

void OcfClientSession::observe()
{
    if (!m_observeToken.isEmpty())
        m_client->cancel(m_observeToken);
    CoapMessage get = core::ocf::makeRequest(CoapType::Confirmable, coap_code::Get, 0, {},
                                             QString::fromLatin1(core::ocf::kSwUpdatePath));
    const bool watching = m_options.step != OcfStep::Status;
    if (watching)
        get.setObserve(0);   // RFC 7641 §2: register
    hw::ocf::OcfCoapClient::Options options;
    options.keep = watching;
    m_observeToken = m_client->request(
        m_device, get, options,
        [this](const CoapPeer&, const CoapMessage& response) {
            if (m_exit)
                return;
            if (coap_code::codeClass(response.code) != 2) {
                finish(1, QStringLiteral("GET /oc/swu: %1 %2")
                              .arg(core::ocf::coapCodeText(response.code), QString::fromUtf8(response.payload)));
                return;
            }
            auto value = core::ocf::decodeCborPayload(response.payload);
            auto resource = value ? core::ocf::swUpdateFromCbor(*value) : Result<SwUpdateResource>(std::unexpected(value.error()));
            if (!resource) {
                finish(1, QStringLiteral("GET /oc/swu: not a software update resource: %1").arg(resource.error().toString()));
                return;
            }
            onResource(*resource, !m_postSent);
        },
        [this](const QString& reason) {
            if (!m_exit)
                finish(3, reason);
        });
}

void OcfClientSession::post()
{
    core::ocf::SwUpdateRequest request;
    // IoTivity-Lite's swupdate_resource_post wants both: an empty purl keeps the stored one,
    // and the action runs at updatetime (check and validate: now unless told).
    request.purl = m_options.purl.value_or(QString());
    request.updateTime = m_options.updateTime.value_or(core::ocf::UpdateTime{core::ocf::UpdateTime::Kind::Now, 0});
    switch (m_options.step) {
    case OcfStep::Check: request.action = SwUpdateAction::Isac; break;
    case OcfStep::Validate: request.action = SwUpdateAction::Isvv; break;
    case OcfStep::Upgrade: request.action = SwUpdateAction::Upgrade; break;
    case OcfStep::Status: return;
    }
    const SwUpdateAction action = *request.action;
    m_postSent = true;
    CoapMessage message = core::ocf::makeRequest(CoapType::Confirmable, coap_code::Post, 0, {},
                                                 QString::fromLatin1(core::ocf::kSwUpdatePath));
    message.setContentFormat(core::ocf::content_format::Cbor);
    message.payload = QCborValue(core::ocf::toCbor(request)).toCbor();
    m_client->request(
        m_device, message, {},
        [this, action](const CoapPeer&, const CoapMessage& response) {
            if (m_exit)
                return;
            if (coap_code::codeClass(response.code) != 2) {
                finish(1, QStringLiteral("refused: %1%2").arg(core::ocf::coapCodeText(response.code),
                                                               response.payload.isEmpty() ? QString()
                                                                   : QStringLiteral(" ") + QString::fromUtf8(response.payload)));
                return;
            }
            m_posted = true;
            m_print(QStringLiteral("POST /oc/swu swupdateaction %1: %2")
                        .arg(core::ocf::swUpdateActionName(action), core::ocf::coapCodeText(response.code)));
            if (!m_options.watch)
                finish(0, {});
            else
                m_reobserve.start(m_options.reobserveMs);
        },
        [this](const QString& reason) {
            if (!m_exit)
                finish(3, reason);
        });
}

void OcfClientSession::onResource(const SwUpdateResource& r, bool beforePost)
{
    const bool changed = !m_last || !(*m_last == r);
    m_last = r;
    if (m_options.step == OcfStep::Status) {
        finish(0, describe(r));
        return;
    }
    if (changed)
        m_print(describe(r));
    if (beforePost) {   // the state before our POST: now ask
        post();
        return;
    }
    m_reobserve.start(m_options.reobserveMs);
    // The step's own states, so an end state left from an earlier step is not taken for ours.
    switch (m_options.step) {
    case OcfStep::Check: m_stepSeen = m_stepSeen || r.state == SwUpdateState::Nsa; break;
    case OcfStep::Validate: m_stepSeen = m_stepSeen || r.state == SwUpdateState::Svv; break;
    case OcfStep::Upgrade:
        m_stepSeen = m_stepSeen || r.state == SwUpdateState::Svv || r.state == SwUpdateState::Sva
            || r.state == SwUpdateState::Upgrading;
        break;
    case OcfStep::Status: break;
    }
    if (r.state == SwUpdateState::Idle && failureResult(r.result)) {
        finish(1, QStringLiteral("failed: result %1").arg(core::ocf::swUpdateResultText(r.result)));
        return;
    }
    if (!m_stepSeen)
        return;
    switch (m_options.step) {
    case OcfStep::Check:
        if (r.state == SwUpdateState::Nsa && !r.nv.isEmpty())
            finish(0, QStringLiteral("new software available: %1").arg(r.nv));
        else if (r.state == SwUpdateState::Idle)
            finish(0, QStringLiteral("no newer software at %1").arg(r.purl));
        break;
    case OcfStep::Validate:
        if (r.state == SwUpdateState::Sva)
            finish(0, QStringLiteral("validated: %1 is ready to apply").arg(r.nv.isEmpty() ? QStringLiteral("the image") : r.nv));
        else if (r.state == SwUpdateState::Idle)
            finish(0, QStringLiteral("validation ended: result %1").arg(core::ocf::swUpdateResultText(r.result)));
        break;
    case OcfStep::Upgrade:
        if (r.state == SwUpdateState::Idle && r.result == SwUpdateResult::Success)
            finish(0, QStringLiteral("upgraded%1").arg(r.lastUpdate.isEmpty() ? QString() : QStringLiteral(" at ") + r.lastUpdate));
        break;
    case OcfStep::Status: break;
    }
}

void OcfClientSession::finish(int code, const QString& line)
{
    m_exit = code;
    m_reobserve.stop();
    if (!m_observeToken.isEmpty()) {
        m_client->cancel(m_observeToken);
        m_observeToken.clear();
    }
    if (!line.isEmpty())
        m_print(line);
    Q_EMIT finished(code);
}

} // namespace otalab::cli
