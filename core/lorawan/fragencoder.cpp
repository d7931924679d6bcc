// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fragencoder.h"

#include <cassert>
#include <cmath>

namespace otalab::core::lorawan {

FragEncoder::FragEncoder(QByteArray data, int fragmentSize, FecVersion version)
    : m_padded(std::move(data)), m_dataSize(m_padded.size()), m_fragmentSize(fragmentSize), m_version(version)
{
    assert(m_dataSize > 0 && fragmentSize >= 1 && fragmentSize <= 255);
    m_fragmentCount = static_cast<std::uint32_t>((m_dataSize + fragmentSize - 1) / fragmentSize);
    assert(m_fragmentCount <= kMaxFragmentCounter);
    m_padded.append(static_cast<qsizetype>(m_fragmentCount) * fragmentSize - m_dataSize, '\0');
}

Result<FragEncoder> FragEncoder::create(QByteArray data, int fragmentSize, FecVersion version)
{
    if (data.isEmpty())
        return fail(QStringLiteral("the data block is empty: nothing to fragment"));
    if (fragmentSize < 1 || fragmentSize > 255)
        return fail(Error::at(-1, QStringLiteral("FragSize"),
                              QStringLiteral("%1 bytes: expected 1..255 (FragSize is one byte)").arg(fragmentSize)));
    const qint64 count = (data.size() + fragmentSize - 1) / fragmentSize;
    if (count > kMaxFragmentCounter)
        return fail(Error::at(-1, QStringLiteral("NbFrag"),
                              QStringLiteral("%1 bytes in %2-byte fragments make %3 fragments; at most %4 fit the 14-bit "
                                             "counter (use larger fragments)")
                                  .arg(data.size())
                                  .arg(fragmentSize)
                                  .arg(count)
                                  .arg(kMaxFragmentCounter)));
    return FragEncoder(std::move(data), fragmentSize, version);
}

QByteArrayView FragEncoder::fragment(std::uint32_t index) const
{
    assert(index < m_fragmentCount);
    return QByteArrayView(m_padded).sliced(static_cast<qsizetype>(index) * m_fragmentSize, m_fragmentSize);
}

QByteArray FragEncoder::frame(std::uint32_t n) const
{
    assert(n >= 1 && n <= kMaxFragmentCounter);
    if (n <= m_fragmentCount)
        return fragment(n - 1).toByteArray();
    return parityFrame(parityLine(n - m_fragmentCount, m_fragmentCount, m_version));
}

QByteArray FragEncoder::parityFrame(const ParityLine& line) const
{
    assert(line.fragmentCount == m_fragmentCount);
    QByteArray out(m_fragmentSize, '\0');
    char* o = out.data();
    for (const std::uint16_t j : line.positions) {
        const char* f = m_padded.constData() + static_cast<qsizetype>(j) * m_fragmentSize;
        for (int i = 0; i < m_fragmentSize; ++i)
            o[i] ^= f[i];
    }
    return out;
}

std::uint32_t redundancyFrames(std::uint32_t fragmentCount, double percent)
{
    if (percent <= 0)
        return 0;
    return static_cast<std::uint32_t>(std::ceil(fragmentCount * percent / 100.0 - 1e-9));
}

} // namespace otalab::core::lorawan
