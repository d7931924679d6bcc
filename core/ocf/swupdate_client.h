// SPDX-License-Identifier: Apache-2.0
// SwUpdateClient: the OCF client side of software update, sans-IO, for many devices at
// once — discovery (a NON multicast GET /oic/res?rt=oic.r.softwareupdate; every answer's
// links become device endpoints), GET /oc/swu, POST {purl, swupdateaction, updatetime}
// (check = isac, validate = isvv, upgrade), POST pstat tm, and Observe registration.
// Every request has its own message id and token; a CON request is retransmitted as RFC
// 7252 §4.2 says (ACK_TIMEOUT × random factor, doubled, MAX_RETRANSMIT) until answered.
// Results are kept per device (state, result, nv, lastupdate, last error).
//
// Drive it: every call appends ClientSend (the host encodes and sends) and ClientEvent
// (what was learnt) to `out`; the host calls onTimeout(now) at nextTimeoutMs(). No clock,
// no sockets. `nowMs`: the host's monotonic ms. Used by `otalab-cli ocf` (app) and the
// simulator's OCF client node (sim/ocf). Not thread-safe.
#pragma once

#include "core/ocf/coap_blockwise.h"
#include "core/ocf/ocf_discovery.h"
#include "core/ocf/swupdate_device.h"

#include <map>
#include <optional>
#include <variant>
#include <vector>

namespace otalab::core::ocf {

// What the client asks a device to do (swupdateaction), by its CLI name.
enum class SwUpdateCommand : std::uint8_t { Check, Validate, Upgrade };   // isac, isvv, upgrade
SwUpdateAction actionFor(SwUpdateCommand command);

struct ClientSend { CoapPeer to; CoapMessage message; };
struct DeviceFound { CoapPeer peer; QString deviceId; QString href; };   // href: "/oc/swu"
struct StatusRead { CoapPeer peer; std::uint32_t requestId = 0; SwUpdateResource resource; };
struct PostAccepted { CoapPeer peer; std::uint32_t requestId = 0; std::optional<SwUpdateResource> resource; };
struct PstatRead { CoapPeer peer; std::uint32_t requestId = 0; Pstat pstat; };
struct Notified { CoapPeer peer; std::uint32_t sequence = 0; SwUpdateResource resource; };
// A request failed: no answer after the retransmissions (timedOut), an error code with the
// device's diagnostic, or a payload that did not parse (reason names the property).
struct RequestFailed { CoapPeer peer; std::uint32_t requestId = 0; QString reason; std::uint8_t code = 0; bool timedOut = false; };
using ClientEvent = std::variant<DeviceFound, StatusRead, PostAccepted, PstatRead, Notified, RequestFailed>;
using ClientOutput = std::variant<ClientSend, ClientEvent>;
using ClientOutputs = std::vector<ClientOutput>;

// What the client knows of one device.
struct DeviceSwUpdateStatus {
    CoapPeer peer;
    QString deviceId;                                // from discovery, when known
    std::optional<SwUpdateResource> resource;        // last GET / POST answer / notification
    std::optional<std::uint32_t> lastSequence;       // Observe value of the last notification
    QString lastError;                               // empty when the last request succeeded
};

class SwUpdateClient {
public:
    struct Config {
        CoapTransmission transmission;
        std::uint16_t firstMessageId = 0x4000;
        std::uint32_t tokenSeed = 0x0ca11e;          // tokens: 4 bytes from this counter
        std::uint64_t jitterSeed = 1;                // RFC 7252 random factor, deterministic
    };
    explicit SwUpdateClient(Config config);
    SwUpdateClient() : SwUpdateClient(Config{}) {}

    // NON GET /oic/res?rt=oic.r.softwareupdate to `group` (e.g. [ff02::158]:5683, 224.0.1.187:5683,
    // or one device). Answers (from any peer, same token) yield DeviceFound, for
    // `windowMs` after the request (then the token is forgotten).
    std::uint32_t discover(qint64 nowMs, const CoapPeer& group, ClientOutputs& out, std::uint32_t windowMs = 5000);
    std::uint32_t getStatus(qint64 nowMs, const CoapPeer& device, ClientOutputs& out);
    std::uint32_t observe(qint64 nowMs, const CoapPeer& device, ClientOutputs& out);
    std::uint32_t post(qint64 nowMs, const CoapPeer& device, const SwUpdateRequest& request, ClientOutputs& out);
    // The same POST {purl, action, updatetime} to every device (one request each).
    std::vector<std::uint32_t> postToAll(qint64 nowMs, const std::vector<CoapPeer>& devices,
                                         const SwUpdateRequest& request, ClientOutputs& out);
    std::uint32_t getPstat(qint64 nowMs, const CoapPeer& device, ClientOutputs& out);
    std::uint32_t postPstatTm(qint64 nowMs, const CoapPeer& device, std::uint32_t tm, ClientOutputs& out);

    void onMessage(qint64 nowMs, const CoapPeer& from, const CoapMessage& message, ClientOutputs& out);
    void onDatagram(qint64 nowMs, const CoapPeer& from, QByteArrayView datagram, ClientOutputs& out);
    // Retransmits what is due and fails what gave up.
    void onTimeout(qint64 nowMs, ClientOutputs& out);
    // When onTimeout() should next be called (nullopt: nothing outstanding).
    std::optional<qint64> nextTimeoutMs() const;

    std::size_t outstanding() const { return m_pending.size(); }
    const std::map<QString, DeviceSwUpdateStatus>& devices() const { return m_devices; }   // key "host:port"
    const DeviceSwUpdateStatus* device(const CoapPeer& peer) const;
    static QString peerKey(const CoapPeer& peer);

private:
    enum class Kind : std::uint8_t { Discover, GetSwu, Observe, PostSwu, GetPstat, PostPstat };
    struct Pending {
        std::uint32_t id = 0;
        Kind kind = Kind::GetSwu;
        CoapPeer to;
        CoapMessage message;
        qint64 deadlineMs = 0;        // retransmit (CON) or forget (NON discovery) at
        std::uint32_t timeoutMs = 0;
        int attempt = 0;
    };
    std::uint32_t start(qint64 nowMs, Kind kind, const CoapPeer& to, CoapMessage message, ClientOutputs& out,
                        std::uint32_t windowMs = 0);
    void complete(qint64 nowMs, const Pending& pending, const CoapPeer& from, const CoapMessage& response,
                  ClientOutputs& out);
    void fail(const Pending& pending, const CoapPeer& from, QString reason, std::uint8_t code, bool timedOut,
              ClientOutputs& out);
    DeviceSwUpdateStatus& statusOf(const CoapPeer& peer);
    QByteArray takeToken();
    double jitter();

    Config m_config;
    std::uint16_t m_nextMessageId;
    std::uint32_t m_nextToken;
    std::uint64_t m_jitterState;
    std::uint32_t m_nextId = 1;
    std::vector<Pending> m_pending;
    std::map<QByteArray, CoapPeer> m_observations;   // token → device observed
    std::map<QString, DeviceSwUpdateStatus> m_devices;
};

} // namespace otalab::core::ocf
