// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/otabase64.h"

namespace otalab::core::awsota {
namespace {

constexpr int kNewline = 64;
constexpr int kSpace = 65;
constexpr int kPad = 66;
constexpr int kInvalid = 67;

int indexOf(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    if (c == '\r' || c == '\n') return kNewline;
    if (c == ' ') return kSpace;
    if (c == '=') return kPad;
    return kInvalid;
}

} // namespace

Result<QByteArray> decodeOtaBase64(const QByteArray& text, qsizetype maxBytes)
{
    const QString field = QStringLiteral("base64");
    QByteArray out;
    quint32 buffer = 0;
    int sextets = 0;     // symbols in buffer (0..3)
    int padding = 0;
    int spaces = 0;
    qsizetype symbols = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const int v = indexOf(c);
        if (v == kInvalid)
            return fail(Error::at(i, field, QStringLiteral("character 0x%1 is not base64").arg(quint8(c), 2, 16, QLatin1Char('0'))));
        if (v == kNewline)
            continue;
        if (v == kPad) {
            if (spaces != 0)
                return fail(Error::at(i, field, QStringLiteral("'=' after a space")));
            if (++padding > 2)
                return fail(Error::at(i, field, QStringLiteral("more than two '=' padding symbols")));
            continue;
        }
        if (v == kSpace) {
            ++spaces;
            continue;
        }
        if (padding != 0 || spaces != 0)
            return fail(Error::at(i, field, QStringLiteral("data after padding or a space")));
        buffer = (buffer << 6) | quint32(v);
        ++symbols;
        if (++sextets == 4) {
            if (out.size() + 3 > maxBytes)
                return fail(Error::at(i, field, QStringLiteral("decodes to more than %1 bytes").arg(maxBytes)));
            out.append(char(buffer >> 16)).append(char(buffer >> 8)).append(char(buffer));
            buffer = 0;
            sextets = 0;
        }
    }
    if (symbols == 0)
        return fail(Error::at(0, field, QStringLiteral("empty")));
    if (sextets == 1)
        return fail(Error::at(text.size(), field, QStringLiteral("a lone trailing symbol (%1 symbols is not a whole number of bytes)").arg(symbols)));
    if (padding != 0 && (sextets + padding) != 4)
        return fail(Error::at(text.size(), field, QStringLiteral("%1 '=' after %2 trailing symbols (expected %3)").arg(padding).arg(sextets).arg(sextets == 0 ? 0 : 4 - sextets)));
    if (sextets == 2) {
        if (buffer & 0xF)
            return fail(Error::at(text.size(), field, QStringLiteral("non-zero bits in the padded tail")));
        if (out.size() + 1 > maxBytes)
            return fail(Error::at(text.size(), field, QStringLiteral("decodes to more than %1 bytes").arg(maxBytes)));
        out.append(char(buffer >> 4));
    } else if (sextets == 3) {
        if (buffer & 0x3)
            return fail(Error::at(text.size(), field, QStringLiteral("non-zero bits in the padded tail")));
        if (out.size() + 2 > maxBytes)
            return fail(Error::at(text.size(), field, QStringLiteral("decodes to more than %1 bytes").arg(maxBytes)));
        out.append(char(buffer >> 10)).append(char(buffer >> 2));
    }
    return out;
}

QByteArray encodeOtaBase64(const QByteArray& bytes) { return bytes.toBase64(); }

} // namespace otalab::core::awsota
