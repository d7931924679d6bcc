// SPDX-License-Identifier: Apache-2.0
// Payloads of the OTA Upgrade cluster (0x0019) commands, ZCL r8 §11.13, little-endian.
//
// Byte layouts cross-checked against zigbee-herdsman's ZCL cluster definitions (genOta in
// its cluster.ts): imageNotify manufacturerCode / imageType / fileVersion present when
// payloadType > 0 / > 1 / > 2; queryNextImageResponse and imageBlockResponse fields present
// only when status == 0; imageBlockResponse currentTime, requestTime, minimumBlockPeriod
// present when status == 151 (WAIT_FOR_DATA); upgradeEndResponse = manufacturerCode,
// imageType, fileVersion, currentTime, upgradeTime with no status; imagePageRequest =
// fieldControl .. maximumDataSize, pageSize, responseSpacing, requestNodeAddress.
//
// Decoders are bounds checked and never read past the payload; errors name the field and
// the offset in the ZCL frame (`base` = offset of the payload in the frame). Bytes after
// the last known field are ignored, as ZCL asks receivers to do for fields added by later
// revisions.
#pragma once

#include "core/common/error.h"
#include "core/zigbee/zcl_status.h"

#include <QByteArray>
#include <cstdint>
#include <optional>
#include <variant>

