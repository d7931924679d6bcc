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
    out.length = static_cast<std::uint8_t>(n);
    return {};
}

Result<ZigbeeDataFrame> ZigbeeFrame::decode(std::span<const std::uint8_t> frame)
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
    return ZigbeeDataFrame{*nwk, *aps, frame.subspan(NwkHeader::kBytes + ApsHeader::kBytes)};
}

} // namespace otalab::sim
