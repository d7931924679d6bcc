// SPDX-License-Identifier: Apache-2.0
// The format-neutral result of looking inside a firmware image file: a tree of
// fields with byte ranges, findings (errors and warnings with offsets) and the
// integrity / signature / encryption verdicts. The CLI prints it, the GUI's Image
// Inspector shows it, and both get the same facts from one parser per format.
#pragma once

#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>
#include <vector>

namespace otalab::core::image {

enum class Format { Unknown, ZigbeeOta, Mcuboot };

// Verdict of one check. Absent: the file carries nothing to check (e.g. unsigned).
// Unchecked: something is present but could not be checked (no key given).
enum class CheckState { Absent, Valid, Invalid, Unchecked };

struct Badge {
    CheckState state = CheckState::Absent;
    QString detail;  // one line: "AES-MMO over [0, 0x1f2)", "ECDSA P-256, key hash matches", ...
};

// One field or structure of the file. offset/size are byte positions in the file
// (offset -1 for a synthesized node with no single position). `problem` marks the
// node a finding points at, so views can highlight it.
struct Node {
    QString name;   // stable identifier, e.g. "header", "fileVersion", "tlv[3]"
    QString label;  // human text, e.g. "File version"
    QString value;  // rendered value, e.g. "0x10053519 (app 1.0 build 5, stack 3.5 build 19)"
    qint64 offset = -1;
    qint64 size = 0;
    bool problem = false;
    std::vector<Node> children;

    Node& add(Node child) { children.push_back(std::move(child)); return children.back(); }
};

enum class Severity { Info, Warning, Error };

struct Finding {
    Severity severity = Severity::Error;
    QString field;       // dotted path matching node names, e.g. "header.totalImageSize"
    qint64 offset = -1;  // byte offset in the file, -1 when none
    QString message;     // what is wrong and what was expected
};

struct Inspection {
    Format format = Format::Unknown;
    QString formatName;  // "Zigbee OTA file", "MCUboot image"
    QByteArray bytes;    // the file as given (views slice it for the hex pane)
    Node root;
    std::vector<Finding> findings;
    Badge integrity;
    Badge signature;
    Badge encryption;

    // Valid: no Error finding and no Invalid badge. Warnings do not invalidate.
    bool isValid() const;
    const Finding* firstError() const;
    void error(QString field, qint64 offset, QString message);
    void warning(QString field, qint64 offset, QString message);

    // Stable JSON for `otalab-cli image inspect --json` (documented in README).
    QJsonObject toJson() const;
};

// Keys for checks that need them. verificationKeys: public (or private) keys to
// check signatures against; decryptionKey: private key that unwraps an encrypted
// image's content key (MCUboot ECIES); decryptionKek: raw 16- or 32-byte AES
// key-encryption key for images whose content key is AES-KW wrapped (TLV 0x31).
struct VerifyOptions {
    std::vector<crypto::PKey> verificationKeys;
    std::optional<crypto::PKey> decryptionKey;
    QByteArray decryptionKek;
};

QString formatName(Format format);
QString checkStateName(CheckState state);  // "absent", "valid", "invalid", "unchecked"
QString severityName(Severity severity);   // "info", "warning", "error"

// Recognises a format by its magic, allowing vendor prefix bytes before a Zigbee
// OTA identifier (searched in the first 1 KiB).
Format detectFormat(QByteArrayView data);

// Parses and checks any supported image. Never fails: problems are findings.
Inspection inspect(const QByteArray& data, const VerifyOptions& options = {});

} // namespace otalab::core::image
