// SPDX-License-Identifier: Apache-2.0
// mcumgr serial console framing: encoder (cut like mcumgr-client: 124 base64 characters per
// 127-byte line, whole 4-character groups per line) and a tolerant stream decoder.
#include "core/smp/serial_framing.h"

#include <algorithm>
#include <array>

namespace otalab::core::smp {

namespace {

constexpr char kStart[] = {0x06, 0x09};
constexpr char kContinue[] = {0x04, 0x14};

constexpr std::array<std::uint16_t, 256> makeCrcTable()
{
    std::array<std::uint16_t, 256> table{};
    for (int i = 0; i < 256; ++i) {
        std::uint16_t crc = std::uint16_t(i << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = std::uint16_t((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
        table[std::size_t(i)] = crc;
    }
    return table;
}
constexpr auto kCrcTable = makeCrcTable();

// 0..63 for base64 characters, 64 for '=', 255 for anything else.
constexpr std::array<std::uint8_t, 256> makeBase64Table()
{
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 255;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[std::uint8_t(alphabet[i])] = std::uint8_t(i);
    t[std::uint8_t('=')] = 64;
    return t;
}
constexpr auto kBase64 = makeBase64Table();

QString hex4(std::uint16_t v) { return QStringLiteral("0x%1").arg(v, 4, 16, QLatin1Char('0')); }

} // namespace

std::uint16_t crc16Xmodem(QByteArrayView bytes, std::uint16_t crc)
{
    for (char c : bytes)
        crc = std::uint16_t((crc << 8) ^ kCrcTable[((crc >> 8) ^ std::uint8_t(c)) & 0xff]);
    return crc;
}

QList<QByteArray> encodeSerialFrame(QByteArrayView packet, int maxLineLength)
{
    QByteArray frame;
    frame.reserve(packet.size() + 4);
    const std::uint16_t length = std::uint16_t(packet.size() + 2);
    const std::uint16_t crc = crc16Xmodem(packet);
    frame.append(char(length >> 8)).append(char(length & 0xff));
    frame.append(packet.data(), packet.size());
    frame.append(char(crc >> 8)).append(char(crc & 0xff));
    const QByteArray text = frame.toBase64();

    // Marker (2) + base64 + '\n' (1); whole 4-character groups so every line decodes alone.
    const qsizetype perLine = std::max(4, ((maxLineLength - 3) / 4) * 4);
    QList<QByteArray> lines;
    for (qsizetype pos = 0; pos < text.size(); pos += perLine) {
        QByteArray line;
        line.reserve(perLine + 3);
        line.append(pos == 0 ? kStart : kContinue, 2);
        line.append(text.mid(pos, perLine));
        line.append('\n');
        lines.append(line);
    }
    return lines;
}

void SerialFrameDecoder::reset()
{
    m_line.clear();
    m_base64.clear();
    m_frame.clear();
    m_inFrame = false;
    m_skipContinuations = false;
    m_discardLine = false;
}

void SerialFrameDecoder::feed(QByteArrayView bytes, QList<Event>& events)
{
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', pos);
        const qsizetype end = nl < 0 ? bytes.size() : nl + 1;
        if (m_discardLine) {
            pos = end;
            m_discardLine = nl < 0;
            continue;
        }
        // Never buffer more than kMaxBufferedLine + 1 bytes, so the events do not depend on
        // how the stream was split.
        const qsizetype take = std::min(end - pos, kMaxBufferedLine + 1 - m_line.size());
        m_line.append(bytes.sliced(pos, take));
        pos += take;
        if (nl >= 0 && pos == end) {
            onLine(m_line, events);
            m_line.clear();
            continue;
        }
        if (m_line.size() <= kMaxBufferedLine)
            continue;
        // No newline for a long time: a frame line this long is broken; log text is passed on.
        const bool frameLine = m_line.contains(QByteArrayView(kStart, 2))
                            || (m_inFrame && m_line.contains(QByteArrayView(kContinue, 2)));
        if (frameLine) {
            dropFrame(QStringLiteral("frame line longer than %1 bytes without a newline: dropped").arg(kMaxBufferedLine),
                      events);
            m_discardLine = true;
        } else {
            events.append(LogText{m_line});
        }
        m_line.clear();
    }
}

void SerialFrameDecoder::dropFrame(const QString& message, QList<Event>& events)
{
    events.append(FrameError{message});
    m_inFrame = false;
    m_skipContinuations = true;
    m_base64.clear();
    m_frame.clear();
}

void SerialFrameDecoder::onLine(const QByteArray& line, QList<Event>& events)
{
    QByteArrayView content(line);
    while (!content.isEmpty() && (content.back() == '\n' || content.back() == '\r'))
        content.chop(1);

    // A marker normally starts the line; log text without a newline may precede it.
    qsizetype at = content.indexOf(QByteArrayView(kStart, 2));
    bool start = at >= 0;
    const qsizetype cont = content.indexOf(QByteArrayView(kContinue, 2));
    if (cont >= 0 && (at < 0 || cont < at)) {
        at = cont;
        start = false;
    }
    if (at < 0) {
        events.append(LogText{line});
        return;
    }
    if (at > 0)
        events.append(LogText{content.first(at).toByteArray()});
    onFrameLine(start, content.sliced(at + 2), events);
}

void SerialFrameDecoder::onFrameLine(bool start, QByteArrayView base64, QList<Event>& events)
{
    if (start) {
        if (m_inFrame)
            events.append(FrameError{QStringLiteral("incomplete frame dropped: a new frame started after %1 bytes")
                                         .arg(m_frame.size())});
        m_inFrame = true;
        m_skipContinuations = false;
        m_base64.clear();
        m_frame.clear();
    } else if (!m_inFrame) {
        if (!m_skipContinuations)
            events.append(FrameError{QStringLiteral("continuation line without a start line: dropped")});
        return;
    }

    m_base64.append(base64);
    qsizetype used = 0;
    bool padded = false;
    for (; used + 4 <= m_base64.size() && !padded; used += 4) {
        std::uint8_t v[4];
        int pad = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_base64[used + i];
            v[i] = kBase64[std::uint8_t(c)];
            if (v[i] == 255)
                return dropFrame(QStringLiteral("bad base64 character 0x%1 in frame").arg(std::uint8_t(c), 2, 16,
                                                                                          QLatin1Char('0')),
                                 events);
            if (v[i] == 64) {
                ++pad;
                v[i] = 0;
            } else if (pad > 0) {
                return dropFrame(QStringLiteral("bad base64 in frame: data after '=' padding"), events);
            }
        }
        if (pad > 2)
            return dropFrame(QStringLiteral("bad base64 in frame: misplaced '=' padding"), events);
        const std::uint32_t bits = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
        m_frame.append(char(bits >> 16));
        if (pad < 2) m_frame.append(char((bits >> 8) & 0xff));
        if (pad < 1) m_frame.append(char(bits & 0xff));
        padded = pad > 0;
    }
    m_base64.remove(0, used);
    if (padded && !m_base64.isEmpty())
        return dropFrame(QStringLiteral("bad base64 in frame: text after '=' padding"), events);

    if (m_frame.size() < 2) {
        if (padded)
            return dropFrame(QStringLiteral("frame too short: no length field"), events);
        return;
    }
    const int length = (int(std::uint8_t(m_frame[0])) << 8) | int(std::uint8_t(m_frame[1]));
    if (length < 3)
        return dropFrame(QStringLiteral("frame length field %1 is too small (packet bytes + 2 CRC bytes)").arg(length),
                         events);
    const qsizetype have = m_frame.size() - 2;
    if (have > length)
        return dropFrame(QStringLiteral("length mismatch: the frame says %1 bytes but carries %2").arg(length).arg(have),
                         events);
    if (have < length) {
        if (padded)
            return dropFrame(QStringLiteral("length mismatch: the frame says %1 bytes but ended after %2")
                                 .arg(length).arg(have),
                             events);
        return;
    }
    if (!m_base64.isEmpty())
        return dropFrame(QStringLiteral("length mismatch: base64 text continues after the %1 frame bytes").arg(length),
                         events);
    const QByteArrayView packet = QByteArrayView(m_frame).sliced(2, length - 2);
    const std::uint16_t said = std::uint16_t((std::uint8_t(m_frame[m_frame.size() - 2]) << 8)
                                             | std::uint8_t(m_frame[m_frame.size() - 1]));
    const std::uint16_t computed = crc16Xmodem(packet);
    if (said != computed)
        return dropFrame(QStringLiteral("CRC mismatch: frame says %1, computed %2").arg(hex4(said), hex4(computed)),
                         events);
    events.append(PacketReceived{packet.toByteArray()});
    m_inFrame = false;
    m_skipContinuations = false;
    m_base64.clear();
    m_frame.clear();
}

} // namespace otalab::core::smp