namespace otalab::core::zigbee {

namespace otacmd {
// Server → client
inline constexpr std::uint8_t ImageNotify = 0x00;
inline constexpr std::uint8_t QueryNextImageResponse = 0x02;
inline constexpr std::uint8_t ImageBlockResponse = 0x05;
inline constexpr std::uint8_t UpgradeEndResponse = 0x07;
inline constexpr std::uint8_t QueryDeviceSpecificFileResponse = 0x09;
// Client → server
inline constexpr std::uint8_t QueryNextImageRequest = 0x01;
inline constexpr std::uint8_t ImageBlockRequest = 0x03;
inline constexpr std::uint8_t ImagePageRequest = 0x04;
inline constexpr std::uint8_t UpgradeEndRequest = 0x06;
inline constexpr std::uint8_t QueryDeviceSpecificFileRequest = 0x08;
} // namespace otacmd

// "ImageBlockRequest", ... or "0x42".
QString otaCommandName(std::uint8_t commandId);

inline constexpr std::uint16_t kWildcardManufacturer = 0xFFFF;
inline constexpr std::uint16_t kWildcardImageType = 0xFFFF;
inline constexpr std::uint32_t kWildcardFileVersion = 0xFFFFFFFF;
// UpgradeEndResponse.upgradeTime: wait for a later command (ZCL §11.13.9.6).
inline constexpr std::uint32_t kUpgradeTimeWaitForever = 0xFFFFFFFF;

// 0x00. payloadType 0: jitter only; 1: + manufacturer; 2: + image type; 3: + file version.
// queryJitter 1..100 (the client answers when its random 1..100 draw is ≤ jitter).
struct ImageNotify {
    std::uint8_t payloadType = 0;
    std::uint8_t queryJitter = 100;
    std::uint16_t manufacturerCode = kWildcardManufacturer;  // payloadType ≥ 1
    std::uint16_t imageType = kWildcardImageType;            // payloadType ≥ 2
    std::uint32_t fileVersion = kWildcardFileVersion;        // payloadType = 3
    friend bool operator==(const ImageNotify&, const ImageNotify&) = default;
};

// 0x01. Field control bit 0: hardware version present.
struct QueryNextImageRequest {
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t currentFileVersion = 0;
    std::optional<std::uint16_t> hardwareVersion;
    friend bool operator==(const QueryNextImageRequest&, const QueryNextImageRequest&) = default;
};

// 0x02 and 0x09 share this layout: status, then on SUCCESS only manufacturer, image type,
// file version, image size (the OTA file's total image size).
struct QueryImageResponse {
    ZclStatus status = ZclStatus::NoImageAvailable;
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint32_t imageSize = 0;
    friend bool operator==(const QueryImageResponse&, const QueryImageResponse&) = default;
};
using QueryNextImageResponse = QueryImageResponse;
using QueryDeviceSpecificFileResponse = QueryImageResponse;

// 0x03. Field control bit 0: request node address (IEEE, u64) present; bit 1: the client's
// MinimumBlockPeriod (u16, unit per cluster revision — see minimumBlockPeriodMs) present.
// On the wire the IEEE address precedes the MinimumBlockPeriod.
struct ImageBlockRequest {
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint32_t fileOffset = 0;
    std::uint8_t maximumDataSize = 0;
    std::optional<std::uint64_t> requestNodeAddress;
    std::optional<std::uint16_t> minimumBlockPeriod;
    friend bool operator==(const ImageBlockRequest&, const ImageBlockRequest&) = default;
};

// 0x04. Field control bit 0: request node address present. pageSize in bytes;
// responseSpacing in milliseconds between the server's block responses.
struct ImagePageRequest {
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint32_t fileOffset = 0;
    std::uint8_t maximumDataSize = 0;
    std::uint16_t pageSize = 0;
    std::uint16_t responseSpacing = 0;
    std::optional<std::uint64_t> requestNodeAddress;
    friend bool operator==(const ImagePageRequest&, const ImagePageRequest&) = default;
};

// 0x05. SUCCESS: manufacturer, image type, file version, file offset, u8 data size, data.
// WAIT_FOR_DATA: currentTime, requestTime (UTC seconds; currentTime 0 makes requestTime an
// offset in seconds), MinimumBlockPeriod u16 (absent in pre-revision-3 senders: optional).
// Any other status (ABORT, NO_IMAGE_AVAILABLE, ...): the status byte only.
struct ImageBlockResponse {
    ZclStatus status = ZclStatus::Success;
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint32_t fileOffset = 0;
    QByteArray data;  // at most 255 bytes (u8 data size)
    std::uint32_t currentTime = 0;
    std::uint32_t requestTime = 0;
    std::optional<std::uint16_t> minimumBlockPeriod;
    friend bool operator==(const ImageBlockResponse&, const ImageBlockResponse&) = default;
};

// 0x06. All fields are present whatever the status (SUCCESS, INVALID_IMAGE,
// REQUIRE_MORE_IMAGE, ABORT).
struct UpgradeEndRequest {
    ZclStatus status = ZclStatus::Success;
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    friend bool operator==(const UpgradeEndRequest&, const UpgradeEndRequest&) = default;
};

// 0x07. No status field. Times are UTC seconds; currentTime 0 makes upgradeTime an offset
// in seconds; upgradeTime 0xFFFFFFFF means "wait" (kUpgradeTimeWaitForever).
struct UpgradeEndResponse {
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint32_t currentTime = 0;
    std::uint32_t upgradeTime = 0;
    friend bool operator==(const UpgradeEndResponse&, const UpgradeEndResponse&) = default;
};

// 0x08. requestNodeAddress is the client's EUI64 (u64 on the wire, little-endian).
struct QueryDeviceSpecificFileRequest {
    std::uint64_t requestNodeAddress = 0;
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;
    std::uint16_t zigbeeStackVersion = 0;
    friend bool operator==(const QueryDeviceSpecificFileRequest&, const QueryDeviceSpecificFileRequest&) = default;
};

// Global command 0x0B: the command id answered and a status.
struct DefaultResponse {
    std::uint8_t commandId = 0;
    ZclStatus status = ZclStatus::Success;
    friend bool operator==(const DefaultResponse&, const DefaultResponse&) = default;
};

QByteArray encodePayload(const ImageNotify& c);
QByteArray encodePayload(const QueryNextImageRequest& c);
QByteArray encodePayload(const QueryImageResponse& c);
QByteArray encodePayload(const ImageBlockRequest& c);
QByteArray encodePayload(const ImagePageRequest& c);
// Data beyond 255 bytes is not representable: callers cap it (the server does).
QByteArray encodePayload(const ImageBlockResponse& c);
QByteArray encodePayload(const UpgradeEndRequest& c);
QByteArray encodePayload(const UpgradeEndResponse& c);
QByteArray encodePayload(const QueryDeviceSpecificFileRequest& c);
QByteArray encodePayload(const DefaultResponse& c);

Result<ImageNotify> decodeImageNotify(QByteArrayView payload, qint64 base = 0);
Result<QueryNextImageRequest> decodeQueryNextImageRequest(QByteArrayView payload, qint64 base = 0);
Result<QueryImageResponse> decodeQueryImageResponse(QByteArrayView payload, qint64 base = 0);
Result<ImageBlockRequest> decodeImageBlockRequest(QByteArrayView payload, qint64 base = 0);
Result<ImagePageRequest> decodeImagePageRequest(QByteArrayView payload, qint64 base = 0);
Result<ImageBlockResponse> decodeImageBlockResponse(QByteArrayView payload, qint64 base = 0);
Result<UpgradeEndRequest> decodeUpgradeEndRequest(QByteArrayView payload, qint64 base = 0);
Result<UpgradeEndResponse> decodeUpgradeEndResponse(QByteArrayView payload, qint64 base = 0);
Result<QueryDeviceSpecificFileRequest> decodeQueryDeviceSpecificFileRequest(QByteArrayView payload, qint64 base = 0);
Result<DefaultResponse> decodeDefaultResponse(QByteArrayView payload, qint64 base = 0);

} // namespace otalab::core::zigbee
