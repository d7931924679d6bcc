// SPDX-License-Identifier: Apache-2.0
// OcfClientSession: one `otalab-cli ocf` step on one device over CoAP — status (GET /oc/swu),
// check (swupdateaction isac), validate (isvv) or upgrade (upgrade at updatetime), with
// --watch observing /oc/swu (RFC 7641) from before the POST until the step ends:
//   check:    nsa with a new version (nv), or idle;
//   validate: sva, or idle with a failure result;
//   upgrade:  idle with result 1 (success) or a failure result.
// A device that reboots forgets its observers (OCF servers do), so after a second without a
// notification the observation is registered again. Results: 0 success, 1 the device
// reported a failure (result ≥ 2) or refused the request (4.xx/5.xx), 3 no answer.
//
// Threading: the client's thread.
#pragma once

#include "app/hw/ocf_coap_client.h"
#include "core/ocf/swupdate_resource.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace otalab::cli {

enum class OcfStep { Status, Check, Validate, Upgrade };

struct OcfStepOptions {
    OcfStep step = OcfStep::Status;
    std::optional<QString> purl;
    std::optional<core::ocf::UpdateTime> updateTime;
    bool watch = false;
    int reobserveMs = 1000;     // silence after which a watch registers again
};

class OcfClientSession final : public QObject {
    Q_OBJECT
public:
    // `client` is not owned. `print` gets one line per event, without the device prefix.
    OcfClientSession(hw::ocf::OcfCoapClient* client, core::ocf::CoapPeer device, OcfStepOptions options,
                     std::function<void(const QString&)> print, QObject* parent = nullptr);
    ~OcfClientSession() override;

    void start();
    bool isFinished() const { return m_exit.has_value(); }
    int exitCode() const { return m_exit.value_or(3); }
    // Ends a watch that is still going (the overall time limit passed): no answer → 3.
    void abandon(const QString& why);

    // One line for a resource: "swupdatestate svv, result 0 (idle), nv 2.0.0, purl …".
    static QString describe(const core::ocf::SwUpdateResource& resource);

Q_SIGNALS:
    void finished(int exitCode);

private:
    void observe();
    void post();
    void onResource(const core::ocf::SwUpdateResource& resource, bool beforePost);
    void finish(int code, const QString& line);

    hw::ocf::OcfCoapClient* m_client;
    core::ocf::CoapPeer m_device;
    OcfStepOptions m_options;
    std::function<void(const QString&)> m_print;
    QByteArray m_observeToken;
    bool m_postSent = false;      // the POST went out (notifications from then on are the step's)
    bool m_posted = false;        // the POST was answered 2.xx
    bool m_stepSeen = false;      // a state of the step itself was seen after the POST
    std::optional<core::ocf::SwUpdateResource> m_last;
    QTimer m_reobserve;
    std::optional<int> m_exit;
};

} // namespace otalab::cli
