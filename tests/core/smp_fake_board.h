// SPDX-License-Identifier: Apache-2.0
// A small fake SMP board for client tests, answering like Zephyr's os_mgmt/img_mgmt:
// echo, params, image state read/write, upload (offset mismatch → the expected offset;
// off 0 with the same sha and length → the offset already held), erase, reset with an
// MCUboot-like swap (test → active unconfirmed; a bad image reverts). Not the device
// model of the simulator (that is core/smp/smp_server.h); just enough to drive clients.
#pragma once

#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

#include <QCryptographicHash>
#include <functional>

namespace otalab::test::smp {

namespace s = core::smp;

// An unsigned MCUboot image (SHA256 TLV only) around `bodySize` deterministic bytes.
inline QByteArray makeImage(int bodySize, const QString& version, std::uint32_t seed = 1)
{
    QByteArray body(bodySize, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < bodySize; ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = core::mcuboot::ImageVersion::parse(version).value();
    auto image = core::mcuboot::createImage(body, options);
    return image ? *image : QByteArray();
}

class FakeBoard {
public:
    struct Slot {
        QByteArray data;
        bool pending = false;     // test (or permanent) swap requested
        bool permanent = false;
        bool confirmed = false;
    };

    s::McumgrParams params{2048, 4};
    bool paramsSupported = true;
    Slot primary;
    Slot secondary;
    bool newImageBoots = true;         // false: MCUboot reverts the swapped image
    std::int64_t offlineUntilMs = -1;  // requests before this are ignored (rebooting)
    std::optional<int> refuseUploadRc; // v2 image-group error for every upload chunk
    // Called after a reset was answered, with the time of the request.
    std::function<void(std::int64_t)> onReset;

    // Upload state (Zephyr g_img_mgmt_state).
    qint64 uploadOff = 0;
    qint64 uploadLen = 0;
    QByteArray uploadSha;
    int uploadRequests = 0;
    int resumesAnswered = 0;
    int resets = 0;

    QList<QByteArray> handle(std::int64_t nowMs, const QByteArray& bytes)
    {
        if (nowMs < offlineUntilMs)
            return {};
        auto packet = s::decodePacket(bytes);
        if (!packet || packet->header.isResponse())
            return {};   // a garbled request: the board's framing drops it
        const s::Header& h = packet->header;
        QCborMap answer = dispatch(nowMs, h, packet->payload);
        s::Header rh = h;
        rh.op = h.op == s::Op::Write ? s::Op::WriteResponse : s::Op::ReadResponse;
        return {s::encodePacket(rh, answer)};
    }

    // The reboot after a reset: swap a pending image in, or revert an unconfirmed one.
    void reboot()
    {
        uploadOff = 0;
        uploadLen = 0;
        uploadSha.clear();
        if (secondary.pending && !secondary.data.isEmpty()) {
            const bool permanent = secondary.permanent;
            std::swap(primary, secondary);
            primary.pending = false;
            primary.permanent = false;
            primary.confirmed = permanent;
            secondary.pending = false;
            secondary.permanent = false;
            if (!newImageBoots) {   // the new image crashed: MCUboot swaps back
                std::swap(primary, secondary);
                primary.confirmed = true;
            }
            return;
        }
        if (!primary.confirmed && !secondary.data.isEmpty()) {   // revert an unconfirmed test image
            std::swap(primary, secondary);
            primary.confirmed = true;
        }
    }

    static QByteArray hashOf(const QByteArray& image)
    {
        auto parsed = core::mcuboot::parseImage(image);
        if (!parsed)
            return {};
        const auto* tlv = parsed->findAny(core::mcuboot::TlvSha256);
        return tlv ? tlv->value : QByteArray();
    }
    static QString versionOf(const QByteArray& image)
    {
        auto parsed = core::mcuboot::parseImage(image);
        if (!parsed)
            return {};
        const auto& v = parsed->header.version;
        QString t = QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
        if (v.build)
            t += QStringLiteral(".%1").arg(v.build);
        return t;
    }

    s::ImageStateResponse state() const
    {
        s::ImageStateResponse r;
        s::ImageSlotState a;
        a.slot = 0;
        a.version = versionOf(primary.data);
        a.hash = hashOf(primary.data);
        a.bootable = true;
        a.active = true;
        a.confirmed = primary.confirmed;
        r.images.append(a);
        if (!hashOf(secondary.data).isEmpty() && uploadOff == uploadLen) {
            s::ImageSlotState b;
            b.slot = 1;
            b.version = versionOf(secondary.data);
            b.hash = hashOf(secondary.data);
            b.bootable = true;
            b.pending = secondary.pending;
            b.permanent = secondary.permanent;
            r.images.append(b);
        }
        return r;
    }

private:
    QCborMap imageError(int rc) { return s::errorPayloadV2(std::uint16_t(s::Group::Image), rc); }

    QCborMap dispatch(std::int64_t nowMs, const s::Header& h, const QCborMap& payload)
    {
        if (h.group == std::uint16_t(s::Group::Os)) {
            switch (h.command) {
            case s::os::Echo:
                return s::echoResponsePayload(payload.value(QStringLiteral("d")).toString());
            case s::os::McumgrParams:
                return paramsSupported ? s::paramsPayload(params) : s::errorPayloadV1(s::MgmtErr::NotSup);
            case s::os::Reset:
                ++resets;
                if (onReset)
                    onReset(nowMs);
                return {};
            default:
                return s::errorPayloadV1(s::MgmtErr::NotSup);
            }
        }
        if (h.group == std::uint16_t(s::Group::Image)) {
            switch (h.command) {
            case s::image::State:
                return h.op == s::Op::Write ? stateWrite(payload) : s::imageStatePayload(state());
            case s::image::Upload:
                return upload(payload);
            case s::image::Erase:
                secondary = Slot{};
                uploadOff = uploadLen = 0;
                uploadSha.clear();
                return {};
            default:
                return s::errorPayloadV1(s::MgmtErr::NotSup);
            }
        }
        return s::errorPayloadV1(s::MgmtErr::NotSup);
    }

    QCborMap stateWrite(const QCborMap& payload)
    {
        auto write = s::parseImageStateWriteRequest(payload);
        if (!write)
            return s::errorPayloadV1(s::MgmtErr::Inval);
        if (!write->hash) {
            if (write->confirm)
                primary.confirmed = true;
            return s::imageStatePayload(state());
        }
        if (*write->hash == hashOf(primary.data)) {
            if (write->confirm)
                primary.confirmed = true;
            return s::imageStatePayload(state());
        }
        if (*write->hash != hashOf(secondary.data))
            return imageError(8);   // IMG_MGMT_ERR_HASH_NOT_FOUND
        secondary.pending = true;
        secondary.permanent = write->confirm;
        return s::imageStatePayload(state());
    }

    QCborMap upload(const QCborMap& payload)
    {
        ++uploadRequests;
        if (refuseUploadRc)
            return imageError(*refuseUploadRc);
        auto chunk = s::parseUploadRequest(payload);
        if (!chunk)
            return s::errorPayloadV1(s::MgmtErr::Inval);
        if (chunk->offset == 0) {
            if (!chunk->totalLength)
                return imageError(21);   // IMG_MGMT_ERR_INVALID_LENGTH
            if (!chunk->sha.isEmpty() && chunk->sha == uploadSha && qint64(*chunk->totalLength) == uploadLen
                && uploadOff > 0) {
                ++resumesAnswered;
                return s::uploadResponsePayload({std::uint32_t(uploadOff), std::nullopt});
            }
            secondary = Slot{};
            uploadLen = *chunk->totalLength;
            uploadSha = chunk->sha;
            uploadOff = 0;
        } else if (qint64(chunk->offset) != uploadOff || uploadLen == 0) {
            return s::uploadResponsePayload({std::uint32_t(uploadOff), std::nullopt});
        }
        if (uploadOff + chunk->data.size() > uploadLen)
            return imageError(31);   // IMG_MGMT_ERR_INVALID_IMAGE_DATA_OVERRUN
        secondary.data.append(chunk->data);
        uploadOff += chunk->data.size();
        std::optional<bool> match;
        if (uploadOff == uploadLen && !uploadSha.isEmpty())
            match = QCryptographicHash::hash(secondary.data, QCryptographicHash::Sha256) == uploadSha;
        return s::uploadResponsePayload({std::uint32_t(uploadOff), match});
    }
};

} // namespace otalab::test::smp
