// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fragdecoder.h"

#include <cstring>

namespace otalab::core::lorawan {

Result<FragDecoder> FragDecoder::create(const FragSessionShape& shape, std::uint32_t maxLosses)
{
    if (shape.fragmentCount < 1 || shape.fragmentCount > kMaxFragmentCounter)
        return fail(Error::at(-1, QStringLiteral("NbFrag"),
                              QStringLiteral("%1 fragments: expected 1..%2").arg(shape.fragmentCount).arg(kMaxFragmentCounter)));
    if (shape.fragmentSize < 1 || shape.fragmentSize > 255)
        return fail(Error::at(-1, QStringLiteral("FragSize"),
                              QStringLiteral("%1 bytes: expected 1..255").arg(shape.fragmentSize)));
    if (shape.padding >= shape.fragmentSize)
        return fail(Error::at(-1, QStringLiteral("Padding"),
                              QStringLiteral("%1 bytes: must be smaller than FragSize (%2)")
                                  .arg(shape.padding)
                                  .arg(shape.fragmentSize)));
    return FragDecoder(shape, maxLosses);
}

FragDecoder::FragDecoder(const FragSessionShape& shape, std::uint32_t maxLosses)
    : m_shape(shape), m_system(shape.fragmentCount, maxLosses),
      m_store(static_cast<qsizetype>(shape.fragmentCount) * shape.fragmentSize, '\0')
{
}

void FragDecoder::xorInto(char* dst, const char* src) const
{
    for (std::uint32_t i = 0; i < m_shape.fragmentSize; ++i)
        dst[i] ^= src[i];
}

FragDecoder::Status FragDecoder::statusWith(State state) const
{
    Status s;
    s.state = state;
    s.missing = m_system.missingCount();
    s.received = receivedCount();
    return s;
}

FragDecoder::Status FragDecoder::status() const
{
    return statusWith(isComplete() ? State::Complete : State::Incomplete);
}

FragDecoder::Status FragDecoder::add(std::uint32_t counter, QByteArrayView payload)
{
    auto reject = [this](QString reason) {
        Status s = statusWith(State::Rejected);
        s.reason = std::move(reason);
        return s;
    };
    if (counter == 0)
        return reject(QStringLiteral("fragment counter 0: DataFragment counters start at 1"));
    if (counter > kMaxFragmentCounter)
        return reject(QStringLiteral("fragment counter %1: the counter has 14 bits (1..%2)").arg(counter).arg(kMaxFragmentCounter));
    if (payload.size() != static_cast<qsizetype>(m_shape.fragmentSize))
        return reject(QStringLiteral("fragment %1 carries %2 bytes, the session's FragSize is %3")
                          .arg(counter)
                          .arg(payload.size())
                          .arg(m_shape.fragmentSize));
    if (isComplete())
        return status();

    const std::uint32_t m = m_shape.fragmentCount;
    QByteArray work(payload.data(), payload.size());
    auto onXor = [&](std::uint32_t c) { xorInto(work.data(), slot(m_system.column(c))); };
    FecSystem::Step step;
    if (counter <= m) {
        step = m_system.addUncoded(counter - 1, onXor);
        if (step.outcome == FecSystem::Outcome::Stored)
            std::memcpy(slot(counter - 1), payload.data(), m_shape.fragmentSize);
    } else {
        const ParityLine line = parityLine(counter - m, m, m_shape.version);
        auto onKnown = [&](std::uint32_t j) { xorInto(work.data(), slot(j)); };
        step = m_system.addParity<true>(line, onKnown, onXor);
        if (step.outcome == FecSystem::Outcome::TooManyLosses) {
            Status s = statusWith(State::TooManyLosses);
            s.losses = m - m_system.storedDirect();
            s.maxLosses = m_system.maxLosses();
            return s;
        }
        if (step.outcome == FecSystem::Outcome::Pivot || step.outcome == FecSystem::Outcome::Redundant)
            ++m_parityReceived;
    }
    if (step.outcome == FecSystem::Outcome::Pivot)
        std::memcpy(slot(m_system.column(static_cast<std::uint32_t>(step.column))), work.constData(), m_shape.fragmentSize);
    if (m_system.complete())
        finish();
    return status();
}

void FragDecoder::finish()
{
    if (m_solved)
        return;
    if (m_system.started()) {
        m_system.backSubstitute(
            [&](std::uint32_t i, std::uint32_t j) { xorInto(slot(m_system.column(i)), slot(m_system.column(j))); });
        m_system.releaseElimination();
    }
    m_solved = true;
}

QByteArray FragDecoder::data() const
{
    if (!isComplete())
        return {};
    return m_store.left(m_shape.dataSize());
}

std::size_t FragDecoder::memoryBytes() const
{
    return sizeof(*this) + static_cast<std::size_t>(m_store.capacity()) + m_system.memoryBytes();
}

} // namespace otalab::core::lorawan
