// SPDX-License-Identifier: Apache-2.0
// Loads image files and keys for the Image Inspector and runs the inspection.
#pragma once

#include "core/image/inspection.h"

#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace otalab::app {

// Owns what the Image Inspector shows: the file path, the keys, the latest
// Inspection and the latest load error. The panel only displays it.
//
// Threading: GUI thread only. Reading and inspecting run synchronously in open()
// and reload(): images are capped at MaxFileSize (16 MiB) and parsing + verifying
// a few-MB image takes milliseconds, so the GUI never stalls noticeably. Move
// inspect() to QtConcurrent here if formats with slow checks appear.
//
// Errors never throw: an unreadable or oversized file, or a bad key, sets
// loadError() and emits loadFailed(); the previous inspection stays shown.
//
// Keys: the verification keys form a key ring that stays loaded from file to file (a
// batch of images signed with one key is checked without loading it again), but each
// file is inspected only with the keys that fit it (keyFitsImage(): the file's
// signature kind and, for MCUboot, the key its KEYHASH names). keyUses() tells, for the
// current file, which loaded key was used and why each other one was left out; the
// signature badge of a file checked with none of them stays "unchecked" and says so.
class ImageInspectorController final : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 MaxFileSize = 16 * 1024 * 1024;
    using Inspector = std::function<core::image::Inspection(const QByteArray&, const core::image::VerifyOptions&)>;

    // `inspector` defaults to otalab::core::image::inspect; tests pass a fake.
    explicit ImageInspectorController(QObject* parent = nullptr, Inspector inspector = {});

    // Reads and inspects `path`. Returns false (and emits loadFailed) when the file
    // cannot be read; a file that reads but does not parse is a successful load
    // whose Inspection holds the findings.
    bool open(const QString& path);
    // Inspects the current file again (e.g. after it was rebuilt or keys changed).
    bool reload();
    // Shows an already made inspection as if `path` had been opened.
    void setInspection(const QString& path, core::image::Inspection inspection);

    // What one loaded verification key did for the current file.
    struct KeyUse {
        QString path;
        bool used = false;  // given to the inspection: it fits this file
        QString why;        // not used: why ("a sect283k1 key; this image is signed with ECDSA P-256")
    };

    // Replaces the verification keys with the PEM keys at `paths`. Keys that fail
    // to load are skipped and reported through loadFailed(); returns how many loaded.
    int setVerificationKeys(const QStringList& paths);
    // Sets (or with an empty path clears) the key that decrypts images: a PEM
    // private key (ECIES) or a raw 16/32-byte AES-KW key-encryption key file.
    bool setDecryptionKey(const QString& path);
    // Drops every verification and decryption key; re-inspects once.
    void clearKeys();

    QString filePath() const { return m_filePath; }
    QString fileName() const;
    QStringList verificationKeyPaths() const { return m_verificationKeyPaths; }
    // One entry per loaded verification key, for the current file (empty without one).
    const std::vector<KeyUse>& keyUses() const { return m_keyUses; }
    QString decryptionKeyPath() const { return m_decryptionKeyPath; }
    std::shared_ptr<const core::image::Inspection> inspection() const { return m_inspection; }
    QString loadError() const { return m_loadError; }
    bool hasFile() const { return m_inspection != nullptr; }

Q_SIGNALS:
    // A new inspection (new file, reload or new keys); inspection() is non-null.
    void inspectionChanged();
    // `path` was read and inspected; for recent-file lists and window titles.
    void fileOpened(const QString& path);
    // A file or key could not be loaded; `message` says what and why.
    void loadFailed(const QString& message);
    void keysChanged();

private:
    void fail(const QString& message);
    core::image::Inspection inspectWithFittingKeys(const QByteArray& bytes);

    Inspector m_inspector;
    core::image::VerifyOptions m_options;           // decryption keys; verification keys are chosen per file
    std::vector<core::crypto::PKey> m_verificationKeys;  // the key ring, parallel to m_verificationKeyPaths
    std::vector<KeyUse> m_keyUses;
    QStringList m_verificationKeyPaths;
    QString m_decryptionKeyPath;
    QString m_filePath;
    QString m_loadError;
    std::shared_ptr<const core::image::Inspection> m_inspection;
};

} // namespace otalab::app
