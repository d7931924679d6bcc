// SPDX-License-Identifier: Apache-2.0
// Which of the Image Inspector's loaded verification keys apply to one image file.
#pragma once

#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QString>

namespace otalab::app {

// Whether `key` can check a signature of `file`, and if not, why in words.
//
// A key fits when the file carries a signature of the key's kind and, for MCUboot,
// the KEYHASH / PUBKEY TLV before that signature names this key (or there is none):
// that is the key the device would use. A key that does not fit is not given to the
// inspection at all, so a leftover key of another kind or another signer never makes a
// file "invalid": its signature stays "unchecked" and the reason says which key was
// left out. Pure function, any thread.
struct KeyFit {
    bool fits = false;
    QString why;  // empty when it fits: "a sect283k1 key; this image is signed with ECDSA P-256"
};

KeyFit keyFitsImage(const QByteArray& file, const core::crypto::PKey& key);

} // namespace otalab::app
