// SPDX-License-Identifier: Apache-2.0
// FileOtaPal: the OTA platform layer of the emulated device (`otalab-cli target serve
// --mqtt`): the received file, the boot flags and the running image are files in one
// folder, so a restarted process finds its half-downloaded file and its pending image.
//
// Folder layout (all written atomically except the receive file, which is written in place
// block by block like flash):
//   receive.bin    the file being downloaded (created at its full size, zero-filled)
//   receive.json   {"fileId", "fileSize", "filePath", "signature"} of that download
//   pending.bin    the verified image activated for the next boot (self-test pending)
//   firmware.bin   the running, committed image (absent: the factory image)
//   platform.json  {"imageState": "Testing" | "Accepted" | "Rejected" | "Aborted" | "Unknown"}
//
// Threading: the agent's thread (called from inside OtaAgent's inputs).
#pragma once

#include "core/awsota/otapal.h"

#include <QString>

#include <functional>

namespace otalab::hw::awsota {

class FileOtaPal final : public core::awsota::OtaPal {
public:
    // certificateOverride: a PEM certificate file used to check every signature (the
    // device's provisioned code-signing certificate); empty: the job's certfile, read as
    // a path (relative paths from `dir`).
    FileOtaPal(QString dir, QString certificateOverride);

    const QString& dir() const { return m_dir; }
    QString path(const QString& name) const;

    core::awsota::PalResult<void> createFileForRx(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> resumeFileForRx(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> writeBlock(const core::awsota::OtaFileInfo& file, std::uint32_t offset,
                                             QByteArrayView data) override;
    core::awsota::PalResult<void> closeFile(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> abort(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> activateNewImage(const core::awsota::OtaFileInfo& file) override;
    core::awsota::PalResult<void> resetDevice() override;
    core::awsota::PalResult<void> setPlatformImageState(core::awsota::ImageState state) override;
    core::awsota::PalImageState getPlatformImageState() const override;

    // What the host shows: SHA-256 prefix (16 hex digits) of the running image and of the
    // pending one ("factory" when there is no firmware.bin; empty when nothing pends).
    QString runningImageId() const;
    QString pendingImageId() const;
    bool hasPendingImage() const;
    core::awsota::ImageState storedImageState() const;
    // Called once for each verified file with the signature verdict (for the host's log).
    void setLog(std::function<void(const QString&)> log) { m_log = std::move(log); }

private:
    void log(const QString& line) const;
    core::awsota::PalResult<void> writeState(core::awsota::ImageState state);

    QString m_dir;
    QString m_certificateOverride;
    std::function<void(const QString&)> m_log;
};

} // namespace otalab::hw::awsota
