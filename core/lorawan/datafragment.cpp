// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/datafragment.h"

#include "core/common/bytes.h"
#include "core/lorawan/fec.h"

namespace otalab::core::lorawan {

Result<QByteArray> encodeDataFragment(const DataFragment& fragment)
{
    if (fragment.fragIndex > 3)
        return fail(Error::at(-1, QStringLiteral("DataFragment.FragIndex"),
                              QStringLiteral("%1: expected 0..3 (2 bits)").arg(fragment.fragIndex)));
    if (fragment.counter == 0)
        return fail(Error::at(-1, QStringLiteral("DataFragment.N"), QStringLiteral("0: frame counters start at 1")));
    if (fragment.counter > kMaxFragmentCounter)
        return fail(Error::at(-1, QStringLiteral("DataFragment.N"),
                              QStringLiteral("%1: expected 1..%2 (14 bits)").arg(fragment.counter).arg(kMaxFragmentCounter)));
    if (fragment.payload.isEmpty())
        return fail(Error::at(-1, QStringLiteral("DataFragment.Payload"), QStringLiteral("empty: a fragment carries at least 1 byte")));
    ByteWriter w(Endian::Little);
    w.u8(kDataFragmentCid).u16(static_cast<std::uint16_t>(fragment.counter | (fragment.fragIndex << 14))).bytes(fragment.payload);
    return w.take();
}

Result<DataFragment> parseDataFragment(QByteArrayView bytes, qint64 base)
{
    ByteReader r(bytes, Endian::Little, base);
    auto cid = r.u8(QStringLiteral("DataFragment.CID"));
    if (!cid)
        return fail(cid.error());
    if (*cid != kDataFragmentCid)
        return fail(Error::at(base, QStringLiteral("DataFragment.CID"),
                              QStringLiteral("%1: expected 0x08 (DataFragment)").arg(hex(*cid, 2))));
    auto indexAndN = r.u16(QStringLiteral("DataFragment.IndexAndN"));
    if (!indexAndN)
        return fail(indexAndN.error());
    DataFragment f;
    f.counter = *indexAndN & 0x3fff;
    f.fragIndex = static_cast<std::uint8_t>(*indexAndN >> 14);
    if (f.counter == 0)
        return fail(Error::at(base + 1, QStringLiteral("DataFragment.N"), QStringLiteral("0: frame counters start at 1")));
    if (r.atEnd())
        return fail(Error::at(base + 3, QStringLiteral("DataFragment.Payload"),
                              QStringLiteral("missing: a DataFragment carries at least 1 byte after IndexAndN")));
    f.payload = bytes.sliced(3).toByteArray();
    return f;
}

} // namespace otalab::core::lorawan
