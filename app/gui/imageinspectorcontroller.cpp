// SPDX-License-Identifier: Apache-2.0
// Loads image files and keys for the Image Inspector and runs the inspection.
#include "imageinspectorcontroller.h"

#include "guistyle.h"
#include "imagekeyfit.h"
#include "core/image/decryption_key.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace otalab::app {

using core::image::Inspection;

ImageInspectorController::ImageInspectorController(QObject* parent, Inspector inspector)
    : QObject(parent),
      m_inspector(inspector ? std::move(inspector)
                            : Inspector([](const QByteArray& data, const core::image::VerifyOptions& options) {
                                  return core::image::inspect(data, options);
                              }))
{
}

QString ImageInspectorController::fileName() const
{
    return QFileInfo(m_filePath).fileName();
}

void ImageInspectorController::fail(const QString& message)
{
    m_loadError = message;
    Q_EMIT loadFailed(message);
}

bool ImageInspectorController::open(const QString& path)
{
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        fail(tr("Cannot open %1: it is a folder, not an image file").arg(shown));
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        fail(tr("Cannot open %1: %2").arg(shown, file.errorString()));
        return false;
    }
    if (file.size() > MaxFileSize) {
        fail(tr("Cannot open %1: %2 is larger than the %3 an OTA image can be")
                 .arg(shown, byteCount(file.size()), byteCount(MaxFileSize)));
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        fail(tr("Cannot read %1: %2").arg(shown, file.errorString()));
        return false;
    }
    m_filePath = path;
    m_loadError.clear();
    m_inspection = std::make_shared<const Inspection>(inspectWithFittingKeys(bytes));
    Q_EMIT inspectionChanged();
    Q_EMIT fileOpened(path);
    return true;
}

Inspection ImageInspectorController::inspectWithFittingKeys(const QByteArray& bytes)
{
    core::image::VerifyOptions options = m_options;
    options.verificationKeys.clear();
    m_keyUses.clear();
    QStringList leftOut;
    for (std::size_t i = 0; i < m_verificationKeys.size(); ++i) {
        const KeyFit fit = keyFitsImage(bytes, m_verificationKeys[i]);
        const QString path = m_verificationKeyPaths.value(qsizetype(i));
        m_keyUses.push_back({path, fit.fits, fit.why});
        if (fit.fits)
            options.verificationKeys.push_back(m_verificationKeys[i]);
        else
            leftOut.append(tr("%1 (%2)").arg(QFileInfo(path).fileName(), fit.why));
    }
    Inspection inspection = m_inspector(bytes, options);
    // A signature no loaded key could check: say which keys were left out and why, so
    // "unchecked" is not mistaken for "no key loaded".
    if (!leftOut.isEmpty() && options.verificationKeys.empty() && inspection.signature.state == core::image::CheckState::Unchecked) {
        QString& detail = inspection.signature.detail;
        // The parsers say "no key given"; keys were given, they just do not fit.
        for (const QString& phrase : {QStringLiteral(", no verification key given"), QStringLiteral("; no key given to check it")})
            detail.remove(phrase);
        detail += tr("; none of the loaded keys fits this file: %1").arg(leftOut.join(QStringLiteral(", ")));
    }
    return inspection;
}

bool ImageInspectorController::reload()
{
    return !m_filePath.isEmpty() && open(m_filePath);
}

void ImageInspectorController::setInspection(const QString& path, Inspection inspection)
{
    m_filePath = path;
    m_loadError.clear();
    m_keyUses.clear();  // made elsewhere: none of the loaded keys took part
    for (const QString& key : std::as_const(m_verificationKeyPaths))
        m_keyUses.push_back({key, false, tr("this inspection was made without the inspector's keys")});
    m_inspection = std::make_shared<const Inspection>(std::move(inspection));
    Q_EMIT inspectionChanged();
    Q_EMIT fileOpened(path);
}

int ImageInspectorController::setVerificationKeys(const QStringList& paths)
{
    m_verificationKeys.clear();
    m_verificationKeyPaths.clear();
    QStringList failures;
    for (const QString& path : paths) {
        auto key = core::crypto::PKey::fromFile(path);
        if (!key) {
            failures.append(tr("Cannot use key %1: %2").arg(QDir::toNativeSeparators(path), key.error().toString()));
            continue;
        }
        m_verificationKeys.push_back(std::move(*key));
        m_verificationKeyPaths.append(path);
    }
    Q_EMIT keysChanged();
    if (!m_filePath.isEmpty())
        reload();
    if (!failures.isEmpty())
        fail(failures.join(QLatin1Char('\n')));
    return int(m_verificationKeyPaths.size());
}

bool ImageInspectorController::setDecryptionKey(const QString& path)
{
    if (path.isEmpty()) {
        m_options.decryptionKey.reset();
        m_options.decryptionKek.clear();
        m_decryptionKeyPath.clear();
    } else {
        // Same rule as `otalab-cli --decrypt-key` (core/image/decryption_key.h).
        if (auto loaded = core::image::loadDecryptionKeyFile(QDir::toNativeSeparators(path), m_options); !loaded) {
            fail(loaded.error().message);
            return false;
        }
        m_decryptionKeyPath = path;
    }
    Q_EMIT keysChanged();
    if (!m_filePath.isEmpty())
        reload();
    return true;
}

void ImageInspectorController::clearKeys()
{
    m_options = {};
    m_verificationKeys.clear();
    m_keyUses.clear();
    m_verificationKeyPaths.clear();
    m_decryptionKeyPath.clear();
    Q_EMIT keysChanged();
    if (!m_filePath.isEmpty())
        reload();
}

} // namespace otalab::app
