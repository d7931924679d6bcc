// SPDX-License-Identifier: Apache-2.0
// Error codes a Zephyr SMP server answers with: group codes of the image and OS groups
// (include/zephyr/mgmt/mcumgr/grp/img_mgmt/img_mgmt.h, os_mgmt.h) and their translation to
// the v1 MGMT_ERR codes (img_mgmt_translate_error_code(), os_mgmt_translate_error_code()).
#pragma once

#include "core/smp/smp_error.h"

#include <cstdint>

namespace otalab::core::smp {

enum class ImgMgmtErr : int {
    Ok = 0,
    Unknown = 1,
    FlashConfigQueryFail = 2,
    NoImage = 3,
    NoTlvs = 4,
    InvalidTlv = 5,
    TlvMultipleHashesFound = 6,
    TlvInvalidSize = 7,
    HashNotFound = 8,
    NoFreeSlot = 9,
    FlashOpenFailed = 10,
    FlashReadFailed = 11,
    FlashWriteFailed = 12,
    FlashEraseFailed = 13,
    InvalidSlot = 14,
    NoFreeMemory = 15,
    FlashContextAlreadySet = 16,
    FlashContextNotSet = 17,
    FlashAreaDeviceNull = 18,
    InvalidPageOffset = 19,
    InvalidOffset = 20,
    InvalidLength = 21,
    InvalidImageHeader = 22,
    InvalidImageHeaderMagic = 23,
    InvalidHash = 24,
    InvalidFlashAddress = 25,
    VersionGetFailed = 26,
    CurrentVersionIsNewer = 27,
    ImageAlreadyPending = 28,
    InvalidImageVectorTable = 29,
    InvalidImageTooLarge = 30,
    InvalidImageDataOverrun = 31,
    ImageConfirmationDenied = 32,
    ImageSettingTestToActiveDenied = 33,
    ActiveSlotNotKnown = 34,
};

enum class OsMgmtErr : int {
    Ok = 0,
    Unknown = 1,
    InvalidFormat = 2,
    QueryYieldsNoAnswer = 3,
    RtcNotSet = 4,
    RtcCommandFailed = 5,
};

// The v1 {"rc"} code a v1 request gets for a group error (unknown groups: EUNKNOWN).
inline MgmtErr translateToV1(std::uint16_t group, int code)
{
    if (group == 1) {   // image
        switch (ImgMgmtErr(code)) {
        case ImgMgmtErr::NoImage:
        case ImgMgmtErr::NoTlvs:
            return MgmtErr::NoEnt;
        case ImgMgmtErr::NoFreeSlot:
        case ImgMgmtErr::CurrentVersionIsNewer:
        case ImgMgmtErr::ImageAlreadyPending:
            return MgmtErr::BadState;
        case ImgMgmtErr::NoFreeMemory:
            return MgmtErr::NoMem;
        case ImgMgmtErr::InvalidSlot:
        case ImgMgmtErr::InvalidPageOffset:
        case ImgMgmtErr::InvalidOffset:
        case ImgMgmtErr::InvalidLength:
        case ImgMgmtErr::InvalidImageHeader:
        case ImgMgmtErr::InvalidHash:
        case ImgMgmtErr::InvalidFlashAddress:
            return MgmtErr::Inval;
        default:
            return MgmtErr::Unknown;
        }
    }
    if (group == 0) {   // os
        switch (OsMgmtErr(code)) {
        case OsMgmtErr::InvalidFormat:
            return MgmtErr::Inval;
        case OsMgmtErr::QueryYieldsNoAnswer:
        case OsMgmtErr::RtcNotSet:
            return MgmtErr::NoEnt;
        default:
            return MgmtErr::Unknown;
        }
    }
    return MgmtErr::Unknown;
}

} // namespace otalab::core::smp
