// SPDX-License-Identifier: Apache-2.0
// The emulated device's file-backed OTA PAL (see the header).
#include "app/hw/awsota_file_pal.h"

#include "core/awsota/codesigning.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace otalab::hw::awsota {

using core::awsota::ImageState;
using core::awsota::OtaFileInfo;
using core::awsota::PalImageState;
using core::awsota::PalResult;
using core::awsota::PalStatus;
using core::awsota::palFail;

namespace {

const QString kReceive = QStringLiteral("receive.bin");
const QString kReceiveInfo = QStringLiteral("receive.json");
const QString kPending = QStringLiteral("pending.bin");
const QString kFirmware = QStringLiteral("firmware.bin");
const QString kPlatform = QStringLiteral("platform.json");

bool writeAtomic(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size() && f.commit();
}

QJsonObject receiveInfo(const OtaFileInfo& file)
{
    return QJsonObject{{QStringLiteral("fileId"), double(file.fileId)},
                       {QStringLiteral("fileSize"), double(file.fileSize)},
                       {QStringLiteral("filePath"), file.filePath},
                       {QStringLiteral("signature"), QString::fromLatin1(file.signature.toBase64())}};
}

QString imageIdOf(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace

FileOtaPal::FileOtaPal(QString dir, QString certificateOverride)
    : m_dir(std::move(dir)), m_certificateOverride(std::move(certificateOverride))
{
    QDir().mkpath(m_dir);
}

QString FileOtaPal::path(const QString& name) const { return QDir(m_dir).filePath(name); }

void FileOtaPal::log(const QString& line) const
{
    if (m_log)
        m_log(line);
}

PalResult<void> FileOtaPal::createFileForRx(const OtaFileInfo& file)
{
    QFile f(path(kReceive));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("cannot create %1: %2").arg(f.fileName(), f.errorString()));
    if (!f.resize(file.fileSize))
        return palFail(PalStatus::RxFileTooLarge, QStringLiteral("cannot make %1 %2 bytes long: %3")
                                                      .arg(f.fileName()).arg(file.fileSize).arg(f.errorString()));
    f.close();
    if (!writeAtomic(path(kReceiveInfo), QJsonDocument(receiveInfo(file)).toJson(QJsonDocument::Compact)))
        return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("cannot write %1").arg(path(kReceiveInfo)));
    return {};
}

PalResult<void> FileOtaPal::resumeFileForRx(const OtaFileInfo& file)
{
    QFile info(path(kReceiveInfo));
    if (!info.open(QIODevice::ReadOnly))
        return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("no interrupted download to resume"));
    if (QJsonDocument::fromJson(info.readAll()).object() != receiveInfo(file))
        return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("the interrupted download was another file"));
    if (QFileInfo(path(kReceive)).size() != qint64(file.fileSize))
        return palFail(PalStatus::RxFileCreateFailed, QStringLiteral("%1 is not %2 bytes long").arg(path(kReceive)).arg(file.fileSize));
    return {};
}

