// SPDX-License-Identifier: Apache-2.0
// mcumgr serial console framing (Zephyr smp_shell / smp_uart, mcumgr-client):
//   frame  = u16 BE length (packet size + 2) | packet | CRC-16/XMODEM BE over packet only
//   base64 of the frame, cut into console lines of at most 127 bytes *including* the
//   2-byte marker and the trailing '\n': first line 06 09, continuation lines 04 14.
// Lines without a marker are device log text and are passed through, never lost.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <variant>

namespace otalab::core::smp {

inline constexpr int kSerialMaxLine = 127;

// CRC-16/XMODEM: poly 0x1021, init 0, no reflection; check("123456789") = 0x31C3.
std::uint16_t crc16Xmodem(QByteArrayView bytes, std::uint16_t crc = 0);

// One SMP packet as console lines, each beginning with its marker and ending with '\n'.
// The concatenation is what goes on the wire; callers pace line by line.
QList<QByteArray> encodeSerialFrame(QByteArrayView packet, int maxLineLength = kSerialMaxLine);

// Reassembles packets from a byte stream that may mix frames with log text, split at
// any byte boundary. A frame that fails (bad base64, bad CRC, length mismatch, a new
// 06 09 before the frame completed) is reported and dropped; decoding resumes at the
// next start marker.
class SerialFrameDecoder final {
public:
    struct PacketReceived { QByteArray packet; };          // a CRC-checked SMP packet
    struct LogText { QByteArray text; };                   // a complete non-frame line (with '\n')
    struct FrameError { QString message; };               // "CRC mismatch: frame says 0x1234, computed 0xabcd"
    using Event = std::variant<PacketReceived, LogText, FrameError>;

    // Appends the events the new bytes complete, in stream order.
    void feed(QByteArrayView bytes, QList<Event>& events);
    // Drops a partial line/frame (after a reconnect).
    void reset();

    // Longest line kept while waiting for '\n': longer log text is passed on in pieces,
    // a longer frame line is an error.
    static constexpr qsizetype kMaxBufferedLine = 4096;

private:
    void onLine(const QByteArray& line, QList<Event>& events);
    void onFrameLine(bool start, QByteArrayView base64, QList<Event>& events);
    void dropFrame(const QString& message, QList<Event>& events);
    QByteArray m_line;       // bytes of the current, unterminated line
    QByteArray m_base64;     // base64 characters of the frame not yet decoded (< 4)
    QByteArray m_frame;      // decoded frame bytes: length, packet, CRC
    bool m_inFrame = false;
    bool m_skipContinuations = false;   // after a frame error, until the next start line
    bool m_discardLine = false;         // the rest of an overlong frame line
};

} // namespace otalab::core::smp
