// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwkcommand.h"

namespace otalab::sim {

namespace {

// 3.4.1.3.1: route request options: many-to-one bits 3-4, destination IEEE bit 5,
// multicast bit 6 (Wireshark ZBEE_NWK_CMD_ROUTE_OPTION_*).
constexpr int kManyToOneShift = 3;
constexpr std::uint8_t kManyToOneMask = 0x18;
constexpr std::uint8_t kRequestUnmodelledMask = 0x60 | 0x80;
// 3.4.2.3.1: route reply options: originator IEEE bit 4, responder IEEE bit 5, multicast bit 6.
constexpr std::uint8_t kReplyUnmodelledMask = 0x70;

void put16(std::span<std::uint8_t> out, std::size_t at, std::uint16_t v)
{
    out[at] = static_cast<std::uint8_t>(v & 0xFF);
    out[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

std::uint16_t get16(std::span<const std::uint8_t> in, std::size_t at)
{
    return static_cast<std::uint16_t>(in[at] | (in[at + 1] << 8));
}

Error truncated(std::span<const std::uint8_t> bytes, const char* what, std::size_t need)
{
    return Error::at(static_cast<qint64>(bytes.size()), QStringLiteral("nwk.command.%1").arg(QLatin1String(what)),
                     QStringLiteral("truncated NWK %1 command: %2 octets, it needs %3")
                         .arg(QLatin1String(what))
                         .arg(bytes.size())
                         .arg(need));
}

} // namespace

NwkCommandId NwkCommand::id() const
{
    struct Visitor {
        NwkCommandId operator()(const NwkRouteRequest&) const { return NwkCommandId::RouteRequest; }
        NwkCommandId operator()(const NwkRouteReply&) const { return NwkCommandId::RouteReply; }
        NwkCommandId operator()(const NwkNetworkStatus&) const { return NwkCommandId::NetworkStatus; }
        NwkCommandId operator()(const NwkRouteRecord&) const { return NwkCommandId::RouteRecord; }
        NwkCommandId operator()(const NwkRejoinRequest&) const { return NwkCommandId::RejoinRequest; }
        NwkCommandId operator()(const NwkRejoinResponse&) const { return NwkCommandId::RejoinResponse; }
    };
    return std::visit(Visitor{}, payload);
}

std::size_t NwkCommand::encode(std::span<std::uint8_t> out) const
{
    if (const auto* rreq = std::get_if<NwkRouteRequest>(&payload)) {
        if (out.size() < kRouteRequestBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(NwkCommandId::RouteRequest);
        out[1] = static_cast<std::uint8_t>(static_cast<unsigned>(rreq->manyToOne) << kManyToOneShift);
        out[2] = rreq->requestId;
        put16(out, 3, rreq->dst);
        out[5] = rreq->pathCost;
        return kRouteRequestBytes;
    }
    if (const auto* rrep = std::get_if<NwkRouteReply>(&payload)) {
        if (out.size() < kRouteReplyBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(NwkCommandId::RouteReply);
        out[1] = 0;
        out[2] = rrep->requestId;
        put16(out, 3, rrep->originator);
        put16(out, 5, rrep->responder);
        out[7] = rrep->pathCost;
        return kRouteReplyBytes;
    }
    if (const auto* status = std::get_if<NwkNetworkStatus>(&payload)) {
        if (out.size() < kNetworkStatusBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(NwkCommandId::NetworkStatus);
        out[1] = static_cast<std::uint8_t>(status->status);
        put16(out, 2, status->dst);
        return kNetworkStatusBytes;
    }
    if (const auto* request = std::get_if<NwkRejoinRequest>(&payload)) {
        if (out.size() < kRejoinRequestBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(NwkCommandId::RejoinRequest);
        out[1] = request->capability;
        return kRejoinRequestBytes;
    }
    if (const auto* response = std::get_if<NwkRejoinResponse>(&payload)) {
        if (out.size() < kRejoinResponseBytes)
            return 0;
        out[0] = static_cast<std::uint8_t>(NwkCommandId::RejoinResponse);
        put16(out, 1, response->networkAddress);
        out[3] = response->status;
        return kRejoinResponseBytes;
    }
    const auto& record = std::get<NwkRouteRecord>(payload);
    const std::size_t n = 2 + 2 * std::size_t{record.relayCount};
    if (out.size() < n || record.relayCount > NwkRouteRecord::kMaxRelays)
        return 0;
    out[0] = static_cast<std::uint8_t>(NwkCommandId::RouteRecord);
    out[1] = record.relayCount;
    for (std::size_t i = 0; i < record.relayCount; ++i)
        put16(out, 2 + 2 * i, record.relays[i]);
    return n;
}

Result<NwkCommand> NwkCommand::decode(std::span<const std::uint8_t> bytes)
{
    if (bytes.empty())
        return fail(truncated(bytes, "id", 1));
    switch (static_cast<NwkCommandId>(bytes[0])) {
    case NwkCommandId::RouteRequest: {
        if (bytes.size() < kRouteRequestBytes)
            return fail(truncated(bytes, "routeRequest", kRouteRequestBytes));
        if (bytes[1] & kRequestUnmodelledMask)
            return fail(Error::at(1, QStringLiteral("nwk.command.routeRequest.options"),
                                  QStringLiteral("route request options 0x%1 set destination IEEE, multicast or "
                                                 "repair, which this model does not carry")
                                      .arg(bytes[1], 2, 16, QLatin1Char('0'))));
        const unsigned mto = (bytes[1] & kManyToOneMask) >> kManyToOneShift;
        if (mto > 2)
            return fail(Error::at(1, QStringLiteral("nwk.command.routeRequest.options"),
                                  QStringLiteral("many-to-one sub-field 3 is reserved")));
        return NwkCommand{NwkRouteRequest{static_cast<ManyToOne>(mto), bytes[2], get16(bytes, 3), bytes[5]}};
    }
    case NwkCommandId::RouteReply: {
        if (bytes.size() < kRouteReplyBytes)
            return fail(truncated(bytes, "routeReply", kRouteReplyBytes));
        if (bytes[1] & kReplyUnmodelledMask)
            return fail(Error::at(1, QStringLiteral("nwk.command.routeReply.options"),
                                  QStringLiteral("route reply options 0x%1 set IEEE or multicast flags, which this "
                                                 "model does not carry")
                                      .arg(bytes[1], 2, 16, QLatin1Char('0'))));
        return NwkCommand{NwkRouteReply{bytes[2], get16(bytes, 3), get16(bytes, 5), bytes[7]}};
    }
    case NwkCommandId::NetworkStatus:
        if (bytes.size() < kNetworkStatusBytes)
            return fail(truncated(bytes, "networkStatus", kNetworkStatusBytes));
        return NwkCommand{NwkNetworkStatus{static_cast<NwkStatusCode>(bytes[1]), get16(bytes, 2)}};
    case NwkCommandId::RouteRecord: {
        if (bytes.size() < 2)
            return fail(truncated(bytes, "routeRecord", 2));
        NwkRouteRecord record;
        record.relayCount = bytes[1];
        if (record.relayCount > NwkRouteRecord::kMaxRelays)
            return fail(Error::at(1, QStringLiteral("nwk.command.routeRecord.relayCount"),
                                  QStringLiteral("route record with %1 relays, at most %2 are carried")
                                      .arg(record.relayCount)
                                      .arg(NwkRouteRecord::kMaxRelays)));
        const std::size_t n = 2 + 2 * std::size_t{record.relayCount};
        if (bytes.size() < n)
            return fail(truncated(bytes, "routeRecord", n));
        for (std::size_t i = 0; i < record.relayCount; ++i)
            record.relays[i] = get16(bytes, 2 + 2 * i);
        return NwkCommand{record};
    }
    case NwkCommandId::RejoinRequest:
        if (bytes.size() < kRejoinRequestBytes)
            return fail(truncated(bytes, "rejoinRequest", kRejoinRequestBytes));
        return NwkCommand{NwkRejoinRequest{bytes[1]}};
    case NwkCommandId::RejoinResponse:
        if (bytes.size() < kRejoinResponseBytes)
            return fail(truncated(bytes, "rejoinResponse", kRejoinResponseBytes));
        return NwkCommand{NwkRejoinResponse{get16(bytes, 1), bytes[3]}};
    default: break;
    }
    return fail(Error::at(0, QStringLiteral("nwk.command.id"),
                          QStringLiteral("NWK command 0x%1 is not carried by this model")
                              .arg(bytes[0], 2, 16, QLatin1Char('0'))));
}

} // namespace otalab::sim
