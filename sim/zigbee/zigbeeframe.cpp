// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/zigbeeframe.h"

#include <algorithm>

namespace otalab::sim {

Result<void> ZigbeeFrame::encode(const NwkHeader& nwk, const ApsHeader& aps, std::span<const std::uint8_t> payload,
                                 const FrameBudget& budget, NwkFrameBuffer& out)
{
    if (Result<void> fits = budget.check(payload.size()); !fits)
        return fits;
    std::span<std::uint8_t> buffer(out.bytes);
    std::size_t n = nwk.encode(buffer);
    n += aps.encode(buffer.subspan(n));
    std::copy(payload.begin(), payload.end(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    n += payload.size();
    std::fill_n(buffer.begin() + static_cast<std::ptrdiff_t>(n), budget.securityBytes(), std::uint8_t{0});
    n += budget.securityBytes();
    out.length = static_cast<std::uint8_t>(n);
    return {};
}

Result<ZigbeeDataFrame> ZigbeeFrame::decode(std::span<const std::uint8_t> frame, const FrameBudget& budget)
{
    Result<NwkHeader> nwk = NwkHeader::decode(frame);
    if (!nwk)
        return fail(nwk.error());
    if (nwk->frameType != NwkFrameType::Data)
        return fail(Error::at(0, QStringLiteral("nwk.frameControl.frameType"),
                              QStringLiteral("NWK command frames are not carried by this model")));
    const std::span<const std::uint8_t> nwkPayload = frame.subspan(NwkHeader::kBytes);
    Result<ApsHeader> aps = ApsHeader::decode(nwkPayload);
    if (!aps) {
        Error e = aps.error();
        if (e.offset >= 0)
            e.offset += static_cast<qint64>(NwkHeader::kBytes);
        return fail(std::move(e));
    }
    const std::size_t headers = NwkHeader::kBytes + ApsHeader::kBytes;
    if (frame.size() < headers + budget.securityBytes())
        return fail(Error::at(static_cast<qint64>(frame.size()), QStringLiteral("nwk.securityPadding"),
                              QStringLiteral("frame of %1 octets is shorter than its headers (%2) plus the %3 "
                                             "modelled security octets")
                                  .arg(frame.size())
                                  .arg(headers)
                                  .arg(budget.securityBytes())));
    return ZigbeeDataFrame{*nwk, *aps, frame.subspan(headers, frame.size() - headers - budget.securityBytes())};
}

} // namespace otalab::sim