PalResult<void> FileOtaPal::writeBlock(const OtaFileInfo& file, std::uint32_t offset, QByteArrayView data)
{
    if (qint64(offset) + data.size() > qint64(file.fileSize))
        return palFail(PalStatus::RxFileTooLarge, QStringLiteral("block at %1 (+%2) is past the file's %3 bytes")
                                                      .arg(offset).arg(data.size()).arg(file.fileSize));
    QFile f(path(kReceive));
    if (!f.open(QIODevice::ReadWrite) || !f.seek(offset) || f.write(data.data(), data.size()) != data.size())
        return palFail(PalStatus::NullFileContext, QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

PalResult<void> FileOtaPal::closeFile(const OtaFileInfo& file)
{
    QString certPath = m_certificateOverride;
    if (certPath.isEmpty())
        certPath = QDir(m_dir).absoluteFilePath(file.certFile);
    QFile cert(certPath);
    if (certPath.isEmpty() || !cert.open(QIODevice::ReadOnly))
        return palFail(PalStatus::BadSignerCert, QStringLiteral("cannot read the code-signing certificate '%1'").arg(certPath));
    const QByteArray certificate = cert.readAll();
    QFile f(path(kReceive));
    if (!f.open(QIODevice::ReadOnly))
        return palFail(PalStatus::FileClose, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
    core::awsota::FileSignatureVerifier verifier;
    while (!f.atEnd())
        verifier.update(f.read(64 * 1024));
    auto verdict = verifier.finish(file.signature, certificate);
    if (!verdict) {
        const auto kind = core::awsota::signatureFailureOf(verdict.error());
        const PalStatus status = kind == core::awsota::SignatureFailure::BadCertificate
                                         || kind == core::awsota::SignatureFailure::NotP256
                                     ? PalStatus::BadSignerCert
                                     : PalStatus::SignatureCheckFailed;
        log(QStringLiteral("signature check FAILED with %1: %2").arg(QFileInfo(certPath).fileName(), verdict.error().message));
        return palFail(status, verdict.error().message);
    }
    log(QStringLiteral("signature verified with %1 (%2 bytes)").arg(QFileInfo(certPath).fileName()).arg(verifier.bytesHashed()));
    return {};
}

PalResult<void> FileOtaPal::abort(const OtaFileInfo&)
{
    QFile::remove(path(kReceive));
    QFile::remove(path(kReceiveInfo));
    return {};
}

PalResult<void> FileOtaPal::activateNewImage(const OtaFileInfo&)
{
    QFile::remove(path(kPending));
    if (!QFile::rename(path(kReceive), path(kPending)))
        return palFail(PalStatus::ActivateFailed, QStringLiteral("cannot move the received file to %1").arg(path(kPending)));
    QFile::remove(path(kReceiveInfo));
    return writeState(ImageState::Unknown);   // a fresh pending image: no verdict yet
}

PalResult<void> FileOtaPal::resetDevice() { return {}; }

PalResult<void> FileOtaPal::writeState(ImageState state)
{
    const QJsonObject json{{QStringLiteral("imageState"), core::awsota::imageStateName(state)}};
    if (!writeAtomic(path(kPlatform), QJsonDocument(json).toJson(QJsonDocument::Compact)))
        return palFail(PalStatus::BadImageState, QStringLiteral("cannot write %1").arg(path(kPlatform)));
    return {};
}

PalResult<void> FileOtaPal::setPlatformImageState(ImageState state)
{
    switch (state) {
    case ImageState::Accepted:
        if (hasPendingImage()) {
            QFile::remove(path(kFirmware));
            if (!QFile::rename(path(kPending), path(kFirmware)))
                return palFail(PalStatus::CommitFailed, QStringLiteral("cannot commit %1").arg(path(kPending)));
        }
        break;
    case ImageState::Rejected:
    case ImageState::Aborted:
        QFile::remove(path(kPending));   // the old image keeps running / boots again
        QFile::remove(path(kReceive));
        QFile::remove(path(kReceiveInfo));
        break;
    case ImageState::Testing:
    case ImageState::Unknown:
        break;
    }
    return writeState(state);
}

ImageState FileOtaPal::storedImageState() const
{
    QFile f(path(kPlatform));
    if (!f.open(QIODevice::ReadOnly))
        return ImageState::Unknown;
    const QString name = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("imageState")).toString();
    for (ImageState s : {ImageState::Testing, ImageState::Accepted, ImageState::Rejected, ImageState::Aborted})
        if (core::awsota::imageStateName(s) == name)
            return s;
    return ImageState::Unknown;
}

PalImageState FileOtaPal::getPlatformImageState() const
{
    // As the POSIX PAL: an activated image not yet accepted or rejected → PendingCommit,
    // Accepted → Valid, Rejected/Aborted → Invalid.
    const ImageState state = storedImageState();
    if (hasPendingImage() && state != ImageState::Rejected && state != ImageState::Aborted)
        return PalImageState::PendingCommit;
    switch (state) {
    case ImageState::Testing: return PalImageState::Invalid;   // testing, but the image is gone
    case ImageState::Accepted: return PalImageState::Valid;
    case ImageState::Rejected:
    case ImageState::Aborted: return PalImageState::Invalid;
    case ImageState::Unknown: break;
    }
    return PalImageState::Valid;   // a factory device runs a valid image
}

bool FileOtaPal::hasPendingImage() const { return QFileInfo::exists(path(kPending)); }

QString FileOtaPal::runningImageId() const
{
    const QString id = imageIdOf(path(kFirmware));
    return id.isEmpty() ? QStringLiteral("factory") : id;
}

QString FileOtaPal::pendingImageId() const { return imageIdOf(path(kPending)); }

} // namespace otalab::hw::awsota
