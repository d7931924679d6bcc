// SPDX-License-Identifier: Apache-2.0
// Small CBOR helpers shared by the OCF codecs (QCborValue based).
#pragma once

#include <QCborValue>
#include <QString>

namespace otalab::core::ocf {

// "a text string", "an integer", "a map", ... for "expected X, got Y" errors.
QString cborTypeName(const QCborValue& value);

} // namespace otalab::core::ocf
