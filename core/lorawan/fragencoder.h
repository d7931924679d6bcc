// SPDX-License-Identifier: Apache-2.0
// FragEncoder: the server side of TS004 — a data block cut into M fragments of FragSize
// bytes (the last one padded with zeros), and parity frames after them.
//
// frame(n), n = 1..M: fragment n as is; n > M: the XOR of the fragments selected by
// parity line n - M (fec.h). Byte-compatible with ChirpStack's
// lrwn::applayer::fragmentation::{v1,v2}::encode (whose frame M+y+1 is
// matrix_line(y + 1, M)) and with Semtech's decoders. (ChirpStack's v2 encoder before
// commit f0225624, March 2025, seeded parity frame M+y+1 with line M+y+1 — "the TS004
// MATLAB example" numbering — which no Semtech decoder reads; v1 never did.)
#pragma once

#include "core/common/error.h"
#include "core/lorawan/fec.h"

#include <QByteArray>

namespace otalab::core::lorawan {

class FragEncoder {
public:
    // Preconditions (asserted): data not empty, fragmentSize 1..255,
    // ceil(size / fragmentSize) <= 16383. create() checks them and says which failed.
    FragEncoder(QByteArray data, int fragmentSize, FecVersion version);
    static Result<FragEncoder> create(QByteArray data, int fragmentSize, FecVersion version);

    std::uint32_t fragmentCount() const { return m_fragmentCount; } // M
    int fragmentSize() const { return m_fragmentSize; }
    int padding() const { return static_cast<int>(m_padded.size() - m_dataSize); } // zero bytes in the last fragment
    qsizetype dataSize() const { return m_dataSize; }
    FecVersion version() const { return m_version; }
    // The highest parity index a 14-bit counter can carry: 16383 - M.
    std::uint32_t maxParityFrames() const { return kMaxFragmentCounter - m_fragmentCount; }

    // Frame counter n >= 1 (asserted n <= 16383): FragSize bytes.
    QByteArray frame(std::uint32_t n) const;
    // The parity frame for an already computed line (line.fragmentCount == M).
    QByteArray parityFrame(const ParityLine& line) const;
    // Fragment `index` (0-based) with padding: a view into the padded block.
    QByteArrayView fragment(std::uint32_t index) const;

private:
    QByteArray m_padded;
    qsizetype m_dataSize;
    int m_fragmentSize;
    std::uint32_t m_fragmentCount;
    FecVersion m_version;
};

// Parity frames for a redundancy given in percent: ceil(M x percent / 100), as
// ChirpStack's FUOTA flow computes it.
std::uint32_t redundancyFrames(std::uint32_t fragmentCount, double percent);

} // namespace otalab::core::lorawan
