// SPDX-License-Identifier: Apache-2.0
// Internal to the package-command codecs (clocksync, multicastsetup, fragsessioncommands):
// a little-endian reader over one FRMPayload that keeps the first error. Reads after an
// error return 0, so a parser reads a whole command and checks failed() once. Offsets in
// errors are positions in the FRMPayload given to the package parser.
#pragma once

#include "core/common/error.h"
#include "core/common/overloaded.h"
#include "core/lorawan/keys.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::lorawan::detail {

class CommandReader {
public:
    explicit CommandReader(QByteArrayView data) : m_data(data) {}

    qsizetype pos() const { return m_pos; }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }
    void setError(Error e)
    {
        if (!m_error)
            m_error = std::move(e);
    }

    std::uint32_t uint(int width, const QString& field)
    {
        if (m_error)
            return 0;
        if (remaining() < width) {
            setError(Error::at(m_pos, field, QStringLiteral("the command ends early: needs %1 byte%2, %3 remain")
                                                 .arg(width).arg(width == 1 ? "" : "s").arg(remaining())));
            return 0;
        }
        std::uint32_t v = 0;
        for (int i = 0; i < width; ++i)
            v |= std::uint32_t(std::uint8_t(m_data[m_pos + i])) << (8 * i);
        m_pos += width;
        return v;
    }
    std::uint8_t u8(const QString& field) { return std::uint8_t(uint(1, field)); }
    std::uint16_t u16(const QString& field) { return std::uint16_t(uint(2, field)); }
    std::uint32_t u24(const QString& field) { return uint(3, field); }
    std::uint32_t u32(const QString& field) { return uint(4, field); }
    AesKey key(const QString& field)
    {
        AesKey k{};
        if (m_error)
            return k;
        if (remaining() < 16) {
            setError(Error::at(m_pos, field, QStringLiteral("the command ends early: needs 16 bytes, %1 remain").arg(remaining())));
            return k;
        }
        for (int i = 0; i < 16; ++i)
            k[size_t(i)] = std::uint8_t(m_data[m_pos + i]);
        m_pos += 16;
        return k;
    }
    QByteArray rest()
    {
        QByteArray r = m_data.sliced(m_pos).toByteArray();
        m_pos = m_data.size();
        return r;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    std::optional<Error> m_error;
};

// Little-endian appends for the encoders.
inline void putLe(QByteArray& out, std::uint32_t v, int width)
{
    for (int i = 0; i < width; ++i)
        out.append(char(std::uint8_t(v >> (8 * i))));
}

// "FragSessionSetupReq.FragIndex is 2 bits (0..3), got 5"
inline Error rangeError(const QString& field, int bits, std::uint64_t value)
{
    return Error::at(-1, field, QStringLiteral("is %1 bit%2 (0..%3), got %4")
                                    .arg(bits).arg(bits == 1 ? "" : "s").arg((std::uint64_t(1) << bits) - 1).arg(value));
}

// std::visit over a set of lambdas (core/common/overloaded.h).
using ::otalab::Overloaded;

// Encodes commands one after the other into one FRMPayload; the first error stops it.
template <class Command, class Encode>
Result<QByteArray> encodeEach(const std::vector<Command>& commands, Encode encode)
{
    QByteArray out;
    for (const Command& c : commands) {
        auto bytes = encode(c);
        if (!bytes)
            return std::unexpected(bytes.error());
        out += *bytes;
    }
    return out;
}

} // namespace otalab::core::lorawan::detail
