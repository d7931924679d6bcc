// SPDX-License-Identifier: Apache-2.0
// Errors are values: every fallible operation returns Result<T>.
#pragma once

#include <QString>
#include <expected>

namespace otalab {

// A failure a user can act on: what was wrong, where, and what was expected.
// offset is a byte offset into the input (-1 when the error has no position);
// field names the structure member involved ("header.totalImageSize").
struct Error {
    QString message;
    QString field;
    qint64 offset = -1;

    static Error at(qint64 offset, QString field, QString message)
    {
        return Error{std::move(message), std::move(field), offset};
    }
    static Error plain(QString message) { return Error{std::move(message), {}, -1}; }

    // "field at offset 0x1c: message", or just the message.
    QString toString() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// std::unexpected shorthand: `return fail(Error::at(...));`
inline std::unexpected<Error> fail(Error e) { return std::unexpected<Error>(std::move(e)); }
inline std::unexpected<Error> fail(QString message) { return std::unexpected<Error>(Error::plain(std::move(message))); }

} // namespace otalab
