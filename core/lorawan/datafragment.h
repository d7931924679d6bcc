// SPDX-License-Identifier: Apache-2.0
// DataFragment, TS004 (port 201, CID 0x08), downlink, v1 and v2 alike:
//   byte 0      CID 0x08
//   bytes 1..2  IndexAndN, u16 little-endian: N (frame counter) in bits 0..13,
//               FragIndex (fragmentation session 0..3) in bits 14..15
//   bytes 3..   the fragment (FragSize bytes in a well-formed session)
// The only command in its FRMPayload.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <cstdint>

namespace otalab::core::lorawan {

inline constexpr std::uint8_t kFragmentationPort = 201;
inline constexpr std::uint8_t kDataFragmentCid = 0x08;

struct DataFragment {
    std::uint8_t fragIndex = 0; // 0..3
    std::uint16_t counter = 0;  // N: 1..16383 (1..M uncoded, M+n parity line n)
    QByteArray payload;         // not empty
};

// CID + IndexAndN + payload. Fails (naming the field) for fragIndex > 3, N = 0,
// N > 16383 or an empty payload.
Result<QByteArray> encodeDataFragment(const DataFragment& fragment);
// Parses a whole DataFragment command (starting with the CID). `base` is added to error
// offsets (the command's position in an enclosing stream).
Result<DataFragment> parseDataFragment(QByteArrayView bytes, qint64 base = 0);

} // namespace otalab::core::lorawan
