// SPDX-License-Identifier: Apache-2.0
// SMP over BLE (Zephyr smp_bt): service 8D53DC1D-1DB7-4CD3-868B-8A527460AA84,
// characteristic DA2E7828-FBCE-4E01-AE9E-261174997C48, write without response towards the
// board, notifications back. A packet is cut into ATT_MTU - 3 byte writes; the receiver
// reassembles by the length in the SMP header. Also used for any stream transport.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace otalab::core::smp {

inline constexpr char kSmpBleServiceUuid[] = "8d53dc1d-1db7-4cd3-868b-8a527460aa84";
inline constexpr char kSmpBleCharacteristicUuid[] = "da2e7828-fbce-4e01-ae9e-261174997c48";
inline constexpr int kBleDefaultAttMtu = 23;

// Chunks of at most attMtu - 3 bytes (attMtu >= 23), in order.
QList<QByteArray> splitForAtt(QByteArrayView packet, int attMtu);

// Collects fragments until 8 + header.length bytes are present, then yields the packet.
// A fragment that cannot start a packet (bad header) is an error and is dropped; bytes
// beyond one packet start the next one.
class PacketReassembler final {
public:
    // Appends completed packets to `packets` and problems to `errors`.
    void feed(QByteArrayView fragment, QList<QByteArray>& packets, QList<QString>& errors);
    void reset() { m_buffer.clear(); }
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
};

} // namespace otalab::core::smp
