// SPDX-License-Identifier: Apache-2.0
// OtaPal: the platform abstraction the OTA agent (otaagent.h) drives, mirroring the
// FreeRTOS OTA library's OtaPalInterface_t (ota_platform_interface.h, v3.4.0): create the
// receive file, write blocks, close (= verify the code-signing signature), abort, activate,
// reset, set / get the platform image state. Status words are the library's
// OtaPalStatus_t: main code in the top 8 bits (0xe0..0xee), sub code in the low 24.
//
// Who implements it: the simulator (sim/jobs) with a PAL that only marks a received-block
// model and returns a cached signature verdict per image variant (no image bytes copied);
// the real CLI (target serve --mqtt) with a PAL that writes a file and runs
// FileSignatureVerifier over it with the job's certificate. Tests use an in-memory PAL.
//
// Threading: called only from inside OtaAgent's input functions, on the agent's thread.
// Rebooting is never done by the PAL: activateNewImage()/resetDevice() prepare the
// platform (boot flags, image state) and return; the agent then emits an AgentReboot
// action and the host restarts the device and calls OtaAgent::boot() later.
#pragma once

#include "core/awsota/jobdocument.h"
#include "core/common/error.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <expected>

namespace otalab::core::awsota {

// OtaPalMainStatus_t values (ota_platform_interface.h).
enum class PalStatus : std::uint8_t {
    Success = 0x00,
    Uninitialized = 0xe0,         // result not set by the PAL
    OutOfMemory = 0xe1,
    NullFileContext = 0xe2,
    SignatureCheckFailed = 0xe3,  // the file's signature did not verify
    RxFileCreateFailed = 0xe4,
    RxFileTooLarge = 0xe5,
    BootInfoCreateFailed = 0xe6,
    BadSignerCert = 0xe7,         // the signer certificate was unreadable or empty
    BadImageState = 0xe8,
    AbortFailed = 0xe9,
    RejectFailed = 0xea,
    CommitFailed = 0xeb,
    ActivateFailed = 0xec,
    FileAbort = 0xed,
    FileClose = 0xee,
};
// "signature check failed", "rx file create failed", ... (words for people).
QString palStatusWords(PalStatus status);

// A PAL failure: the library's status word plus words for people.
struct PalError {
    PalStatus status = PalStatus::Uninitialized;
    std::uint32_t subStatus = 0;  // low 24 bits used (e.g. an OpenSSL or errno value)
    QString detail;               // "ECDSA signature does not verify with certificate 'ota.crt'"

    // OTA_PAL_COMBINE_ERR(main, sub): (main << 24) | (sub & 0xffffff).
    std::uint32_t word() const { return (std::uint32_t(status) << 24) | (subStatus & 0xffffffu); }
    // "0xe3000000 signature check failed: <detail>"
    QString toString() const;
    otalab::Error toError() const { return otalab::Error::plain(toString()); }
};

template <typename T>
using PalResult = std::expected<T, PalError>;

inline std::unexpected<PalError> palFail(PalStatus status, QString detail = {}, std::uint32_t subStatus = 0)
{
    return std::unexpected<PalError>(PalError{status, subStatus, std::move(detail)});
}

// OtaImageState_t: what the agent asks the platform to make of the new image.
enum class ImageState : std::uint8_t {
    Unknown = 0,
    Testing = 1,   // booted into the new image, self-test running
    Accepted = 2,  // self-test passed: commit the new image
    Rejected = 3,  // self-test failed or bad image: the next reset boots the old image
    Aborted = 4,   // the transfer was abandoned
};
QString imageStateName(ImageState state);  // "Testing", "Accepted", ...

// OtaPalImageState_t: what the platform says about the running image.
enum class PalImageState : std::uint8_t {
    Unknown = 0,
    PendingCommit = 1,  // running a new image not yet accepted (self-test phase)
    Valid = 2,          // running a committed image
    Invalid = 3,        // the new image was rejected / is unusable
};
QString palImageStateName(PalImageState state);  // "PendingCommit", "Valid", ...

class OtaPal {
public:
    virtual ~OtaPal() = default;

    // otaPal_CreateFileForRx: open (create / truncate) the receive file for `file`
    // (file.filePath, file.fileSize bytes). RxFileTooLarge when it cannot fit.
    virtual PalResult<void> createFileForRx(const OtaFileInfo& file) = 0;
    // Not in the library: reopen the receive file of a download interrupted by a reboot or a
    // lost connection, keeping the blocks already written (the agent resumes from its
    // bitmap). A PAL that cannot keep them must fail (the agent then starts over with
    // createFileForRx).
    virtual PalResult<void> resumeFileForRx(const OtaFileInfo& file) = 0;
    // otaPal_WriteBlock: `data` at byte `offset` of the receive file. The view is only
    // valid during the call (it may point into a shared image): copy if you keep it.
    virtual PalResult<void> writeBlock(const OtaFileInfo& file, std::uint32_t offset, QByteArrayView data) = 0;
    // otaPal_CloseFile: all blocks are in; verify file.signature (DER ECDSA over SHA-256 of
    // the whole file) with the certificate file.certFile and close. SignatureCheckFailed /
    // BadSignerCert / FileClose on failure; the agent never activates such a file.
    virtual PalResult<void> closeFile(const OtaFileInfo& file) = 0;
    // otaPal_Abort: stop the transfer and discard the receive file (no-op when none is open).
    virtual PalResult<void> abort(const OtaFileInfo& file) = 0;
    // otaPal_ActivateNewImage: make the verified file the next boot image (pending commit).
    // Success means "ready to reboot"; the agent emits AgentReboot{Activate}.
    virtual PalResult<void> activateNewImage(const OtaFileInfo& file) = 0;
    // otaPal_ResetDevice: prepare a reset (after Rejected this boots the old image).
    // The agent emits AgentReboot with the reason.
    virtual PalResult<void> resetDevice() = 0;
    // otaPal_SetPlatformImageState.
    virtual PalResult<void> setPlatformImageState(ImageState state) = 0;
    // otaPal_GetPlatformImageState.
    virtual PalImageState getPlatformImageState() const = 0;
};

} // namespace otalab::core::awsota
