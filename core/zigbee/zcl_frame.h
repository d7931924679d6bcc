// SPDX-License-Identifier: Apache-2.0
// ZCL frame header (ZCL r8 §2.4.1): frame control, optional manufacturer code, TSN, command id.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <cstdint>
#include <optional>

namespace otalab::core::zigbee {

inline constexpr std::uint16_t kOtaClusterId = 0x0019;
inline constexpr std::uint8_t kDefaultResponseCommand = 0x0B;  // global command

enum class ZclFrameType : std::uint8_t { Global = 0, ClusterSpecific = 1 };
// Frame control bit 3: 0 = client → server, 1 = server → client.
enum class ZclDirection : std::uint8_t { ClientToServer = 0, ServerToClient = 1 };

// Frame control byte: bits 0-1 frame type, bit 2 manufacturer specific (a u16 manufacturer
// code follows the frame control), bit 3 direction, bit 4 disable default response,
// bits 5-7 reserved (kept as read, written back as given).
struct ZclHeader {
    ZclFrameType frameType = ZclFrameType::ClusterSpecific;
    std::optional<std::uint16_t> manufacturerCode;  // present ⇔ bit 2
    ZclDirection direction = ZclDirection::ClientToServer;
    bool disableDefaultResponse = false;
    std::uint8_t reservedBits = 0;  // bits 5-7, shifted down
    std::uint8_t transactionSequence = 0;
    std::uint8_t commandId = 0;

    qint64 encodedSize() const { return manufacturerCode ? 5 : 3; }
    friend bool operator==(const ZclHeader&, const ZclHeader&) = default;
};

// A decoded frame. `payload` views the input given to decodeZclFrame and is valid as long
// as that input; `payloadOffset` is where it starts in the frame (for error offsets).
struct ZclFrameView {
    ZclHeader header;
    QByteArrayView payload;
    qint64 payloadOffset = 0;
};

// Fails on frames shorter than the header or with frame type 2/3 (reserved), naming the
// field and offset.
Result<ZclFrameView> decodeZclFrame(QByteArrayView frame);
QByteArray encodeZclFrame(const ZclHeader& header, QByteArrayView payload);

} // namespace otalab::core::zigbee
