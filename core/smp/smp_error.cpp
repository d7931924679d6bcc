// SPDX-License-Identifier: Apache-2.0
// SMP error payloads (v1 "rc", v2 "err") and their names/advice. Group codes follow
// Zephyr's img_mgmt.h (IMG_MGMT_ERR_*) and os_mgmt.h (OS_MGMT_ERR_*).
#include "core/smp/smp_error.h"

#include "core/smp/smp_groups.h"

#include <QCborValue>

#include <algorithm>
#include <array>
#include <limits>

namespace otalab::core::smp {

namespace {

struct Code {
    const char* name;
    const char* words;    // what the board says, in plain words
    const char* advice;   // what to do; may be empty
};

constexpr std::array<Code, 14> kMgmt{{
    {"MGMT_ERR_EOK", "success", ""},
    {"MGMT_ERR_EUNKNOWN", "the board reported an unknown error", "check the board's log output"},
    {"MGMT_ERR_ENOMEM", "the board ran out of memory", "use smaller chunks or packets (lower the MTU)"},
    {"MGMT_ERR_EINVAL", "the board rejected a value in the request", "check the command's arguments"},
    {"MGMT_ERR_ETIMEOUT", "the operation timed out on the board", "retry"},
    {"MGMT_ERR_ENOENT", "the board has no such entry", "check the name, slot or hash"},
    {"MGMT_ERR_EBADSTATE", "the board's current state does not allow this command",
     "read the image state and resolve pending or unconfirmed images first"},
    {"MGMT_ERR_EMSGSIZE", "the response would be too large for the board's buffer",
     "use smaller chunks (lower the MTU or chunk size)"},
    {"MGMT_ERR_ENOTSUP", "the board does not support this command",
     "enable the command's group in the firmware (Kconfig CONFIG_MCUMGR_GRP_*)"},
    {"MGMT_ERR_ECORRUPT", "the board found corrupt data", "upload the image again"},
    {"MGMT_ERR_EBUSY", "the board is busy with another command", "wait and retry"},
    {"MGMT_ERR_EACCESSDENIED", "the board denied access", "check the board's security settings"},
    {"MGMT_ERR_UNSUPPORTED_TOO_OLD", "the board does not support this SMP protocol version (too old)",
     "use SMP version 2"},
    {"MGMT_ERR_UNSUPPORTED_TOO_NEW", "the board does not support this SMP protocol version (too new)",
     "use SMP version 1"},
}};

constexpr std::array<Code, 35> kImage{{
    {"IMG_MGMT_ERR_OK", "success", ""},
    {"IMG_MGMT_ERR_UNKNOWN", "the image manager reported an unknown error", "check the board's log output"},
    {"IMG_MGMT_ERR_FLASH_CONFIG_QUERY_FAIL", "the board could not query its flash configuration",
     "check the board's flash partitions"},
    {"IMG_MGMT_ERR_NO_IMAGE", "there is no image in that slot", "upload an image first"},
    {"IMG_MGMT_ERR_NO_TLVS", "the image in the slot has no TLV area", "upload a signed MCUboot image"},
    {"IMG_MGMT_ERR_INVALID_TLV", "the image in the slot has an invalid TLV",
     "rebuild and sign the image, then upload it again"},
    {"IMG_MGMT_ERR_TLV_MULTIPLE_HASHES_FOUND", "the image in the slot has more than one hash TLV",
     "rebuild and sign the image, then upload it again"},
    {"IMG_MGMT_ERR_TLV_INVALID_SIZE", "the image in the slot has a TLV of invalid size",
     "rebuild and sign the image, then upload it again"},
    {"IMG_MGMT_ERR_HASH_NOT_FOUND", "no image with that hash is on the board",
     "list the images and use the hash the board reports (the MCUboot SHA256 TLV)"},
    {"IMG_MGMT_ERR_NO_FREE_SLOT", "the board has no free slot for the image",
     "erase the secondary slot or confirm the running image first"},
    {"IMG_MGMT_ERR_FLASH_OPEN_FAILED", "the board could not open the flash area", "check the board's flash partitions"},
    {"IMG_MGMT_ERR_FLASH_READ_FAILED", "the board could not read its flash", "check the board's flash"},
    {"IMG_MGMT_ERR_FLASH_WRITE_FAILED", "the board could not write its flash",
     "erase the slot and upload again"},
    {"IMG_MGMT_ERR_FLASH_ERASE_FAILED", "the board could not erase its flash", "retry the erase"},
    {"IMG_MGMT_ERR_INVALID_SLOT", "that slot does not exist on the board", "list the slots and pick a valid one"},
    {"IMG_MGMT_ERR_NO_FREE_MEMORY", "the board ran out of heap memory", "reset the board and retry"},
    {"IMG_MGMT_ERR_FLASH_CONTEXT_ALREADY_SET", "the board's flash write context is already in use",
     "reset the board and retry the upload"},
    {"IMG_MGMT_ERR_FLASH_CONTEXT_NOT_SET", "the board's flash write context is not set",
     "restart the upload from offset 0"},
    {"IMG_MGMT_ERR_FLASH_AREA_DEVICE_NULL", "the board has no flash device for that area",
     "check the board's flash partitions"},
    {"IMG_MGMT_ERR_INVALID_PAGE_OFFSET", "the upload offset is not valid for a flash page",
     "restart the upload from offset 0"},
    {"IMG_MGMT_ERR_INVALID_OFFSET", "the upload request has no or a wrong offset", "restart the upload from offset 0"},
    {"IMG_MGMT_ERR_INVALID_LENGTH", "the first upload chunk has no image length",
     "restart the upload; the first chunk must carry \"len\""},
    {"IMG_MGMT_ERR_INVALID_IMAGE_HEADER", "the upload is shorter than an MCUboot image header",
     "upload a complete MCUboot image"},
    {"IMG_MGMT_ERR_INVALID_IMAGE_HEADER_MAGIC", "the file is not an MCUboot image (bad header magic)",
     "sign the firmware with imgtool or otalab before uploading"},
    {"IMG_MGMT_ERR_INVALID_HASH", "the hash in the request is not valid",
     "pass the 32-byte image hash the board lists"},
    {"IMG_MGMT_ERR_INVALID_FLASH_ADDRESS", "the image's load address does not match the slot",
     "build the image for this board's slot layout"},
    {"IMG_MGMT_ERR_VERSION_GET_FAILED", "the board could not read the running image's version",
     "upload without the upgrade-only check"},
    {"IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER", "the running image is newer than the upload (downgrade refused)",
     "raise the image version or upload without the upgrade-only check"},
    {"IMG_MGMT_ERR_IMAGE_ALREADY_PENDING", "another image is already pending for the next boot",
     "reset the board to boot it, or confirm the running image first"},
    {"IMG_MGMT_ERR_INVALID_IMAGE_VECTOR_TABLE", "the image's vector table is invalid",
     "build the image for this board"},
    {"IMG_MGMT_ERR_INVALID_IMAGE_TOO_LARGE", "the image is too large for the slot",
     "make the image smaller or enlarge the slot"},
    {"IMG_MGMT_ERR_INVALID_IMAGE_DATA_OVERRUN", "more data was sent than the announced image length",
     "restart the upload from offset 0"},
    {"IMG_MGMT_ERR_IMAGE_CONFIRMATION_DENIED", "the board refused to confirm that image",
     "confirm only the running image"},
    {"IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED", "the running image cannot be marked for test",
     "test the image in the other slot"},
    {"IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN", "the board cannot tell which slot is active",
     "check the bootloader mode and the board's log"},
}};

constexpr std::array<Code, 8> kOs{{
    {"OS_MGMT_ERR_OK", "success", ""},
    {"OS_MGMT_ERR_UNKNOWN", "the OS group reported an unknown error", "check the board's log output"},
    {"OS_MGMT_ERR_INVALID_FORMAT", "the info format string is not valid", "use format letters such as \"a\" or \"sv\""},
    {"OS_MGMT_ERR_QUERY_YIELDS_NO_ANSWER", "the board did not recognise the query", "check the query"},
    {"OS_MGMT_ERR_RTC_NOT_SET", "the board's real-time clock is not set", "set the date-time first"},
    {"OS_MGMT_ERR_RTC_COMMAND_FAILED", "the board's real-time clock command failed", "retry"},
    {"OS_MGMT_ERR_QUERY_RESPONSE_VALUE_NOT_VALID", "the board has no valid value for that query", "check the query"},
    {"OS_MGMT_ERR_HEAP_STATS_FETCH_FAILED", "the board could not read its heap statistics", "retry"},
}};

template <std::size_t N>
const Code* lookup(const std::array<Code, N>& table, int rc)
{
    return rc >= 0 && std::size_t(rc) < N ? &table[std::size_t(rc)] : nullptr;
}

const Code* codeFor(const DeviceError& error)
{
    if (!error.group)
        return lookup(kMgmt, error.rc);
    if (*error.group == int(Group::Image))
        return lookup(kImage, error.rc);
    if (*error.group == int(Group::Os))
        return lookup(kOs, error.rc);
    return nullptr;
}

std::optional<qint64> integerField(const QCborMap& map, QLatin1StringView key)
{
    const QCborValue v = map.value(key);
    if (!v.isInteger())
        return std::nullopt;
    return v.toInteger();
}

int clampInt(qint64 v)
{
    return int(std::clamp<qint64>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

} // namespace

std::optional<DeviceError> responseError(const QCborMap& payload)
{
    DeviceError error;
    error.reason = payload.value(QLatin1StringView("rsn")).toString();
    const QCborValue err = payload.value(QLatin1StringView("err"));
    if (err.isMap()) {
        const QCborMap e = err.toMap();
        const auto rc = integerField(e, QLatin1StringView("rc"));
        if (!rc || *rc == 0)
            return std::nullopt;
        error.rc = clampInt(*rc);
        error.group = clampInt(integerField(e, QLatin1StringView("group")).value_or(0));
        if (error.reason.isEmpty())
            error.reason = e.value(QLatin1StringView("rsn")).toString();
        return error;
    }
    const auto rc = integerField(payload, QLatin1StringView("rc"));
    if (!rc || *rc == 0)
        return std::nullopt;
    error.rc = clampInt(*rc);
    return error;
}

QCborMap errorPayloadV1(MgmtErr rc)
{
    QCborMap map;
    map.insert(QLatin1StringView("rc"), int(rc));
    return map;
}

QCborMap errorPayloadV2(std::uint16_t group, int rc)
{
    QCborMap inner;
    inner.insert(QLatin1StringView("group"), group);
    inner.insert(QLatin1StringView("rc"), rc);
    QCborMap map;
    map.insert(QLatin1StringView("err"), inner);
    return map;
}

QString errorName(const DeviceError& error)
{
    if (const Code* code = codeFor(error))
        return QLatin1StringView(code->name);
    if (error.group)
        return QStringLiteral("%1 group rc %2").arg(groupName(std::uint16_t(*error.group))).arg(error.rc);
    if (error.rc >= 256)   // MGMT_ERR_EPERUSER: application-defined codes
        return QStringLiteral("MGMT_ERR_EPERUSER+%1").arg(error.rc - 256);
    return QStringLiteral("rc %1").arg(error.rc);
}

QString describeError(const DeviceError& error)
{
    const QString name = errorName(error);
    QString text;
    if (const Code* code = codeFor(error)) {
        text = QStringLiteral("%1 (%2)").arg(QLatin1StringView(code->words), name);
        if (*code->advice)
            text += QStringLiteral(": ") + QLatin1StringView(code->advice);
    } else if (error.group) {
        text = QStringLiteral("the board's %1 group refused the command with its own code %2 (%3): "
                              "see the firmware's documentation of that group")
                   .arg(groupName(std::uint16_t(*error.group))).arg(error.rc).arg(name);
    } else {
        text = QStringLiteral("the board refused the command with an unknown code (%1): check the board's log output")
                   .arg(name);
    }
    if (!error.reason.isEmpty())
        text += QStringLiteral(" — the board says: \"%1\"").arg(error.reason);
    return text;
}

} // namespace otalab::core::smp
