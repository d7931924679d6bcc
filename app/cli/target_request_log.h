// SPDX-License-Identifier: Apache-2.0
// One-line descriptions of SMP requests and answers for `otalab-cli target serve`'s log:
// "image upload off=4096 len=1393 → off=5489".
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace otalab::cli {

// "os echo \"hi\"", "image upload off=0 len=1393 total=40960 sha=9b1c44d0", "image test
// hash=9b1c44d0", "image state read"...; "garbled request (…)" when it does not decode.
QString describeSmpRequest(QByteArrayView packet);
// "off=5489", "ok", "IMG_MGMT_ERR_NO_FREE_SLOT", "no answer".
QString describeSmpAnswer(const QList<QByteArray>& responses);

} // namespace otalab::cli
