// SPDX-License-Identifier: Apache-2.0
// Requests and responses of the OS and image groups (Zephyr os_mgmt.c / img_mgmt.c
// field names). Builders make the CBOR a client sends; parsers read what a board answers
// (unknown keys ignored, missing optional keys defaulted, wrong types rejected by name).
// The same file serves the device side: parse*Request() read what a client sent.
#pragma once

#include "core/common/error.h"
#include "core/smp/smp_header.h"

#include <QCborMap>
#include <QList>
#include <optional>

namespace otalab::core::smp {

struct Request {
    Op op = Op::Read;           // Read or Write
    std::uint16_t group = 0;
    std::uint8_t command = 0;
    QCborMap payload;
};

// --- OS group -----------------------------------------------------------------------
Request echoRequest(const QString& text);                  // write {"d": text} → {"r": text}
Request resetRequest(bool force = false);                  // write {} or {"force": true}
Request paramsRequest();                                   // read {} → {"buf_size", "buf_count"}
Request osInfoRequest(const QString& format = {});         // read {"format": "sv"...} → {"output"}

Result<QString> parseEchoResponse(const QCborMap& payload);
struct McumgrParams {
    std::uint32_t bufSize = 0;    // bytes of one SMP packet buffer on the board
    std::uint32_t bufCount = 0;   // number of such buffers (pipelining window = bufCount - 1)
};
Result<McumgrParams> parseParamsResponse(const QCborMap& payload);
Result<QString> parseOsInfoResponse(const QCborMap& payload);

// Device side of the OS group.
Result<QString> parseEchoRequest(const QCborMap& payload);        // "d"
Result<bool> parseResetRequest(const QCborMap& payload);          // "force", false when absent
Result<QString> parseOsInfoRequest(const QCborMap& payload);      // "format", empty when absent
QCborMap echoResponsePayload(const QString& text);                // {"r": text}
QCborMap paramsPayload(const McumgrParams& params);               // {"buf_size", "buf_count"}
QCborMap osInfoPayload(const QString& output);                    // {"output": text}

// --- Image group --------------------------------------------------------------------
Request imageStateReadRequest();                                     // read {}
Request imageTestRequest(const QByteArray& hash);                    // write {"hash", "confirm": false}
// Confirm: with no hash the running image ({"confirm": true}); with a hash that image.
Request imageConfirmRequest(const std::optional<QByteArray>& hash = {});
Request imageEraseRequest(std::optional<int> slot = {});             // write {} or {"slot": n}
Request slotInfoRequest();                                           // read {}

struct ImageSlotState {
    int image = 0;
    int slot = 0;
    QString version;         // "1.2.3" or "1.2.3.4" as the board prints it
    QByteArray hash;         // the MCUboot SHA256 TLV value (32 bytes), not sha256(file)
    bool bootable = false;
    bool pending = false;
    bool confirmed = false;
    bool active = false;
    bool permanent = false;
    friend bool operator==(const ImageSlotState&, const ImageSlotState&) = default;
};
struct ImageStateResponse {
    QList<ImageSlotState> images;
    std::optional<int> splitStatus;
};
Result<ImageStateResponse> parseImageStateResponse(const QCborMap& payload);
QCborMap imageStatePayload(const ImageStateResponse& state);   // device side

// Device side: an image state write (test: hash + confirm false; confirm: optional hash).
struct ImageStateWrite {
    std::optional<QByteArray> hash;
    bool confirm = false;
};
Result<ImageStateWrite> parseImageStateWriteRequest(const QCborMap& payload);
Result<std::optional<int>> parseImageEraseRequest(const QCborMap& payload);   // "slot"

// Upload: every chunk {"off", "data"}; the first (off == 0) also "len", "image" (when not
// 0), "sha" (SHA-256 of the whole file, for resume) and "upgrade" (refuse downgrades).
struct UploadChunk {
    std::uint32_t offset = 0;
    QByteArray data;
    std::optional<std::uint32_t> totalLength;   // first chunk only
    std::optional<int> image;                   // first chunk only, omitted for image 0
    QByteArray sha;                             // first chunk only; empty = omitted
    bool upgrade = false;                       // first chunk only
};
Request uploadRequest(const UploadChunk& chunk);
Result<UploadChunk> parseUploadRequest(const QCborMap& payload);     // device side

struct UploadResponse {
    std::uint32_t nextOffset = 0;      // "off": bytes the board has; 0 mid-upload = restart
    std::optional<bool> match;         // "match" on the last chunk: the sha matched
};
Result<UploadResponse> parseUploadResponse(const QCborMap& payload);
QCborMap uploadResponsePayload(const UploadResponse& response);   // device side

// The largest `data` size such that the encoded upload request packet (header + CBOR)
// fits in maxPacketBytes, for a chunk at `offset` (the first chunk carries the extra
// fields, so pass its template). Exact, not an estimate: uses the CBOR length rules.
int uploadChunkCapacity(int maxPacketBytes, const UploadChunk& chunkWithoutData);

struct SlotInfo {
    int image = 0;
    int slot = 0;
    std::uint32_t size = 0;
    std::optional<int> uploadImageId;
};
Result<QList<SlotInfo>> parseSlotInfoResponse(const QCborMap& payload);
// Device side: {"images": [{"image", "slots": [{"slot", "size", "upload_image_id"}]}]}.
QCborMap slotInfoPayload(const QList<SlotInfo>& slots);

} // namespace otalab::core::smp
