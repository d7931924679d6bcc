// SPDX-License-Identifier: Apache-2.0
// The image management group of a Zephyr SMP server running on a simulated MCUboot board
// (subsys/mgmt/mcumgr/grp/img_mgmt: img_mgmt.c, img_mgmt_state.c, zephyr_img_mgmt.c):
// image state read/write, upload with resume, erase and slot info, single image (image 0).
// Upload progress lives in RAM (g_img_mgmt_state): a board reset forgets it, the bytes
// already in the slot stay, and a new upload with the same "sha" then starts from 0.
#pragma once

#include "core/mcuboot/boot_loader.h"
#include "core/smp/server_errors.h"

#include <QCborMap>
#include <array>
#include <optional>

namespace otalab::core::smp {

struct ImageServerConfig {
    bool imageCheck = true;            // CONFIG_IMG_ENABLE_IMAGE_CHECK: "match" on the last chunk
    bool allowErasePending = false;    // CONFIG_MCUMGR_GRP_IMG_ALLOW_ERASE_PENDING
    bool compareBuildNumber = false;   // CONFIG_MCUMGR_GRP_IMG_VERSION_CMP_USE_BUILD_NUMBER
    bool legacyRc = false;             // CONFIG_MCUMGR_SMP_LEGACY_RC_BEHAVIOUR: "rc": 0 on success
    bool slotInfo = true;              // CONFIG_MCUMGR_GRP_IMG_SLOT_INFO (command 6)
    std::optional<std::uint32_t> maxImageSize;   // CONFIG_MCUMGR_GRP_IMG_TOO_LARGE_*: bigger uploads refused
    int writeBlockBytes = 512;         // CONFIG_IMG_BLOCK_BUF_SIZE: flash_img buffers this much before writing
};

// What one handler produced: either a MGMT_ERR code (the whole answer becomes {"rc": n})
// or a body, possibly with a group error added by smp_add_cmd_err().
struct HandlerReply {
    int mgmtRc = 0;
    QCborMap body;
    std::optional<int> groupError;   // group code, set when body carries "err"
    std::uint16_t errorGroup = 1;    // the group of groupError (image)
};

// One flag set of Zephyr's state read for a slot.
struct SlotFlags {
    bool active = false;
    bool pending = false;
    bool confirmed = false;
    bool permanent = false;
};

class ImageServer {
public:
    ImageServer(mcuboot::BootLoader& board, ImageServerConfig config);

    // Handlers; `payload` is the request's CBOR bytes.
    HandlerReply stateRead();
    HandlerReply stateWrite(QByteArrayView payload);
    HandlerReply upload(QByteArrayView payload);
    HandlerReply erase(QByteArrayView payload);
    HandlerReply slotInfo();

    // The board was reset: the upload state in RAM is gone.
    void forgetUpload();
    // Upload state, for tests and the simulator's views.
    bool uploadInProgress() const { return m_upload.slot >= 0; }
    std::uint32_t uploadOffset() const { return m_upload.offset; }

    // img_mgmt_read_info(): version, SHA256 TLV value and header flags of a slot's image.
    struct Info {
        mcuboot::ImageVersion version;
        QByteArray hash;
        std::uint32_t flags = 0;
    };
    struct InfoResult {
        ImgMgmtErr rc = ImgMgmtErr::Ok;
        Info info;
    };
    InfoResult readInfo(int slot) const;
    // The per-slot flags a state read reports (image 0): index = slot.
    std::array<SlotFlags, 2> stateFlags() const;
    int activeSlot() const;

    enum class NextBootType { Normal, Test, Revert };
    int nextBootSlot(NextBootType* type) const;
    bool slotInUse(int slot) const;

private:
    struct Upload {
        int slot = -1;                // flash area being written; -1 = no upload
        std::uint32_t offset = 0;     // next expected offset
        std::uint32_t size = 0;
        QByteArray sha;               // as the client sent it (0..32 bytes)
        QByteArray pending;           // flash_img buffer not yet written
        qint64 flushed = 0;           // bytes written to flash so far
    };

    bool isDirectXip() const;
    int vercmp(const mcuboot::ImageVersion& a, const mcuboot::ImageVersion& b) const;
    ImgMgmtErr setNextBootSlot(int slot, bool confirm);
    ImgMgmtErr eraseSlot(int slot);
    ImgMgmtErr eraseImageData(std::uint32_t size);
    bool writeImageData(std::uint32_t offset, const QByteArray& data, bool last);
    bool slotMatches(int slot, std::uint32_t size, const QByteArray& sha) const;
    void addStateTo(QCborMap& body) const;
    static HandlerReply groupError(ImgMgmtErr code);

    mcuboot::BootLoader& m_board;
    ImageServerConfig m_config;
    Upload m_upload;
};

} // namespace otalab::core::smp
