// SPDX-License-Identifier: Apache-2.0
// RFC 7641 freshness rule and server observer list; see coap_observe.h.
#include "core/ocf/coap_observe.h"

#include <algorithm>

namespace otalab::core::ocf {

bool isFresher(std::uint32_t v1, std::int64_t t1Ms, std::uint32_t v2, std::int64_t t2Ms)
{
    constexpr std::uint32_t kWindow = 1u << 23;
    v1 &= 0xffffff;
    v2 &= 0xffffff;
    return (v1 < v2 && v2 - v1 < kWindow) || (v1 > v2 && v1 - v2 > kWindow) || (t2Ms > t1Ms + kObserveFreshnessMs);
}

ObserverList::Change ObserverList::onRequest(QStringView peer, const CoapMessage& request)
{
    if (request.code != coap_code::Get)
        return Change::None;
    const auto observe = request.observe();
    if (!observe)
        return Change::None;
    if (*observe == kObserveRegister)
        return add(peer.toString(), request.token) ? Change::Registered : Change::Refreshed;
    if (*observe == kObserveDeregister)
        return remove(peer, request.token) ? Change::Deregistered : Change::None;
    return Change::None;
}

bool ObserverList::onReset(QStringView peer, std::uint16_t messageId) { return removeByMessageId(peer, messageId); }

bool ObserverList::onConfirmableFailed(QStringView peer, std::uint16_t messageId)
{
    return removeByMessageId(peer, messageId);
}

bool ObserverList::removeByMessageId(QStringView peer, std::uint16_t messageId)
{
    const auto it = std::find_if(m_observers.begin(), m_observers.end(), [&](const Observer& o) {
        return o.peer == peer && o.lastMessageId == messageId;
    });
    if (it == m_observers.end())
        return false;
    m_observers.erase(it);
    return true;
}

bool ObserverList::recordNotification(QStringView peer, const QByteArray& token, std::uint16_t messageId)
{
    for (Observer& o : m_observers) {
        if (o.peer == peer && o.token == token) {
            ++o.notifications;
            o.lastMessageId = messageId;
            return true;
        }
    }
    return false;
}

bool ObserverList::add(QString peer, QByteArray token)
{
    if (find(peer, token) != nullptr)
        return false;
    m_observers.push_back(Observer{std::move(peer), std::move(token), 0, std::nullopt});
    return true;
}

bool ObserverList::remove(QStringView peer, const QByteArray& token)
{
    return std::erase_if(m_observers, [&](const Observer& o) { return o.peer == peer && o.token == token; }) > 0;
}

void ObserverList::removePeer(QStringView peer)
{
    std::erase_if(m_observers, [&](const Observer& o) { return o.peer == peer; });
}

std::uint32_t ObserverList::nextSequence()
{
    const std::uint32_t value = m_sequence;
    m_sequence = (m_sequence + 1) & 0xffffff;
    return value;
}

const Observer* ObserverList::find(QStringView peer, const QByteArray& token) const
{
    for (const Observer& o : m_observers)
        if (o.peer == peer && o.token == token)
            return &o;
    return nullptr;
}

} // namespace otalab::core::ocf
