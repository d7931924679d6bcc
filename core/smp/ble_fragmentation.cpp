// SPDX-License-Identifier: Apache-2.0
// SMP over BLE: cutting packets into ATT writes and reassembling notifications by header length.
#include "core/smp/ble_fragmentation.h"

#include "core/smp/smp_header.h"
#include "core/smp/smp_packet.h"

namespace otalab::core::smp {

QList<QByteArray> splitForAtt(QByteArrayView packet, int attMtu)
{
    const qsizetype chunk = std::max(attMtu, kBleDefaultAttMtu) - 3;
    QList<QByteArray> out;
    out.reserve((packet.size() + chunk - 1) / chunk);
    for (qsizetype pos = 0; pos < packet.size(); pos += chunk)
        out.append(packet.sliced(pos, std::min(chunk, packet.size() - pos)).toByteArray());
    return out;
}

namespace {

// Byte 0 of an SMP header: reserved bits 7..5 clear, version 0 or 1, op 0..3.
bool plausibleFirstByte(char c)
{
    const auto b = std::uint8_t(c);
    return (b & 0xe0) == 0 && ((b >> 3) & 0x3) <= 1 && (b & 0x7) <= 3;
}

} // namespace

void PacketReassembler::feed(QByteArrayView fragment, QList<QByteArray>& packets, QList<QString>& errors)
{
    m_buffer.append(fragment);
    while (!m_buffer.isEmpty()) {
        if (!plausibleFirstByte(m_buffer[0])) {
            // Resynchronise on the next fragment: a lost notification leaves no other clue.
            errors.append(QStringLiteral("dropped %1 bytes that do not start an SMP packet (first byte 0x%2)")
                              .arg(m_buffer.size())
                              .arg(std::uint8_t(m_buffer[0]), 2, 16, QLatin1Char('0')));
            m_buffer.clear();
            return;
        }
        const auto size = announcedPacketSize(m_buffer);
        if (!size || m_buffer.size() < *size)
            return;
        packets.append(m_buffer.left(*size));
        m_buffer.remove(0, *size);
    }
}

} // namespace otalab::core::smp
