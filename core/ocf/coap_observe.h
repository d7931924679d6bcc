// SPDX-License-Identifier: Apache-2.0
// CoAP Observe (RFC 7641), both ends, sans-IO:
//  - isFresher(): the client's reordering rule of §3.4 — is a notification newer than the
//    one it already has?
//  - ObserverList: the server's list of observers of ONE resource (§4.1), keyed by (peer key,
//    token). A GET with Observe 0 registers (or refreshes) an entry, Observe 1 removes it; so
//    do an RST answering a notification and a CON notification never acknowledged (§3.6,
//    §4.5). It hands out the 24-bit Observe sequence numbers of the notifications (§4.4).
// The peer key is the host's: "127.0.0.1:5683", a simulator node name, a DTLS identity.
// Not thread-safe.
#pragma once

#include "core/ocf/coap_message.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::ocf {

// RFC 7641 §3.4: true when the notification (v2 received at t2Ms) is fresher than the one
// (v1 at t1Ms). v1, v2: Observe values (24 bits, compared modulo 2^24 with the 2^23 window);
// t1Ms, t2Ms: the client's local receive times in ms — a notification more than 128 s
// later is fresher whatever its number.
bool isFresher(std::uint32_t v1, std::int64_t t1Ms, std::uint32_t v2, std::int64_t t2Ms);

inline constexpr std::uint32_t kObserveRegister = 0;     // GET Observe 0: register
inline constexpr std::uint32_t kObserveDeregister = 1;   // GET Observe 1: deregister
inline constexpr std::int64_t kObserveFreshnessMs = 128'000;

struct Observer {
    QString peer;                                  // the host's peer key
    QByteArray token;                              // the registration's token (notifications echo it)
    std::uint32_t notifications = 0;               // notifications recorded so far
    std::optional<std::uint16_t> lastMessageId;    // of the last notification sent (RST / failure match)
    friend bool operator==(const Observer&, const Observer&) = default;
};

class ObserverList {
public:
    enum class Change : std::uint8_t { None, Registered, Refreshed, Deregistered };

    // `firstSequence`: the Observe value the first nextSequence() returns.
    explicit ObserverList(std::uint32_t firstSequence = 2) : m_sequence(firstSequence & 0xffffff) {}

    // A request to the observed resource from `peer`. A GET with Observe 0 adds (peer, token)
    // (Registered) or, when it is there, keeps it (Refreshed; counts kept); a GET with
    // Observe 1 removes it (Deregistered). Any other request or Observe value: None.
    // The response to a registering GET carries Observe = nextSequence().
    Change onRequest(QStringView peer, const CoapMessage& request);
    // An RST from `peer` whose message id is that of the last notification sent to one of
    // its observers: that observer is removed (§3.6). True when one was.
    bool onReset(QStringView peer, std::uint16_t messageId);
    // A CON notification to `peer` with `messageId` was never acknowledged (RFC 7252 §4.2
    // give-up): the observer is removed (§4.5). True when one was.
    bool onConfirmableFailed(QStringView peer, std::uint16_t messageId);
    // A notification was sent to (peer, token) with `messageId`. False: no such observer.
    bool recordNotification(QStringView peer, const QByteArray& token, std::uint16_t messageId);

    bool add(QString peer, QByteArray token);                 // true: new
    bool remove(QStringView peer, const QByteArray& token);   // true: it was there
    void removePeer(QStringView peer);                        // every entry of one peer
    void clear() { m_observers.clear(); }

    // The next Observe value (24 bits, wraps to 0 after 0xffffff).
    std::uint32_t nextSequence();
    std::uint32_t peekSequence() const { return m_sequence; }

    const std::vector<Observer>& observers() const { return m_observers; }
    const Observer* find(QStringView peer, const QByteArray& token) const;
    std::size_t size() const { return m_observers.size(); }
    bool isEmpty() const { return m_observers.empty(); }

private:
    bool removeByMessageId(QStringView peer, std::uint16_t messageId);
    std::vector<Observer> m_observers;   // in registration order
    std::uint32_t m_sequence = 0;
};

} // namespace otalab::core::ocf
