// SPDX-License-Identifier: Apache-2.0
// EUI-64 parsing and byte-order helpers.
#include "core/zigbee/eui64.h"

namespace otalab::core::zigbee {

Result<std::uint64_t> parseEui64(const QString& text, const QString& what)
{
    QString t = text.trimmed();
    if (t.startsWith(QStringLiteral("0x"), Qt::CaseInsensitive))
        t = t.mid(2);
    t.remove(QLatin1Char(':')).remove(QLatin1Char('-'));
    bool ok = t.size() == 16;
    for (QChar c : t)
        ok = ok && ((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c.toLower() >= QLatin1Char('a') && c.toLower() <= QLatin1Char('f')));
    if (!ok)
        return fail(QStringLiteral("%1: '%2' is not an EUI64 (16 hex digits, e.g. 00:11:22:33:44:55:66:77)").arg(what, text));
    return t.toULongLong(nullptr, 16);
}

QString formatEui64(std::uint64_t eui)
{
    QString s;
    for (int i = 7; i >= 0; --i) {
        s += QStringLiteral("%1").arg((eui >> (8 * i)) & 0xff, 2, 16, QLatin1Char('0'));
        if (i)
            s += QLatin1Char(':');
    }
    return s;
}

QByteArray eui64LittleEndian(std::uint64_t eui)
{
    QByteArray out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = char((eui >> (8 * i)) & 0xff);
    return out;
}

QByteArray eui64BigEndian(std::uint64_t eui)
{
    QByteArray out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[7 - i] = char((eui >> (8 * i)) & 0xff);
    return out;
}

std::uint64_t eui64FromLittleEndian(QByteArrayView b)
{
    std::uint64_t v = 0;
    for (qsizetype i = 0; i < 8 && i < b.size(); ++i)
        v |= std::uint64_t(std::uint8_t(b[i])) << (8 * i);
    return v;
}

std::uint64_t eui64FromBigEndian(QByteArrayView b)
{
    std::uint64_t v = 0;
    for (qsizetype i = 0; i < 8 && i < b.size(); ++i)
        v = (v << 8) | std::uint8_t(b[i]);
    return v;
}

} // namespace otalab::core::zigbee
